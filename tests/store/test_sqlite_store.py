"""The embedded store: a real SQLite MLflow backend in tmp, sessions built from the shared fixtures.

One store and one set of sessions for the whole module (the mlflow import and the first schema
creation cost seconds); each test reads what the pipeline logged.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from aitrack.sessionrecord import SessionRecord
from aitrack.cli import main as cli_main
from aitrack.ingest.local import build_record
from aitrack.ingest.pipeline import ingest_one
from aitrack.store import mapping
from aitrack.store.cleanup import delete_session
from aitrack.store.mlflow_store import MlflowStore
from aitrack.store.uri import StoreLocation
from ingest.kit import dead_pid, make_session, pty_capture
from support import FIXTURES, require_fixtures

FIX = FIXTURES
SECRET = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"

# name → (tool, argv, fixture or None, exit code, duration)
SESSIONS: dict[str, tuple[str, list[str], str | None, int | None, float]] = {
    "port": ("claude", ["claude", "close-issue 123"], "claude/drmaciver-python-to-rust-port.jsonl", 0, 120.0),
    "flaky": ("claude", ["claude", "fix the flaky coverage test"], "claude/drmaciver-coverage-test-fix.jsonl", 1, 20.0),
    "codex": ("codex", ["codex", "close-issue 77"], "codex/kvsankar-codex_golden.jsonl", 0, 45.0),
    "gemini": ("gemini", ["gemini", "look at issue 123"], "gemini/kvsankar-gemini_with_tool_error.jsonl", 0, 12.0),
    "aider": ("aider", ["aider", "--yes"], "aider/aider-website-example-add-test.md", 0, 25.0),
    "killed": ("gpt", ["gpt"], None, None, 10.0),
}


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_fixtures()
    home = tmp_path_factory.mktemp("aitrack-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AITRACK_HOME", str(home))
        mp.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
        store = MlflowStore(StoreLocation(f"sqlite:///{home / 'mlflow.db'}", str(home / "artifacts"), True))
        ids: dict[str, str] = {}
        runs: dict[str, dict[str, str]] = {}
        for name, (tool, argv, fixture, code, duration) in SESSIONS.items():
            raw = pty_capture(f"printf 'session {name}\\n'; printf 'token {SECRET}\\n'")
            if name == "killed":
                folder = make_session(tool=tool, argv=argv, started=time.time() - duration, ended=False,
                                      pid=dead_pid(), raw=raw, timing=f"O 0.100000 {len(raw)}\n")
            else:
                folder = make_session(tool=tool, argv=argv, exit_code=code, duration=duration, raw=raw,
                                      timing=f"O 0.100000 {len(raw)}\n")
            build_record(folder, agent_logs=[FIX / fixture] if fixture else [])
            run, fresh = ingest_one(folder, store)
            assert fresh
            ids[name] = folder.name
            runs[name] = run
    return {"home": home, "store": store, "ids": ids, "runs": runs}


def _names(logged: dict[str, Any], filter_string: str) -> set[str]:
    by_id = {v: k for k, v in logged["ids"].items()}
    return {by_id[r["session_id"]] for r in logged["store"].search(filter_string, limit=100)}


@pytest.mark.parametrize(("search", "expected"), [
    ('tags.type = "ai_session"', {"port", "flaky", "codex", "gemini", "aider", "killed"}),
    ('tags.provider = "claude_code"', {"port", "flaky"}),
    ("metrics.commands_executed > 10", {"port"}),
    # aider's add-test: the first `/run pytest …` printed "1 failed" (issue 18: /run failures count)
    ("metrics.errors_encountered > 0", {"flaky", "gemini", "aider"}),
    ("metrics.success = 1", {"port", "codex", "gemini", "aider"}),
    ("metrics.duration_seconds > 30", {"port", "codex"}),
    ('params.procedure_name = "close-issue"', {"port", "codex"}),
    ('params.issue_number = "123"', {"port", "gemini"}),
])
def test_seed_searches_find_exactly_the_expected_runs(logged: dict[str, Any], search: str, expected: set[str]) -> None:
    assert _names(logged, search) == expected


def test_a_run_carries_tags_params_metrics_note_and_artifacts(logged: dict[str, Any]) -> None:
    store: MlflowStore = logged["store"]
    run = store.client.get_run(logged["runs"]["port"]["run_id"])
    tags, params, metrics = run.data.tags, run.data.params, run.data.metrics
    assert run.info.run_name.startswith("claude · close-issue 123 · ")
    assert run.info.status == "FINISHED"
    assert tags["provider"] == "claude_code" and tags["provider_detection"] == "structured"
    assert tags[mapping.SESSION_TAG] == logged["ids"]["port"]
    assert tags["mlflow.user"] == "tester" and tags["mlflow.source.name"] == "claude"
    assert tags["issues"] == "123:argument" and "claude-opus" in tags["model"]
    assert "close-issue 123" in tags["mlflow.note.content"] and "### Commands" in tags["mlflow.note.content"]
    assert params["procedure_name"] == "close-issue" and params["command"] == "claude 'close-issue 123'"
    assert metrics["tool_uses"] == 39 and metrics["commands_executed"] == 16 and metrics["success"] == 1
    assert metrics["duration_seconds"] == pytest.approx(120.0)
    files = {a.path for a in store.client.list_artifacts(run.info.run_id)}
    assert files == {"session.json", "transcript.txt", "terminal", "agent_log"}
    inner = {a.path for d in ("terminal", "agent_log") for a in store.client.list_artifacts(run.info.run_id, d)}
    assert inner == {"terminal/output.raw", "terminal/session.cast", "agent_log/drmaciver-python-to-rust-port.jsonl"}
    artifacts = Path(run.info.artifact_uri.removeprefix("file://"))
    assert artifacts.is_relative_to(logged["home"] / "artifacts")  # never ./mlruns of the cwd
    for path in artifacts.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    cast = (artifacts / "terminal" / "session.cast").read_text().splitlines()
    assert json.loads(cast[0])["version"] == 2 and "session port" in cast[1]


def test_interrupted_session_is_logged_as_killed(logged: dict[str, Any]) -> None:
    run = logged["store"].client.get_run(logged["runs"]["killed"]["run_id"])
    assert run.info.status == "KILLED" and run.data.tags["aitrack.status"] == "interrupted"
    assert run.data.metrics["success"] == 0


def test_trace_has_a_span_per_tool_call_linked_to_the_run(logged: dict[str, Any]) -> None:
    store: MlflowStore = logged["store"]
    run = store.client.get_run(logged["runs"]["flaky"]["run_id"])
    traces = store.client.search_traces(locations=[run.info.experiment_id], run_id=run.info.run_id)
    assert len(traces) == 1
    spans = traces[0].data.spans
    tools = [s for s in spans if s.span_type == "TOOL"]
    assert len(tools) == 13  # SOURCES.md: 13 tool uses
    assert sum(1 for s in tools if s.status.status_code == "ERROR") == 1
    assert traces[0].info.trace_id == run.data.tags["aitrack.trace_id"]
    info = traces[0].info
    assert info.trace_metadata["mlflow.trace.session"]  # groups it in the UI's Sessions view
    assert info.tags["aitrack.session_id"] == logged["ids"]["flaky"]


def test_logging_again_is_a_no_op_and_a_half_logged_run_is_resumed(logged: dict[str, Any]) -> None:
    store: MlflowStore = logged["store"]
    folder = logged["home"] / "sessions" / logged["ids"]["codex"]
    record = json.loads((folder / "session.json").read_text())
    again = store.log_session(SessionRecord.from_json(record), None)
    assert again["run_id"] == logged["runs"]["codex"]["run_id"]
    # A crash after create_run: the run exists without the completion tag; the retry finishes it.
    half = dict(record, session_id="crashed-while-logging")
    exp = store.experiment_id()
    partial = store.client.create_run(exp, tags={mapping.SESSION_TAG: "crashed-while-logging", "type": "ai_session"})
    done = store.log_session(SessionRecord.from_json(half), None)
    assert done["run_id"] == partial.info.run_id
    runs = store.client.search_runs([exp], f"tags.`{mapping.SESSION_TAG}` = 'crashed-while-logging'")
    assert len(runs) == 1 and runs[0].data.tags[mapping.COMPLETE_TAG] == "true"
    assert runs[0].data.params["procedure_name"] == "close-issue"
    assert delete_session(store, "crashed-while-logging") == partial.info.run_id
    assert store.find_run("crashed-while-logging") is None
    assert store.fetch_session(logged["ids"]["codex"])["session_id"] == logged["ids"]["codex"]
    assert store.fetch_session("no-such-session") is None


def test_sessions_command_lists_from_the_store_and_falls_back_to_local(
        logged: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(logged["home"]))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", logged["store"].location.tracking_uri)
    # The embedded store: the local records answer (no mlflow import), exactly as the store does.
    answers = {}
    for force_store in ("", "0"):
        monkeypatch.setenv("AITRACK_LOCAL_ROWS", force_store)
        assert cli_main(["sessions", "--filter", 'params.procedure_name = "close-issue"', "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert {r["session_id"] for r in out["sessions"]} == {logged["ids"]["port"], logged["ids"]["codex"]}
        answers[out["source"]] = [{k: r[k] for k in ("session_id", "run_id", "run_name", "status", "provider",
                                                     "params", "metrics", "url")} for r in out["sessions"]]
    assert answers["local records"] == answers["store"]
    monkeypatch.delenv("AITRACK_LOCAL_ROWS")
    # A server nobody listens on: the same filter answers from local records, saying so.
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:9")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    assert cli_main(["sessions", "--filter", 'params.procedure_name = "close-issue" and metrics.duration_seconds > 60']) == 0
    captured = capsys.readouterr()
    assert "showing local records" in captured.err
    assert logged["ids"]["port"] in captured.out and logged["ids"]["codex"] not in captured.out


@pytest.mark.parametrize(("name", "state"), [("port", "OK"), ("flaky", "ERROR"), ("killed", "ERROR")])
def test_a_failed_or_interrupted_sessions_trace_is_not_ok(logged: dict[str, Any], name: str, state: str) -> None:
    store: MlflowStore = logged["store"]
    run = store.client.get_run(logged["runs"][name]["run_id"])
    (trace,) = store.client.search_traces(locations=[run.info.experiment_id], run_id=run.info.run_id)
    assert str(getattr(trace.info.state, "value", trace.info.state)) == state
    root = next(s for s in trace.data.spans if s.parent_id is None)
    assert root.status.status_code == state
