"""One flat row per run — ids, provider, times, then every param and metric under its own name
(`duration_seconds`, `issue_number`) — written as CSV or JSON lines."""
from __future__ import annotations

import csv
import io
import json
import time
from typing import IO, Any

from aitrack.termsafe import csv_cell

BASE = ("run_id", "session_id", "experiment_id", "run_name", "type", "provider", "status", "start_time",
        "end_time", "model", "git_repo", "git_branch", "git_commits", "issues", "alert", "run_url", "cost_unpriced")
_TAGS = {"type": "type", "model": "model", "git_repo": "git.repo", "git_branch": "git.branch",
         "git_commits": "git.commits", "issues": "issues", "alert": "alert", "cost_unpriced": "cost.unpriced"}


def iso(epoch: float | None) -> str | None:
    if not epoch:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch * 1000) % 1000:03d}Z"


def flatten(run: dict[str, Any]) -> dict[str, Any]:
    tags = run.get("tags") or {}
    row: dict[str, Any] = {
        "run_id": run.get("run_id"), "session_id": run.get("session_id"), "experiment_id": run.get("experiment_id"),
        "run_name": run.get("run_name"), "provider": run.get("provider"), "status": run.get("status"),
        "start_time": iso(run.get("start_time")), "end_time": iso(run.get("end_time")), "run_url": run.get("url"),
    }
    row.update({col: tags.get(tag) for col, tag in _TAGS.items()})
    for key, value in sorted((run.get("params") or {}).items()):
        row[key if key not in row else f"param.{key}"] = value
    for key, value in sorted((run.get("metrics") or {}).items()):
        row[key if key not in row else f"metric.{key}"] = value
    return row


def columns(rows: list[dict[str, Any]]) -> list[str]:
    """The base columns, then params and metrics as they first appear (each run's sorted)."""
    seen = dict.fromkeys(BASE)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def write_csv(runs: list[dict[str, Any]], fh: IO[str]) -> int:
    rows = [flatten(r) for r in runs]
    names = columns(rows)
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow([csv_cell(n) for n in names])  # param names come from the server too
    for row in rows:
        writer.writerow([_cell(row.get(n)) for n in names])
    return len(rows)


def write_jsonl(runs: list[dict[str, Any]], fh: IO[str]) -> int:
    for run in runs:
        fh.write(json.dumps(flatten(run), sort_keys=False, default=str) + "\n")
    return len(runs)


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # `3` not `3.0` in a spreadsheet
    if isinstance(value, (int, float)):
        return value  # a negative number is a number, not a formula
    # Untrusted text (prompts, run names): no escape sequences, no `=HYPERLINK(…)` formula.
    return "" if value is None else csv_cell(str(value))


def to_text(runs: list[dict[str, Any]], fmt: str) -> str:
    buf = io.StringIO()
    (write_csv if fmt == "csv" else write_jsonl)(runs, buf)
    return buf.getvalue()
