"""Ingest side: a session folder's procedure files → fields of its record (session.json).

Called by the local stage (aitrack/ingest/local.py) right after the meta fields are filled; the
store's mapping turns them into the run's `type=procedure` tag, params and metric history.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from aitrack.procedures import files
from aitrack.sessiondir import ARTIFACTS


def apply(record: dict[str, Any], folder: Path) -> None:
    data = files.read_procedure(folder)
    if data is None:
        return
    params = {str(k): str(v) for k, v in (data.get("params") or {}).items()}
    record["type"] = "procedure"
    record["procedure_name"] = str(data["name"])
    record["procedure_params"] = params
    record["procedure_artifacts"] = [f"{ARTIFACTS}/{n}" for n in data.get("artifacts") or []]
    record["parent_session"] = data.get("parent_session")
    if data.get("error"):
        record.setdefault("warnings", []).append(f"procedure raised {data['error']}")
    if str(params.get("issue_number", "")).isdigit():
        number = int(params["issue_number"])
        record["issue_number"] = number
        record["issue_numbers"] = [number] + [n for n in record.get("issue_numbers") or [] if n != number]
    record["metric_history"] = files.read_metrics(folder)
