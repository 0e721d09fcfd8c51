"""pyte's screen, made fast for transcripts and given what pyte lacks.

Colours and attributes do not matter for a text transcript, so every cell holds one cached
default-attribute `Char` and runs of narrow characters are written with one dict update instead
of pyte's per-character loop. Added: a hook for each line scrolled off the top of the scroll
region, the alternate screen (1049/1047/47) as a second buffer, and SU/SD scrolling.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyte
from pyte import modes as mo
from pyte.screens import Char, Margins, StaticDefaultDict
from wcwidth import wcwidth

_CHARS: dict[str, Char] = {}
# Characters known to take exactly one cell; grows as new ones are met (checked once each).
_NARROW: set[str] = {chr(c) for c in range(0x20, 0x7F)}


def _char(ch: str) -> Char:
    c = _CHARS.get(ch)
    if c is None:
        c = _CHARS[ch] = Char(ch)
    return c


class TranscriptScreen(pyte.Screen):
    def __init__(self, columns: int, lines: int, on_scroll: Callable[[str], None] | None = None) -> None:
        super().__init__(columns, lines)
        self.on_scroll = on_scroll
        self.alternate = False
        self._saved_main: tuple[Any, Any] | None = None

    # -- reading ---------------------------------------------------------------------------------
    def row(self, y: int) -> str:
        """Row `y` as text, trailing spaces stripped (a wide character's stub cell is empty)."""
        line = self.buffer.get(y)
        if not line:
            return ""
        cols = self.columns
        cells = [" "] * cols
        for x, c in line.items():
            if x < cols:
                cells[x] = c.data
        return "".join(cells).rstrip()

    def rows(self) -> list[str]:
        return [self.row(y) for y in range(self.lines)]

    # -- writing ---------------------------------------------------------------------------------
    def draw(self, data: str) -> None:
        chars = set(data)
        if not chars <= _NARROW:
            for ch in chars - _NARROW:
                if wcwidth(ch) != 1:
                    return self._draw_slow(data)
                _NARROW.add(ch)
        if mo.IRM in self.mode:
            return self._draw_slow(data)
        cursor, cols, buffer = self.cursor, self.columns, self.buffer
        wrap = mo.DECAWM in self.mode
        pos, n = 0, len(data)
        while pos < n:
            if cursor.x >= cols:
                if wrap:
                    self.carriage_return()
                    self.linefeed()
                else:  # no wrap: later characters overwrite the last column
                    cursor.x = cols - 1
                    buffer[cursor.y][cursor.x] = _char(data[-1])
                    cursor.x = cols
                    break
            x = cursor.x
            piece = data[pos:pos + cols - x]
            buffer[cursor.y].update(zip(range(x, x + len(piece)), map(_char, piece)))
            cursor.x = x + len(piece)
            pos += len(piece)
        self.dirty.add(cursor.y)

    def _draw_slow(self, data: str) -> None:
        # pyte's own loop handles wide, combining and zero-width characters; attributes stay default.
        self.cursor.attrs = self.default_char
        super().draw(data)

    def select_graphic_rendition(self, *attrs: int, **kwargs: Any) -> None:
        pass  # colours are dropped: the transcript is text

    def index(self) -> None:
        top, bottom = self.margins or Margins(0, self.lines - 1)
        if self.cursor.y == bottom and self.on_scroll is not None:
            self.on_scroll(self.row(top))
        super().index()

    def scroll_up(self, count: int | None = None) -> None:
        """SU: the region moves up `count` lines; the lines leaving the top go to scrollback."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        x, y = self.cursor.x, self.cursor.y
        self.cursor.y = bottom
        for _ in range(min(count or 1, bottom - top + 1)):
            self.index()
        self.cursor.x, self.cursor.y = x, y

    def scroll_down(self, count: int | None = None) -> None:
        """SD: the region moves down `count` lines; blank lines come in at the top."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        x, y = self.cursor.x, self.cursor.y
        self.cursor.y = top
        for _ in range(min(count or 1, bottom - top + 1)):
            self.reverse_index()
        self.cursor.x, self.cursor.y = x, y

    # -- alternate screen ------------------------------------------------------------------------
    def enter_alternate(self) -> None:
        if self.alternate:
            return
        self.alternate = True
        self._saved_main = (self.buffer, (self.cursor.x, self.cursor.y))
        self.buffer = self._new_buffer()
        self.dirty.update(range(self.lines))

    def leave_alternate(self) -> None:
        if not self.alternate or self._saved_main is None:
            return
        self.alternate = False
        buffer, (x, y) = self._saved_main
        self._saved_main = None
        for row in [r for r in buffer if r >= self.lines]:  # resized while away
            del buffer[row]
        self.buffer = buffer
        self.cursor.x, self.cursor.y = min(x, self.columns), min(y, self.lines - 1)
        self.dirty.update(range(self.lines))

    def _new_buffer(self) -> defaultdict[int, StaticDefaultDict[int, Char]]:
        default = self.default_char
        return defaultdict(lambda: StaticDefaultDict[int, Char](default))

    def debug(self, *args: Any, **kwargs: Any) -> None:
        pass
