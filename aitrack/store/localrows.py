"""Run rows from the local session records, the same shape as MlflowStore.search/search_all give.

With the embedded store every run there was logged from a session folder on this machine, whose
session.json holds what the run holds (mapping.py turns it into the same tags, params, metrics):
`sessions` and `report` read those instead of importing mlflow (~2–4 s) to ask SQLite. A tracking
server holds teammates' runs too, so there the store is asked. No mlflow import here.
"""
from __future__ import annotations

import json
import os
from typing import Any

from aitrack.errors import AitrackError
from aitrack.paths import sessions_dir
from aitrack.sessionrecord import SessionRecord, read_record
from aitrack.store import localsearch, mapping


def local_suffices() -> bool:
    """True when runs live in aitrack's embedded store (and local records can answer for it)."""
    if os.environ.get("AITRACK_LOCAL_ROWS") == "0":  # force the store (benchmarks, debugging)
        return False
    from aitrack.store.uri import resolve

    try:
        return resolve().embedded
    except AitrackError:
        return False


def _records() -> list[tuple[SessionRecord, dict[str, Any]]]:
    """(record, run.json) of each session through the local stage (no record: nothing a run would hold)."""
    from aitrack.sessiondir import RECORD, read_run

    out = []
    root = sessions_dir()
    for folder in root.iterdir() if root.is_dir() else []:
        record = read_record(str(folder / RECORD))
        if record is not None:
            out.append((record, read_run(folder) or {}))
    return out


def _row(record: SessionRecord, run: dict[str, Any], base_url: str) -> dict[str, Any]:
    meta = record.meta
    exp, rid = run.get("experiment_id"), run.get("run_id")
    return {
        "session_id": record.session_id, "run_id": rid, "run_name": mapping.run_name(record),
        "status": mapping.status(record), "provider": record.provider,
        "start_time": float(meta.started_at_epoch or 0), "params": mapping.params(record),
        "metrics": mapping.metrics(record),
        # The UI's port now, like `show` (the URL stored at ingest named the port of that moment).
        "url": f"{base_url}/#/experiments/{exp}/runs/{rid}" if exp and rid else None,
    }


def search(filter_string: str = "", limit: int = 50, *, all_runs: bool = False,
           since_epoch: float | None = None) -> list[dict[str, Any]]:
    """Rows matching an MLflow filter, newest first (`all_runs`: sessions and procedures, oldest
    first, with tags, like search_all). A filter this cannot evaluate raises AitrackError."""
    from aitrack.store.server import ui_base_url

    clauses = localsearch.parse_filter(filter_string)
    plain = filter_string.replace("`", "")
    if not all_runs and "tags.type" not in plain and "procedure_name" not in plain:
        clauses.append(("tags", "type", "=", "ai_session"))  # as MlflowStore.search
    base = ui_base_url()
    rows = []
    for record, run in _records():
        meta = record.meta
        if since_epoch is not None and float(meta.started_at_epoch or 0) < since_epoch:
            continue
        if not localsearch.matches(record, clauses):
            continue
        row = _row(record, run, base)
        if all_runs:
            row.update(tags=mapping.tags(record), experiment_id=run.get("experiment_id"),
                       end_time=meta.ended_at_epoch, run_status=mapping.run_status(record))
        rows.append(row)
    rows.sort(key=lambda r: r["start_time"], reverse=not all_runs)
    return rows if all_runs else rows[:limit]
