"""aitrack's view of its experiment in the MLflow UI: the run list's columns.

MLflow 3 keeps the run list's columns per browser (local storage), with no server-side default;
what it does read from the server is a *shared view*: an experiment tag
`mlflow.sharedViewState.<key>` holding the view's JSON, opened by `…/runs?viewStateShareKey=<key>`
(the UI then offers "Override saved view" to keep it). The store writes that tag; `aitrack ui`
prints the link. Column keys are MLflow's `type.\\`name\\`` form. Pure: no mlflow import.
"""
from __future__ import annotations

import json

KEY = "aitrack"
TAG = f"mlflow.sharedViewState.{KEY}"
COLUMNS = (
    ("tags", "provider"), ("tags", "aitrack.status"), ("params", "procedure_name"), ("params", "issue_number"),
    ("metrics", "success"), ("metrics", "commands_executed"), ("metrics", "errors_encountered"),
    ("metrics", "duration_seconds"), ("metrics", "commits"), ("metrics", "files_touched"),
    ("metrics", "total_tokens"), ("metrics", "cost_usd"),
)


def view_json() -> str:
    return json.dumps({"selectedColumns": [f"{kind}.`{name}`" for kind, name in COLUMNS]}, separators=(",", ":"))


def runs_url(base_url: str, experiment_id: str) -> str:
    return f"{base_url}/#/experiments/{experiment_id}/runs?viewStateShareKey={KEY}"
