"""Bad input never raises: a Session with warnings. Memory stays flat as the input grows."""
from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from aitrack.errors import AitrackError
from aitrack.parse import builder, parse_bytes, parse_path, parse_text, reader

USER = {"type": "user", "sessionId": "s", "uuid": "u", "message": {"role": "user", "content": "hello"}}


def _line(obj: object) -> bytes:
    return json.dumps(obj).encode() + b"\n"


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    data = _line(USER) + b'{"type":"user","sessionId":"s","uuid":"v","message":{"role":"user","content":"caf\xe9"}}\n'
    s = parse_bytes(data)
    assert s.provider == "claude_code" and s.metrics.user_prompts == 2
    assert s.prompts[1] == "caf\ufffd" and any("UTF-8" in w for w in s.warnings)


def test_truncated_last_line() -> None:
    data = _line(USER) * 2 + _line(USER)[:30]
    s = parse_bytes(data)
    assert s.metrics.user_prompts == 2 and any("truncated" in w for w in s.warnings)


@pytest.mark.parametrize("junk", [b"42\n", b"[1,2]\n", b'"text"\n', b"null\n", b"{\n", b"\x00\xff\xfe\n", b"\n\n"])
def test_junk_lines_between_records(junk: bytes) -> None:
    s = parse_bytes(_line(USER) + junk + _line(USER))
    assert s.provider == "claude_code" and s.metrics.user_prompts == 2


def test_unknown_record_kinds_and_shapes() -> None:
    rows = [USER, {"type": "brand-new-kind", "sessionId": "s", "x": [1]}, {"type": "assistant", "message": "str"},
            {"type": "assistant", "message": {"content": [None, 1, {"type": "tool_use"}]}},
            {"type": "user", "message": {"content": [{"type": "tool_result", "is_error": "yes"}]}}]
    s = parse_text("\n".join(json.dumps(r) for r in rows))
    assert s.metrics.user_prompts == 1 and s.tool_uses_by_name == {"unknown": 1}


def test_binary_garbage_goes_to_terminal_parser() -> None:
    s = parse_bytes(bytes(range(256)) * 50)
    assert s.detection.source == "terminal"


@pytest.mark.parametrize("data", [b"", b"   ", b"{", b"[", b"{}", b"[]", b'{"a":1}', b"[1]", b"null"])
def test_tiny_inputs(data: bytes) -> None:
    s = parse_bytes(data)
    assert s.metrics.user_prompts == 0


def test_unknown_json_says_so() -> None:
    s = parse_bytes(b'{"hello": "world"}\n{"x": 1}\n')
    assert s.provider == "generic" and any("no known agent log" in w for w in s.warnings)


def test_huge_line_is_skipped_without_being_held(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(reader, "MAX_LINE", 64 * 1024)
    huge = {"type": "user", "sessionId": "s", "uuid": "h", "message": {"role": "user", "content": "x" * 1_000_000}}
    path = tmp_path / "huge.jsonl"
    path.write_bytes(_line(USER) + _line(huge) + _line(USER))
    tracemalloc.start()
    s = parse_path(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert s.metrics.user_prompts == 2 and any("over the" in w for w in s.warnings)
    assert peak < 900_000  # the 1 MB line was never in memory whole


def test_stored_text_is_capped() -> None:
    tool = {"type": "tool_use", "id": "t", "name": "Bash", "input": {"command": "echo " + "y" * 50_000}}
    rows = [{"type": "assistant", "sessionId": "s", "uuid": "a", "message": {"role": "assistant", "content": [tool]}},
            {"type": "user", "sessionId": "s", "uuid": "b", "message": {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "t", "content": "z" * 100_000}]}}]
    s = parse_text("\n".join(json.dumps(r) for r in rows))
    assert len(s.commands[0].command) < 3000 and len(s.commands[0].output) < 3000
    assert len(s.tool_calls[0].input["command"]) < 3000


def test_unreadable_path_raises_aitrack_error(tmp_path: Path) -> None:
    with pytest.raises(AitrackError, match="cannot read"):
        parse_path(tmp_path / "missing.jsonl")


def test_unknown_provider_is_an_error() -> None:
    with pytest.raises(AitrackError, match="unknown provider"):
        parse_text("{}", provider="nope")


def test_forced_provider(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "codex" / "kvsankar-codex_golden.jsonl", provider="codex")
    assert s.provider == "openai_codex"
    s = parse_path(fixtures_dir / "gemini" / "kvsankar-gemini_golden.json", provider="gemini_cli")
    assert s.metrics.user_prompts == 2


def _claude_log(path: Path, copies: int, fixtures_dir: Path) -> None:
    chunk = (fixtures_dir / "claude" / "drmaciver-python-to-rust-port.jsonl").read_bytes()
    with open(path, "wb") as fh:
        for _ in range(copies):
            fh.write(chunk)


def test_memory_is_flat_as_input_grows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fixtures_dir: Path) -> None:
    # Small caps so that both sizes are past them; then peak memory must not follow the input size.
    monkeypatch.setattr(builder, "MAX_TOOL_CALLS", 100)
    monkeypatch.setattr(builder, "MAX_PROMPTS", 20)
    peaks = []
    for copies in (10, 40):
        path = tmp_path / f"log{copies}.jsonl"
        _claude_log(path, copies, fixtures_dir)
        tracemalloc.start()
        s = parse_path(path)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert s.metrics.tool_uses == 39 * copies and len(s.tool_calls) == 100
        assert any("counted but not kept" in w for w in s.warnings)
    assert peaks[1] < peaks[0] * 1.5, peaks  # 4x the input, well under 1.5x the memory


def test_many_session_ids_share_one_budget(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from aitrack.parse import claude, iter_sessions

    monkeypatch.setattr(builder, "MAX_TOOL_CALLS", 50)
    monkeypatch.setattr(claude, "MAX_SESSIONS", 10)
    tool = {"type": "tool_use", "id": "t", "name": "Bash", "input": {"command": "ls"}}
    rows = [{"type": "assistant", "sessionId": f"s{i}", "uuid": "a",
             "message": {"role": "assistant", "content": [tool]}} for i in range(300)]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    sessions = list(iter_sessions(path))
    assert len(sessions) == 10 and sum(s.metrics.tool_uses for s in sessions) == 300
    assert sum(len(s.tool_calls) for s in sessions) == 50
    assert any("more than 10 session ids" in w for w in sessions[-1].warnings)
    merged = parse_path(path)
    assert merged.metrics.tool_uses == 300 and len(merged.tool_calls) == 50


def test_devices_and_fifos_are_refused_not_read(tmp_path: Path) -> None:
    """#20 item 8: `aitrack parse /dev/zero` and a FIFO hung (a FIFO blocks the open, /dev/zero
    never ends); both are one clear error now."""
    import os
    import subprocess
    import sys

    fifo = tmp_path / "log.fifo"
    os.mkfifo(fifo)
    aitrack = Path(sys.executable).parent / "aitrack"
    for target in ("/dev/zero", str(fifo)):
        res = subprocess.run([str(aitrack), "parse", target], capture_output=True, text=True, timeout=60)
        assert res.returncode == 1 and "not a regular file" in res.stderr, (target, res.stderr)
        assert res.stderr.count("\n") == 1


def test_a_damaged_first_line_warns_and_the_rest_is_read() -> None:
    """#20 item 8: a JSONL log whose first line was cut dropped the whole log (read as one broken
    JSON document of no known agent); now the records after it count, with a warning."""
    base = {"sessionId": "abc", "cwd": "/w", "timestamp": "2026-11-27T03:00:00.000Z"}
    records = [base | {"type": "user", "uuid": "u1", "message": {"role": "user", "content": "hello there"}},
               base | {"type": "user", "uuid": "u2", "message": {"role": "user", "content": "second prompt"}}]
    text = '{"type":"user","sessionId":"abc","mess\n' + "".join(json.dumps(r) + "\n" for r in records)
    s = parse_text(text)
    assert s.provider == "claude_code" and s.prompts == ["hello there", "second prompt"]
    assert any("line 1" in w for w in s.warnings), s.warnings
