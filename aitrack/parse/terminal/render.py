"""Raw terminal output → the text a person saw, as a scrollback-style transcript.

The bytes drive a pyte screen (`screen.TranscriptScreen`). Lines reach the transcript when they
leave the screen: scrolled off the top, or gone from the screen at a *frame boundary* (the end of
a synchronized-output block, a clear, an alternate-screen switch, a pause in the timing file, or
the cursor going back up to repaint after drawing). A line that is still on screen somewhere, or
that was only revised in place (a spinner tick, a timer, text being typed), is not emitted, so
repaints do not repeat content. What is on screen at the end closes the transcript.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import cast
from difflib import SequenceMatcher

from aitrack.parse.terminal.screen import TranscriptScreen
from aitrack.parse.terminal.tokens import Tokenizer

_ALT_MODES = {"1049", "1047", "47"}
_KEY = re.compile(r"[\W\d_]+")
# CSI finals that map straight onto pyte screen methods.
_CSI = {
    "@": "insert_characters", "A": "cursor_up", "B": "cursor_down", "C": "cursor_forward",
    "D": "cursor_back", "E": "cursor_down1", "F": "cursor_up1", "G": "cursor_to_column",
    "H": "cursor_position", "J": "erase_in_display", "K": "erase_in_line", "L": "insert_lines",
    "M": "delete_lines", "P": "delete_characters", "X": "erase_characters", "a": "cursor_forward",
    "d": "cursor_to_line", "e": "cursor_down", "f": "cursor_position", "r": "set_margins",
    "`": "cursor_to_column", "S": "scroll_up", "T": "scroll_down", "g": "clear_tab_stop",
}
# Operations that start repainting what is already on screen: a frame ended just before them.
MAX_WAITING = 1000
_MAYBE_RETREAT = frozenset("AFJLMSTKHfd")
_RETREAT = frozenset("AFJLMST")  # and EL 2, and absolute moves to a row above


_KEYS: dict[str, str] = {}


def _key(line: str) -> str:
    """The letters of a line: what stays the same while a timer ticks or a spinner turns."""
    k = _KEYS.get(line)
    if k is None:
        if len(_KEYS) > 20000:
            _KEYS.clear()
        k = _KEYS[line] = _KEY.sub("", line)
    return k


def _revised(old: str, new: str) -> bool:
    """`new` is `old` edited in place (timer tick, spinner glyph, text being typed), not new content."""
    a, b = _key(old), _key(new)
    if not a:
        if not b:  # lines without letters (progress bars) revise each other when they keep their frame
            return len(old) == len(new) and old[:1] == new[:1]
        # Typing into an empty box: the new line starts like the old one (`│ >` → `│ > fix`).
        head = old.split("  ", 1)[0]
        return len(head.strip()) >= 2 and new.startswith(head)
    return a == b or b.startswith(a)


def _params(body: str) -> list[int]:
    out = []
    for p in body.split(";"):
        p = p.split(":", 1)[0]
        out.append(min(int(p), 9999) if p.isdigit() else 0)
    return out


class Renderer:
    """Feed bytes in chunks; `lines()` hands out finished transcript lines as they are known."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.screen = TranscriptScreen(max(cols, 2), max(rows, 2), on_scroll=self._scrolled)
        self.tokens = Tokenizer()
        self._out: list[str] = []
        self._blank = True  # last emitted line was blank (or nothing emitted yet)
        self._prev: list[str] = [""] * self.screen.lines
        self._gone: Counter[str] = Counter()  # lines of the last frame that scrolled off since (emitted)
        self._done: Counter[str] = Counter()  # lines emitted while still on screen (before a switch)
        self._drawn = False  # something was drawn since the last frame
        self._after: dict[str, list[tuple[str, bool]]] = {}  # line on screen → lines that left from under it
        self._waiting = 0
        self._wl: Counter[str] = Counter()  # how often each line is waiting
        self._wk: Counter[str] = Counter()  # and each line's key
        self._appeared: Counter[str] = Counter()  # lines new on screen at the last frame
        self._sync = False

    # -- output ----------------------------------------------------------------------------------
    def _emit(self, line: str) -> None:
        if not line:
            if self._blank:
                return
            self._blank = True
        else:
            self._blank = False
        self._out.append(line)
        if line and self._after:
            self._release(line)

    def lines(self) -> list[str]:
        out, self._out = self._out, []
        return out

    def _scrolled(self, line: str, top: int) -> None:
        if line and self._done[line] > 0:  # emitted already while it was on screen
            self._done[line] -= 1
            self._release(line)
        elif line and top > 0 and (above := self._line_above(top)):
            self._attach(above, line, sticky=True)  # scrolled out of a region under a fixed header
        else:
            self._emit(line)
        # Remember it only if the last frame showed it: then its disappearance is accounted for.
        if line and self._gone[line] < self._prev.count(line):
            self._gone[line] += 1

    def _line_above(self, top: int) -> str:
        for y in range(top - 1, -1, -1):
            text = self.screen.row(y)
            if text:
                return text
        return ""

    # -- frames ----------------------------------------------------------------------------------
    def frame(self) -> None:
        """Emit what left the screen since the last frame."""
        screen = self.screen
        dirty = screen.dirty
        old = self._prev
        rows = screen.lines
        if len(old) != rows:  # resized: compare against the old rows as they were
            dirty.update(range(rows))
        cur = list(old[:rows]) + [""] * (rows - len(old))
        for y in dirty:
            if 0 <= y < rows:
                cur[y] = screen.row(y)
        dirty.clear()
        self._drawn = False
        if cur == old and not self._gone:
            return
        self._compare(old, cur)
        self._gone = Counter()
        if self._done:
            self._done = self._done & Counter(cur)
        if self._waiting and self._appeared:
            self._unwait(list(self._appeared.elements()))
        self._prev = cur

    def _compare(self, old: list[str], cur: list[str]) -> None:
        # Only the span between the first and last changed row can differ; inside it, a diff of
        # the rows tells moved lines (a repaint of shifted content, a live area pushed down) from
        # lines that left and lines edited in place (pairs in a "replace" block).
        n = min(len(old), len(cur))
        lo = 0
        while lo < n and old[lo] == cur[lo]:
            lo += 1
        hi_old, hi_cur = len(old), len(cur)
        while hi_old > lo and hi_cur > lo and old[hi_old - 1] == cur[hi_cur - 1]:
            hi_old -= 1
            hi_cur -= 1
        a, b = old[lo:hi_old], cur[lo:hi_cur]
        ops: Sequence[tuple[str, int, int, int, int]]
        if (len(a) <= 2 and len(a) == len(b)) or not (set(a) & set(b)) - {""}:
            ops = [("replace", 0, len(a), 0, len(b))]  # nothing moved: rows compare pairwise
        else:
            ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        # Lines of the new screen no old line was matched with: a line that left its place may
        # have moved there out of order.
        unmatched = Counter(line for tag, _, _, j1, j2 in ops if tag != "equal" for line in b[j1:j2] if line)
        self._appeared = unmatched.copy()
        anchor: str | None = next((line for line in reversed(old[:lo]) if line), None)
        gone, done = self._gone, self._done
        emitted = gap = False
        for tag, i1, i2, j1, j2 in ops:
            for k in range(i2 - i1):
                line = a[i1 + k]
                if not line:
                    gap = gap or (emitted and anchor is None)
                    continue
                stays: str | None = None
                new = b[j1 + k] if tag == "replace" and k < j2 - j1 else ""
                if tag == "equal":
                    stays = line
                elif gone[line] > 0:  # scrolled off, already emitted
                    gone[line] -= 1
                    anchor = None
                elif unmatched[line] > 0:  # moved
                    unmatched[line] -= 1
                    stays = line
                elif done[line] > 0:
                    done[line] -= 1
                    self._release(line)
                    anchor = None
                elif new and _revised(line, new):  # edited in place
                    stays = self._move(line, new)
                elif anchor is not None:
                    # Gone from under content still shown (a live area redrawn): it belongs after
                    # that content, so it waits for it instead of jumping ahead in the transcript.
                    self._attach(anchor, line)
                else:
                    if gap:
                        self._emit("")
                    self._emit(line)
                    emitted = True
                if stays is not None:
                    if gap:  # the gap under lines that left stays above what is still shown
                        self._emit("")
                    anchor = stays
                gap = False

    # -- lines waiting for the line above them ---------------------------------------------------
    def _attach(self, anchor: str, line: str, sticky: bool = False) -> None:
        """`line` is emitted right after `anchor`. Unless `sticky` (it surely left: scrolled out), it
        is dropped if it shows up again meanwhile (see `_unwait`)."""
        waiting = self._after.setdefault(anchor, [])
        waiting.append((line, sticky))
        waiting.extend(self._after.pop(line, ()))
        self._waiting += 1
        if not sticky:
            self._wl[line] += 1
            k = _key(line)
            if k:
                self._wk[k] += 1
        if self._waiting > MAX_WAITING:  # bounded memory: give up exact order, emit them now
            self.release_all()

    def _unwait(self, cur: list[str]) -> None:
        """A waiting line shown again (in `cur`, the lines new on screen) is the same line back on
        screen: keep the later one only. "Again" includes edited in place (a spinner pushed down by
        new output, its timer ticking)."""
        wk = self._wk
        back = Counter(k for k in map(_key, cur) if k and wk[k] > 0)
        wl = self._wl
        back_lines = Counter(line for line in cur if line and wl[line] > 0)
        if not back and not back_lines:
            return
        for anchor, waiting in list(self._after.items()):
            kept = []
            for w, sticky in waiting:
                k = _key(w)
                if not sticky and (back_lines[w] > 0 or (k and back[k] > 0)):
                    if back_lines[w] > 0:
                        back_lines[w] -= 1
                    elif k:
                        back[k] -= 1
                    self._forget(w, sticky)
                else:
                    kept.append((w, sticky))
            if kept:
                self._after[anchor] = kept
            else:
                del self._after[anchor]

    def _forget(self, line: str, sticky: bool) -> None:
        self._waiting -= 1
        if sticky:
            return
        self._wl[line] -= 1
        k = _key(line)
        if k:
            self._wk[k] -= 1

    def _move(self, old: str, new: str) -> str:
        if old != new and old in self._after:
            self._after.setdefault(new, []).extend(self._after.pop(old))
        return new

    def _release(self, line: str) -> None:
        waiting = self._after.pop(line, None)
        if waiting:
            for w, sticky in waiting:
                self._forget(w, sticky)
                self._emit(w)

    def release_all(self) -> None:
        after, self._after, self._waiting = self._after, {}, 0
        self._wl, self._wk = Counter(), Counter()
        for waiting in after.values():
            for w, _ in waiting:
                self._emit(w)

    def flush_screen(self) -> None:
        """Emit every line now on screen (not yet emitted), as if it all left."""
        self.frame()
        rows = list(self._prev)
        while rows and not rows[-1]:
            rows.pop()
        done = self._done
        for line in rows:
            if line and done[line] > 0:
                done[line] -= 1
                self._release(line)
                continue
            self._emit(line)
        self._done = Counter(r for r in self._prev if r)

    def resize(self, cols: int, rows: int) -> None:
        self.frame()
        self.screen.resize(max(rows, 2), max(cols, 2))
        self.screen.dirty.update(range(self.screen.lines))

    # -- input -----------------------------------------------------------------------------------
    def feed(self, data: bytes, final: bool = False) -> None:
        screen = self.screen
        for m in self.tokens.feed(data, final):
            kind = m.lastgroup
            if kind == "text":
                screen.draw(m.group("text"))
                self._drawn = True
            elif kind == "csi":
                self._csi(m.group("csi"))
            elif kind == "ctl":
                ch = m.group("ctl")
                if ch == "\n" or ch == "\x0b" or ch == "\x0c":
                    screen.linefeed()
                elif ch == "\r":
                    screen.carriage_return()
                elif ch == "\b":
                    screen.backspace()
                elif ch == "\t":
                    screen.tab()
            elif kind == "esc":
                self._esc(m.group("esc"))
            # osc (titles, hyperlinks) and DCS/APC/PM/SOS strings draw nothing

    def _csi(self, body: str) -> None:
        final = body[-1]
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
        if final == "H":  # the most common sequence in a TUI: straight to pyte
            if params:
                row, _, col = params.partition(";")
                screen.cursor_position(int(row) if row.isdigit() else None, int(col) if col.isdigit() else None)
            else:
                screen.cursor_position()
            return
        name = _CSI.get(final)
        if name is not None:
            method = getattr(screen, name)
            if not params:
                method()
            elif params.isdigit():
                method(min(int(params), 9999))
            else:
                method(*_params(params))
        elif final == "s" and not params:
            screen.save_cursor()
        elif final == "u" and not params:
            screen.restore_cursor()
        elif final in "hl" and params:
            modes = _params(params)
            (screen.set_mode if final == "h" else screen.reset_mode)(*modes)

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
                    self._done = Counter()
                elif not on and screen.alternate:
                    self.frame()
                    self.flush_screen()
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
    """Drive a Renderer from ("o", bytes) / ("frame", None) / ("resize", (cols, rows)) events."""
    r = Renderer(cols, rows)
    for kind, value in chunks:
        if kind == "o":
            r.feed(cast(bytes, value))
        elif kind == "frame":
            if not r._sync:
                r.frame()
        elif kind == "resize":
            c, h = cast("tuple[int, int]", value)
            r.resize(c, h)
        if r._out:
            yield from r.lines()
    r.finish()
    yield from r.lines()
