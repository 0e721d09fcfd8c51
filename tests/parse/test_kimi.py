"""Kimi CLI's wire.jsonl, as recorded from the real CLI (kimi-cli 1.51.0) in its TUI with three prompts
(tests/data/agents/kimi, see tests/e2e/record_sessions.py): exact counts checked against the raw
events and against context.jsonl (Kimi's other copy of the conversation), the locator, the screen
patterns, `aitrack parse` on file / folder / HOME and `aitrack import kimi`."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from parse.agentkit import counts, import_twice, parsed

from aitrack.parse import iter_sessions, parse_path, parse_text
from aitrack.parse.locate import find_agent_logs, parse_session_logs

SESSION_ID = "5244d5d0-3cf9-4996-b213-8449338f76e6"
CWD = "/tmp/record-kimi-3ysctqov/repo"
DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "kimi"
FOLDER = DATA / ".kimi" / "sessions" / hashlib.md5(CWD.encode()).hexdigest() / SESSION_ID
LOG = FOLDER / "wire.jsonl"
PROMPTS = ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
           "Show the last two commits"]
COMMANDS = ["git status --short", "git add notes.txt && git commit -m 'Add notes #42'", "ls tests-that-do-not-exist",
            "git log --oneline -2"]
START = 1796301505.2522035  # the first TurnBegin
END = 1796301526.3607457  # the last TurnEnd


def _events(kind: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in LOG.read_text().splitlines() if line.strip()]
    return [r["message"]["payload"] for r in rows if r.get("message", {}).get("type") == kind]


def _context() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (FOLDER / "context.jsonl").read_text().splitlines() if line.strip()]


def test_counts_are_exact() -> None:
    s = parse_path(LOG)
    m = s.metrics
    assert s.provider == "kimi_cli" and s.detection.source == "structured"
    assert s.agent_session_id == SESSION_ID and s.cwd == CWD  # the folder's name; kimi.json's work dir
    # Counted apart from the parser: the wire's events, and the same facts in context.jsonl.
    calls = _events("ToolCall")
    assert m.tool_uses == len(calls) == 5
    assert s.tool_uses_by_name == {"WriteFile": 1, "Shell": 4}
    shell = [json.loads(c["function"]["arguments"])["command"] for c in calls if c["function"]["name"] == "Shell"]
    assert [c.command for c in s.commands] == shell == COMMANDS
    context_calls = [t for r in _context() if r.get("role") == "assistant" for t in r.get("tool_calls") or []]
    assert [t["id"] for t in context_calls] == [c["id"] for c in calls]
    texts = [p["text"] for e in _events("TurnBegin") for p in e["user_input"]]
    assert s.prompts == texts == [r["content"] for r in _context() if r.get("role") == "user"] == PROMPTS
    assert m.user_prompts == 3 and m.commands_executed == 4
    assert m.git_operations == 4  # git status, git add, git commit, git log
    assert [c.exit_code for c in s.commands] == [0, 0, 2, 0]  # "Command failed with exit code: 2."
    results = _events("ToolResult")
    assert m.errors_encountered == sum(1 for r in results if r["return_value"]["is_error"]) == 1
    assert s.commands[0].output == "?? notes.txt\n"
    assert s.files == ["notes.txt"]  # WriteFile's path, under the cwd
    usage = [e["token_usage"] for e in _events("StatusUpdate") if e.get("token_usage")]
    assert len(usage) == len(s.usage) == 8  # one per model response: 8 requests in requests.txt
    assert len((DATA / "requests.txt").read_text().splitlines()) == 8
    assert (m.input_tokens, m.output_tokens) == (sum(u["input_other"] for u in usage),
                                                 sum(u["output"] for u in usage)) == (1200, 240)
    assert s.models == []  # the wire names no model (only the TUI's banner does)
    assert s.issue_numbers == [42]
    assert (s.started_at, s.ended_at) == ("2026-12-03T12:38:25.252Z", "2026-12-03T12:38:46.360Z")
    assert len(s.writes) == 1 and s.writes[0].file.endswith("notes.txt")  # WriteFile's line, for attribution
    assert s.warnings == []


def test_a_wire_without_its_folder_keeps_everything_but_id_and_cwd() -> None:
    s = parse_text(LOG.read_text(), name="wire.jsonl")
    assert s.provider == "kimi_cli" and s.metrics.commands_executed == 4 and s.metrics.user_prompts == 3
    assert s.agent_session_id is None and s.cwd is None


def test_forced_provider_by_tool_name() -> None:
    assert parse_path(LOG, provider="kimi").metrics.commands_executed == 4


def test_a_window_keeps_what_was_written_then() -> None:
    """Epoch timestamps: a resumed session's earlier turns stay out of this session's window."""
    s = parse_path(LOG, window=(1796301518.0 + 2, END))  # the slack reaches back 2 s: prompts 2 and 3
    assert s.prompts == PROMPTS[1:] and s.metrics.commands_executed == 2


def test_home_like_folder() -> None:
    found = [(s.provider, s.agent_session_id) for s in iter_sessions(DATA)
             if s.detection.source == "structured" and s.provider != "generic"]
    assert found == [("kimi_cli", SESSION_ID)]


def _lay_out(home: Path) -> Path:
    dest = home / FOLDER.relative_to(DATA)
    shutil.copytree(FOLDER, dest)
    shutil.copy2(DATA / ".kimi" / "kimi.json", home / ".kimi" / "kimi.json")
    os.utime(dest / "wire.jsonl", (END, END))
    return dest / "wire.jsonl"


def test_locate_the_sessions_own_log(isolated_home: Path) -> None:
    log = _lay_out(isolated_home)
    meta = {"tool": "kimi", "provider": "kimi_cli", "cwd": CWD, "started_at_epoch": START - 9,
            "ended_at_epoch": END + 9, "argv": ["kimi"]}
    assert find_agent_logs(meta) == [log]
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.commands_executed == 4
    assert find_agent_logs(dict(meta, started_at_epoch=END + 3600, ended_at_epoch=END + 3700)) == []
    assert find_agent_logs(dict(meta, cwd="/elsewhere")) == []
    # `kimi -r <id>` an hour later: named on the command line, found although written before.
    later = dict(meta, started_at_epoch=END + 3600, ended_at_epoch=END + 3700, argv=["kimi", "-r", SESSION_ID])
    assert find_agent_logs(later) == [log]


def test_aitrack_parse_on_file_folder_and_home(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """context.jsonl, state.json and kimi.json are read with the wire or not at all: never a session."""
    log = _lay_out(isolated_home)

    for path in (log, log.parent, isolated_home / ".kimi", isolated_home):
        assert parsed(path, capsys) == [("kimi_cli", 4)], path


def test_import_kimi_twice(isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    _lay_out(isolated_home)
    assert counts(import_twice(isolated_home, monkeypatch, capsys, "kimi", "kimi_cli")) == (3, 5, 4, 4, 1)


def test_detects_kimi_from_its_screen() -> None:
    """The TUI capture of the recording (`aitrack run kimi`, three prompts, approvals by Enter): the
    screen patterns alone name the agent and read its `• Used` rows and the failed command."""
    from aitrack.parse.terminal import parse_transcript

    s = parse_transcript(DATA / "tui" / "output.raw")
    assert s.provider == "kimi_cli" and s.detection.source == "terminal"
    assert "banner" in s.detection.evidence and "• Used Tool" in s.detection.evidence
    assert [c.command for c in s.commands] == COMMANDS
    assert [c.is_error for c in s.commands] == [False, False, True, False]
    assert s.prompts == PROMPTS and s.files == ["notes.txt"]
    forced = parse_path(DATA / "tui" / "output.raw", provider="kimi")  # read as a screen, not as a wire
    assert forced.provider == "kimi_cli" and forced.metrics.commands_executed == 4


def test_a_subagents_events_count_but_its_task_is_no_prompt() -> None:
    """Kimi wraps a subagent's events as `SubagentEvent {agent_id, event {type, payload}}` (its
    wire/types.py envelope). The recording's second turn replayed inside one: its Shell call and
    failure count, its TurnBegin (the task the main agent gave) is not a person's prompt."""
    rows = [json.loads(line) for line in LOG.read_text().splitlines() if line.strip()]
    second = [i for i, r in enumerate(rows) if r.get("message", {}).get("type") == "TurnBegin"][1]
    end = next(i for i in range(second, len(rows)) if rows[i]["message"]["type"] == "TurnEnd")
    wrapped = [{"timestamp": r["timestamp"],
                "message": {"type": "SubagentEvent", "payload": {"parent_tool_call_id": "call_agent", "agent_id": "a1",
                                                                 "subagent_type": "coder", "event": r["message"]}}}
               for r in rows[second:end + 1]]
    text = "\n".join(json.dumps(r) for r in rows[:second] + wrapped + rows[end + 1:])
    s = parse_text(text, name="wire.jsonl")
    assert s.prompts == [PROMPTS[0], PROMPTS[2]] and s.metrics.commands_executed == 4
    assert [c.exit_code for c in s.commands] == [0, 0, 2, 0] and s.metrics.errors_encountered == 1
    assert [c.agent for c in s.tool_calls] == [None, None, None, "a1", None]
