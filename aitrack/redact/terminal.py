"""Redaction of raw terminal bytes, where a TUI may draw a secret in pieces.

Colour changes, cursor moves and erase codes can sit in the middle of a token
(`gh\\x1b[1mp_ab\\x1b[0mcd…`), so the rules run on the *visible* projection of the bytes (escape
sequences taken out) and each hit is mapped back onto the raw span it came from. The raw span is
replaced by the marker followed by the escape sequences that were inside it, so a replay keeps its
colours and cursor position. Secrets inside escape payloads (OSC window titles, OSC 8 hyperlinks)
are redacted in place.

Bytes are decoded as UTF-8 with `surrogateescape`, so bytes that are not UTF-8 survive unchanged.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from aitrack.redact.engine import Hit, Redactor, marker, resolve

# CSI, OSC/DCS/APC/PM/SOS strings (payload line-bound and bounded), two- and three-byte escapes,
# and C0 controls other than \t \n \r (BS, BEL, SO/SI …), which draw nothing.
_ESC = re.compile(
    r"\x1b\[[0-?]{0,64}[ -/]{0,4}[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b\n]{0,8192}(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]{1,3}[0-~]|\x1b[0-~]|\x1b"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]"
)
# A character typed and then erased (the echo of BS: `\b \b`, `\b ESC[K`, `\b ESC[P`, or n BS
# then one `ESC[K`) draws nothing either: `ghp_abcX⌫def…` is the secret `ghp_abcdef…` on screen.
# Up to _ERASE_MAX characters at once; only used when the text has a BS (the plain case stays fast).
_ERASE_MAX = 12
_PRINT = r"[^\x00-\x1f\x7f-\x9f]"
_ONE_ERASE = r"(?:\x08 \x08|\x08\x1b\[0?K|\x08\x1b\[1?P)"
_ERASED = re.compile(rf"(?={_PRINT}{{1,{_ERASE_MAX}}}\x08)(?:" + "|".join(  # the guard: a BS within reach
    rf"{_PRINT}{{{n}}}(?:{_ONE_ERASE}{{{n}}}|\x08{{{n}}}\x1b\[0?K)" for n in range(_ERASE_MAX, 0, -1)) + ")")
_ESC_EDITED = re.compile(_ERASED.pattern + "|" + _ESC.pattern)
_STRING_ESC = re.compile(r"\x1b[\]PX^_][^\x07\x1b\n]{0,8192}(?:\x07|\x1b\\)?")


class Edit(NamedTuple):
    start: int
    end: int
    text: str
    rule: str


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def scan(redactor: Redactor, raw: str) -> tuple[list[tuple[int, int]], list[Edit]]:
    """Candidate spans (for stream hold-back) and the edits to make, both in `raw` coordinates."""
    spans: list[tuple[int, int]] = []
    edits: list[Edit] = []
    shown = visible(raw)
    esc = _pattern(raw)
    cands = redactor.candidates(shown)
    if shown is raw:
        spans.extend((h.start, h.end) for h in cands)
        edits.extend(Edit(h.start, h.end, marker(h.rule), h.rule) for h in resolve(cands))
        return spans, edits
    if cands:
        seg_vis, seg_raw = _segments(raw, esc)
        spans.extend(_to_raw_span(h, seg_vis, seg_raw) for h in cands)
        for h in resolve(cands):
            s, e = _to_raw_span(h, seg_vis, seg_raw)
            kept = "".join(_keep(redactor, m.group()) for m in esc.finditer(raw, s, e))
            edits.append(Edit(s, e, marker(h.rule) + kept, h.rule))
    # Secrets inside escape payloads: an OSC title or hyperlink is invisible but uploaded.
    for m in string_escapes(raw):
        if any(ed.start < m.end() and m.start() < ed.end for ed in edits):
            continue  # inside a visible hit: `_keep` redacted it already
        for h in redactor.find(m.group()):
            spans.append((m.start() + h.start, m.start() + h.end))
            edits.append(Edit(m.start() + h.start, m.start() + h.end, marker(h.rule), h.rule))
    return spans, sorted(edits)


def _keep(redactor: Redactor, seq: str) -> str:
    if _ERASED.fullmatch(seq):
        return ""  # typed and erased inside a secret: part of it, or a typo, never kept
    return redactor.redact_text(seq) if _STRING_ESC.fullmatch(seq) else seq


def _pattern(raw: str) -> re.Pattern[str]:
    return _ESC_EDITED if "\x08" in raw else _ESC


def apply_edits(raw: str, edits: list[Edit], findings: Counter[str] | None = None) -> str:
    parts: list[str] = []
    pos = 0
    for ed in edits:
        parts.append(raw[pos:ed.start])
        parts.append(ed.text)
        pos = ed.end
        if findings is not None:
            findings[ed.rule] += 1
    parts.append(raw[pos:])
    return "".join(parts)


def redact_raw(redactor: Redactor, data: bytes, findings: Counter[str] | None = None) -> bytes:
    raw = decode(data)
    _, edits = scan(redactor, raw)
    return encode(apply_edits(raw, edits, findings)) if edits else data


def visible(raw: str) -> str:
    """What the bytes draw, in order, without escape sequences and invisible controls."""
    return _pattern(raw).sub("", raw) if ("\x1b" in raw or _has_controls(raw)) else raw


def string_escapes(raw: str) -> Iterator[re.Match[str]]:
    """OSC/DCS/APC/PM/SOS sequences: invisible payloads (titles, hyperlinks) that are uploaded."""
    return _STRING_ESC.finditer(raw) if "\x1b" in raw else iter(())


def _has_controls(raw: str) -> bool:
    return any(c in raw for c in "\x08\x07\x7f\x00\x0e\x0f")


def _segments(raw: str, esc: re.Pattern[str]) -> tuple[list[int], list[int]]:
    """Start of each visible run, in visible and in raw coordinates."""
    seg_vis: list[int] = []
    seg_raw: list[int] = []
    pos = v = 0
    for m in esc.finditer(raw):
        if m.start() > pos:
            seg_vis.append(v)
            seg_raw.append(pos)
            v += m.start() - pos
        pos = m.end()
    if pos < len(raw):
        seg_vis.append(v)
        seg_raw.append(pos)
    return seg_vis, seg_raw


def _to_raw(vi: int, seg_vis: list[int], seg_raw: list[int]) -> int:
    k = bisect.bisect_right(seg_vis, vi) - 1
    return seg_raw[k] + (vi - seg_vis[k])


def _to_raw_span(h: Hit, seg_vis: list[int], seg_raw: list[int]) -> tuple[int, int]:
    return _to_raw(h.start, seg_vis, seg_raw), _to_raw(h.end - 1, seg_vis, seg_raw) + 1
