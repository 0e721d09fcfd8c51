"""`aitrack export` on a real SQLite store: CSV and JSON lines read back, OTLP/HTTP JSON sent to a
real HTTP receiver on 127.0.0.1 that decodes and checks what arrives."""
from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from procedure.kit import populated_store

from aitrack.sessionrecord import SessionRecord
from aitrack.cli import main as cli_main


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return populated_store(tmp_path_factory)


@pytest.fixture(autouse=True)
def _store_env(logged: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(logged["home"]))


def test_csv_has_one_row_per_run_with_every_param_and_metric(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["export", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 9
    header = rows[0].keys()
    for col in ("run_id", "session_id", "provider", "start_time", "end_time", "duration_seconds", "success",
                "commands_executed", "procedure_name", "issue_number", "command", "total_tokens"):
        assert col in header, col
    port = next(r for r in rows if r["run_name"].startswith("claude · close-issue 123"))
    assert port["provider"] == "claude_code" and port["commands_executed"] == "16"
    assert port["input_tokens"] == "38" and port["output_tokens"] == "563"
    assert port["duration_seconds"] == "120" and port["success"] == "1"
    assert port["start_time"].endswith("Z") and port["issue_number"] == "123"
    proc = next(r for r in rows if r["procedure_name"] == "extract-best-frame")
    assert proc["type"] == "procedure" and proc["exit_code"] == "2" and proc["success"] == "0"


def test_jsonl_with_filter_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "failed.jsonl"
    assert cli_main(["export", "--format", "jsonl", "--filter", "metrics.success = 0", "--out", str(out)]) == 0
    assert "wrote 3 run(s)" in capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["provider"] for r in rows) == ["claude_code", "generic", "openai_codex"]
    assert all(r["success"] == 0.0 for r in rows)


def test_bad_filter_and_missing_endpoint_are_one_line_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["export", "--format", "csv", "--filter", "metrics.success = = 0"]) == 1
    assert cli_main(["export", "--format", "otlp"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("aitrack: bad filter") and err[1].startswith("aitrack: --format otlp needs --endpoint")


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, self.headers["Content-Type"], json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, str, Any]]]]:
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", Receiver.received
    finally:
        server.shutdown()
        server.server_close()


def _attrs(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {a["key"]: next(iter(a["value"].values())) for a in items}


def test_otlp_sends_a_trace_per_session_in_the_genai_conventions_and_metrics(
        receiver: tuple[str, list[Any]], capsys: pytest.CaptureFixture[str]) -> None:
    url, received = receiver
    assert cli_main(["export", "--format", "otlp", "--endpoint", url]) == 0
    assert "sent 9 session(s)" in capsys.readouterr().err
    paths = [r[0] for r in received]
    assert paths == ["/v1/traces", "/v1/metrics"] and {r[1] for r in received} == {"application/json"}
    spans = received[0][2]["resourceSpans"][0]["scopeSpans"][0]["spans"]
    roots = [s for s in spans if "parentSpanId" not in s]
    assert len(roots) == 9 and len({s["traceId"] for s in roots}) == 9
    for s in spans:
        assert len(s["traceId"]) == 32 and len(s["spanId"]) == 16
        assert int(s["endTimeUnixNano"]) >= int(s["startTimeUnixNano"]) > 10**18
    port = next(s for s in roots if s["name"].startswith("claude · close-issue 123"))
    mine = [s for s in spans if s["traceId"] == port["traceId"]]
    by_id = {s["spanId"]: s for s in mine}
    turns = [s for s in mine if s.get("parentSpanId") == port["spanId"]]
    assert [s["name"] for s in turns] == ["invoke_agent claude"]  # SOURCES.md: one prompt
    tools = [s for s in mine if s["name"].startswith("execute_tool ")]
    assert len(tools) == 39  # SOURCES.md: 39 tool uses in the python-to-rust port
    assert sum(1 for c in tools if c["name"] == "execute_tool Bash") == 16
    attrs = _attrs(port["attributes"])
    assert attrs["aitrack.provider"] == "claude_code" and attrs["aitrack.metric.commands_executed"] == 16.0
    # OpenTelemetry GenAI semantic conventions on every span below the session's root.
    session_id = attrs["aitrack.session_id"]
    assert attrs["gen_ai.conversation.id"] == session_id
    for s in mine[1:]:
        a = _attrs(s["attributes"])
        assert a["gen_ai.conversation.id"] == session_id and a["gen_ai.provider.name"] == "anthropic"
        op = a["gen_ai.operation.name"]
        assert s["name"].startswith({"invoke_agent": "invoke_agent ", "chat": "chat ", "execute_tool": "execute_tool "}[op])
        if op == "execute_tool":
            assert a["gen_ai.tool.name"] == s["name"].split(" ", 1)[1] and a["gen_ai.tool.call.id"]
            assert by_id[s["parentSpanId"]]["name"].startswith("invoke_agent") and s["kind"] == 1
    chats = [_attrs(s["attributes"]) for s in mine if s["name"].startswith("chat ")]
    assert chats and all(c["gen_ai.request.model"].startswith("claude-") for c in chats)
    assert sum(int(c["gen_ai.usage.output_tokens"]) for c in chats) == attrs["aitrack.metric.output_tokens"]
    # OTel's input_tokens include the cache reads and writes: aitrack's total_input_tokens.
    assert sum(int(c["gen_ai.usage.input_tokens"]) for c in chats) == attrs["aitrack.metric.total_input_tokens"]
    assert sum(int(c["gen_ai.usage.cache_read.input_tokens"]) for c in chats) == \
        attrs["aitrack.metric.cache_read_input_tokens"]
    failed = next(s for s in roots if s["name"].startswith("extract-best-frame"))
    assert failed["status"]["code"] == 2
    rejection = next(s for s in roots if s["name"].startswith("claude · look at issue 123"))
    kids = [s for s in spans if s["traceId"] == rejection["traceId"] and s["name"].startswith("execute_tool")]
    assert sum(1 for k in kids if k["status"]["code"] == 2) == 2  # the two rejected tool calls
    assert all("error.type" in _attrs(k["attributes"]) for k in kids if k["status"]["code"] == 2)
    metrics = {m["name"]: m for m in received[1][2]["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]}
    points = metrics["aitrack.duration_seconds"]["gauge"]["dataPoints"]
    assert len(points) == 9 and metrics["aitrack.duration_seconds"]["unit"] == "s"
    assert sorted(p["asDouble"] for p in metrics["aitrack.success"]["gauge"]["dataPoints"]).count(0.0) == 3


def test_otlp_unreachable_collector_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert cli_main(["export", "--format", "otlp", "--endpoint", f"http://127.0.0.1:{port}"]) == 1
    assert "unreachable" in capsys.readouterr().err


def test_otlp_nests_a_subagent_under_its_turn(tmp_path: Path) -> None:
    from aitrack.export.otlp import spans
    from aitrack.ingest.local import build_record
    from ingest.kit import make_session
    from store.turnlogs import logs

    folder = make_session(tool="claude", argv=["claude"], exit_code=0, duration=90, started=1767261600.0)
    record = build_record(folder, agent_logs=logs(tmp_path / "logs"))
    run = {"session_id": folder.name, "run_name": "claude", "start_time": 1767261600.0, "end_time": 1767261690.0,
           "metrics": {"success": 1.0}}
    out = spans(run, SessionRecord.from_json(record))
    by_id = {s["spanId"]: s for s in out}
    turns = [s for s in out if s["name"] == "invoke_agent claude"]
    assert [_attrs(t["attributes"])["aitrack.prompt"] for t in turns] == ["list the files", "run the tests with a subagent"]
    (sub,) = [s for s in out if s["name"] == "invoke_agent a1"]
    assert sub["parentSpanId"] == turns[1]["spanId"]
    (failed,) = [s for s in out if s["status"]["code"] == 2]
    assert failed["name"] == "execute_tool Bash" and failed["parentSpanId"] == sub["spanId"]
    assert by_id[failed["parentSpanId"]]["name"] == "invoke_agent a1"
    assert len([s for s in out if s["name"].startswith("chat ")]) == 5
