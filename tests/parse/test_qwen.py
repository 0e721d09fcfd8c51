"""Qwen Code's chat JSONL, as recorded from the real CLI (tests/data/agents/qwen, see
tests/e2e/record_sessions.py): exact counts, told apart from Claude's look-alike records, the locator."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from aitrack.parse import iter_sessions, parse_path
from aitrack.parse.locate import find_agent_logs, parse_session_logs

SESSION_ID = "42c4444a-bce6-4154-b911-a361d4e7d214"
CWD = "/tmp/record-qwen-yr0i9l3m/repo"
SLUG = "-tmp-record-qwen-yr0i9l3m-repo"
DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "qwen"
CHAT = DATA / ".qwen" / "projects" / SLUG / "chats" / f"{SESSION_ID}.jsonl"
# Counted with jq on the recording: functionCall names, "Exit Code: N" in the results,
# usageMetadata summed over the 8 assistant records, user parts' text.
COMMANDS = ["git status --short", "git add notes.txt && git commit -m 'Add notes #42'",
            "ls tests-that-do-not-exist", "git log --oneline -2"]
START = 1796251726.709  # first record, 2026-12-02T22:48:46.709Z
END = START + 22.146


def test_counts_are_exact() -> None:
    s = parse_path(CHAT)
    m = s.metrics
    assert s.provider == "qwen_code" and s.detection.source == "structured"  # not claude_code
    assert s.agent_session_id == SESSION_ID and s.cwd == CWD and s.git_branch == "main"
    assert s.tool_version == "0.24.4"  # every record carries the CLI's version
    assert s.prompts == ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                         "Show the last two commits"]
    assert (m.user_prompts, m.tool_uses, m.commands_executed, m.git_operations) == (3, 5, 4, 4)
    assert s.tool_uses_by_name == {"write_file": 1, "run_shell_command": 4}
    assert [c.command for c in s.commands] == COMMANDS
    assert [c.exit_code for c in s.commands] == [0, 0, 2, 0] and m.errors_encountered == 1
    # what the command printed, without the `Command: … Output: … Process Group PGID: N` wrapper
    assert s.commands[0].output == "?? notes.txt"
    assert s.commands[3].output == "bd63507 (HEAD -> main) Add notes #42\nba5704a Initial commit"
    assert s.files == ["notes.txt"]
    assert (m.input_tokens, m.output_tokens, m.cache_read_input_tokens, m.reasoning_output_tokens) == (1200, 240, 0, 0)
    assert s.models == ["gpt-scripted"] and s.issue_numbers == [42]
    assert s.started_at == "2026-12-02T22:48:46.709Z" and s.warnings == []


def test_forced_provider_by_tool_name() -> None:
    assert parse_path(CHAT, provider="qwen").metrics.commands_executed == 4


def test_home_like_folder() -> None:
    found = [(s.provider, s.agent_session_id) for s in iter_sessions(DATA)
             if s.detection.source == "structured" and s.provider != "generic"]
    assert found == [("qwen_code", SESSION_ID)]


def test_locate_the_sessions_own_chat(isolated_home: Path) -> None:
    dest = isolated_home / ".qwen" / "projects" / SLUG / "chats"
    dest.mkdir(parents=True)
    shutil.copy2(CHAT, dest / CHAT.name)
    os.utime(dest / CHAT.name, (END, END))
    meta = {"tool": "qwen", "provider": "qwen_code", "cwd": CWD, "started_at_epoch": START - 1,
            "ended_at_epoch": END + 1, "argv": ["qwen"]}
    assert find_agent_logs(meta) == [dest / CHAT.name]
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.user_prompts == 3
    assert find_agent_logs(dict(meta, started_at_epoch=END + 3600, ended_at_epoch=END + 3700)) == []


def test_each_model_response_is_kept_for_pricing() -> None:
    """Each assistant record's usageMetadata (Gemini's convention: the prompt count holds the cached
    tokens) becomes one priced response with its own model."""
    import json

    usage = [(r["model"], r["usageMetadata"]) for r in map(json.loads, CHAT.read_text().splitlines())
             if r.get("type") == "assistant" and r.get("usageMetadata")]
    s = parse_path(CHAT)
    assert [(u.model, u.input_tokens, u.output_tokens, u.cache_read_tokens) for u in s.usage] == [
        (m, u["promptTokenCount"] - u.get("cachedContentTokenCount", 0),
         u["candidatesTokenCount"] + u.get("thoughtsTokenCount", 0), u.get("cachedContentTokenCount", 0))
        for m, u in usage]
    assert len(usage) == 8
