"""Factory droid's session JSONL, as recorded from the real CLI in print mode (tests/data/agents/droid,
see tests/e2e/record_print.py): exact counts, told apart from Claude's, the locator, `aitrack parse`
on file / folder / HOME and `aitrack import droid`."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from parse.agentkit import counts, import_twice, parsed

from aitrack.parse import iter_sessions, parse_path, parse_text
from aitrack.parse.locate import find_agent_logs, parse_session_logs

SESSION_ID = "fbeac17a-a875-4a7d-839e-1d3c39ad93ce"
CWD = "/tmp/record-droid-9lfph1z8/repo"
SLUG = "-tmp-record-droid-9lfph1z8-repo"
DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "droid"
LOG = DATA / ".factory" / "sessions" / SLUG / f"{SESSION_ID}.jsonl"
COMMANDS = ["git status --short", "ls tests-that-do-not-exist", "git add notes.txt && git commit -m 'Add notes #42'",
            "git log --oneline -2"]
START = 1796279592.668  # first timestamp, 2026-12-03T06:33:12.668Z
END = START + 1.647


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in LOG.read_text().splitlines() if line.strip()]


def _blocks(role: str, kind: str) -> list[dict[str, Any]]:
    return [c for r in _records() if r.get("type") == "message" and r["message"]["role"] == role
            for c in r["message"]["content"] if c.get("type") == kind]


def test_counts_are_exact() -> None:
    s = parse_path(LOG)
    m = s.metrics
    assert s.provider == "factory_droid" and s.detection.source == "structured"  # not claude_code
    assert s.agent_session_id == SESSION_ID and s.cwd == CWD
    # Counted apart from the parser, on the raw records: tool_use blocks, Execute inputs, the one
    # user text that is not a <system-reminder>, results flagged is_error.
    uses = _blocks("assistant", "tool_use")
    assert m.tool_uses == len(uses) == 5
    assert s.tool_uses_by_name == {"Create": 1, "Execute": 4}
    assert [c.command for c in s.commands] == [u["input"]["command"] for u in uses if u["name"] == "Execute"] == COMMANDS
    texts = [c["text"] for c in _blocks("user", "text") if not c["text"].startswith("<system-reminder>")]
    assert s.prompts == texts == ["Write notes.txt with a line about issue #42, check the tests and commit it"]
    assert m.user_prompts == 1 and m.commands_executed == 4
    assert m.git_operations == 4  # git status, git add, git commit, git log
    assert [c.exit_code for c in s.commands] == [0, 2, 0, 0]
    assert m.errors_encountered == sum(1 for c in _blocks("user", "tool_result") if c["is_error"]) == 1
    assert s.commands[0].output.startswith("?? notes.txt")
    assert s.files == ["notes.txt"]  # Create's file_path, under the cwd
    # Tokens only in <uuid>.settings.json (tokenUsage), the session's totals.
    usage = json.loads(LOG.with_name(f"{SESSION_ID}.settings.json").read_text())["tokenUsage"]
    assert (m.input_tokens, m.output_tokens) == (usage["inputTokens"], usage["outputTokens"]) == (900, 180)
    assert s.models == ["custom:Scripted-0"] and s.issue_numbers == [42]
    assert (s.started_at, s.ended_at) == ("2026-12-03T06:33:12.668Z", "2026-12-03T06:33:14.315Z")
    assert s.warnings == []


def test_without_its_settings_file_no_tokens_and_nothing_else_lost() -> None:
    s = parse_text(LOG.read_text(), name="droid.jsonl")
    assert s.provider == "factory_droid" and s.metrics.commands_executed == 4 and s.metrics.input_tokens is None


def test_forced_provider_by_tool_name() -> None:
    assert parse_path(LOG, provider="droid").metrics.commands_executed == 4


def test_home_like_folder() -> None:
    found = [(s.provider, s.agent_session_id) for s in iter_sessions(DATA)
             if s.detection.source == "structured" and s.provider != "generic"]
    assert found == [("factory_droid", SESSION_ID)]


def _lay_out(home: Path) -> Path:
    dest = home / ".factory" / "sessions" / SLUG
    dest.mkdir(parents=True)
    for src in LOG.parent.iterdir():
        shutil.copy2(src, dest / src.name)
    os.utime(dest / LOG.name, (END, END))
    return dest / LOG.name


def test_locate_the_sessions_own_log(isolated_home: Path) -> None:
    log = _lay_out(isolated_home)
    meta = {"tool": "droid", "provider": "factory_droid", "cwd": CWD, "started_at_epoch": START - 1,
            "ended_at_epoch": END + 1, "argv": ["droid", "exec", "hi"]}
    assert find_agent_logs(meta) == [log]
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.input_tokens == 900
    assert find_agent_logs(dict(meta, started_at_epoch=END + 3600, ended_at_epoch=END + 3700)) == []
    assert find_agent_logs(dict(meta, cwd="/elsewhere")) == []


def test_aitrack_parse_on_file_folder_and_home(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The settings file beside the log is read by its parser, not reported as a log of its own."""
    log = _lay_out(isolated_home)

    for path in (log, log.parent, isolated_home / ".factory", isolated_home):
        assert parsed(path, capsys) == [("factory_droid", 4)], path


def test_import_droid_twice(isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    _lay_out(isolated_home)
    assert counts(import_twice(isolated_home, monkeypatch, capsys, "droid", "factory_droid")) == (1, 5, 4, 4, 1)