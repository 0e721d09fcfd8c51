"""The redactor: compiled rules, candidate search, overlap resolution, replacement.

Candidates from every rule are collected on the original text, then resolved highest priority
first (a named format beats a generic assignment), so the result never depends on rule order and
a second pass finds nothing new (redaction is idempotent).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from aitrack.errors import AitrackError
from aitrack.redact import assign
from aitrack.redact import values as V
from aitrack.redact.rules import RULES, Rule

_NAME = re.compile(r"[a-z][a-z0-9_]{0,48}\Z")


class Hit(NamedTuple):
    start: int
    end: int
    rule: str
    priority: int


def marker(rule: str) -> str:
    return f"[REDACTED:{rule}]"


class _Compiled(NamedTuple):
    rule: Rule
    rx: re.Pattern[str]
    wrap: re.Pattern[str] | None
    has_s: bool


class Redactor:
    """Redacts text with the built-in rules plus a team's `extra_patterns`, except `allow`ed values."""

    def __init__(self, extra_patterns: Sequence[dict[str, Any]] = (), allow: Iterable[str] = ()) -> None:
        rules = list(RULES) + [_extra_rule(p) for p in extra_patterns]
        self._rules = [
            _Compiled(r, re.compile(r.pattern), re.compile(r.wrap) if r.wrap else None, "(?P<s>" in r.pattern)
            for r in rules
        ]
        self._allow_exact = frozenset(allow)
        compiled = [_compile_allow(a) for a in self._allow_exact]
        self._allow_rx = [rx for rx in compiled if rx is not None]

    def allowed(self, value: str) -> bool:
        return value in self._allow_exact or any(rx.fullmatch(value) for rx in self._allow_rx)

    def candidates(self, text: str) -> list[Hit]:
        """Every span some rule would replace, before overlaps are resolved."""
        out: list[Hit] = []
        lowered: str | None = None
        for c in self._rules:
            kws = c.rule.keywords
            hay = text
            if c.rule.fold and kws:
                lowered = text.lower() if lowered is None else lowered
                hay = lowered
            # Seeding from the keywords needs positions that mean the same in `hay` and `text`
            # (str.lower can change the length of a few non-ASCII characters).
            if kws and c.rule.anchored and len(hay) == len(text):
                seeds = _seeds(hay, kws, c.rule.back, c.rule.back_max)
                if seeds:
                    self._match(c, text, out, seeds)
            elif not kws or any(k in hay for k in kws):  # the cheap prefilter
                self._match(c, text, out, None)
        spans = [(h.start, h.end) for h in out]
        out.extend(Hit(*h) for h in assign.find(text, self.allowed, lowered, spans))
        return out

    def _match(self, c: _Compiled, text: str, out: list[Hit], seeds: list[int] | None) -> None:
        check = V.CHECKS[c.rule.check] if c.rule.check else None
        for m in _iter(c.rx, text, seeds):
            s, e = m.span("s") if c.has_s else m.span()
            value = text[s:e]
            if V.has_marker(m.group()) or self.allowed(value) or self.allowed(m.group()):
                continue
            if check is not None and not check(value):
                continue
            out.append(Hit(s, e, c.rule.name, c.rule.priority))
        if c.wrap is None:
            return
        for m in _iter(c.wrap, text, seeds):
            a, b = m.group("a"), m.group("b")
            if len(a) + len(b) != c.rule.full_len or self.allowed(a + b):
                continue
            if check is not None and not check(a + b):
                continue
            out.append(Hit(m.start("a"), m.end("a"), c.rule.name, c.rule.priority))
            out.append(Hit(m.start("b"), m.end("b"), c.rule.name, c.rule.priority))

    def find(self, text: str) -> list[Hit]:
        """The spans to replace, non-overlapping, in text order."""
        return resolve(self.candidates(text))

    def redact_text(self, text: str, findings: Counter[str] | None = None) -> str:
        return apply(text, self.find(text), findings)


def _seeds(hay: str, keywords: tuple[str, ...], back: str, back_max: int) -> list[int]:
    """Where a match can start: each keyword position (a C-speed `find` loop instead of a regex
    scan), moved back over up to `back_max` characters of `back` when the rule allows that."""
    out: list[int] = []
    for k in keywords:
        i = hay.find(k)
        while i >= 0:
            out.append(_back(hay, i, back, back_max) if back else i)
            i = hay.find(k, i + 1)
    out.sort()
    return out


def _back(hay: str, i: int, back: str, back_max: int) -> int:
    j = i
    while j > 0 and hay[j - 1] in back and i - j <= back_max:
        j -= 1
    return j


def _iter(rx: re.Pattern[str], text: str, seeds: list[int] | None) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)`, tried only at `seeds` when the rule's matches start at a keyword."""
    if seeds is None:
        yield from rx.finditer(text)
        return
    end = 0
    for p in seeds:
        if p < end:
            continue
        m = rx.match(text, p)
        if m is not None:
            end = max(m.end(), p + 1)
            yield m


def resolve(cands: list[Hit]) -> list[Hit]:
    """Non-overlapping spans: where candidates overlap, the highest priority (then earliest, then
    longest) wins the shared part.

    Candidates only compete inside a cluster of overlapping spans, so the sweep stays linear in
    the number of candidates for the usual case of none or few overlaps.
    """
    if len(cands) < 2:
        return list(cands)
    ordered = sorted(cands, key=lambda h: (h.start, h.start - h.end))
    kept: list[Hit] = []
    cluster = [ordered[0]]
    reach = ordered[0].end
    for h in ordered[1:]:
        if h.start < reach:
            cluster.append(h)
            reach = max(reach, h.end)
            continue
        kept.extend(_pick(cluster))
        cluster, reach = [h], h.end
    kept.extend(_pick(cluster))
    return kept


def _pick(cluster: list[Hit]) -> list[Hit]:
    """Highest priority first; a loser keeps what sticks out of the winners, because that part is
    still the secret it matched (`Bearer <token>` glued to a key block must not leave `<token>`)."""
    if len(cluster) == 1:
        return cluster
    chosen: list[Hit] = []
    for h in sorted(cluster, key=lambda h: (-h.priority, h.start, h.start - h.end)):
        pieces = [(h.start, h.end)]
        for c in chosen:
            pieces = [p for a, b in pieces for p in ((a, min(b, c.start)), (max(a, c.end), b)) if p[0] < p[1]]
        chosen.extend(Hit(a, b, h.rule, h.priority) for a, b in pieces)
    return sorted(chosen)


def apply(text: str, hits: Sequence[Hit], findings: Counter[str] | None = None) -> str:
    if not hits:
        return text
    parts: list[str] = []
    pos = 0
    for h in hits:
        parts.append(text[pos:h.start])
        parts.append(marker(h.rule))
        pos = h.end
        if findings is not None:
            findings[h.rule] += 1
    parts.append(text[pos:])
    return "".join(parts)


def _extra_rule(spec: Any) -> Rule:
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not isinstance(spec.get("pattern"), str):
        raise AitrackError(f"redact.extra_patterns: each entry needs a string name and pattern, got {spec!r}")
    name, pattern = spec["name"], spec["pattern"]
    if not _NAME.match(name):
        raise AitrackError(f"redact.extra_patterns: name {name!r} must be lowercase letters, digits and _")
    try:
        rx = re.compile(pattern)
    except re.error as exc:
        raise AitrackError(f"redact.extra_patterns: pattern of {name!r} does not compile: {exc}") from exc
    if rx.match(""):
        raise AitrackError(f"redact.extra_patterns: pattern of {name!r} matches the empty string")
    return Rule(name, pattern, (), priority=97)


def _compile_allow(entry: str) -> re.Pattern[str] | None:
    if not isinstance(entry, str):
        raise AitrackError(f"redact.allow: entries must be strings, got {entry!r}")
    try:
        return re.compile(entry)
    except re.error:
        return None  # not a regex: used as an exact string only
