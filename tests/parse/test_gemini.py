"""Gemini CLI chats: whole-JSON, JSONL with `$set` / `$rewindTo`, and logs.json."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitrack.parse import iter_sessions, parse_path, parse_text

# file: (prompts, tool uses by name, commands, errors, (input, output, cached) or None)
EXPECTED = {
    "jazzyalex-stage0-jsonl_v040.jsonl": (1, {"run_shell_command": 1}, 1, 0, (23924, 228, 11502)),
    # `ls /non-existent-directory` reports "Exit Code: 1" in its output: an error.
    "jazzyalex-stage0-large.json": (2, {"run_shell_command": 2}, 2, 1, (100, 10, 0)),
    "jazzyalex-stage0-small.json": (1, {}, 0, 0, (10, 5, 0)),
    "kvsankar-gemini_golden.json": (2, {"read_file": 1}, 0, 0, (400, 180, 50)),
    "kvsankar-gemini_with_tool_error.jsonl": (4, {"edit_file": 3, "read_file": 1}, 0, 1, (980, 300, 210)),
    # 7 user entries, two of which are `/clear`: slash commands are not prompts (as for Claude).
    "kvsankar-gemini_logs.json": (5, {}, 0, 0, None),
}


def test_every_fixture_is_listed(fixtures_dir: Path) -> None:
    assert sorted(p.name for p in (fixtures_dir / "gemini").iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_values(fixtures_dir: Path, name: str) -> None:
    prompts, by_name, commands, errors, tokens = EXPECTED[name]
    s = parse_path(fixtures_dir / "gemini" / name)
    m = s.metrics
    assert s.provider == "gemini_cli" and s.detection.source == "structured"
    assert (m.user_prompts, s.tool_uses_by_name, m.commands_executed, m.errors_encountered) == (
        prompts, by_name, commands, errors)
    if tokens:
        assert (m.input_tokens, m.output_tokens, m.cache_read_input_tokens) == tokens


def test_golden_total_tokens(fixtures_dir: Path) -> None:
    # SOURCES.md: total 675 = sum of the messages' `total` (input + output + thoughts + tool + cached).
    s = parse_path(fixtures_dir / "gemini" / "kvsankar-gemini_golden.json")
    m = s.metrics
    assert m.input_tokens + m.output_tokens + m.reasoning_output_tokens + 10 + m.cache_read_input_tokens == 675
    assert s.files == ["package.json"] and s.models == ["gemini-2.5-pro"]


def test_shell_exit_codes(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "gemini" / "jazzyalex-stage0-large.json")
    assert [(c.command, c.exit_code, c.is_error) for c in s.commands] == [
        ("printf 'line1\\nline2\\nline3\\n'", 0, False), ("ls /non-existent-directory", 1, True)]


def test_tool_error_is_kept(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "gemini" / "kvsankar-gemini_with_tool_error.jsonl")
    failed = [c for c in s.tool_calls if c.is_error]
    assert len(failed) == 1 and "0 occurrences" in failed[0].output and failed[0].call_id == "edit_file-002"


def test_logs_json_sessions(fixtures_dir: Path) -> None:
    sessions = list(iter_sessions(fixtures_dir / "gemini" / "kvsankar-gemini_logs.json"))
    assert [s.agent_session_id for s in sessions] == ["telemetry-gemini-001", "telemetry-gemini-002", "telemetry-gemini-003"]
    assert [s.metrics.user_prompts for s in sessions] == [3, 1, 1]


def test_jsonl_upsert_set_and_rewind() -> None:
    rows = [
        {"sessionId": "g1", "projectHash": "h", "startTime": "2026-01-01T00:00:00Z", "kind": "main"},
        {"id": "a", "timestamp": "2026-01-01T00:00:01Z", "type": "user", "content": [{"text": "first"}]},
        {"id": "b", "timestamp": "2026-01-01T00:00:02Z", "type": "gemini", "content": "",
         "toolCalls": [{"id": "t1", "name": "run_shell_command", "args": {"command": "git status"}, "status": "executing"}]},
        # the same message rewritten when its tool call finished: replaces, does not add
        {"id": "b", "timestamp": "2026-01-01T00:00:02Z", "type": "gemini", "content": "", "model": "gemini-x",
         "tokens": {"input": 5, "output": 1, "cached": 0, "thoughts": 0},
         "toolCalls": [{"id": "t1", "name": "run_shell_command", "args": {"command": "git status"}, "status": "success",
                        "result": [{"functionResponse": {"response": {"output": "Output: clean\nExit Code: 0"}}}]}]},
        {"$set": {"lastUpdated": "2026-01-01T00:00:03Z"}},
        {"id": "c", "timestamp": "2026-01-01T00:00:04Z", "type": "user", "content": "second"},
        {"id": "d", "timestamp": "2026-01-01T00:00:05Z", "type": "gemini", "content": "x",
         "tokens": {"input": 100, "output": 100}},
        {"$rewindTo": "c"},  # the person rewound: c and d are gone
        {"id": "e", "timestamp": "2026-01-01T00:00:06Z", "type": "user", "content": "third"},
    ]
    s = parse_text("\n".join(json.dumps(r) for r in rows))
    assert s.provider == "gemini_cli" and s.agent_session_id == "g1"
    assert s.prompts == ["first", "third"]
    assert s.metrics.tool_uses == 1 and s.metrics.git_operations == 1
    assert s.commands[0].exit_code == 0 and (s.metrics.input_tokens, s.metrics.output_tokens) == (5, 1)
    assert s.models == ["gemini-x"]


def test_unknown_rewind_target_clears_all() -> None:
    rows = [{"sessionId": "g", "projectHash": "h"}, {"id": "a", "type": "user", "content": "x"}, {"$rewindTo": "zz"}]
    assert parse_text("\n".join(json.dumps(r) for r in rows)).metrics.user_prompts == 0


def test_real_capture_session_context_is_not_a_prompt() -> None:
    """Gemini CLI 0.61 opens each chat with a `<session_context>` user message of its own."""
    log = Path(__file__).resolve().parents[1] / "data" / "captures" / "gemini" / "agent-log.jsonl"
    session = parse_path(log)
    assert session.prompts == ["Commit hello.txt for issue #42"]
    assert session.metrics.user_prompts == 1
