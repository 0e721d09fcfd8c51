"""termsafe: what aitrack prints from untrusted text cannot drive the viewer's terminal (#20 item 2)."""
from __future__ import annotations

import random

from aitrack.termsafe import ReplayFilter, csv_cell, printable, replay_filter

HOSTILE = ("\x1b]52;c;aGVsbG8=\x07", "\x1b]0;owned\x1b\\", "\x1b]8;;http://evil\x07", "\x1b[2J", "\x1b[21t",
           "\x1bP$qm\x1b\\", "\x9b2J", "\x9d52;c;eA==\x9c", "\x1b_apc\x1b\\", "\x1b^pm\x1b\\", "\x1bX\x1b\\",
           "\x1b[6n", "\x1bc", "\x1b(0", "\x05", "\x08\x08", "\r", "\x7f", "\x1b]52;c;unterminated")


def test_printable_removes_every_sequence_and_control() -> None:
    for seq in HOSTILE:
        out = printable(f"a{seq}b")
        assert out == "ab" or out == "a", (seq, out)  # an unterminated string sequence eats the rest
        assert not any(ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f for ch in out)
    assert printable("line\n\tindented") == "line\n\tindented"
    assert printable("a\nb\tc", one_line=True) == "a b c"
    assert printable("plain ✔ ünïcode") == "plain ✔ ünïcode"


def test_keep_sgr_keeps_colour_only() -> None:
    assert printable("\x1b[31mred\x1b[0m\x1b]52;c;eA==\x07\x1b[2J", keep_sgr=True) == "\x1b[31mred\x1b[0m"
    assert printable("\x1b[31mred\x1b[0m") == "red"


def test_csv_cells_are_never_formulas() -> None:
    assert csv_cell("=HYPERLINK(\"http://evil\",\"x\")").startswith("'=")
    assert [csv_cell(x) for x in ("+1+1x", "@SUM(A1)", "-cmd")] == ["'+1+1x", "'@SUM(A1)", "'-cmd"]
    assert [csv_cell(x) for x in ("-1", "+2.5", "3e4", "fix (#12)")] == ["-1", "+2.5", "3e4", "fix (#12)"]
    assert csv_cell("a\x1b]52;c;eA==\x07\nb") == "a b"


RECORDED = (b"\x1b[?1049h\x1b[H\x1b[2Jhello \x1b[31mred\x1b[0m\x1b]0;title\x07"
            b"\x1b[c\x1b[>c\x1b[=c\x1b[5n\x1b[6n\x1b[?6n\x1b[14t\x1b[18t\x1b[21t\x1bP$qm\x1b\\\x1bP+q544e\x1b\\"
            b"\x1b]10;?\x07\x1b]11;?\x1b\\\x1b]4;1;?\x07\x1b]52;c;aGVsbG8=\x07\x1b[>q\x1b[?2026$p\x05bye\x1b[?1049l")
KEPT = b"\x1b[?1049h\x1b[H\x1b[2Jhello \x1b[31mred\x1b[0m\x1b]0;title\x07bye\x1b[?1049l"


def test_replay_keeps_the_screen_and_drops_clipboard_and_queries() -> None:
    assert replay_filter(RECORDED) == KEPT


def test_replay_filter_gives_the_same_for_any_chunking() -> None:
    rng = random.Random(7)
    for _ in range(300):
        f, out, i = ReplayFilter(), b"", 0
        while i < len(RECORDED):
            n = rng.randint(1, 9)
            out += f.feed(RECORDED[i:i + n])
            i += n
        assert out + f.close() == KEPT
