"""Lines that left the screen from under content still shown, waiting to follow that content.

A live area redrawn below the history (an input box, a spinner, a permission prompt) leaves lines
behind that belong after the history above them, not before it. They wait, keyed by the line
above them (the anchor), and are emitted right after it; one shown again meanwhile (edited in
place counts, by its letters) is dropped, as it is still on screen. So is one that a later state
of itself follows out (a spinner that gained a token count, a footer that gained a column): live
UI redrawn, not content, and the later state holds all its words.
"""
from __future__ import annotations

import re
from collections import Counter

MAX_WAITING = 1000  # beyond this many waiting lines, order gives way to bounded memory
_KEY = re.compile(r"[\W\d_]+")
_WORD = re.compile(r"[^\W\d_]+")
_KEYS: dict[str, str] = {}
_WORDS: dict[str, list[str]] = {}


def _key(line: str) -> str:
    """The letters of a line: what stays the same while a timer ticks or a spinner turns."""
    k = _KEYS.get(line)
    if k is None:
        if len(_KEYS) > 20000:
            _KEYS.clear()
        k = _KEYS[line] = _KEY.sub("", line)
    return k


def _words(line: str) -> list[str]:
    """The words of a line, letters only (as `_key`, with its word boundaries kept)."""
    w = _WORDS.get(line)
    if w is None:
        if len(_WORDS) > 20000:
            _WORDS.clear()
        w = _WORDS[line] = _WORD.findall(line)
    return w


def _grew(old: str, new: str) -> bool:
    """`new` holds every word of `old`, in order, and more: a later state of the same line."""
    a, b = _words(old), _words(new)
    rest = iter(b)
    return len(a) < len(b) and all(word in rest for word in a)  # `in` on an iterator: a subsequence


def _revised(old: str, new: str) -> bool:
    """`new` is `old` edited in place (timer tick, spinner glyph, text being typed or deleted),
    not new content."""
    a, b = _key(old), _key(new)
    if not a:
        if not b:  # lines without letters (progress bars) revise each other when they keep their frame
            if len(old) == len(new) and old[:1] == new[:1]:
                return True
        else:
            # Typing into an empty box: the new line starts like the old one (`│ >` → `│ > fix`).
            head = old.split("  ", 1)[0]
            if len(head.strip()) >= 2 and new.startswith(head):
                return True
    elif a == b or b.startswith(a):
        return True
    return _deleted(old, new)


def _deleted(old: str, new: str) -> bool:
    """`new` is `old` with its end deleted (Backspace): a draft deleted before a real prompt
    leaves nothing. A line of several words cleared at once (a prompt submitted, the box
    emptied) is not an edit: it left."""
    if not new:
        return False
    if len(new) < len(old) and old.startswith(new):
        return len(old[len(new):].split()) <= 1  # a letter or a word went
    # The last letter deleted, the box shows its placeholder (`› p` → `› Ask Codex to …`).
    head = old[:-2]
    return len(old) > 2 and old[-2] == " " and bool(head.strip()) and new.startswith(head) \
        and not new.startswith(old)


def _decrement(counts: Counter[str], key: str) -> None:
    """Count one less, dropping a count that reaches zero (`_unwait` tests membership only)."""
    if counts[key] > 1:
        counts[key] -= 1
    else:
        counts.pop(key, None)


class WaitingLines:
    def __init__(self) -> None:
        self._after: dict[str, list[tuple[str, bool]]] = {}  # line on screen → (line, sticky) under it
        self._waiting = 0
        self._wl: Counter[str] = Counter()  # how often each line is waiting
        self._wk: Counter[str] = Counter()  # and each line's key
        self._wf: dict[str, dict[str, int]] = {}  # and the lines with a key by first word (`_drop_earlier`)
        self._fresh: set[str] = set()  # lines that left in this frame (`FrameTracker.frame` empties it)

    def _emit(self, line: str) -> None:
        raise NotImplementedError

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
                first = (_WORDS.get(line) or _words(line))[0]
                wf = self._wf
                same = wf.get(first)
                if same is not None and (len(same) > 1 or line not in same):  # others to compare with
                    self._drop_earlier(line, same)
                    same = wf.get(first)  # (gone if that emptied it)
                if same is None:
                    wf[first] = {line: 1}
                else:
                    same[line] = same.get(line, 0) + 1
                self._fresh.add(line)
        if self._waiting > MAX_WAITING:  # bounded memory: give up exact order, emit them now
            self.release_all()

    def _drop_earlier(self, line: str, same: dict[str, int]) -> None:
        """`line` left the live area: an earlier state of it still waiting (same first word, fewer
        words, all in `line`; left in an earlier frame, as two states of one line are never on
        screen together) was that live line before it was redrawn, and goes."""
        fresh = self._fresh
        for old in same:
            if old not in fresh and _grew(old, line):
                break
        else:
            return
        for anchor, waiting in self._after.items():
            if (old, False) in waiting:
                waiting.remove((old, False))
                if not waiting:
                    del self._after[anchor]
                self._forget(old, False)
                self._move(old, line)  # what waited for the earlier state follows the later one
                return

    def _unwait(self, cur: list[str]) -> None:
        """A waiting line shown again (in `cur`, the lines new on screen) is the same line back on
        screen: keep the later one only. "Again" includes edited in place (a spinner pushed down by
        new output, its timer ticking)."""
        wk, wl = self._wk, self._wl  # (they hold no zero counts: see `_forget`)
        if wl.keys().isdisjoint(cur) and wk.keys().isdisjoint(map(_key, cur)):
            return  # the usual case: none of them is waiting
        back = Counter(k for k in map(_key, cur) if k and wk.get(k, 0) > 0)
        back_lines = Counter(line for line in cur if line and wl.get(line, 0) > 0)
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
        _decrement(self._wl, line)
        k = _key(line)
        if k:
            _decrement(self._wk, k)
            first = (_WORDS.get(line) or _words(line))[0]
            same = self._wf[first]
            if same[line] > 1:
                same[line] -= 1
            elif len(same) > 1:
                del same[line]
            else:
                del self._wf[first]

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
        self._wl, self._wk, self._wf = Counter(), Counter(), {}
        self._fresh.clear()
        for waiting in after.values():
            for w, _ in waiting:
                self._emit(w)
