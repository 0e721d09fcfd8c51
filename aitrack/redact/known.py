"""Redaction of a rendered transcript, knowing the secrets found in the raw bytes behind it.

Rendering breaks what the raw byte stream had whole: the terminal wraps a long key at the right
margin, a TUI draws the end of a token somewhere else with a cursor jump. The rules cannot see a
headless piece of a token on the screen, but the raw projection saw the whole value, so every
piece of the screen that shares an `NGRAM`-character run with a known value is redacted too.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from aitrack.redact import terminal
from aitrack.redact.engine import Hit, Redactor, apply, resolve

NGRAM = 12  # shorter pieces of a random token give little away and would collide with text
_RUN = re.compile(r"[^\s\u2502\u2503\u2551|\"'`,;()<>\[\]{}]{%d,}" % NGRAM)


def raw_secrets(redactor: Redactor, data: bytes) -> list[tuple[str, str]]:
    """(value, rule) of every secret in raw terminal bytes: kept in memory only, never written."""
    raw = terminal.decode(data)
    visible = terminal.visible(raw)
    out = [(visible[h.start:h.end], h.rule) for h in redactor.find(visible)]
    for m in terminal.string_escapes(raw):
        seq = m.group()
        out.extend((seq[h.start:h.end], h.rule) for h in redactor.find(seq))
    return out


def sweep(text: str, known: Iterable[tuple[str, str]]) -> list[Hit]:
    """Spans of `text` made of NGRAM-character runs of a known secret value."""
    grams: dict[str, str] = {}
    for value, rule in known:
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


def redact_rendered(redactor: Redactor, text: str, data: bytes, findings: Counter[str] | None = None) -> str:
    known = raw_secrets(redactor, data)
    cands = redactor.candidates(text) + sweep(text, known)
    return apply(text, resolve(cands), findings)
