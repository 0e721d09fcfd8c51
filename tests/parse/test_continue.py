"""Continue CLI's `sessions/<uuid>.json`, recorded from the real `cn` 1.5.47 (tests/data/agents/cn,
tests/e2e/record_sessions.py): exact counts, each checked against the recording read with `json`
in the test itself; its index; the locator; the cost Continue reports, kept apart."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from aitrack.parse import iter_sessions, parse_path
from aitrack.parse.locate import find_agent_logs, parse_session_logs

DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "cn"
SESSIONS = DATA / ".continue" / "sessions"
SESSION_ID = "8de17531-db39-4c47-95fd-f6ef962f701f"
LOG = SESSIONS / f"{SESSION_ID}.json"
CWD = "/tmp/record-cn-4ys833m5/repo"


def doc() -> dict:
    return json.loads(LOG.read_text())


def test_counts_are_exact() -> None:
    s = parse_path(LOG)
    m = s.metrics
    d = doc()
    assert s.provider == "continue_cli" and s.detection.source == "structured" and s.warnings == []
    assert s.agent_session_id == SESSION_ID == d["sessionId"] and s.cwd == CWD == d["workspaceDirectory"]
    messages = [h["message"] for h in d["history"]]
    prompts = [msg["content"] for msg in messages if msg["role"] == "user"]
    assert s.prompts == prompts == ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                                    "Show the last two commits"]
    calls = [c for msg in messages for c in msg.get("toolCalls") or []]
    commands = [json.loads(c["function"]["arguments"])["command"] for c in calls if c["function"]["name"] == "Bash"]
    assert [c.command for c in s.commands] == commands
    assert m.tool_uses == len(calls) == 5 and m.commands_executed == len(commands) == 4
    assert s.tool_uses_by_name == {"Write": 1, "Bash": 4}
    states = [st for h in d["history"] for st in h.get("toolCallStates") or []]
    errored = [st["parsedArgs"].get("command") for st in states if st["status"] == "errored"]
    assert [c.command for c in s.commands if c.is_error] == errored == ["ls tests-that-do-not-exist"]
    codes = [int(re.search(r"\(exit code (\d+)\)", st["output"][0]["content"]).group(1)) for st in states
             if st["status"] == "errored"]
    assert [c.exit_code for c in s.commands] == [0, 0, *codes, 0] == [0, 0, 2, 0] and m.errors_encountered == 1
    assert m.git_operations == sum(p.strip().startswith("git ") for c in commands for p in c.split("&&")) == 4
    assert s.files == ["notes.txt"] and m.files_touched == 1
    usage = [msg["usage"] for msg in messages if msg.get("usage")]
    assert (m.input_tokens, m.output_tokens) == (sum(u["prompt_tokens"] for u in usage),
                                                 sum(u["completion_tokens"] for u in usage)) == (1200, 240)
    assert len(s.usage) == len(usage) == 8 and s.models == ["gpt-scripted"] and s.issue_numbers == [42]
    index = json.loads((SESSIONS / "sessions.json").read_text())
    assert s.started_at == "2026-12-03T06:01:37.453Z" and index[0]["dateCreated"] == "1796277697453"


def test_the_cost_continue_reports_is_kept_apart() -> None:
    assert parse_path(LOG).reported_cost_usd == pytest.approx(doc()["usage"]["totalCost"], rel=1e-12)


def test_folder_and_home_like_folder() -> None:
    """sessions.json is Continue's index: not a session, not a warning."""
    for root in (SESSIONS, DATA / ".continue"):
        found = [(s.provider, s.agent_session_id, s.warnings) for s in iter_sessions(root)]
        assert found == [("continue_cli", SESSION_ID, [])]


def test_locate_the_sessions_own_file(isolated_home: Path) -> None:
    dest = isolated_home / ".continue" / "sessions"
    shutil.copytree(SESSIONS, dest)
    start = 1796277697.453  # the index's dateCreated
    for f in dest.iterdir():
        os.utime(f, (start + 10, start + 10))
    meta = {"tool": "cn", "provider": "continue_cli", "cwd": CWD, "started_at_epoch": start - 1,
            "ended_at_epoch": start + 12, "argv": ["cn"]}
    assert find_agent_logs(meta) == [dest / LOG.name]
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.commands_executed == 4
    assert find_agent_logs(dict(meta, cwd="/somewhere/else")) == []
    # Written later, but begun long before: another session's, unless this one resumed it.
    later = dict(meta, started_at_epoch=start + 3600, ended_at_epoch=start + 3700)
    for f in dest.iterdir():
        os.utime(f, (start + 3650, start + 3650))
    assert find_agent_logs(later) == []
    assert find_agent_logs(dict(later, argv=["cn", "--resume"])) == [dest / LOG.name]
