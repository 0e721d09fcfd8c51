"""MLflow traces for a session in the shape MLflow's GenAI views read: one trace per user turn.

Each turn is a trace whose root is an AGENT span (the prompt as input), with an LLM span per API
response (model, `mlflow.chat.tokenUsage`, `mlflow.llm.cost`) and a TOOL span per tool call
(inputs and outputs come from the redacted record; a failed tool is a span error); a subagent's
spans nest under an AGENT span of its own. The traces of a session share `mlflow.trace.session`
(the aitrack session id: the Sessions view lists them as one conversation) and `mlflow.trace.user`,
and link to the run (`mlflow.sourceRun`). A failed or interrupted session's traces are ERROR.
This is how MLflow's own Claude Code tracing draws a turn (mlflow/claude_code/tracing.py).
"""
from __future__ import annotations

import json
from typing import Any

from aitrack.sessionrecord import SessionRecord
from aitrack.store.mapping import SESSION_TAG, initial_ask
from aitrack.store.turns import Item, Turn, turns

TURN_TAG = "aitrack.turn"  # the trace's turn index: a retried worker logs only the missing turns
_IO_MAX = 20_000
_PREVIEW_MAX = 1000  # MLflow's own preview length (TRACE_REQUEST_RESPONSE_PREVIEW_MAX_LENGTH_OSS)


def log_traces(client: Any, experiment_id: str, run_id: str, record: SessionRecord,
               done: set[int] | frozenset[int] = frozenset()) -> list[str]:
    """Log the turns not in `done`; the trace ids in turn order (those logged now)."""
    cut = turns(record, initial_ask(record))
    todo = [t for t in cut if t.index not in done]
    if not todo:
        return []
    import mlflow
    from mlflow.entities import SpanStatus, SpanStatusCode

    # The span exporter writes to the *global* tracking URI, not the client's: without this it
    # would create ./mlflow.db in whatever directory the worker runs in.
    mlflow.set_tracking_uri(client.tracking_uri)
    costs = _costs(record)
    session_id = str(record.session_id or "")
    meta = record.meta
    metadata = {
        "mlflow.sourceRun": run_id,  # the run's Traces tab
        "mlflow.trace.session": session_id,  # the Sessions view groups the turns by this
        "mlflow.trace.user": str(meta.user or ""),
    }
    if record.agent_session_id:  # joins the agent's own traces (MLflow's Claude autologging)
        metadata["aitrack.agent_session_id"] = str(record.agent_session_id)
    failure = _failure(record)
    ids = []
    for turn in todo:
        last = turn.index == cut[-1].index
        ids.append(_log_turn(mlflow, SpanStatus, SpanStatusCode, turn, record, costs, experiment_id, metadata,
                             session_id, failure if last else (f"session {failure}" if failure else None)))
    mlflow.flush_trace_async_logging()  # no-op when synchronous; a short-lived worker must not drop it
    return ids


def _log_turn(mlflow: Any, SpanStatus: Any, Code: Any, turn: Turn, record: SessionRecord,
              costs: list[dict[str, float] | None], experiment_id: str, metadata: dict[str, str],
              session_id: str, failure: str | None) -> str:
    provider = str(record.provider or "")
    root = mlflow.start_span_no_context(
        f"turn {turn.index + 1}", span_type="AGENT", inputs={"prompt": _cut(turn.prompt)},
        attributes={"provider": provider, "turn": turn.index},
        metadata=metadata, tags={SESSION_TAG: session_id, TURN_TAG: str(turn.index), "provider": provider},
        experiment_id=experiment_id, start_time_ns=turn.start,
    )
    parents: dict[str, Any] = {}
    for name, (start, end) in turn.agents().items():
        parents[name] = (mlflow.start_span_no_context(
            f"subagent {name}", span_type="AGENT", parent_span=root, attributes={"agent": name},
            start_time_ns=start), end)
    tools = errors = 0
    for it in turn.items:
        parent = parents[it.agent][0] if it.agent in parents else root
        if it.kind == "llm":
            _llm_span(mlflow, it, parent, costs[it.index] if it.index < len(costs) else None, provider)
            continue
        tools += 1
        errors += bool(it.data.get("is_error"))
        span = mlflow.start_span_no_context(
            str(it.data.get("name") or "tool"), span_type="TOOL", parent_span=parent,
            inputs=_jsonable(it.data.get("input")),
            attributes={"tool_name": str(it.data.get("name") or ""), "call_id": str(it.data.get("call_id") or "")},
            start_time_ns=it.start,
        )
        status = SpanStatus(Code.ERROR, "tool failed") if it.data.get("is_error") else "OK"
        span.end(outputs={"result": _cut(it.data.get("output"))}, status=status, end_time_ns=it.end)
    for span, end in parents.values():
        span.end(status="OK", end_time_ns=end)
    summary: dict[str, Any] = {"tool_calls": tools, "tool_errors": errors, "spans_omitted": turn.omitted}
    if failure:
        summary["exit_code"] = record.exit_code
    _previews(root.trace_id, turn.prompt, _outcome(tools, errors, failure))
    root.end(outputs=summary, status=SpanStatus(Code.ERROR, failure) if failure else "OK", end_time_ns=turn.end)
    return str(root.trace_id)


def _outcome(tools: int, errors: int, failure: str | None) -> str:
    said = f"{tools} tool call{'s' if tools != 1 else ''}" + (f", {errors} failed" if errors else "")
    return f"{said}; {failure}" if failure else said


def _previews(trace_id: str, request: str, response: str) -> None:
    """The turn's prompt and outcome as plain text in the trace list and Sessions view, as MLflow's
    own Claude Code tracing sets them; without this MLflow shows the root's inputs and outputs as
    JSON (`{"prompt": …}`). Set on the trace before its root ends (that exports it)."""
    try:
        from mlflow.tracing import trace_manager

        manager: Any = trace_manager.InMemoryTraceManager  # untyped in MLflow
        with manager.get_instance().get_trace(trace_id) as trace:
            if trace is not None:
                trace.info.request_preview = _cut(request)[:_PREVIEW_MAX]
                trace.info.response_preview = response[:_PREVIEW_MAX]
    except Exception:  # an MLflow without this internal API: the JSON previews, as before
        pass


def _llm_span(mlflow: Any, it: Item, parent: Any, cost: dict[str, float] | None, provider: str) -> None:
    u = it.data
    model = str(u.get("model") or "unknown")
    inp, out = int(u.get("input_tokens") or 0), int(u.get("output_tokens") or 0)
    usage = {"input_tokens": inp, "output_tokens": out, "total_tokens": inp + out,
             "cache_read_input_tokens": int(u.get("cache_read_tokens") or 0),
             "cache_creation_input_tokens": int(u.get("cache_write_tokens") or 0)}
    # Anthropic's convention, as MLflow's own Claude tracing stores it: input without the cache.
    attributes: dict[str, Any] = {"mlflow.chat.tokenUsage": usage, "mlflow.llm.model": model, "model": model}
    if cost is not None:
        attributes["mlflow.llm.cost"] = cost
    if int(u.get("responses") or 1) > 1:
        attributes["responses"] = int(u["responses"])  # past the parser's cap, one span for several
    span = mlflow.start_span_no_context(model, span_type="LLM", parent_span=parent, inputs={"model": model},
                                        attributes=attributes, start_time_ns=it.start)
    span.end(outputs={"usage": usage}, end_time_ns=it.end)


def _costs(record: SessionRecord) -> list[dict[str, float] | None]:
    """Each response's price; none at all when pricing is unavailable (the spans still carry tokens)."""
    try:
        from aitrack.cost.price import response_costs
        from aitrack.cost.record import usage_of

        return response_costs(usage_of(record.usage), record.provider, record.started_at)
    except Exception:  # genai-prices missing or a bad [cost.prices] table: logged without cost
        return []


def _failure(record: SessionRecord) -> str | None:
    if record.success:
        return None
    if record.interrupted:
        return "interrupted"
    code = record.exit_code
    return f"failed: exit code {code}" if code is not None else "failed"


def _cut(text: Any) -> str:
    s = "" if text is None else str(text)
    return s if len(s) <= _IO_MAX else s[:_IO_MAX] + f"… [{len(s) - _IO_MAX} chars cut]"


def _jsonable(value: Any) -> Any:
    try:
        blob = json.dumps(value, default=str)
    except (TypeError, ValueError):
        return _cut(value)
    return value if len(blob) <= _IO_MAX else _cut(blob)
