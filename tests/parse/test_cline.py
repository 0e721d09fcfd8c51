"""Cline CLI's `<id>.messages.json`, recorded from the real CLI 3.0.65 (tests/data/agents/cline,
tests/e2e/record_sessions.py): exact counts, each checked against the recording read with `json`
in the test itself; the metadata file beside it; the locator."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from aitrack.parse import iter_sessions, parse_path, parse_text
from aitrack.parse.locate import find_agent_logs, parse_session_logs

DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "cline"
SESSION_ID = "1796277038465_khdn3"
FOLDER = DATA / ".cline" / "data" / "sessions" / SESSION_ID
LOG = FOLDER / f"{SESSION_ID}.messages.json"
META = FOLDER / f"{SESSION_ID}.json"
CWD = "/tmp/record-cline-h0npkrx4/repo"


def blocks(role: str, kind: str) -> list[dict]:
    doc = json.loads(LOG.read_text())
    return [b for m in doc["messages"] if m["role"] == role for b in m["content"] if b["type"] == kind]


def test_counts_are_exact() -> None:
    s = parse_path(LOG)
    m = s.metrics
    assert s.provider == "cline" and s.detection.source == "structured" and s.warnings == []
    assert s.agent_session_id == SESSION_ID and s.cwd == CWD == json.loads(META.read_text())["cwd"]
    assert s.tool_version == "3.0.65" and s.git_branch == "main"
    wrapped = [b["text"] for b in blocks("user", "text")]
    prompts = [re.fullmatch(r'<user_input mode="act">(.*)</user_input>', t, re.S).group(1) for t in wrapped]
    assert s.prompts == prompts == ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                                    "Show the last two commits"]
    calls = blocks("assistant", "tool_use")
    commands = [c for b in calls if b["name"] == "run_commands" for c in b["input"]["commands"]]
    assert [c.command for c in s.commands] == commands
    assert m.tool_uses == len(calls) == 5 and m.commands_executed == len(commands) == 4
    assert s.tool_uses_by_name == {"apply_patch": 1, "run_commands": 4}
    results = [e for b in blocks("user", "tool_result") if isinstance(b["content"], list) for e in b["content"]]
    failed = [e["query"] for e in results if not e["success"]]
    assert [c.command for c in s.commands if c.is_error] == failed == ["ls tests-that-do-not-exist"]
    assert [c.exit_code for c in s.commands] == [0, 0, 2, 0] and m.errors_encountered == 1
    assert m.git_operations == sum(p.strip().startswith("git ") for c in commands for p in c.split("&&")) == 4
    assert s.files == ["notes.txt"] and m.files_touched == 1  # from apply_patch's "*** Add File: notes.txt"
    responses = [msg["metrics"] for msg in json.loads(LOG.read_text())["messages"] if msg["role"] == "assistant"]
    assert (m.input_tokens, m.output_tokens) == (sum(r["inputTokens"] for r in responses),
                                                 sum(r["outputTokens"] for r in responses)) == (1200, 240)
    assert len(s.usage) == len(responses) == 8 and s.models == ["gpt-scripted"]
    assert s.issue_numbers == [42] and s.reported_cost_usd is None  # Cline wrote no cost for this model


def test_without_its_metadata_the_cwd_comes_from_the_system_prompt(tmp_path: Path) -> None:
    shutil.copy2(LOG, tmp_path / LOG.name)
    s = parse_path(tmp_path / LOG.name)
    assert s.cwd == CWD and s.metrics.commands_executed == 4


def test_several_commands_in_one_call() -> None:
    """`run_commands` may batch: each command counts, each gets its own result and exit code."""
    doc = {"version": 1, "sessionId": "x", "agent": "lead", "messages": [
        {"role": "user", "content": [{"type": "text", "text": '<user_input mode="act">check</user_input>'}]},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "c1", "name": "run_commands",
                                           "input": {"commands": ["git status", "false", "git log -1"]}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "c1", "name": "run_commands", "content": [
            {"query": "git status", "result": "clean", "success": True},
            {"query": "false", "result": "[Command exited with code 1]\n", "error": "Command exited with code 1",
             "success": False},
            {"query": "git log -1", "result": "abc", "success": True}]}]}]}
    s = parse_text(json.dumps(doc))
    assert s.provider == "cline" and s.prompts == ["check"]
    assert [(c.command, c.exit_code) for c in s.commands] == [("git status", 0), ("false", 1), ("git log -1", 0)]
    assert (s.metrics.tool_uses, s.metrics.commands_executed, s.metrics.git_operations) == (1, 3, 2)
    assert s.metrics.errors_encountered == 1


def test_folder_and_home_like_folder() -> None:
    """The metadata file is read with the messages file, not reported as a log of its own."""
    for root in (FOLDER, DATA / ".cline"):
        found = [(s.provider, s.agent_session_id, s.warnings) for s in iter_sessions(root)]
        assert found == [("cline", SESSION_ID, [])]


def test_locate_the_sessions_own_file(isolated_home: Path) -> None:
    dest = isolated_home / ".cline" / "data" / "sessions" / SESSION_ID
    shutil.copytree(FOLDER, dest)
    start, end = 1796277038.466, 1796277047.730  # the metadata's started_at / ended_at
    for f in dest.iterdir():
        os.utime(f, (end, end))
    meta = {"tool": "cline", "provider": "cline", "cwd": CWD, "started_at_epoch": start - 1,
            "ended_at_epoch": end + 1, "argv": ["cline", "-i"]}
    assert find_agent_logs(meta) == [dest / LOG.name]
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.commands_executed == 4
    assert find_agent_logs(dict(meta, cwd="/somewhere/else")) == []
    later = dict(meta, started_at_epoch=end + 3600, ended_at_epoch=end + 3700)
    assert find_agent_logs(later) == []
    # `cline --id <id>` resumes an older session (and writes to it): named on the command line, it is this one's.
    for f in dest.iterdir():
        os.utime(f, (end + 3650, end + 3650))
    assert find_agent_logs(dict(later, argv=["cline", "--id", SESSION_ID])) == [dest / LOG.name]
