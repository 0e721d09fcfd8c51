"""Redaction of a rendered transcript, knowing the secrets found in the raw bytes behind it.

Rendering breaks what the raw byte stream had whole: the terminal wraps a long key at the right
margin, a TUI draws the end of a token somewhere else with a cursor jump. The rules cannot see a
headless piece of a token on the screen, but the raw projection saw the whole value, so every
piece of the screen that shares an `NGRAM`-character run with a known value is redacted too.
"""
from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterable

from aitrack.redact import terminal
from aitrack.redact.engine import Hit, Redactor, apply, resolve

NGRAM = 12  # shorter pieces of a random token give little away and would collide with text
_RUN = re.compile(r"[^\s\u2502\u2503\u2551|\"'`,;()<>\[\]{}]{%d,}" % NGRAM)


WINDOW = 1 << 20  # characters scanned at a time
OVERLAP = 8192  # re-scanned by the next window: longer than any secret (a PEM key is ~3,300)


def raw_secrets(redactor: Redactor, chunks: Iterable[bytes]) -> set[tuple[str, str]]:
    """(value, rule) of every secret in raw terminal bytes: kept in memory only, never written.

    In windows overlapping by OVERLAP, so a session's output.raw of any size needs ~1 MB: every
    secret shorter than the overlap lies whole inside one window."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    found: set[tuple[str, str]] = set()
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        if len(pending) >= WINDOW:
            _collect(redactor, pending, found)
            pending = pending[_overlap_start(pending):]
    _collect(redactor, pending + decoder.decode(b"", True), found)
    return found


def _overlap_start(text: str) -> int:
    """Where the next window starts: OVERLAP or more before the end, at a line start or else at an
    escape sequence, so it never starts inside one (its remnant could hide a token after it)."""
    limit = len(text) - OVERLAP
    for mark, before in (("\n", 1), ("\x1b", 0)):
        at = text.rfind(mark, limit - OVERLAP, limit)
        if at >= 0:
            return at + before
    return limit


def _collect(redactor: Redactor, raw: str, found: set[tuple[str, str]]) -> None:
    visible = terminal.visible(raw)
    found.update((visible[h.start:h.end], h.rule) for h in redactor.find(visible))
    for m in terminal.string_escapes(raw):
        seq = m.group()
        found.update((seq[h.start:h.end], h.rule) for h in redactor.find(seq))


def sweep(text: str, known: Iterable[tuple[str, str]]) -> list[Hit]:
    """Spans of `text` made of NGRAM-character runs of a known secret value."""
    grams: dict[str, str] = {}
    for value, rule in sorted(known):  # the same rule for a shared n-gram, whatever the order
        for i in range(len(value) - NGRAM + 1):
            grams.setdefault(value[i:i + NGRAM], rule)
    if not grams:
        return []
    hits: list[Hit] = []
    for m in _RUN.finditer(text):
        run, base = m.group(), m.start()
        start = end = -1
        rule = ""
        for i in range(len(run) - NGRAM + 1):
            r = grams.get(run[i:i + NGRAM])
            if r is None:
                continue
            if i > end:  # a new covered stretch
                if end >= 0:
                    hits.append(Hit(base + start, base + end, rule, 99))
                start, rule = i, r
            end = i + NGRAM
        if end >= 0:
            hits.append(Hit(base + start, base + end, rule, 99))
    return hits


def redact_rendered(redactor: Redactor, text: str, data: bytes | Iterable[bytes],
                    findings: Counter[str] | None = None) -> str:
    known = raw_secrets(redactor, [data] if isinstance(data, bytes) else data)
    cands = redactor.candidates(text) + sweep(text, known)
    return apply(text, resolve(cands), findings)
