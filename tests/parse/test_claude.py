"""Every Claude Code fixture gives the values in ../shared/fixtures/SOURCES.md (counted independently)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitrack.parse import iter_sessions, parse_path, parse_text

# file: (prompts, tool uses by name, commands, git ops, errors, (in, out, cache write, cache read) or None)
EXPECTED = {
    "drmaciver-hello-world-script.jsonl": (1, {"Write": 1, "Bash": 1}, 1, 0, 0, (3, 29, 3539, 71036)),
    "drmaciver-coverage-test-fix.jsonl": (1, {"Glob": 2, "Read": 3, "Edit": 3, "Bash": 5}, 5, 6, 1, (9, 158, 7610, 286596)),
    "drmaciver-python-to-rust-port.jsonl": (
        1, {"TodoWrite": 10, "Bash": 16, "Write": 7, "Read": 3, "Edit": 1, "Glob": 1, "Task": 1}, 16, 5, 0,
        (38, 563, 22988, 1114040)),
    "drmaciver-stop-hook-reflection-first-stop.jsonl": (1, {"Read": 1, "Edit": 1, "Bash": 2}, 2, 4, 0, (3, 55, 4169, 109646)),
    "drmaciver-stop-hook-uncommitted-changes.jsonl": (1, {"Read": 1, "Edit": 1}, 0, 0, 0, (3, 29, 3683, 71241)),
    "kvsankar-real-redacted-claude-2.1.152.jsonl": (1, {}, 0, 0, 0, (6, 16, 1045, 3057)),
    "simonw-sample_session.jsonl": (2, {"Write": 1, "Bash": 1}, 1, 2, 0, None),
    "daaain-representative_messages.jsonl": (4, {"Edit": 1, "Bash": 1}, 1, 0, 0, None),
    "daaain-edge_cases.jsonl": (3, {"FailingTool": 1, "MultiEdit": 1, "TodoWrite": 1}, 0, 0, 1, None),
    # SOURCES.md says 7 human prompts; reading the file, one of the 7 user text entries (uuid u3) is
    # `isCompactSummary: true` - Claude's own summary after compaction, not a person's prompt - so 6.
    "jazzyalex-stage0-small.jsonl": (6, {"bash": 1, "Bash": 1, "[trimmed for fixture]": 1}, 2, 0, 1, None),
    "kvsankar-claude_golden.jsonl": (1, {"Read": 1, "Edit": 1}, 0, 0, 0, None),
    "kvsankar-claude_with_rejection.jsonl": (2, {"Read": 1, "Edit": 2, "Bash": 1}, 1, 0, 2, None),
    "ccusage-project-alpha-chat.jsonl": (0, {}, 0, 0, 0, (600, 250, 75, 70)),
}


def test_every_fixture_is_listed(fixtures_dir: Path) -> None:
    assert sorted(p.name for p in (fixtures_dir / "claude").glob("*.jsonl")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_values(fixtures_dir: Path, name: str) -> None:
    prompts, by_name, commands, git, errors, tokens = EXPECTED[name]
    s = parse_path(fixtures_dir / "claude" / name)
    m = s.metrics
    assert s.provider == "claude_code"
    assert s.detection.source == "structured" and name in s.detection.evidence
    assert m.user_prompts == prompts == len(s.prompts)
    assert s.tool_uses_by_name == by_name
    assert m.tool_uses == sum(by_name.values()) == len(s.tool_calls)
    assert m.commands_executed == commands == len(s.commands)
    assert m.git_operations == git
    assert m.errors_encountered == errors
    if tokens:
        assert (m.input_tokens, m.output_tokens, m.cache_creation_input_tokens, m.cache_read_input_tokens) == tokens


def test_hello_world_details(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "claude" / "drmaciver-hello-world-script.jsonl")
    assert s.files == ["hello.sh"] and s.metrics.files_touched == 1
    assert s.models == ["claude-opus-4-5-20251101"]
    assert s.agent_session_id == "de3b8b19-5bc0-4a2a-934a-1b6806567e25"
    assert s.cwd == "/tmp/tmp74wiyiny" and s.tool_version == "2.1.14"
    cmd = s.commands[0]
    assert cmd.command.startswith("chmod +x ") and cmd.tool == "Bash" and cmd.exit_code == 0 and not cmd.is_error
    assert "Hello world" in cmd.output
    assert s.prompts == ['Write a shell script called hello.sh that prints "Hello world" and run it.']
    assert s.started_at == "2026-01-21T06:20:30.851Z" and s.metrics.duration_seconds and s.metrics.duration_seconds > 0
    call = s.tool_calls[0]
    assert call.name == "Write" and call.call_id == "toolu_01R3SZZYuAq6mou5RqHE4rzF" and call.ended_at


def test_coverage_fix_failed_commit(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl")
    failed = [c for c in s.commands if c.is_error]
    assert len(failed) == 1 and failed[0].exit_code == 1 and "nothing to commit" in failed[0].output
    assert s.git_branch == "master" and s.metrics.files_touched == 3
    assert sorted(s.files) == [".gitignore", "src/math_utils.py", "tests/test_math_utils.py"]


def test_python_port_files_and_unique_responses(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "claude" / "drmaciver-python-to-rust-port.jsonl")
    assert s.metrics.files_touched == 8


def test_two_session_ids_are_two_sessions(fixtures_dir: Path) -> None:
    path = fixtures_dir / "claude" / "daaain-edge_cases.jsonl"
    sessions = list(iter_sessions(path))
    assert [x.agent_session_id for x in sessions] == ["edge_cases", "todowrite_session"]
    assert [x.metrics.tool_uses for x in sessions] == [2, 1]
    merged = parse_path(path)
    assert any("not an object" in w for w in merged.warnings)


def test_usage_deduplicated_by_message_and_request() -> None:
    usage = {"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 100}
    line = {"type": "assistant", "sessionId": "s", "uuid": "u", "requestId": "r1",
            "message": {"id": "m1", "role": "assistant", "model": "claude-x", "usage": usage,
                        "content": [{"type": "text", "text": "hi"}]}}
    other = dict(line, requestId="r2")
    text = "\n".join(json.dumps(x) for x in (line, line, line, other)) + "\n"
    s = parse_text(text)
    assert (s.metrics.input_tokens, s.metrics.output_tokens, s.metrics.cache_read_input_tokens) == (20, 10, 200)


def test_sidechain_task_prompt_is_not_a_human_prompt() -> None:
    base = {"sessionId": "s", "uuid": "u", "cwd": "/r"}
    rows = [
        dict(base, type="user", message={"role": "user", "content": "do it"}),
        dict(base, type="user", isSidechain=True, message={"role": "user", "content": "subtask for the agent"}),
        dict(base, type="user", isMeta=True, message={"role": "user", "content": "stop hook says"}),
        dict(base, type="user", message={"role": "user", "content": "[Request interrupted by user]"}),
        dict(base, type="user", message={"role": "user", "content": "<command-name>/clear</command-name>"}),
    ]
    s = parse_text("\n".join(json.dumps(r) for r in rows))
    assert s.prompts == ["do it"]


def test_subagent_file_merges_with_main(tmp_path: Path) -> None:
    main = tmp_path / "abc.jsonl"
    sub = tmp_path / "abc" / "subagents" / "agent-1.jsonl"
    sub.parent.mkdir(parents=True)
    tool = {"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": "git -C repo status && ls"}}
    main.write_text(json.dumps({"type": "user", "sessionId": "abc", "uuid": "1",
                                "message": {"role": "user", "content": "fix #12"}}) + "\n")
    sub.write_text(json.dumps({"type": "assistant", "sessionId": "abc", "uuid": "2", "isSidechain": True,
                               "agentId": "1", "message": {"role": "assistant", "content": [tool]}}) + "\n")
    sessions = list(iter_sessions(tmp_path))
    assert len(sessions) == 2
    from aitrack.parse import merge_sessions

    merged = merge_sessions(sessions)
    assert merged.metrics.user_prompts == 1 and merged.metrics.commands_executed == 1
    assert merged.metrics.git_operations == 1
    assert merged.issue_numbers == [12]  # "fix #12" in the prompt (aitrack.parse.issues)
