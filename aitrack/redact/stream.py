"""Redaction of a stream fed in chunks, with the same result as redacting the whole at once.

Every rule is line-bound except PEM key blocks and tokens wrapped onto the next line, so the
redactor emits whole lines only and always holds back the last complete line; if a candidate
crosses the cut, the cut moves back to the start of that candidate's line. Lines without an end
(a TUI that never prints a newline) are flushed once more than `max_pending` characters wait; only
then can a secret split by the flush point escape a whole-text match.
"""
from __future__ import annotations

import codecs
from collections import Counter

from aitrack.redact import terminal
from aitrack.redact.engine import Redactor, marker, resolve
from aitrack.redact.terminal import Edit

_FLUSH_WINDOW = 8192  # a forced flush leaves this much behind, more than any line-bound secret


class StreamRedactor:
    """`feed(chunk)` returns what can be released now, `close()` the rest.

    Text by default; `binary=True` takes and returns bytes of raw terminal output (escape codes
    inside a token are handled as in `redact_bytes`). Counts by rule accumulate in `findings`.
    """

    def __init__(self, redactor: Redactor | None = None, *, binary: bool = False, max_pending: int = 1 << 20) -> None:
        if redactor is None:
            from aitrack.redact import default_redactor

            redactor = default_redactor()
        self._r = redactor
        self._binary = binary
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape") if binary else None
        self._pending = ""
        self._max = max(max_pending, 2 * _FLUSH_WINDOW)
        self.findings: Counter[str] = Counter()

    def feed(self, chunk: str | bytes) -> str | bytes:
        self._pending += self._text(chunk, final=False)
        full = self._pending.rfind("\n") + 1
        cut = self._pending.rfind("\n", 0, max(full - 1, 0)) + 1 if full else 0
        if cut == 0 and len(self._pending) > self._max:
            full = len(self._pending)
            cut = self._forced_cut()
        if cut == 0:
            return self._out("")
        region = self._pending[:full]
        spans, edits = self._scan(region)
        cut = _settle(region, cut, spans)
        out = terminal.apply_edits(region[:cut], [e for e in edits if e.end <= cut], self.findings)
        self._pending = self._pending[cut:]
        return self._out(out)

    def close(self) -> str | bytes:
        self._pending += self._text(b"" if self._binary else "", final=True)
        _, edits = self._scan(self._pending)
        out = terminal.apply_edits(self._pending, edits, self.findings)
        self._pending = ""
        return self._out(out)

    def _scan(self, region: str) -> tuple[list[tuple[int, int]], list[Edit]]:
        if self._binary:
            return terminal.scan(self._r, region)
        cands = self._r.candidates(region)
        edits = [Edit(h.start, h.end, marker(h.rule), h.rule) for h in resolve(cands)]
        return [(h.start, h.end) for h in cands], edits

    def _forced_cut(self) -> int:
        limit = len(self._pending) - _FLUSH_WINDOW
        ws = max(self._pending.rfind(c, 0, limit) for c in " \t\r")
        return ws + 1 if ws > 0 else limit

    def _text(self, chunk: str | bytes, *, final: bool) -> str:
        if self._decoder is not None:
            if not isinstance(chunk, bytes):
                raise TypeError("a binary StreamRedactor takes bytes")
            return self._decoder.decode(chunk, final)
        if not isinstance(chunk, str):
            raise TypeError("a text StreamRedactor takes str (use binary=True for bytes)")
        return chunk

    def _out(self, text: str) -> str | bytes:
        return terminal.encode(text) if self._binary else text


def _settle(region: str, cut: int, spans: list[tuple[int, int]]) -> int:
    """Move `cut` back until no candidate crosses it (a multi-line match stays whole)."""
    moved = True
    while moved and cut > 0:
        moved = False
        for s, e in spans:
            if s < cut < e:
                cut = region.rfind("\n", 0, s) + 1
                moved = True
    return cut
