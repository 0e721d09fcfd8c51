"""Small pure helpers on untrusted values: cap text, flatten tool output, read timestamps."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

OUTPUT_CHARS = 2000
INPUT_CHARS = 2000


def cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"… [{len(text) - limit} more chars]"


def cap_obj(value: Any, depth: int = 0) -> Any:
    """A tool input small enough to keep: long strings cut, deep/long structures elided."""
    if depth == 0 and isinstance(value, (dict, list)):
        try:  # most inputs are small: measuring in C is cheaper than walking them in Python
            if len(json.dumps(value, ensure_ascii=False, default=str)) <= INPUT_CHARS:
                return value
        except (ValueError, TypeError, RecursionError):
            pass
    if isinstance(value, str):
        return cap(value, INPUT_CHARS)
    if depth > 5:
        return "…"
    if isinstance(value, dict):
        items = list(value.items())
        out = {str(k): cap_obj(v, depth + 1) for k, v in items[:50]}
        if len(items) > 50:
            out["…"] = f"{len(items) - 50} more keys"
        return out
    if isinstance(value, list):
        return [cap_obj(v, depth + 1) for v in value[:50]] + ([f"… {len(value) - 50} more"] if len(value) > 50 else [])
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return cap(str(value), INPUT_CHARS)


def text_of(value: Any) -> str:
    """Flatten the many shapes of tool output (string, content blocks, dicts) into plain text."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(t for t in (text_of(v) for v in value[:200]) if t)
    if isinstance(value, dict):
        for key in ("text", "output", "content", "stdout", "error", "message"):
            if key in value:
                return text_of(value[key])
        return ""
    return "" if value is None else str(value)


def is_time(value: Any) -> bool:
    # Cheap shape check; fixtures carry placeholders such as "[trimmed for fixture]".
    return isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] in ("T", " ")


def parse_time(value: Any, *, naive: bool = False) -> datetime | None:
    """An ISO 8601 time (`2026-11-27T03:19:59.123Z`, `+00:00`, …) — aitrack's one time parser; None
    for anything else. A time without a zone is ambiguous and None too, unless `naive` (then it is
    read as local time, as the agent that wrote it meant)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo or naive else None


def epoch(value: Any, *, naive: bool = False) -> float | None:
    """`parse_time` as seconds since the epoch."""
    when = parse_time(value, naive=naive)
    return when.timestamp() if when is not None else None


def duration(start: str | None, end: str | None) -> float | None:
    a, b = parse_time(start), parse_time(end)
    if a is None or b is None:
        return None
    return max(0.0, (b - a).total_seconds())
