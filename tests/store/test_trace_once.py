"""One trace per session even when the worker was killed between logging the trace and tagging the
run with it (#20 item 8: 1 of 30 worker kills left a duplicate). A real SQLite MLflow store; the
kill's leftovers are made with the store's own calls: the trace logged, the run's tags not set."""
from __future__ import annotations

from pathlib import Path

from aitrack.sessionrecord import SessionRecord
from aitrack.ingest.local import build_record
from aitrack.store import mapping
from aitrack.store.mlflow_store import MlflowStore
from aitrack.store.uri import StoreLocation
from ingest.kit import make_session


def test_a_retried_ingest_reuses_the_trace_a_killed_worker_logged(tmp_path: Path) -> None:
    store = MlflowStore(StoreLocation(f"sqlite:///{tmp_path / 'mlflow.db'}", str(tmp_path / "artifacts"), True))
    folder = make_session(tool="claude", argv=["claude", "fix #3"], exit_code=0, duration=30, raw=b"hi\r\n",
                          timing="O 0.100000 4\n")
    record = build_record(folder, agent_logs=[])
    first = store.log_session(SessionRecord.from_json(record))
    rid = first["run_id"]
    traces = store.client.search_traces(locations=[first["experiment_id"]], run_id=rid)
    assert len(traces) == 1
    for tag in ("aitrack.trace_id", mapping.COMPLETE_TAG):  # where the kill left the run
        store.client.delete_tag(rid, tag)
    again = store.log_session(SessionRecord.from_json(record))
    assert again["run_id"] == rid
    traces = store.client.search_traces(locations=[first["experiment_id"]], run_id=rid)
    assert len(traces) == 1, f"{len(traces)} traces for one session"
    assert store.client.get_run(rid).data.tags["aitrack.trace_id"] == traces[0].info.trace_id
