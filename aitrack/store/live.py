"""The RUNNING run of a live session (#17): created at the live updater's first update, then its
metrics (one step per update, so the run's charts show the session growing) and tags.

The run is the one `log_session` finishes later: it is found by `aitrack.session_id` like any
other, carries no params (they cannot change once logged) and never the completion tag. A run
already complete is left alone.
"""
from __future__ import annotations

import time
from typing import Any

from aitrack.sessionrecord import SessionRecord
from aitrack.store import mapping


def update_live_run(store: Any, data: dict[str, Any], step: int) -> str:
    from mlflow.entities import Metric, RunTag

    typed = SessionRecord.from_json(data)  # the live worker's partial record, built as JSON
    session_id = str(typed.session_id or "")
    meta = typed.meta
    exp = store.experiment_id()
    run = store.find_run(session_id)
    tags = mapping.tags(typed)
    tags["aitrack.status"] = "running"
    tags.pop("mlflow.note.content", None)  # the summary is written once, from the whole record
    tags["aitrack.live.updated"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    tags["aitrack.live.step"] = str(step)  # the final values go one step further (latest = max step)
    if run is None:
        start = meta.started_at_epoch
        run = store.client.create_run(
            exp, start_time=int(float(start) * 1000) if isinstance(start, (int, float)) else None,
            run_name=mapping.run_name(typed),
            tags={mapping.SESSION_TAG: session_id, "type": "ai_session", "mlflow.user": tags.get("mlflow.user", "")},
        )
    elif run.data.tags.get(mapping.COMPLETE_TAG) == "true" or run.info.status != "RUNNING":
        return str(run.info.run_id)
    rid = run.info.run_id
    now = int(time.time() * 1000)
    source = typed.metrics.to_json()
    metrics = {k: float(source[k]) for k in mapping._METRIC_NAMES if isinstance(source.get(k), (int, float))}
    store.client.log_batch(rid, metrics=[Metric(k, v, now, step) for k, v in metrics.items()],
                           tags=[RunTag(k, v) for k, v in tags.items()])
    return str(rid)
