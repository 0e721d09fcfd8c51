"""The typed session record (aitrack/sessionrecord.py): every fixture's session.json reads and
writes back byte for byte; older records (missing fields) and newer ones (unknown fields) lose
nothing; the readers read attributes, never the record's dict."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aitrack.sessionrecord import Command, Commit, Metrics, SessionRecord, read_record
from support import FIXTURES, require_fixtures

ROOT = Path(__file__).resolve().parent.parent
AGENTS = {"claude": "claude", "codex": "codex", "gemini": "gemini", "aider": "aider"}


def _logs() -> list[str]:
    if not FIXTURES.is_dir():
        return []
    return sorted(f"{kind}/{p.name}" for kind in AGENTS if (FIXTURES / kind).is_dir()
                  for p in (FIXTURES / kind).iterdir() if p.suffix in (".jsonl", ".json", ".md"))


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True, default=str) + "\n"  # as ingest writes session.json


@pytest.mark.parametrize("name", _logs() or ["(no fixtures)"])
def test_every_fixtures_record_round_trips_byte_for_byte(name: str) -> None:
    require_fixtures()
    from aitrack.ingest.local import build_record
    from aitrack.sessiondir import RECORD
    from ingest.kit import make_session

    tool = AGENTS[name.split("/", 1)[0]]
    folder = make_session(tool=tool, argv=[tool], duration=30)
    built = build_record(folder, agent_logs=[FIXTURES / name])
    text = (folder / RECORD).read_text()
    record = SessionRecord.from_json(json.loads(text))
    assert _dumps(record.to_json()) == text
    # This version knows every field its own ingest writes: nothing is left untyped.
    assert record.extra == {} and record.metrics.extra == {}
    assert all(c.extra == {} for c in record.commands) and all(c.extra == {} for c in record.commits)
    # The attributes are the JSON's values.
    assert record.session_id == built["session_id"] == folder.name
    assert record.provider == built["provider"] and record.detection.source == built["detection"]["source"]
    assert record.metrics.tool_uses == built["metrics"]["tool_uses"]
    assert record.metrics.input_tokens == built["metrics"]["input_tokens"]
    assert [c.command for c in record.commands] == [c["command"] for c in built["commands"]]
    assert record.prompts == built["prompts"] and record.success is built["success"]
    assert (record.cost is None) == (built.get("cost") is None)


def test_an_older_record_reads_with_defaults_and_gains_nothing_when_saved() -> None:
    old = {"session_id": "20250101T000000000Z-abcdef", "provider": "claude_code",
           "metrics": {"tool_uses": 3, "commands_executed": 1}, "commands": [{"command": "ls"}],
           "meta": {"tool": "claude", "argv": ["claude", "fix it"]}}
    record = SessionRecord.from_json(old)
    assert record.to_json() == old  # no defaults written into it
    assert record.commits == [] and record.cost is None and record.interrupted is False
    assert record.metrics.input_tokens is None and record.metrics.user_prompts == 0
    assert record.commands[0].exit_code is None and record.commands[0].is_error is False
    assert not record.has("exit_code") and record.has("provider")
    from aitrack.store import mapping

    assert mapping.tags(record)["provider"] == "claude_code" and mapping.metrics(record)["tool_uses"] == 3.0
    assert mapping.run_name(record).startswith("claude · fix it")


def test_unknown_and_odd_fields_are_kept_through_reading_and_replacing() -> None:
    newer = {"session_id": "s1", "a_future_field": {"x": [1, 2]}, "metrics": {"tool_uses": 1, "new_count": 5},
             "commits": [{"sha": "a" * 40, "signed": True}], "cost": {"usd": 0.5, "currency": "USD"},
             "commands": [1, "not an object"], "interrupted": "yes", "warnings": None}
    record = SessionRecord.from_json(newer)
    assert record.to_json() == newer
    # A value of the wrong shape is kept aside; the attribute keeps its type.
    assert record.commands == [] and record.interrupted is False and record.warnings == []
    assert record.extra["commands"] == [1, "not an object"] and record.extra["a_future_field"] == {"x": [1, 2]}
    assert record.commits[0].sha == "a" * 40 and record.commits[0].extra == {"signed": True}
    assert record.metrics.to_json()["new_count"] == 5
    changed = record.replace(warnings=["w"], commits=[Commit.from_json({"sha": "b" * 40})])
    assert changed.to_json() == {**newer, "warnings": ["w"], "commits": [{"sha": "b" * 40}]}
    assert record.to_json() == newer  # the original is untouched


def test_the_record_is_frozen() -> None:
    record = SessionRecord.from_json({"session_id": "s1"})
    with pytest.raises(AttributeError):
        record.session_id = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Metrics.from_json({}).tool_uses = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        record.replace(no_such_field=1)
    assert record.replace(session_id="other").session_id == "other" and record.session_id == "s1"
    assert Command.from_json({"command": "ls"}) == Command.from_json({"command": "ls"})


def test_read_record_answers_none_for_what_is_not_a_record(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    assert read_record(str(path)) is None  # no file
    path.write_text('{"session_id": "s1", "provi')  # half-written
    assert read_record(str(path)) is None
    path.write_text("[1, 2]")
    assert read_record(str(path)) is None
    path.write_text('{"session_id": "s1"}')
    assert read_record(str(path)) == SessionRecord.from_json({"session_id": "s1"})


def test_importing_the_record_costs_the_hot_path_no_typing_or_dataclasses() -> None:
    code = ("import sys, aitrack.sessionrecord; "
            "print(' '.join(m for m in ('typing', 'dataclasses', 'pathlib', 'click', 'mlflow') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-S", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(ROOT)})
    assert res.returncode == 0 and res.stdout.strip() == "", res.stdout + res.stderr


# The modules that read a session record after ingest built it: they take a SessionRecord, so a
# `record.get("x")` or `record["x"]` there is a regression to the untyped dict (mypy strict
# catches it where the parameter is annotated; this catches a reader annotated back to dict).
READERS = ["store/mapping.py", "store/description.py", "store/trace.py", "store/turns.py", "store/localsearch.py",
           "store/localrows.py", "store/mlflow_store.py", "store/live.py", "alerts.py", "commands/show.py",
           "commands/export.py", "export/otlp.py", "ingest/pipeline.py", "ingest/artifacts.py"]


@pytest.mark.parametrize("module", READERS)
def test_readers_read_attributes_not_the_records_dict(module: str) -> None:
    tree = ast.parse((ROOT / "aitrack" / module).read_text())
    found = []
    for node in ast.walk(tree):
        target = node.value if isinstance(node, (ast.Subscript, ast.Attribute)) else None
        if isinstance(target, ast.Name) and target.id in ("record", "rec"):
            if isinstance(node, ast.Subscript) or (isinstance(node, ast.Attribute) and node.attr in ("get", "setdefault")):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.arg) and node.arg in ("record", "rec") and node.annotation is not None:
            if "dict" in ast.unparse(node.annotation):
                found.append(f"line {node.lineno}: parameter {node.arg}: {ast.unparse(node.annotation)}")
    assert found == [], found
