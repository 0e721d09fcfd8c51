"""The cost of a session record (session.json): priced at ingest, then read by show, sessions,
the MLflow run (metric `cost_usd`) and `aitrack cost` without pricing again."""
from __future__ import annotations

from typing import Any

from aitrack.parse.record import Usage


def usage_of(usage: object) -> list[Usage]:
    """A record's `usage` (a list of JSON objects) as parse's Usage; anything else is none."""
    fields = Usage.__dataclass_fields__
    rows = usage if isinstance(usage, list) else []
    return [Usage(**{k: v for k, v in u.items() if k in fields}) for u in rows if isinstance(u, dict)]


def add_cost(record: dict[str, Any], warnings: list[str]) -> None:
    """Set record["cost"] and the metrics `cost_usd` and `total_input_tokens` (cache included)."""
    usage = usage_of(record.get("usage"))
    metrics = record.setdefault("metrics", {})
    if usage:
        metrics["total_input_tokens"] = sum(u.input_tokens + u.cache_read_tokens + u.cache_write_tokens for u in usage)
    if not usage and record.get("reported_cost_usd") is None:
        return
    from aitrack.cost.price import price_session
    from aitrack.errors import AitrackError

    try:
        cost = price_session(usage, record.get("provider"), record.get("started_at"), record.get("reported_cost_usd"))
    except (AitrackError, ImportError, ValueError, ArithmeticError) as exc:  # the session is kept unpriced
        warnings.append(f"pricing failed: {exc}")
        return
    record["cost"] = cost
    if cost["usd"] is not None:
        metrics["cost_usd"] = cost["usd"]


def rollup_row(record: dict[str, Any]) -> dict[str, Any]:
    """What `aitrack cost --by …` groups on, one small JSON object a session."""
    meta = record.get("meta") or {}
    cost = record.get("cost") or {}
    return {
        "session_id": record.get("session_id"),
        "started_at": record.get("started_at") or meta.get("started_at"),
        "started_at_epoch": meta.get("started_at_epoch"),
        "provider": record.get("provider"),
        "repo": meta.get("git_root") or next((c.get("repo") for c in record.get("commits") or [] if c.get("repo")), None),
        "branch": record.get("git_branch") or meta.get("git_branch"),
        "issues": list(record.get("issue_numbers") or []),
        "commits": [str(c.get("sha")) for c in record.get("commits") or [] if c.get("sha")],
        "usd": cost.get("usd"),
        "reported_usd": cost.get("reported_usd"),
        "unpriced": cost.get("unpriced") or [],
        "by_model": {m: row.get("usd") for m, row in (cost.get("by_model") or {}).items()},
        "total_input_tokens": (record.get("metrics") or {}).get("total_input_tokens"),
        "output_tokens": (record.get("metrics") or {}).get("output_tokens"),
    }
