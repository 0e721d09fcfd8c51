"""MLflow-style filters over local session records, for `aitrack sessions` when the store is down.

Pure. Understands what the seed's searches use — `AND`-joined comparisons on `tags.`, `params.`,
`metrics.` and `attributes.` keys (backtick-quoted keys too) with `= != > >= < <= LIKE ILIKE` —
and evaluates them on the same tags/params/metrics a run of that record would carry.
"""
from __future__ import annotations

import re
from typing import Any

from aitrack.errors import AitrackError
from aitrack.sessionrecord import SessionRecord
from aitrack.store import mapping

_CLAUSE = re.compile(
    r"""\s*(?P<kind>tags|tag|params|param|metrics|metric|attributes|attribute|attr|run)\.
        (?:`(?P<qkey>[^`]+)`|"(?P<dkey>[^"]+)"|(?P<key>[\w.\-/:]+))
        \s*(?P<op>!=|>=|<=|=|>|<|\bNOT\s+LIKE\b|\bNOT\s+ILIKE\b|\bLIKE\b|\bILIKE\b)\s*
        (?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*""",
    re.X | re.I,
)
_AND = re.compile(r"\s+AND\s+", re.I)


def parse_filter(text: str) -> list[tuple[str, str, str, str | float]]:
    """`metrics.success = 1 AND tags.provider = "claude_code"` → [(kind, key, op, value), …]."""
    if not text.strip():
        return []
    out = []
    for part in _split_and(text):
        m = _CLAUSE.fullmatch(part)
        if not m:
            raise AitrackError(f"cannot read filter clause {part.strip()!r} (use e.g. tags.provider = \"claude_code\")")
        kind = {"tag": "tags", "param": "params", "metric": "metrics", "attribute": "attributes",
                "attr": "attributes", "run": "attributes"}.get(m["kind"].lower(), m["kind"].lower())
        raw = m["value"]
        value: str | float = raw[1:-1].encode().decode("unicode_escape") if raw[0] in "\"'" else float(raw)
        out.append((kind, m["qkey"] or m["dkey"] or m["key"], " ".join(m["op"].upper().split()), value))
    return out


def _split_and(text: str) -> list[str]:
    # Split on AND outside quotes only: a prompt may well say "this and that".
    parts, current, quote = [], [], ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            current.append(ch)
            if ch == "\\" and i + 1 < len(text):
                current.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
            current.append(ch)
        else:
            m = _AND.match(text, i)
            if m:
                parts.append("".join(current))
                current = []
                i = m.end()
                continue
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def fields_of(record: SessionRecord) -> dict[str, dict[str, Any]]:
    meta = record.meta
    return {
        "tags": mapping.tags(record), "params": mapping.params(record), "metrics": mapping.metrics(record),
        "attributes": {
            "run_name": mapping.run_name(record), "status": mapping.run_status(record),
            "start_time": float(meta.started_at_epoch or 0) * 1000,
            "end_time": float(meta.ended_at_epoch or 0) * 1000,
        },
    }


def matches(record: SessionRecord, clauses: list[tuple[str, str, str, str | float]]) -> bool:
    data = fields_of(record)
    for kind, key, op, want in clauses:
        have = data.get(kind, {}).get(key)
        if have is None or not _compare(have, op, want):
            return False
    return True


def _compare(have: Any, op: str, want: str | float) -> bool:
    if isinstance(want, float):
        try:
            number = float(have)
        except (TypeError, ValueError):
            return False
        return {"=": number == want, "!=": number != want, ">": number > want, ">=": number >= want,
                "<": number < want, "<=": number <= want}.get(op, False)
    text = str(have)
    if op in ("LIKE", "ILIKE", "NOT LIKE", "NOT ILIKE"):
        flags = re.I if "ILIKE" in op else 0
        pattern = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in want)
        found = re.fullmatch(pattern, text, flags | re.S) is not None
        return not found if op.startswith("NOT") else found
    return {"=": text == want, "!=": text != want, ">": text > want, ">=": text >= want,
            "<": text < want, "<=": text <= want}.get(op, False)
