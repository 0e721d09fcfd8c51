"""Which lines a transcript keeps: the bookkeeping between two frames of a screen.

Lines reach the transcript when they leave the screen: scrolled off the top (the screen reports
them), or gone at a *frame boundary* (the renderer decides when a frame ends). At a frame the rows
that changed are compared with the last frame: a line still on screen (maybe moved: a diff tells a
repaint of shifted content from new lines) or only edited in place (a spinner tick, a timer, text
being typed) is not emitted, so repaints do not repeat content. A line gone from under content
still shown waits for that content (`waiting.py`), so the transcript follows the screen's order.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from aitrack.parse.terminal.reflow import REPAINT_SECONDS, Repaint
from aitrack.parse.terminal.screen import TranscriptScreen
from aitrack.parse.terminal.waiting import WaitingLines, _key, _revised


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """`SequenceMatcher(None, a, b, autojunk=False).get_opcodes()`, exactly, in C where it counts.

    The same recursion on the longest matching block, with difflib's tie-break (earliest in `a`,
    then in `b`), but each row is one character of a string, so "is this run of rows also in b?"
    is a substring search: O(len(a)) searches per block instead of a Python loop over every pair
    of equal rows (a screen's many blank rows made that quadratic)."""
    ids: dict[str, int] = {}
    sa = "".join([chr(ids.setdefault(line, len(ids))) for line in a])
    sb = "".join([chr(ids.setdefault(line, len(ids))) for line in b])
    la, lb = len(a), len(b)
    queue = [(0, la, 0, lb)]
    blocks: list[tuple[int, int, int]] = []
    for alo, ahi, blo, bhi in queue:  # grows while it is walked; the order does not matter
        window = sb[blo:bhi]
        besti, size = alo, 0
        for i in range(alo, ahi):
            if ahi - i <= size:
                break
            while i + size < ahi and sa[i:i + size + 1] in window:
                besti, size = i, size + 1
        if size:
            bestj = blo + window.find(sa[besti:besti + size])
            blocks.append((besti, bestj, size))
            if alo < besti and blo < bestj:
                queue.append((alo, besti, blo, bestj))
            if besti + size < ahi and bestj + size < bhi:
                queue.append((besti + size, ahi, bestj + size, bhi))
    blocks.sort()
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    i1 = j1 = k1 = 0
    for i2, j2, k2 in blocks + [(la, lb, 0)]:
        if k2 and i1 + k1 == i2 and j1 + k1 == j2:  # adjacent blocks merge
            k1 += k2
            continue
        if k1:
            if i < i1 or j < j1:
                ops.append(("replace" if i < i1 and j < j1 else "delete" if i < i1 else "insert", i, i1, j, j1))
            i, j = i1 + k1, j1 + k1
            ops.append(("equal", i1, i, j1, j))
        i1, j1, k1 = i2, j2, k2
    if i < la or j < lb:
        ops.append(("replace" if i < la and j < lb else "delete" if i < la else "insert", i, la, j, lb))
    return ops


def _span(old: list[str], cur: list[str]) -> tuple[int, int, int]:
    """The rows that differ: old[lo:hi_old] became cur[lo:hi_cur] (equal rows around them)."""
    n = min(len(old), len(cur))
    lo = 0
    while lo < n and old[lo] == cur[lo]:
        lo += 1
    hi_old, hi_cur = len(old), len(cur)
    while hi_old > lo and hi_cur > lo and old[hi_old - 1] == cur[hi_cur - 1]:
        hi_old -= 1
        hi_cur -= 1
    return lo, hi_old, hi_cur


def _grown(line: str, y: int, cur: list[str], shifts: Counter[int], unmatched: dict[str, int]) -> str:
    """The row `line` (old row `y`) became if it moved up with the scrolls since the last frame
    and was written further meanwhile ("Running tes" → "Running tests" one row higher), else "".

    A pairwise compare cannot see it (the row beside it is another line) and a diff cannot
    either (the text changed), so the old state would be kept as a line of its own."""
    top = max([t for t in shifts if t <= y], default=-1)
    to = y - shifts[top] if top >= 0 else y
    if to == y or to < top:
        return ""  # not moved by a scroll, or moved off the top (`_scrolled` accounted for it)
    new = cur[to]
    if unmatched.get(new, 0) <= 0 or not _revised(line, new):
        return ""
    unmatched[new] -= 1  # it is this line's new state, not another old line moved there
    return new


def _sure(line: str, cur: list[str]) -> bool:
    """A line that moved is surely the same line, so an anchor for what left below it: it has
    letters, or it is the only one of its kind in the changed rows of the new screen (`cur`).
    A rule (`────`) is drawn in several places: a dialog's top border matched with one of the
    two borders of the input box that replaced it made the dialog wait for that box, to the
    end of the session (issue 18: "permission dialogs move to the end")."""
    return bool(_key(line)) or cur.count(line) == 1


class FrameTracker(WaitingLines):
    """The transcript side of a renderer: `frame()` at each frame boundary, `lines()` to collect."""

    screen: TranscriptScreen

    def __init__(self) -> None:
        super().__init__()
        self._out: list[str] = []
        self._blank = True  # last emitted line was blank (or nothing emitted yet)
        self._prev: list[str] = [""] * self.screen.lines
        self._gone: Counter[str] = Counter()  # lines of the last frame that scrolled off since (emitted)
        self._done: Counter[str] = Counter()  # lines emitted while still on screen (before a switch)
        self._appeared: list[str] = []  # lines new on screen at the last frame
        # Scrolls since the last frame, by scroll region top: the k-th one takes off the row the
        # last frame showed at top + k (unless rows moved some other way; `_revised` checks).
        self._shifts: Counter[int] = Counter()
        self._drawn = False  # something was drawn since the last frame
        self._repaint = 0.0  # seconds left in which output is the repaint after a resize (`reflow.py`)

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
        prev, gone = self._prev, self._gone
        shift = self._shifts[top]
        self._shifts[top] = shift + 1
        if not line:
            return
        if gone[line] < prev.count(line):
            gone[line] += 1
        elif top + shift < len(prev) and (old := prev[top + shift]) and _revised(old, line) \
                and gone[old] < prev.count(old):
            # The last frame showed this row in an earlier state (a line streamed out in two
            # writes with a pause between, or the first row of a wrapped line cut there): that
            # state left with it, complete, so the next frame must not emit it as a line that left.
            gone[old] += 1

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
        resized = len(old) != rows
        if resized:  # compare against the old rows as they were
            dirty.update(range(rows))
        cur = old[:rows] + [""] * (rows - len(old)) if resized else old[:]
        lo, hi = rows, 0  # rows not dirty are unchanged: what changed lies among the dirty ones
        for y in dirty:
            if 0 <= y < rows:
                text = cur[y] = screen.row(y)
                if resized or text != old[y]:
                    lo, hi = min(lo, y), max(hi, y + 1)
        dirty.clear()
        self._drawn = False
        if self._fresh:
            self._fresh.clear()
        shifts = self._shifts
        if shifts:
            self._shifts = Counter()
        if lo >= hi:  # no row changed
            if not self._gone:
                return
            lo = hi = rows
        if resized:
            self._compare(old, cur, *_span(old, cur), shifts)
        else:
            self._compare(old, cur, lo, hi, hi, shifts)
        if self._gone:
            self._gone = Counter()
        if self._done and not self._done.keys() <= set(cur):  # (all still shown: the usual case)
            self._done = self._done & Counter(cur)
        if self._waiting and self._appeared:
            self._unwait(self._appeared)
        self._prev = cur

    def _compare(self, old: list[str], cur: list[str], lo: int, hi_old: int, hi_cur: int,
                 shifts: Counter[int]) -> None:
        # Only the span between the first and last changed row (lo..hi) can differ; inside it, a
        # diff of the rows tells moved lines (a repaint of shifted content, a live area pushed
        # down) from lines that left and lines edited in place (pairs in a "replace" block).
        a, b = old[lo:hi_old], cur[lo:hi_cur]
        ops: Sequence[tuple[str, int, int, int, int]]
        if (len(a) <= 2 and len(a) == len(b)) or not (set(a) & set(b)) - {""}:
            ops = [("replace", 0, len(a), 0, len(b))]  # nothing moved: rows compare pairwise
        else:
            ops = _opcodes(a, b)
        # Lines of the new screen no old line was matched with: a line that left its place may
        # have moved there out of order.
        appeared = self._appeared = [line for tag, _, _, j1, j2 in ops if tag != "equal" for line in b[j1:j2] if line]
        unmatched: dict[str, int] = {}
        for line in appeared:  # a Counter, without Counter's per-call overhead (few lines, every frame)
            unmatched[line] = unmatched.get(line, 0) + 1
        anchor: str | None = next(filter(None, reversed(old[:lo])), None)
        gone, done = self._gone, self._done
        repaint = Repaint(cur) if self._repaint > 0 else None
        emitted = gap = False
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":  # the loop below, for a block of lines that all stay, in one step
                if not a[i1]:
                    gap = gap or (emitted and anchor is None)
                last = next(filter(None, reversed(a[i1:i2])), None)
                if last is not None:
                    if gap:
                        self._emit("")
                    if i1 == j1 or _sure(last, b):
                        anchor = last
                    else:  # a rule that may be another: the nearest sure line above it, if any
                        anchor = next((line for line in reversed(a[i1:i2]) if line and _sure(line, b)), anchor)
                    gap = False
                continue
            for k in range(i2 - i1):
                line = a[i1 + k]
                if not line:
                    gap = gap or (emitted and anchor is None)
                    continue
                stays: str | None = None
                moved = False
                new = b[j1 + k] if tag == "replace" and k < j2 - j1 else ""
                if gone.get(line, 0) > 0:  # scrolled off, already emitted
                    gone[line] -= 1
                    anchor = None
                elif unmatched.get(line, 0) > 0:  # moved
                    unmatched[line] -= 1
                    stays = line
                    moved = True
                elif done.get(line, 0) > 0:
                    done[line] -= 1
                    self._release(line)
                    anchor = None
                elif new and _revised(line, new):  # edited in place
                    stays = self._move(line, new)
                elif (y := lo + i1 + k) < len(cur) and (same := cur[y]) and same != new and _revised(line, same):
                    # Edited in place too: the diff paired the row with another (blank rows
                    # matched one row off), but the screen shows its new state on the same row.
                    stays = self._move(line, same)
                elif shifts and (grown := _grown(line, lo + i1 + k, cur, shifts, unmatched)):
                    stays = self._move(line, grown)
                elif repaint is not None and repaint.shows(line):
                    pass  # drawn at the old width, still on screen at the new one
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
                    if not moved or _sure(stays, b):
                        anchor = stays
                gap = False

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
        self._repaint = REPAINT_SECONDS
