"""GitHub Copilot CLI's events.jsonl, as recorded from the real CLI (tests/data/agents/copilot, see
tests/e2e/record_sessions.py): exact counts, the locator, backfill roots."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from aitrack.parse import iter_sessions, parse_path
from aitrack.parse.locate import find_agent_logs, parse_session_logs

SESSION_ID = "a5e30e2d-2e76-471b-b136-57780f4a06f7"
DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "copilot"
EVENTS = DATA / ".copilot" / "session-state" / SESSION_ID / "events.jsonl"
# Counted with jq on the recording: tool.execution_start by toolName, shellExecution.exitCode,
# session.usage_record inputTokens summed, user.message content, session.start data.
CWD = "/tmp/record-copilot-hb3bep45/repo"
COMMANDS = ["git status --short", "git add notes.txt && git commit -m 'Add notes #42'",
            "ls tests-that-do-not-exist", "git log --oneline -2"]
START = 1796251371.202  # session.start startTime 2026-12-02T22:42:51.202Z


def test_counts_are_exact() -> None:
    s = parse_path(EVENTS)
    m = s.metrics
    assert s.provider == "copilot_cli" and s.detection.source == "structured"
    assert s.agent_session_id == SESSION_ID and s.cwd == CWD and s.git_branch == "main"
    assert s.tool_version == "1.0.102"  # session.start copilotVersion
    assert s.prompts == ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                         "Show the last two commits"]
    assert (m.user_prompts, m.tool_uses, m.commands_executed, m.git_operations) == (3, 5, 4, 4)
    assert s.tool_uses_by_name == {"apply_patch": 1, "bash": 4}
    assert [c.command for c in s.commands] == COMMANDS
    # `success` is true for all five; the exit code of `ls` is 2.
    assert [c.exit_code for c in s.commands] == [0, 0, 2, 0] and m.errors_encountered == 1
    assert s.commands[2].output == "ls: cannot access 'tests-that-do-not-exist': No such file or directory"
    assert s.files == ["notes.txt"]
    assert (m.input_tokens, m.output_tokens, m.cache_read_input_tokens) == (1200, 240, 0)
    assert s.models == ["gpt-scripted"] and s.issue_numbers == [42]
    assert s.started_at == "2026-12-02T22:42:51.202Z" and s.warnings == []


def test_folder_and_home_like_folder() -> None:
    for root in (EVENTS.parent.parent, DATA):
        ids = [(s.provider, s.agent_session_id) for s in iter_sessions(root) if s.detection.source == "structured"
               and s.provider != "generic"]
        assert ids == [("copilot_cli", SESSION_ID)]


def _laid_out(home: Path) -> Path:
    dest = home / ".copilot" / "session-state" / SESSION_ID
    dest.mkdir(parents=True)
    shutil.copy2(EVENTS, dest / "events.jsonl")
    os.utime(dest / "events.jsonl", (START + 18, START + 18))
    return dest / "events.jsonl"


def test_locate_the_sessions_own_file(isolated_home: Path) -> None:
    events = _laid_out(isolated_home)
    meta = {"tool": "copilot", "provider": "copilot_cli", "cwd": CWD, "started_at_epoch": START - 1,
            "ended_at_epoch": START + 20, "argv": ["copilot"]}
    assert find_agent_logs(meta) == [events]
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.commands_executed == 4
    assert find_agent_logs(dict(meta, cwd="/elsewhere")) == []
    # A session begun an hour earlier is not this one, unless the command line resumed it.
    later = dict(meta, started_at_epoch=START + 3600, ended_at_epoch=START + 3700)
    os.utime(events, (START + 3650, START + 3650))
    assert find_agent_logs(later) == []
    assert find_agent_logs(dict(later, argv=["copilot", f"--resume={SESSION_ID}"])) == [events]


def test_import_roots(isolated_home: Path) -> None:
    from aitrack.backfill.sources import default_roots, files_for

    events = _laid_out(isolated_home)
    assert files_for("copilot", default_roots("copilot")) == [events]


def test_each_usage_record_is_a_priced_response() -> None:
    """One `session.usage_record` = one API response, with its own model, kept for pricing; its
    `cost` (0.0 for a BYOK model) is no reported cost."""
    import json

    records = [json.loads(line)["data"]["usage"] for line in EVENTS.read_text().splitlines()
               if json.loads(line).get("type") == "session.usage_record"]
    s = parse_path(EVENTS)
    assert [(u.model, u.input_tokens, u.output_tokens) for u in s.usage] == [
        (r["model"], r["inputTokens"], r["outputTokens"]) for r in records]
    assert len(records) == 8 and {r["cost"] for r in records} == {0.0} and s.reported_cost_usd is None
