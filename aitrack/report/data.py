"""Runs as plain rows (from the store's `search_all`), grouping and summary statistics."""
from __future__ import annotations

import re
import statistics
import time
from typing import Any

from aitrack.errors import AitrackError

_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
BY = ("provider", "model", "procedure", "repo", "type")
NONE = "—"


def parse_since(text: str | None, now: float | None = None) -> float | None:
    """`30d` → the epoch 30 days ago; None → None."""
    if not text:
        return None
    m = _SPAN.match(text)
    if not m:
        raise AitrackError(f"--since {text!r}: use a number and a unit, e.g. 30d, 12h, 2w, 90m")
    return (time.time() if now is None else now) - float(m[1]) * _UNIT[m[2]]


def load_runs(filter_string: str = "", since: str | None = None, local_first: bool = False) -> list[dict[str, Any]]:
    """Every run of aitrack's experiment (sessions and procedures), oldest first. `local_first`:
    from the local records when they answer for the store (the embedded one), without mlflow."""
    if local_first:
        from aitrack.store import localrows

        if localrows.local_suffices():
            try:
                return localrows.search(filter_string, all_runs=True, since_epoch=parse_since(since))
            except AitrackError:
                pass  # a filter only MLflow understands
    from aitrack.store.mlflow_store import MlflowStore, StoreUnavailable, is_unavailable

    since_epoch = parse_since(since)
    try:
        return MlflowStore(read_only=True).search_all(filter_string, since_epoch=since_epoch)
    except Exception as exc:
        if not isinstance(exc, StoreUnavailable) and not is_unavailable(exc):
            raise
        from aitrack import output
        from aitrack.store.localrows import search

        output.err(f"store unreachable ({str(exc).splitlines()[0][:200]}); using local records")
        return search(filter_string, all_runs=True, since_epoch=since_epoch)


def group_of(row: dict[str, Any], by: str) -> str:
    tags, params = row.get("tags") or {}, row.get("params") or {}
    if by == "provider":
        value = tags.get("provider")
    elif by == "model":
        value = (tags.get("model") or "").split(",")[0]
    elif by == "procedure":
        value = params.get("procedure_name")
    elif by == "repo":
        value = tags.get("git.repo")
    elif by == "type":
        value = tags.get("type")
    else:
        raise AitrackError(f"--by {by!r}: use one of {', '.join(BY)}")
    return str(value) if value else NONE


def issues_of(row: dict[str, Any]) -> list[str]:
    """The issue numbers of a run's `issues` tag, `77:commit,12:prompt+argument` (mapping.issues_tag)."""
    text = str((row.get("tags") or {}).get("issues") or "")
    return [n for n in (item.split(":", 1)[0].strip() for item in text.split(",")) if n]


def metric(row: dict[str, Any], key: str) -> float | None:
    value = (row.get("metrics") or {}).get(key)
    return float(value) if isinstance(value, (int, float)) else None


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """sessions, success rate, median duration, commands, errors, tokens, commits per session."""
    def total(key: str) -> float:
        return sum(metric(r, key) or 0.0 for r in rows)

    successes = [metric(r, "success") for r in rows]
    known = [s for s in successes if s is not None]
    durations = [d for d in (metric(r, "duration_seconds") for r in rows) if d is not None]
    tokens = [t for t in (_tokens(r) for r in rows) if t is not None]
    costs = [c for c in (metric(r, "cost_usd") for r in rows) if c is not None]
    return {
        "sessions": len(rows),
        "success_rate": sum(known) / len(known) if known else None,
        "median_duration": statistics.median(durations) if durations else None,
        "commands": total("commands_executed"),
        "errors": total("errors_encountered"),
        "tokens": sum(tokens) if tokens else None,
        "cost_usd": sum(costs) if costs else None,  # API list price of the priced sessions
        "commits_per_session": total("commits") / len(rows) if rows else 0.0,
    }


def _tokens(row: dict[str, Any]) -> float | None:
    total = metric(row, "total_tokens")
    if total is not None:
        return total
    parts = [metric(row, k) for k in ("input_tokens", "output_tokens")]
    return sum(p for p in parts if p is not None) if any(p is not None for p in parts) else None


def grouped(rows: list[dict[str, Any]], by: str) -> list[tuple[str, dict[str, Any]]]:
    """[(group, summary)] largest group first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(group_of(row, by), []).append(row)
    out = [(name, summarize(members)) for name, members in groups.items()]
    return sorted(out, key=lambda item: (-item[1]["sessions"], item[0]))


def tokens_of(row: dict[str, Any]) -> float | None:
    return _tokens(row)
