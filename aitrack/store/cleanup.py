"""Deleting sessions from the store (`aitrack purge`): the run, its traces, and — in the embedded
store — the data itself, through `mlflow gc` (MLflow's supported way to drop deleted runs)."""
from __future__ import annotations

import os
import subprocess
import sys

from aitrack.errors import AitrackError
from aitrack.store import mapping
from aitrack.store.mlflow_store import MlflowStore


def delete_session(store: MlflowStore, session_id: str) -> str | None:
    """Delete the session's run and its traces; the run id, or None when there was none."""
    run = store.find_run(session_id)
    if run is None:
        return None
    rid, exp = run.info.run_id, run.info.experiment_id
    # One trace per turn: every trace of the run (and the one a pre-turns version tagged).
    trace_ids = set(store.logged_turns(exp, rid).values())
    if run.data.tags.get("aitrack.trace_id"):
        trace_ids.add(run.data.tags["aitrack.trace_id"])
    if trace_ids:
        store.client.delete_traces(exp, trace_ids=sorted(trace_ids))
    store.client.delete_run(rid)
    return str(rid)


def old_session_ids(store: MlflowStore, before_epoch: float) -> list[str]:
    """Session ids of runs started before `before_epoch` (for `purge --older-than`)."""
    exp = store.experiment_id(create=False)
    if exp is None:
        return []
    runs = store.client.search_runs(
        [exp], f"attributes.start_time < {int(before_epoch * 1000)}", max_results=5000,
    )
    return [r.data.tags[mapping.SESSION_TAG] for r in runs if r.data.tags.get(mapping.SESSION_TAG)]


def collect_garbage(store: MlflowStore, run_ids: list[str]) -> bool:
    """Permanently remove deleted runs (metadata + artifacts) from the embedded store; False for a
    tracking server, whose owner runs `mlflow gc` on the server side."""
    uri = store.location.tracking_uri
    if not run_ids or not uri.startswith("sqlite:"):
        return False
    res = subprocess.run(
        [sys.executable, "-m", "mlflow", "gc", "--backend-store-uri", uri, "--tracking-uri", uri,
         "--run-ids", ",".join(run_ids)],
        capture_output=True, text=True, env=dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true"),
    )
    if res.returncode != 0:
        tail = (res.stderr.strip().splitlines() or ["?"])[-1]
        raise AitrackError(f"mlflow gc failed: {tail}")
    return True
