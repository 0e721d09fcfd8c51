"""A two-turn Claude Code session whose second turn hands a task to a subagent, as Claude Code
writes it (main log + `<id>/subagents/agent-a1.jsonl`): a failing command in the subagent and a
secret in a tool input. Written into a tmp folder by the tests that need it (traces, the UI)."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

SECRET = "ghp_" + "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8"
MODEL = "claude-sonnet-4-5-20250929"


def _line(kind: str, ts: str, content: Any, **extra: Any) -> str:
    message: dict[str, Any] = {"role": kind, "content": content}
    if kind == "assistant":
        message.update(model=extra.pop("model", MODEL), id=extra.pop("mid"),
                       usage=extra.pop("usage"))
    rec = {"type": kind, "sessionId": "agent-sess-1", "uuid": ts, "timestamp": ts, "cwd": "/tmp",
           "version": "2.0.0", "message": message, **extra}
    return json.dumps(rec)


BASE = 1767261600.0  # 2026-01-01T10:00:00Z, the clock the lines below are written in


def shifted(text: str, base: float) -> str:
    """The same lines with their times moved to start at `base` (a log located by time window)."""
    def move(m: re.Match[str]) -> str:
        at = base + int(m.group(1)) * 60 + int(m.group(2))
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at)) + m.group(3) + "Z"
    return re.sub(r"2026-01-01T10:(\d\d):(\d\d)(\.\d+)Z", move, text)


def logs(tmp: Path, base: float = BASE) -> list[Path]:
    tmp.mkdir(parents=True, exist_ok=True)
    main = tmp / "agent-sess-1.jsonl"
    u = {"input_tokens": 100, "output_tokens": 50, "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 200}
    main.write_text("\n".join([
        _line("user", "2026-01-01T10:00:00.000Z", "list the files"),
        _line("assistant", "2026-01-01T10:00:02.000Z",
              [{"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": f"ls # {SECRET}"}}],
              mid="m1", usage=u, requestId="r1"),
        _line("user", "2026-01-01T10:00:03.000Z", [{"type": "tool_result", "tool_use_id": "t1", "content": "a.py"}]),
        _line("assistant", "2026-01-01T10:00:04.000Z", [{"type": "text", "text": "a.py"}], mid="m2", usage=u,
              requestId="r2"),
        _line("user", "2026-01-01T10:01:00.000Z", "run the tests with a subagent"),
        _line("assistant", "2026-01-01T10:01:02.000Z",
              [{"type": "tool_use", "id": "t2", "name": "Task", "input": {"prompt": "run pytest"}}],
              mid="m3", usage=u, requestId="r3"),
        _line("user", "2026-01-01T10:01:30.000Z", [{"type": "tool_result", "tool_use_id": "t2", "content": "1 failed"}]),
        _line("assistant", "2026-01-01T10:01:31.000Z", [{"type": "text", "text": "one test fails"}], mid="m4",
              usage=u, requestId="r4"),
    ]) + "\n")
    main.write_text(shifted(main.read_text(), base))
    sub = main.parent / main.stem / "subagents" / "agent-a1.jsonl"
    sub.parent.mkdir(parents=True)
    side = {"isSidechain": True, "agentId": "a1"}
    sub.write_text("\n".join([
        _line("user", "2026-01-01T10:01:03.000Z", "run pytest", **side),
        _line("assistant", "2026-01-01T10:01:05.000Z",
              [{"type": "tool_use", "id": "s1", "name": "Bash", "input": {"command": "pytest -q"}}],
              model="claude-haiku-4-5-20251001", mid="s-m1", usage=u, requestId="s-r1", **side),
        _line("user", "2026-01-01T10:01:20.000Z",
              [{"type": "tool_result", "tool_use_id": "s1", "content": "Exit code 1\n1 failed", "is_error": True}], **side),
    ]) + "\n")
    sub.write_text(shifted(sub.read_text(), base))
    return [main, sub]
