"""Cost where runs are read: the MLflow run (real SQLite store), compare, report, export, sessions."""
from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest

from aitrack.cli import main
from aitrack.cost.fmt import usd
from aitrack.ingest.local import build_record
from aitrack.ingest.pipeline import ingest_one
from aitrack.store.mlflow_store import MlflowStore

from ingest.kit import make_session  # tests/ is on sys.path


def test_cost_reaches_the_run_compare_report_export_and_sessions(
        tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(tmp_path / "home"))
    store = MlflowStore()
    priced = build_record(make_session(tool="claude", argv=["claude", "fix issue #583"], started=time.time() - 7200),
                          agent_logs=[fixtures_dir / "claude" / "ccusage-project-alpha-chat.jsonl"])
    unpriced = build_record(make_session(tool="codex", started=time.time() - 3600),
                            agent_logs=[fixtures_dir / "codex" / "kvsankar-codex_golden.jsonl"])
    for rec in (priced, unpriced):
        ingest_one(_folder(rec), store)
    runs = {r["session_id"]: r for r in store.search_all("")}
    run = runs[priced["session_id"]]
    assert run["metrics"]["cost_usd"] == pytest.approx(priced["cost"]["usd"])
    assert run["metrics"]["total_input_tokens"] == 600 + 75 + 70
    assert "cost_usd" not in runs[unpriced["session_id"]]["metrics"]
    assert runs[unpriced["session_id"]]["tags"]["cost.unpriced"] == "gpt-4.5-turbo"
    capsys.readouterr()

    assert main(["compare"]) == 0
    rows = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines() if line.strip()}
    col = rows["provider"].index("cost") - 1  # "median dur" is two words
    assert rows["claude_code"][col] == usd(priced["cost"]["usd"]) and rows["openai_codex"][col] == "?"

    assert main(["export", "--format", "csv"]) == 0
    exported = {r["session_id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert float(exported[priced["session_id"]]["cost_usd"]) == pytest.approx(priced["cost"]["usd"])
    assert exported[unpriced["session_id"]]["cost_unpriced"] == "gpt-4.5-turbo"

    out = tmp_path / "r.html"
    assert main(["report", "--out", str(out)]) == 0
    html = out.read_text()
    for text in ("Cost per day by provider", "Cost per issue", "#583", "Cost per model", "claude-opus-4-20250514"):
        assert text in html, text

    assert main(["sessions"]) == 0
    listing = capsys.readouterr().out
    assert usd(priced["cost"]["usd"]) in listing


def _folder(rec: dict[str, object]) -> Path:
    from aitrack.paths import session_dir

    return session_dir(str(rec["session_id"]))


def test_otlp_metrics_give_cost_in_usd() -> None:
    from aitrack.export.otlp import metrics_payload

    payload = metrics_payload([{"session_id": "s", "start_time": 1.0, "metrics": {"cost_usd": 0.19, "commits": 1.0}}])
    metrics = {m["name"]: m for m in payload["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]}
    assert metrics["aitrack.cost_usd"]["unit"] == "USD" and metrics["aitrack.commits"]["unit"] == "1"
    assert metrics["aitrack.cost_usd"]["gauge"]["dataPoints"][0]["asDouble"] == 0.19
