"""Runs as the store would list them, built from the local records (session.json) alone: the
answer of `sessions`, `export`, `compare` and `report` when the tracking server does not answer.
No mlflow import; the filter is evaluated by `localsearch` on the same tags/params/metrics."""
from __future__ import annotations

import json
from typing import Any

from aitrack.ingest import spool
from aitrack.paths import sessions_dir
from aitrack.store import localsearch, mapping


def local_rows(filter_string: str, limit: int, since_epoch: float | None = None,
               newest_first: bool = True) -> list[dict[str, Any]]:
    clauses = localsearch.parse_filter(filter_string)
    rows: list[dict[str, Any]] = []
    root = sessions_dir()
    for folder in sorted(root.iterdir(), reverse=newest_first) if root.is_dir() else []:
        try:
            with open(folder / "session.json", encoding="utf-8") as fh:
                record = json.load(fh)
        except (OSError, ValueError):
            continue  # not ingested locally yet: nothing to filter on
        if not isinstance(record, dict) or not localsearch.matches(record, clauses):
            continue
        run = spool.read_run(folder) or {}
        meta = record.get("meta") or {}
        start = meta.get("started_at_epoch") or 0
        if since_epoch is not None and start < since_epoch:
            continue
        rows.append({
            "session_id": record.get("session_id"), "run_id": run.get("run_id"),
            "run_name": mapping.run_name(record), "status": mapping.status(record),
            "provider": record.get("provider"), "start_time": start, "end_time": meta.get("ended_at_epoch"),
            "tags": mapping.tags(record), "params": mapping.params(record), "metrics": mapping.metrics(record),
            "url": run.get("run_url"), "experiment_id": run.get("experiment_id"),
        })
        if len(rows) >= limit:
            break
    return rows
