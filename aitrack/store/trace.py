"""An MLflow trace for a session: a root AGENT span and one TOOL span per tool call.

Linked to the run (`run_id=` sets the trace's `mlflow.sourceRun`), so the run's Traces tab and the
experiment's Traces page show the agent's steps. Times come from the record: tool calls keep their
own timestamps where the agent's log has them, else they are laid out in order inside the session.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from aitrack.store.mapping import SESSION_TAG, initial_ask

MAX_SPANS = 1000  # beyond this the trace UI is unusable; the count is noted on the root span
_IO_MAX = 20_000


def log_trace(client: Any, experiment_id: str, run_id: str, record: dict[str, Any]) -> str | None:
    calls = list(record.get("tool_calls") or [])
    meta = record.get("meta") or {}
    start = _ns(record.get("started_at")) or _epoch_ns(meta.get("started_at_epoch"))
    end = _epoch_ns(meta.get("ended_at_epoch")) or _ns(record.get("ended_at"))
    if start is None:
        return None
    end = max(end or start, start + 1_000_000)
    import mlflow

    # The span exporter writes to the *global* tracking URI, not the client's: without this it
    # would create ./mlflow.db in whatever directory the worker runs in.
    mlflow.set_tracking_uri(client.tracking_uri)
    session_id = str(record.get("session_id") or "")
    metadata = {
        "mlflow.sourceRun": run_id,  # the run's Traces tab
        # The GenAI Sessions view groups by this; the agent's own id joins MLflow's Claude
        # autologging traces (one per turn) with this whole-session trace.
        "mlflow.trace.session": str(record.get("agent_session_id") or session_id),
        "mlflow.trace.user": str(meta.get("user") or ""),
    }
    root = mlflow.start_span_no_context(
        "session", span_type="AGENT", inputs={"prompt": _cut(initial_ask(record))},
        attributes={"provider": str(record.get("provider")), "tool_calls": str(len(calls))},
        metadata=metadata, tags={SESSION_TAG: session_id, "provider": str(record.get("provider") or "")},
        experiment_id=experiment_id, start_time_ns=start,
    )
    step = max((end - start) // (min(len(calls), MAX_SPANS) + 1), 1)
    cursor = start
    for i, call in enumerate(calls[:MAX_SPANS]):
        s = _ns(call.get("started_at")) or start + step * (i + 1)
        s = min(max(s, start), end)
        e = _ns(call.get("ended_at")) or max(s, cursor, min(s + step, end))
        e = min(max(e, s), end)
        cursor = e
        span = mlflow.start_span_no_context(
            str(call.get("name") or "tool"), span_type="TOOL", parent_span=root,
            inputs=_jsonable(call.get("input")), attributes={"call_id": str(call.get("call_id") or "")},
            start_time_ns=s,
        )
        span.end(outputs=_cut(call.get("output")), status="ERROR" if call.get("is_error") else "OK", end_time_ns=e)
    summary = {
        "metrics": record.get("metrics"), "exit_code": record.get("exit_code"),
        "spans_omitted": max(len(calls) - MAX_SPANS, 0),
    }
    root.end(outputs=summary, status="OK" if record.get("success") else "ERROR", end_time_ns=end)
    mlflow.flush_trace_async_logging()  # no-op when synchronous; a short-lived worker must not drop it
    return str(root.trace_id)


def _ns(iso: Any) -> int | None:
    if not isinstance(iso, str) or not iso:
        return None
    try:
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        return None  # naive times are ambiguous; the ordered layout is safer than a wrong offset
    return int(dt.timestamp() * 1e9)


def _epoch_ns(epoch: Any) -> int | None:
    return int(float(epoch) * 1e9) if isinstance(epoch, (int, float)) else None


def _cut(text: Any) -> str:
    s = "" if text is None else str(text)
    return s if len(s) <= _IO_MAX else s[:_IO_MAX] + f"… [{len(s) - _IO_MAX} chars cut]"


def _jsonable(value: Any) -> Any:
    try:
        blob = json.dumps(value, default=str)
    except (TypeError, ValueError):
        return _cut(value)
    return value if len(blob) <= _IO_MAX else _cut(blob)
