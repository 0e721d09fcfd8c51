"""After a resize, the tool repaints what it showed at the new width: the same lines, wrapped
and boxed differently. The old width's rows that leave then are not new content.

A row that left is the same content as what is on screen now when its words (box-drawing
characters and runs of spaces aside) are a run of the words on screen, read row after row (a
command wrapped over two rows at 80 columns is one row at 120, and the reverse; a row cut at the
new right margin ends anywhere), or, for a border
or rule without letters, when a row of the same glyphs is on screen (`╭────╮` at either width).
"""
from __future__ import annotations

import re

# How long after a resize the output is its repaint: the captures' tools repaint within 0.1 s
# (Claude Code 0.04, Codex 0.08, Gemini CLI 0.11); a dialog closed a second later is not one.
REPAINT_SECONDS = 0.25
_BOX = re.compile("[\u2500-\u257f]+")
_LETTER = re.compile(r"[^\W\d_]")


def _squeeze(text: str) -> str:
    return " ".join(_BOX.sub(" ", text).split())


class Repaint:
    """The screen after a resize, asked about each row that left it."""

    def __init__(self, rows: list[str]) -> None:
        self.rows = rows
        self._flat: str | None = None
        self._glyphs: set[tuple[str, frozenset[str]]] | None = None

    def shows(self, line: str) -> bool:
        text = line.strip()
        if not text:
            return False
        if _LETTER.search(text) is None:
            if self._glyphs is None:
                self._glyphs = {(r[:1], frozenset(r) - {" "}) for r in map(str.strip, self.rows) if r}
            return (text[:1], frozenset(text) - {" "}) in self._glyphs
        if self._flat is None:
            self._flat = " " + " ".join(filter(None, map(_squeeze, self.rows))) + " "
        words = _squeeze(text)
        # (no space required after it: narrowing cut the row at the new right margin)
        return bool(words) and f" {words}" in self._flat
