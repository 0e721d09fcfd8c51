"""The mlflow-free parts of the store: where the store is, record → run fields, local filters."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aitrack.sessionrecord import SessionRecord
from aitrack.errors import AitrackError
from aitrack.store import localsearch, mapping, uri

RECORD = {
    "session_id": "20261127T140200000Z-abc123", "provider": "claude_code",
    "detection": {"source": "structured", "evidence": "claude jsonl"},
    "metrics": {"commands_executed": 12, "errors_encountered": 0, "tool_uses": 20, "user_prompts": 2,
                "git_operations": 3, "files_touched": 2, "input_tokens": 10, "output_tokens": 5,
                "cache_read_input_tokens": None, "duration_seconds": 61.5},
    "prompts": ["close-issue 583 please", "and run the tests"], "models": ["claude-opus-4-5"],
    "commands": [{"command": "pytest -q", "is_error": True, "output": "1 failed"}],
    "commits": [{"sha": "a" * 40, "repo": "/r", "subject": "Fix (#583)"}, {"sha": "b" * 40, "repo": "/r", "subject": "Tests"}],
    "issue_numbers": [583, 12], "issue_number": 583, "procedure_name": "close-issue",
    "exit_code": 0, "success": True, "interrupted": False,
    "meta": {"id": "20261127T140200000Z-abc123", "argv": ["claude", "close-issue 583 please"], "tool": "claude",
             "cwd": "/r", "git_root": "/r", "git_branch": "issue-583", "git_head": "c" * 40,
             "started_at_epoch": 1795750000.0, "ended_at_epoch": 1795750061.5, "user": "ana"},
}


def test_embedded_store_is_absolute_sqlite_with_its_own_artifact_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(tmp_path))
    loc = uri.resolve()
    assert loc.tracking_uri == f"sqlite:///{tmp_path}/mlflow.db" and loc.tracking_uri.startswith("sqlite:////")
    assert loc.artifact_root == str(tmp_path / "artifacts") and loc.embedded
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://mlflow.internal:5000")
    assert uri.resolve() == uri.StoreLocation("http://mlflow.internal:5000", None, False)


def test_config_file_names_a_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from aitrack import config

    cfg = tmp_path / "config.toml"
    cfg.write_text('tracking_uri = "http://team:5000"\nexperiment = "team-sessions"\n')
    monkeypatch.setenv("AITRACK_CONFIG", str(cfg))
    config.load.cache_clear()
    try:
        assert uri.resolve().tracking_uri == "http://team:5000"
        assert config.experiment_name() == "team-sessions"
    finally:
        config.load.cache_clear()


def test_file_store_is_refused_with_the_migration_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"file://{tmp_path}/mlruns")
    with pytest.raises(AitrackError, match="mlflow migrate-filestore --source"):
        uri.resolve()
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    assert uri.old_file_store_hint(tmp_path) is None
    (tmp_path / "mlruns" / "0").mkdir(parents=True)
    hint = uri.old_file_store_hint(tmp_path)
    assert hint and f"--source {tmp_path}/mlruns" in hint and "sqlite:///" in hint


def test_record_maps_to_seed_tags_params_and_metrics() -> None:
    tags, params, metrics = mapping.tags(SessionRecord.from_json(RECORD)), mapping.params(SessionRecord.from_json(RECORD)), mapping.metrics(SessionRecord.from_json(RECORD))
    assert tags["type"] == "ai_session" and tags["provider"] == "claude_code"
    assert tags["git.commits"] == f"{'a' * 40},{'b' * 40}"
    assert tags["mlflow.source.git.commit"] == "b" * 40  # the last commit
    assert tags[f"aitrack.commit.{'a' * 40}"] == "1" and tags["issues"] == "583,12"
    assert tags["git.branch"] == "issue-583" and tags["mlflow.user"] == "ana"
    assert params == {"procedure_name": "close-issue", "issue_number": "583", "cwd": "/r",
                      "command": "claude 'close-issue 583 please'"}
    assert metrics["success"] == 1.0 and metrics["duration_seconds"] == 61.5 and metrics["commits"] == 2
    assert "cache_read_input_tokens" not in metrics and metrics["total_tokens"] == 15
    assert mapping.run_name(SessionRecord.from_json(RECORD)).startswith("claude · close-issue 583 please · ")
    note = tags["mlflow.note.content"]
    assert "> close-issue 583 please" in note and "✗ `pytest -q`" in note and "`aaaaaaaaaaaa` Fix (#583)" in note


def test_long_values_are_cut_below_mlflows_silent_limits() -> None:
    big = dict(RECORD, commands=[{"command": "x" * 500}] * 2000, meta=dict(RECORD["meta"], argv=["claude", "y" * 9000]))
    assert len(mapping.tags(SessionRecord.from_json(big))["mlflow.note.content"]) <= mapping.TAG_MAX
    assert len(mapping.params(SessionRecord.from_json(big))["command"]) <= mapping.PARAM_MAX


@pytest.mark.parametrize(("search", "hit"), [
    ('tags.type = "ai_session"', True),
    ("tags.provider = 'claude_code' AND metrics.commands_executed > 10", True),
    ("metrics.errors_encountered > 0", False),
    ("metrics.success = 1 and metrics.duration_seconds > 30", True),
    ('params.procedure_name = "close-issue"', True),
    ('params.issue_number = "123"', False),
    ("tags.`git.branch` LIKE 'issue-%'", True),
    ('tags.model ILIKE "%OPUS%"', True),
    ('params.command = "claude \'close-issue 583 please\'"', True),
    ('params.procedure_name != "close-issue" and tags.type = "ai_session"', False),
])
def test_local_filter_agrees_with_mlflow_syntax(search: str, hit: bool) -> None:
    assert localsearch.matches(SessionRecord.from_json(RECORD), localsearch.parse_filter(search)) is hit


def test_local_filter_rejects_what_it_cannot_read() -> None:
    with pytest.raises(AitrackError, match="cannot read filter clause"):
        localsearch.parse_filter("provider is claude")


def test_store_helpers_do_not_import_mlflow() -> None:
    code = ("import sys; import aitrack.store, aitrack.store.uri, aitrack.store.mapping, aitrack.store.server, "
            "aitrack.store.localsearch, aitrack.commands.ui; assert 'mlflow' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
