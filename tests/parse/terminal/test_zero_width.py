"""Characters that take no cell but are not combining (variation selectors, joiners) and unprintable
ones: pyte's draw stops at them and drops the rest of what it was given. The screen keeps them with
the cell before (a zero-width one) or leaves them out (an unprintable one), and draws the rest."""
from __future__ import annotations

import pyte
import pytest

from aitrack.parse.terminal.screen import TranscriptScreen


def rows(feed: str, columns: int = 40) -> list[str]:
    screen = TranscriptScreen(columns, 4)
    pyte.Stream(screen).feed(feed)
    return screen.rows()


@pytest.mark.parametrize("mark", ["\ufe0e", "\ufe0f", "\u200d", "\u200b", "\u2060"])
def test_the_rest_of_the_row_is_drawn_after_a_zero_width_character(mark: str) -> None:
    """Qwen Code's `◆︎` (U+25C6 U+FE0E) lost everything after it on its row."""
    assert rows(f"\u25c6{mark} Committed the change.\r\nnext row") == [
        f"\u25c6{mark} Committed the change.", "next row", "", ""]


def test_a_zero_width_character_joins_the_wide_character_not_its_stub() -> None:
    family = "\U0001F468\u200d\U0001F469"  # man, joiner, woman: two wide characters
    screen = TranscriptScreen(20, 2)
    pyte.Stream(screen).feed(family + " x")
    assert screen.rows()[0] == family + " x"
    assert [screen.buffer[0][x].data for x in range(4)] == ["\U0001F468\u200d", "", "\U0001F469", ""]


def test_a_zero_width_character_at_the_start_of_a_row_joins_the_row_above() -> None:
    assert rows("abcd\ufe0fxy", columns=4)[:2] == ["abcd\ufe0f", "xy"]  # wrapped after d, before the selector
    assert rows("\ufe0fxy")[0] == "xy"  # nothing before it on the screen: nothing to join


def test_an_unprintable_character_is_left_out_and_the_rest_drawn() -> None:
    assert rows("before\x85after é")[0] == "beforeafter é"


def test_the_cursor_moves_as_in_a_terminal() -> None:
    """A zero-width character takes no cell: what follows is drawn where a terminal draws it."""
    screen = TranscriptScreen(20, 2)
    pyte.Stream(screen).feed("\u25c6\ufe0e\u25c6\ufe0e")
    assert screen.cursor.x == 2 and screen.rows()[0] == "\u25c6\ufe0e\u25c6\ufe0e"
