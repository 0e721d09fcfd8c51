"""Codex rollouts: the fixtures' values (SOURCES.md) and the older shapes, shell tools, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitrack.parse import parse_path, parse_text

# file: (prompts, tool uses, commands, (input, cached, output, reasoning) or None)
EXPECTED = {
    "kvsankar-real-redacted-codex-exec-0.135.jsonl": (1, 0, 0, (22539, 20864, 10, 0)),
    # 4 tool calls: 2 function_call + 2 custom_tool_call; 2 of them named "shell", the other two
    # have their names trimmed in the fixture.
    "jazzyalex-stage0-small.jsonl": (3, 4, 2, (0, 0, 0, 0)),
    "jazzyalex-stage0-large.jsonl": (1, 0, 0, (12091, 10880, 182, 128)),
    "jazzyalex-codex_053_rate_limit.jsonl": (0, 0, 0, (12091, 10880, 182, 128)),
    "kvsankar-codex_golden.jsonl": (2, 1, 1, (300, 120, 135, 15)),
    "kvsankar-codex_session_with_compaction.jsonl": (4, 2, 2, (85000, 30000, 42000, 5000)),
    "kvsankar-codex_with_escalation.jsonl": (5, 4, 4, (1500, 500, 800, 100)),
    "ccusage-session-alpha.jsonl": (0, 0, 0, (3500, 750, 425, 275)),
}


def test_every_fixture_is_listed(fixtures_dir: Path) -> None:
    assert sorted(p.name for p in (fixtures_dir / "codex").glob("*.jsonl")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_values(fixtures_dir: Path, name: str) -> None:
    prompts, tools, commands, tokens = EXPECTED[name]
    s = parse_path(fixtures_dir / "codex" / name)
    m = s.metrics
    assert s.provider == "openai_codex" and s.detection.source == "structured"
    assert (m.user_prompts, m.tool_uses, m.commands_executed) == (prompts, tools, commands)
    assert (m.input_tokens, m.cache_read_input_tokens, m.output_tokens, m.reasoning_output_tokens) == tokens


def test_golden_details(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "codex" / "kvsankar-codex_golden.jsonl")
    assert s.prompts == ["List the files in the current directory", "Thanks!"]
    assert s.commands[0].command == "ls -la" and s.commands[0].tool == "shell"
    assert "README.md" in s.commands[0].output
    assert s.agent_session_id == "golden-codex-001" and s.git_branch == "main"
    assert s.models == ["gpt-4.5-turbo"] and s.tool_version == "0.77.0"
    assert s.metrics.duration_seconds == 13.0


def test_aborted_turn_leaves_calls_without_result(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "codex" / "kvsankar-codex_with_escalation.jsonl")
    last = s.commands[-1]
    assert last.command == "rm test.txt" and last.exit_code is None and "aborted" in last.output
    assert s.metrics.errors_encountered == 0
    assert s.tool_calls[1].input["sandbox_permissions"] == "require_escalated"


def test_stage0_small_patch_and_meta(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "codex" / "jazzyalex-stage0-small.jsonl")
    assert s.prompts[0] == "List the files"
    assert s.files == ["a.txt"]  # patch_apply_end changes, relative to the session's cwd
    assert s.agent_session_id == "019fc8be-3658-7ca3-9e29-000000000000"
    assert s.commands[1].output == "a.txt\n"


def _rollout(*items: dict) -> str:
    meta = {"timestamp": "2025-09-01T10:00:00Z", "type": "session_meta",
            "payload": {"id": "s1", "cwd": "/repo", "cli_version": "0.30.0", "git": {"branch": "fix-7"}}}
    rows = [meta] + [{"timestamp": f"2025-09-01T10:00:{i + 1:02d}Z", "type": t, "payload": p} for i, (t, p) in
                     enumerate((it["type"], it["payload"]) for it in items)]
    return "\n".join(json.dumps(r) for r in rows) + "\n"


def _call(name: str, args: dict, call_id: str) -> dict:
    return {"type": "response_item",
            "payload": {"type": "function_call", "name": name, "arguments": json.dumps(args), "call_id": call_id}}


def _out(call_id: str, output: str) -> dict:
    return {"type": "response_item", "payload": {"type": "function_call_output", "call_id": call_id, "output": output}}


def test_shell_argument_shapes_and_exit_codes() -> None:
    text = _rollout(
        {"type": "event_msg", "payload": {"type": "user_message", "message": "run the tests"}},
        _call("shell", {"command": ["bash", "-lc", "git status && git diff"]}, "c1"),
        _out("c1", json.dumps({"output": "clean", "metadata": {"exit_code": 0, "duration_seconds": 0.1}})),
        _call("shell_command", {"command": "pytest -q"}, "c2"),
        _out("c2", "Exit code: 2\nWall time: 1.2 seconds\nOutput:\n1 failed"),
        _call("exec_command", {"cmd": "git -C sub log -1"}, "c3"),
        {"type": "event_msg", "payload": {"type": "exec_command_end", "call_id": "c3", "exit_code": 128}},
        _out("c3", "Chunk ID: 1\nOutput:\nfatal: not a git repository"),
        {"type": "response_item", "payload": {"type": "local_shell_call", "call_id": "c4", "status": "completed",
                                              "action": {"type": "exec", "command": ["ls", "-a"]}}},
        _out("c4", "Process exited with code 0\nOutput:\n."),
        {"type": "response_item", "payload": {"type": "custom_tool_call", "name": "apply_patch", "call_id": "c5",
                                              "input": "*** Begin Patch\n*** Update File: /repo/src/a.py\n@@\n-x\n+y\n"
                                                       "*** Add File: docs/b.md\n+hi\n*** End Patch"}},
        {"type": "event_msg", "payload": {"type": "token_count", "info": {"total_token_usage": {
            "input_tokens": 10, "cached_input_tokens": 4, "output_tokens": 3, "reasoning_output_tokens": 1}}}},
        {"type": "event_msg", "payload": {"type": "token_count", "info": {"total_token_usage": {
            "input_tokens": 50, "cached_input_tokens": 20, "output_tokens": 9, "reasoning_output_tokens": 2}}}},
    )
    s = parse_text(text)
    assert [c.command for c in s.commands] == ["git status && git diff", "pytest -q", "git -C sub log -1", "ls -a"]
    assert [c.exit_code for c in s.commands] == [0, 2, 128, 0]
    assert [c.is_error for c in s.commands] == [False, True, True, False]
    assert s.metrics.errors_encountered == 2 and s.metrics.git_operations == 3
    assert s.tool_uses_by_name == {"shell": 1, "shell_command": 1, "exec_command": 1, "local_shell": 1, "apply_patch": 1}
    assert s.files == ["src/a.py", "docs/b.md"]
    assert (s.metrics.input_tokens, s.metrics.cache_read_input_tokens, s.metrics.output_tokens) == (50, 20, 9)
    assert s.git_branch == "fix-7" and s.prompts == ["run the tests"]
    assert s.issue_numbers == [7]  # from the branch name


def test_early_bare_item_form() -> None:
    rows = [
        {"id": "early-1", "timestamp": "2025-05-07T17:24:21.123Z", "instructions": None,
         "git": {"commit_hash": "abc", "branch": "main"}},
        {"record_type": "state"},
        {"type": "message", "role": "user", "content": [
            {"type": "input_text", "text": "<environment_context>\n<cwd>/r</cwd>\n</environment_context>"}]},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "count lines"}]},
        {"type": "function_call", "name": "shell", "arguments": "{\"command\":[\"wc\",\"-l\",\"a b\"]}", "call_id": "k1"},
        {"type": "function_call_output", "call_id": "k1",
         "output": "{\"output\":\"wc: a b: No such file\",\"metadata\":{\"exit_code\":1,\"duration_seconds\":0.0}}"},
    ]
    s = parse_text("\n".join(json.dumps(r) for r in rows))
    assert s.provider == "openai_codex" and s.agent_session_id == "early-1"
    assert s.prompts == ["count lines"]  # no user_message events: fallback without boilerplate
    assert s.commands[0].command == "wc -l 'a b'" and s.commands[0].exit_code == 1
    assert s.metrics.errors_encountered == 1


def test_old_single_json_form(tmp_path: Path) -> None:
    doc = {"session": {"timestamp": "2025-04-20T08:00:00.000Z", "id": "ts-cli-1", "instructions": ""},
           "items": [
               {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hello"}]},
               {"type": "function_call", "name": "shell", "call_id": "x1",
                "arguments": "{\"command\":[\"git\",\"log\",\"--oneline\"]}"},
               {"type": "function_call_output", "call_id": "x1",
                "output": "{\"output\":\"abc first\",\"metadata\":{\"exit_code\":0}}"},
           ]}
    path = tmp_path / "rollout-2025-04-20-ts-cli-1.json"
    path.write_text(json.dumps(doc, indent=2))
    s = parse_path(path)
    assert s.provider == "openai_codex" and s.agent_session_id == "ts-cli-1"
    assert s.metrics.user_prompts == 1 and s.metrics.git_operations == 1
    assert s.commands[0].output == "abc first"
