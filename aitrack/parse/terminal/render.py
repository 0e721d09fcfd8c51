"""Raw terminal output → the text a person saw, as a scrollback-style transcript.

The bytes drive a pyte screen (`screen.TranscriptScreen`) through our own tokenizer, which also
decides where frames end: the end of a synchronized-output block, a clear, an alternate-screen
switch, a pause in the timing file, or the cursor going back up to repaint after drawing. What a
frame keeps is `frames.FrameTracker`'s business. What is on screen at the end closes the transcript.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import cast

from pyte import modes as mo

from aitrack.parse.terminal.frames import FrameTracker
from aitrack.parse.terminal.screen import TranscriptScreen
from aitrack.parse.terminal.tokens import TOKEN, Tokenizer

# `Renderer.feed` dispatches on the number of the group that matched.
assert [TOKEN.groupindex[g] for g in ("text", "csi", "ctl", "esc")] == [1, 2, 3, 6]
_ALT_MODES = {"1049", "1047", "47"}
SYNC_TIMEOUT = 1.0  # seconds; terminals end a synchronized update that never ends well before this
# CSI finals that map straight onto pyte screen methods.
_CSI = {
    "@": "insert_characters", "A": "cursor_up", "B": "cursor_down", "C": "cursor_forward",
    "D": "cursor_back", "E": "cursor_down1", "F": "cursor_up1", "G": "cursor_to_column",
    "H": "cursor_position", "J": "erase_in_display", "K": "erase_in_line", "L": "insert_lines",
    "M": "delete_lines", "P": "delete_characters", "X": "erase_characters", "a": "cursor_forward",
    "d": "cursor_to_line", "e": "cursor_down", "f": "cursor_position", "r": "set_margins",
    "`": "cursor_to_column", "S": "scroll_up", "T": "scroll_down", "g": "clear_tab_stop",
}
# How many parameters those methods take (the rest take one); a terminal ignores any more
# (CSI 1;2;3A moves up 1), where passing them on to pyte raised a TypeError.
_ARITY = {"H": 2, "f": 2, "r": 2}
# Operations that start repainting what is already on screen: a frame ended just before them.
_MAYBE_RETREAT = frozenset("AFJLMSTKHfd")
_RETREAT = frozenset("AFJLMST")  # and EL 2, and absolute moves to a row above


def _params(body: str) -> list[int]:
    out = []
    for p in body.split(";"):
        p = p.split(":", 1)[0]
        out.append(min(int(p), 9999) if p.isdigit() else 0)
    return out


class Renderer(FrameTracker):
    """Feed bytes in chunks; `lines()` hands out finished transcript lines as they are known."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.screen = TranscriptScreen(max(cols, 2), max(rows, 2), on_scroll=self._scrolled)
        super().__init__()
        self.tokens = Tokenizer()
        self._sync = False
        self._alt_left: Counter[str] = Counter()  # on the alternate screen when it was last left

    # -- input -----------------------------------------------------------------------------------
    def feed(self, data: bytes, final: bool = False) -> None:
        screen = self.screen
        csi = self._csi
        for m in self.tokens.feed(data, final):
            kind = m.lastindex  # the group that matched: text, csi, ctl, osc, str, esc, lone (see TOKEN)
            if kind == 1:
                screen.draw(m[1])
                self._drawn = True
            elif kind == 2:
                csi(m[2])
            elif kind == 3:
                ch = m[3]
                if ch == "\n" or ch == "\x0b" or ch == "\x0c":
                    screen.linefeed()
                elif ch == "\r":
                    screen.cursor.x = 0  # carriage_return
                elif ch == "\b":
                    screen.backspace()
                elif ch == "\t":
                    screen.tab()
            elif kind == 6:
                self._esc(m[6])
            # osc (titles, hyperlinks) and DCS/APC/PM/SOS strings draw nothing

    def _csi(self, body: str) -> None:
        final = body[-1]
        if final in "BGC" and (len(body) == 1 or body[:-1].isdigit()):
            # Relative moves and column addressing (most of an Ink TUI's sequences): pyte's
            # cursor_down / cursor_to_column / cursor_forward, inlined; none of them ends a frame.
            count = min(int(body[:-1]), 9999) if len(body) > 1 else 0
            screen = self.screen
            cursor = screen.cursor
            if final == "B":
                margins = screen.margins
                cursor.y = min(cursor.y + (count or 1), margins[1] if margins else screen.lines - 1)
            else:
                x = (count or 1) - 1 if final == "G" else cursor.x + (count or 1)
                cursor.x = min(max(0, x), screen.columns - 1)
            return
        if final == "H" and body[0] not in "<=>?":  # CUP, next most common: without the general path
            params = body[:-1]
            if not params or params[-1].isdigit() or params[-1] == ";":  # else intermediates: ignored
                self._cursor_position(params)
            return
        if final == "K" and (len(body) == 1 or body[:-1].isdigit()):  # EL: after most lines drawn
            if body == "2K" and self._drawn and not self._sync:
                self.frame()
            self.screen.erase_in_line(min(int(body[:-1]), 9999) if len(body) > 1 else 0)
            return
        if final == "m":
            return  # SGR (normally removed before tokenizing already)
        lead = body[0]
        if lead in "<=>?":
            if lead == "?":
                if final == "h" or final == "l":
                    self._private_mode(body[1:-1].split(";"), final == "h")
                elif final == "J" or final == "K":
                    self._csi(body[1:])
            return  # kitty keyboard (CSI > 1 u, CSI < u, CSI = …u), XTMODKEYS, DA2 …
        params = body[:-1]
        if params and not params[-1].isdigit() and params[-1] != ";":
            return  # intermediates (DECSCUSR "CSI 2 q", DECSTR "CSI ! p"): nothing to draw
        screen = self.screen
        if self._drawn and not self._sync and final in _MAYBE_RETREAT and self._retreats(final, params):
            self.frame()
        name = _CSI.get(final)
        if name is not None:
            method = getattr(screen, name)
            if not params:
                method()
            elif params.isdigit():
                method(min(int(params), 9999))
            else:
                method(*_params(params)[:_ARITY.get(final, 1)])
        elif final == "s" and not params:
            screen.save_cursor()
        elif final == "u" and not params:
            screen.restore_cursor()
        elif final in "hl" and params:
            modes = _params(params)
            (screen.set_mode if final == "h" else screen.reset_mode)(*modes)

    def _cursor_position(self, params: str) -> None:
        screen = self.screen
        cursor = screen.cursor
        row, _, col = params.partition(";")
        line, column = int(row) if row.isdigit() else None, int(col) if col.isdigit() else None
        # Back to a row above the cursor: a repaint starts (the target row as `_target_row` reads it).
        if self._drawn and not self._sync and (line - 1 if line is not None and row != "0" else 0) < cursor.y:
            self.frame()
        if screen.margins is not None and mo.DECOM in screen.mode:
            screen.cursor_position(line, column)
        else:  # pyte's cursor_position without origin mode, inlined
            cursor.x = min(max(0, (column or 1) - 1), screen.columns - 1)
            cursor.y = min(max(0, (line or 1) - 1), screen.lines - 1)

    def _retreats(self, final: str, params: str) -> bool:
        if final in _RETREAT:
            return True
        if final == "K":
            return params == "2"
        if final in "Hfd":
            return self._target_row(final, params) < self.screen.cursor.y
        return False

    @staticmethod
    def _target_row(final: str, params: str) -> int:
        first = params.split(";", 1)[0]
        return (int(first) - 1) if first.isdigit() and first != "0" else 0

    def _private_mode(self, modes: list[str], on: bool) -> None:
        screen = self.screen
        for mode in modes:
            if mode in _ALT_MODES:
                if on and not screen.alternate:
                    self.flush_screen()
                    screen.enter_alternate()
                    self._prev = [""] * screen.lines
                    # Back from a suspend (Ctrl-Z, `fg`) the tool repaints what it showed when it
                    # left: those lines are in the transcript already, so they count as emitted.
                    self._done = self._alt_left
                elif not on and screen.alternate:
                    self.frame()
                    self.flush_screen()
                    self._alt_left = self._done  # the alternate screen's lines, all emitted now
                    screen.leave_alternate()
                    self._prev = screen.rows()
                    screen.dirty.clear()
                    self._done = Counter(r for r in self._prev if r)
            elif mode == "2026":
                if not on and self._sync:
                    self._sync = False
                    self.frame()
                elif on and not self._sync:
                    if self._drawn:
                        self.frame()
                    self._sync = True
            elif mode in ("6", "7") and mode.isdigit():
                (screen.set_mode if on else screen.reset_mode)(int(mode), private=True)

    def _esc(self, body: str) -> None:
        screen = self.screen
        final = body[-1]
        if len(body) > 1:
            return  # charset designations (ESC ( B), DEC line sizes: not used for text
        if final == "7":
            screen.save_cursor()
        elif final == "8":
            screen.restore_cursor()
        elif final == "D":
            screen.index()
        elif final == "E":
            screen.linefeed()
            screen.carriage_return()
        elif final == "M":
            if self._drawn and not self._sync and screen.cursor.y == (screen.margins or (0,))[0]:
                self.frame()
            screen.reverse_index()
        elif final == "c":
            self.flush_screen()
            if screen.alternate:
                screen.leave_alternate()
            screen.reset()
            self._prev = [""] * screen.lines
            self._done = Counter()
            self._alt_left = Counter()

    def pause(self, seconds: float) -> None:
        """The program wrote nothing for `seconds` (timing file): the frame it drew is complete.
        A synchronized update left open that long is over too (terminals time it out)."""
        if self._sync and seconds >= SYNC_TIMEOUT:
            self._sync = False
        if not self._sync:
            self.frame()
        if self._repaint > 0:  # time passes: what comes later is no longer the resize's repaint
            self._repaint -= seconds

    def finish(self) -> None:
        """End of stream: what is left on screen (main screen after an alternate one) closes it."""
        self.feed(b"", final=True)
        if self.screen.alternate:
            self._private_mode(["1049"], False)
        self.flush_screen()
        self.release_all()
        while self._out and not self._out[-1]:
            self._out.pop()


def iter_lines(chunks: Iterator[tuple[str, object]], cols: int, rows: int) -> Iterator[str]:
    """Drive a Renderer from ("o", bytes) / ("pause", seconds) / ("resize", (cols, rows)) events."""
    r = Renderer(cols, rows)
    for kind, value in chunks:
        if kind == "o":
            r.feed(cast(bytes, value))
        elif kind == "pause":
            r.pause(cast(float, value))
        elif kind == "resize":
            c, h = cast("tuple[int, int]", value)
            r.resize(c, h)
        if r._out:
            yield from r.lines()
    r.finish()
    yield from r.lines()
