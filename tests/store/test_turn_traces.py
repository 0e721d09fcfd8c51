"""Per-turn traces in MLflow's GenAI shape (#17), read back from a real SQLite MLflow store.

A two-turn Claude Code session whose second turn hands a task to a subagent (its own log in
`subagents/agent-*.jsonl`, as Claude Code writes it), with a failing command and a secret in a
tool input: one trace per turn grouped by `mlflow.trace.session`, LLM spans with MLflow's token
usage and cost attributes, the subagent as a nested AGENT span, the failed tool as a span error.
"""
from __future__ import annotations

import json
from typing import Any

import pytest

from aitrack.sessionrecord import SessionRecord
from aitrack.ingest.local import build_record
from aitrack.store import mapping
from aitrack.store.mlflow_store import MlflowStore
from aitrack.store.uri import StoreLocation
from ingest.kit import make_session

from store.turnlogs import MODEL, SECRET, logs as _logs


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("aitrack-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AITRACK_HOME", str(home))
        mp.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
        store = MlflowStore(StoreLocation(f"sqlite:///{home / 'mlflow.db'}", str(home / "artifacts"), True))
        out: dict[str, Any] = {"store": store}
        for name, code in (("ok", 0), ("failed", 2)):
            folder = make_session(tool="claude", argv=["claude"], exit_code=code, duration=90,
                                  started=1767261600.0)  # 2026-01-01T10:00:00Z, the logs' clock
            record = build_record(folder, agent_logs=_logs(tmp_path_factory.mktemp(name)))
            out[name] = (record, store.log_session(SessionRecord.from_json(record)))
    return out


def _traces(logged: dict[str, Any], name: str) -> list[Any]:
    store: MlflowStore = logged["store"]
    run = logged[name][1]
    found = store.client.search_traces(locations=[run["experiment_id"]], run_id=run["run_id"])
    return sorted(found, key=lambda t: int(t.info.tags["aitrack.turn"]))


def test_one_trace_per_turn_grouped_as_one_session(logged: dict[str, Any]) -> None:
    record, run = logged["ok"]
    traces = _traces(logged, "ok")
    assert len(traces) == 2
    for trace, prompt in zip(traces, ("list the files", "run the tests with a subagent")):
        meta = trace.info.trace_metadata
        assert meta["mlflow.trace.session"] == record["session_id"]
        assert meta["mlflow.trace.user"] == "tester"
        assert meta["mlflow.sourceRun"] == run["run_id"]
        root = next(s for s in trace.data.spans if s.parent_id is None)
        assert root.span_type == "AGENT" and root.inputs == {"prompt": prompt}
        assert str(getattr(trace.info.state, "value", trace.info.state)) == "OK"
        assert trace.info.request_preview == prompt  # the trace list shows the prompt, not JSON
    assert [t.info.response_preview for t in traces] == ["1 tool call", "2 tool calls, 1 failed"]
    assert traces[0].info.request_time < traces[1].info.request_time
    tags = logged["store"].client.get_run(run["run_id"]).data.tags
    assert tags["aitrack.traces"] == "2" and tags["aitrack.trace_id"] == traces[0].info.trace_id


def test_llm_spans_carry_model_token_usage_and_cost(logged: dict[str, Any]) -> None:
    record, _ = logged["ok"]
    traces = _traces(logged, "ok")
    llm = [s for t in traces for s in t.data.spans if s.span_type == "LLM"]
    assert len(llm) == len(record["usage"]) == 5
    for span in llm:
        usage = span.attributes["mlflow.chat.tokenUsage"]
        assert usage == {"input_tokens": 100, "output_tokens": 50, "total_tokens": 150,
                         "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 200}
        assert span.attributes["mlflow.llm.model"] in (MODEL, "claude-haiku-4-5-20251001")
    total = sum(s.attributes["mlflow.llm.cost"]["total_cost"] for s in llm)
    assert record["cost"]["usd"] > 0 and total == pytest.approx(record["cost"]["usd"])
    # MLflow aggregates the spans' usage into the trace's metadata (its token views read that).
    first = json.loads(traces[0].info.trace_metadata["mlflow.trace.tokenUsage"])
    assert first["input_tokens"] == 200 and first["output_tokens"] == 100


def test_subagent_nests_as_an_agent_span_with_its_failed_tool(logged: dict[str, Any]) -> None:
    second = _traces(logged, "ok")[1]
    spans = {s.span_id: s for s in second.data.spans}
    (sub,) = [s for s in spans.values() if s.name == "subagent a1"]
    assert sub.span_type == "AGENT" and spans[sub.parent_id].parent_id is None
    children = [s for s in spans.values() if s.parent_id == sub.span_id]
    assert {s.span_type for s in children} == {"LLM", "TOOL"}
    (tool,) = [s for s in children if s.span_type == "TOOL"]
    assert tool.inputs == {"command": "pytest -q"}
    assert tool.status.status_code == "ERROR"
    task = next(s for s in spans.values() if s.name == "Task")
    assert task.parent_id != sub.span_id and task.status.status_code == "OK"


def test_tool_inputs_and_outputs_are_redacted(logged: dict[str, Any]) -> None:
    first = _traces(logged, "ok")[0]
    (bash,) = [s for s in first.data.spans if s.span_type == "TOOL"]
    assert bash.outputs == {"result": "a.py"}
    assert SECRET not in json.dumps(bash.inputs) and "ls #" in bash.inputs["command"]


def test_a_failed_sessions_traces_are_not_ok(logged: dict[str, Any]) -> None:
    traces = _traces(logged, "failed")
    assert len(traces) == 2
    for trace in traces:
        assert str(getattr(trace.info.state, "value", trace.info.state)) == "ERROR"
    root = next(s for s in traces[-1].data.spans if s.parent_id is None)
    assert root.status.description == "failed: exit code 2"
    assert traces[-1].info.response_preview == "2 tool calls, 1 failed; failed: exit code 2"


def test_a_retry_logs_only_the_turns_a_killed_worker_missed(logged: dict[str, Any]) -> None:
    store: MlflowStore = logged["store"]
    record, run = logged["failed"]
    traces = _traces(logged, "failed")
    store.client.delete_traces(run["experiment_id"], trace_ids=[traces[1].info.trace_id])
    store.client.delete_tag(run["run_id"], mapping.COMPLETE_TAG)
    store.log_session(SessionRecord.from_json(record))
    again = _traces(logged, "failed")
    assert [t.info.tags["aitrack.turn"] for t in again] == ["0", "1"]
    assert again[0].info.trace_id == traces[0].info.trace_id
