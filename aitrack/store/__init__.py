"""The MLflow store: the only package that imports mlflow, and only when a store is really used.

`aitrack.store.uri` (where the store is), `aitrack.store.mapping` (record → tags, params, metrics)
and `aitrack.store.server` (the UI subprocess) stay mlflow-free; `aitrack.store.mlflow_store`
imports mlflow on first use.
"""
from __future__ import annotations

from typing import Any


def fetch_session(session_id: str) -> dict[str, Any] | None:
    """The logged `session.json` of a session, from its MLflow run; None when no run has it.

    Used by `aitrack show` when the local record is gone (another machine, purged folder).
    Raises `StoreUnavailable` (an AitrackError) when the store does not answer.
    """
    from aitrack.store.mlflow_store import MlflowStore

    return MlflowStore().fetch_session(session_id)
