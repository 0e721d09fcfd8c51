"""pyte's screen, made fast for transcripts and given what pyte lacks.

Colours and attributes do not matter for a text transcript, so every cell holds one cached
default-attribute `Char` and runs of narrow characters are written with one dict update instead
of pyte's per-character loop. Added: a hook for each line scrolled off the top of the scroll
region, the alternate screen (1049/1047/47) as a second buffer, and SU/SD scrolling.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from itertools import repeat
from operator import itemgetter
from typing import Any, cast

import pyte
from pyte import modes as mo
from pyte.screens import Char, Margins, StaticDefaultDict
from wcwidth import wcwidth

_CHARS: dict[str, Char] = {}
# Characters known to take exactly one cell; grows as new ones are met (checked once each).
_NARROW: set[str] = {chr(c) for c in range(0x20, 0x7F)}
_CHARS.update((ch, Char(ch)) for ch in _NARROW)


_STOPS: dict[str, bool] = {}


def _stops_pyte(ch: str) -> bool:
    """pyte's draw ends at this character: zero-width but not combining, or unprintable."""
    stops = _STOPS.get(ch)
    if stops is None:
        width = wcwidth(ch)
        stops = _STOPS[ch] = width < 0 or (width == 0 and not unicodedata.combining(ch))
    return stops


_BLANK = Char(" ")
_PAST_EDGE = 1 << 30
_DATA = itemgetter(0)  # Char.data


class _Row(StaticDefaultDict[int, Char]):
    """A screen row that remembers its text until written to (rows move as whole objects on scroll)."""

    text: str | None = None

    def __setitem__(self, key: int, value: Char) -> None:
        self.text = None
        dict.__setitem__(self, key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.text = None
        dict.update(self, *args, **kwargs)

    def pop(self, *args: Any) -> Any:
        self.text = None
        return dict.pop(self, *args)

    def __delitem__(self, key: int) -> None:
        self.text = None
        dict.__delitem__(self, key)

    def clear(self) -> None:
        self.text = None
        dict.clear(self)

    def erase_from(self, start: int, stop: int) -> None:
        """Blank cells start..stop-1: with no attributes kept, a blank cell is a missing one."""
        top = max(self, default=-1)
        if start > top or stop <= start:
            return  # nothing there (EL after the last cell drawn): the text stays valid
        self.text = None
        if start <= 0 and stop > top:
            dict.clear(self)
            return
        for k in range(start, min(stop, top + 1)):  # the span, not every cell of the row
            dict.pop(self, k, None)


def _text(line: _Row, columns: int) -> str:
    """The row's cells as text: missing cells read as blank, a wide character's stub cell as ""."""
    cells = [" "] * columns
    try:
        # One pass over the cells that are set: faster than a lookup per column (rows are sparse).
        for x, char in line.items():
            cells[x] = char[0]
    except IndexError:  # cells past the right edge (the screen was narrowed since): not shown
        width = min(max(line) + 1, columns)
        return "".join(map(_DATA, map(line.get, range(width), repeat(_BLANK)))).rstrip()
    return "".join(cells).rstrip()


class TranscriptScreen(pyte.Screen):
    def __init__(self, columns: int, lines: int, on_scroll: Callable[[str, int], None] | None = None) -> None:
        super().__init__(columns, lines)
        self.buffer = self._new_buffer()
        self.on_scroll = on_scroll
        self.alternate = False
        self._saved_main: tuple[Any, Any] | None = None

    # -- reading ---------------------------------------------------------------------------------
    def row(self, y: int) -> str:
        """Row `y` as text, trailing spaces stripped (a wide character's stub cell is empty)."""
        line = cast("_Row | None", self.buffer.get(y))
        if not line:
            return ""
        text = line.text
        if text is None or len(text) > self.columns:
            text = line.text = _text(line, self.columns)
        return text

    def rows(self) -> list[str]:
        return [self.row(y) for y in range(self.lines)]

    # -- writing ---------------------------------------------------------------------------------
    def draw(self, data: str) -> None:
        if data.isascii() and data.isprintable():
            pass
        elif not (chars := set(data)) <= _NARROW:
            for ch in chars - _NARROW:
                if wcwidth(ch) != 1:
                    return self._draw_slow(data)
                _NARROW.add(ch)
                _CHARS[ch] = Char(ch)
        if mo.IRM in self.mode:
            return self._draw_slow(data)
        cursor, cols, buffer = self.cursor, self.columns, self.buffer
        pos, n, x = 0, len(data), cursor.x
        if x + n <= cols:  # the usual case: it fits on the cursor's row (what the loop below does)
            line = cast(_Row, buffer[cursor.y])
            line.text = None
            dict.update(line, zip(range(x, x + n), map(_CHARS.__getitem__, data)))
            cursor.x = x + n
            self.dirty.add(cursor.y)
            return None
        wrap = mo.DECAWM in self.mode
        while pos < n:
            if cursor.x >= cols:
                if wrap:
                    # The row being left was written to: frames read only dirty rows, so a row
                    # filled and wrapped away from would otherwise keep its last frame's text.
                    self.dirty.add(cursor.y)
                    self.carriage_return()
                    self.linefeed()
                else:  # no wrap: later characters overwrite the last column
                    cursor.x = cols - 1
                    buffer[cursor.y][cursor.x] = _CHARS[data[-1]]
                    cursor.x = cols
                    break
            x = cursor.x
            piece = data[pos:pos + cols - x]
            buffer[cursor.y].update(zip(range(x, x + len(piece)), map(_CHARS.__getitem__, piece)))
            cursor.x = x + len(piece)
            pos += len(piece)
        self.dirty.add(cursor.y)

    def _draw_slow(self, data: str) -> None:
        # pyte's own loop handles wide and combining characters; attributes stay default. At a
        # zero-width character that is not combining (a variation selector: Qwen Code's `◆︎`; a
        # zero-width joiner in an emoji sequence) or an unprintable one, pyte's loop stops and the
        # rest of `data` — the rest of the row — is lost: those are taken out here.
        self.cursor.attrs = self.default_char
        if not any(map(_stops_pyte, set(data) - _NARROW)):
            return super().draw(data)  # the usual case: marks each row it wraps away from dirty
        start = 0
        for i, ch in enumerate(data):
            if ch not in _NARROW and _stops_pyte(ch):
                if i > start:
                    super().draw(data[start:i])
                if wcwidth(ch) == 0:
                    self._join_previous(ch)
                start = i + 1
        if start < len(data):
            super().draw(data[start:])

    def _join_previous(self, ch: str) -> None:
        """A zero-width character belongs to the cell before the cursor (a wide one's, not its stub)."""
        x, y = self.cursor.x, self.cursor.y
        if x == 0:
            if y == 0:
                return
            x, y = self.columns, y - 1  # the last cell of the row above (a wrap came between)
        line = self.buffer[y]
        x -= 1
        if x > 0 and line[x].data == "":
            x -= 1
        if x in line:
            line[x] = Char(line[x].data + ch)
            self.dirty.add(y)

    def erase_in_line(self, how: int = 0, private: bool = False) -> None:
        self.dirty.add(self.cursor.y)
        x = self.cursor.x
        end = _PAST_EDGE  # to the end of the line includes cells kept past a narrowed edge
        start, stop = (x, end) if how == 0 else (0, x + 1) if how == 1 else (0, end) if how == 2 else (0, 0)
        cast(_Row, self.buffer[self.cursor.y]).erase_from(start, stop)

    def erase_in_display(self, how: int = 0, *args: Any, **kwargs: Any) -> None:
        y = self.cursor.y
        rows = {0: range(y + 1, self.lines), 1: range(y), 2: range(self.lines), 3: range(self.lines)}.get(how, ())
        self.dirty.update(rows)
        for row in rows:
            if row in self.buffer:
                self.buffer[row].clear()
        if how == 0 or how == 1:
            self.erase_in_line(how)

    def erase_characters(self, count: int | None = None) -> None:
        self.dirty.add(self.cursor.y)
        x = self.cursor.x
        cast(_Row, self.buffer[self.cursor.y]).erase_from(x, min(x + (count or 1), self.columns))

    def select_graphic_rendition(self, *attrs: int, **kwargs: Any) -> None:
        pass  # colours are dropped: the transcript is text

    def index(self) -> None:
        """pyte's index (a line feed), reporting the line scrolled off; rows move in one step."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        cursor = self.cursor
        if cursor.y != bottom:
            cursor.y = min(cursor.y + 1, bottom)  # pyte's cursor_down
            return
        if self.on_scroll is not None:
            self.on_scroll(self.row(top), top)
        self.dirty.update(range(self.lines))
        # Each row takes the one below it, as pyte's loop does (a missing one comes in blank) but
        # without a Python-level step per row: inline TUIs scroll on every line they print.
        buffer = self.buffer
        buffer.update(zip(range(top, bottom), list(map(buffer.__getitem__, range(top + 1, bottom + 1)))))
        buffer.pop(bottom, None)

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

    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        """pyte's resize, but cells past a narrowed right edge are kept, not cut: a terminal
        reflows a line it narrows, so the person still sees all of it, and widened back the row
        is whole again (cut, its cut state would read as a line of its own)."""
        lines, columns = lines or self.lines, columns or self.columns
        if lines == self.lines and columns == self.columns:
            return
        self.dirty.update(range(lines))
        if lines < self.lines:
            self.save_cursor()
            self.cursor_position(0, 0)
            self.delete_lines(self.lines - lines)  # drop from the top
            self.restore_cursor()
        self.lines, self.columns = lines, columns
        self.set_margins()

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
        return defaultdict(lambda: _Row(default))

    def debug(self, *args: Any, **kwargs: Any) -> None:
        pass
