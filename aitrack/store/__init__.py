"""The MLflow store: the only package that imports mlflow, and only when a store is really used.

`aitrack.store.uri` (where the store is), `aitrack.store.mapping` (record → tags, params, metrics)
and `aitrack.store.server` (the UI subprocess) stay mlflow-free; `aitrack.store.mlflow_store`
imports mlflow on first use.
"""
from __future__ import annotations

TYPE_CHECKING = False  # `show` imports this package for the UI's port: typing would cost it ~2 ms
if TYPE_CHECKING:
    from typing import Any


def fetch_session(session_id: str, fallback_uri: str | None = None) -> dict[str, Any] | None:
    """The logged `session.json` of a session, from its MLflow run; None when no run has it.

    Used by `aitrack show` when the local record is gone (another machine, purged folder). When the
    configured store is the embedded one and has no such run, `fallback_uri` (the tracking server
    a commit's git note names) is asked next: a teammate need not set MLFLOW_TRACKING_URI first.
    Raises `StoreUnavailable` (an AitrackError) when a store does not answer.
    """
    from aitrack.store.mlflow_store import MlflowStore
    from aitrack.store.uri import StoreLocation, resolve

    here = resolve()
    found = MlflowStore(here, read_only=True).fetch_session(session_id)
    if found is None and here.embedded and fallback_uri and fallback_uri.startswith(("http://", "https://")):
        found = MlflowStore(StoreLocation(fallback_uri, None, False), read_only=True).fetch_session(session_id)
    return found
