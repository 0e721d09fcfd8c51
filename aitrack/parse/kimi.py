"""Kimi CLI sessions: `~/.kimi/sessions/<md5(cwd)>/<session uuid>/wire.jsonl` (+ context.jsonl, state.json).

`wire.jsonl` (kimi-cli 1.51.0, protocol 1.10) opens with `{"type": "metadata", "protocol_version"}`,
then one `{"timestamp": <epoch float>, "message": {"type", "payload"}}` per event:
- `TurnBegin` / `SteerInput` {user_input: str | content parts}: a prompt;
- `ToolCall` {id, function {name, arguments (a JSON string)}}: `Shell` {command}, `WriteFile` /
  `StrReplaceFile` {path}, …;
- `ToolResult` {tool_call_id, return_value {is_error, output, message}}: a shell command's exit code
  is only in `message` ("Command failed with exit code: 2." / "Command executed successfully.");
- `StatusUpdate` {token_usage {input_other, output, input_cache_read, input_cache_creation}}: one per
  model response (the step's own usage, not a running total);
- `SubagentEvent` {agent_id, event {type, payload}}: a subagent's event, read like the main agent's.
The wire names neither the model nor the cwd. The session id is the folder's name; the cwd is the
`work_dirs` entry of `~/.kimi/kimi.json` whose md5 is the folder above it (read when the log is a
file in that layout). `context.jsonl` (the model's messages) holds nothing more that is counted.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aitrack.parse.builder import Builder
from aitrack.parse.record import Session
from aitrack.parse.values import text_of

PROVIDER = "kimi_cli"
SHELL = {"Shell"}
FILE_KEYS = ("path",)
NO_FILES = {"Shell", "ReadFile", "ReadMediaFile", "Glob", "Grep", "SearchWeb", "FetchURL", "Think", "SetTodoList",
            "Agent", "Task", "TaskList", "TaskOutput", "TaskStop", "AskUserQuestion"}
_EXIT = re.compile(r"exit code: (-?\d+)")
_INDEX_MAX = 4 * 1024 * 1024


def looks_like(record: dict[str, Any]) -> bool:
    """The wire's first record, or one of its events (an epoch timestamp and a typed message)."""
    if record.get("type") == "metadata":
        return isinstance(record.get("protocol_version"), str) and len(record) == 2
    msg = record.get("message")
    stamp = record.get("timestamp")
    return (isinstance(stamp, (int, float)) and not isinstance(stamp, bool) and isinstance(msg, dict)
            and isinstance(msg.get("type"), str) and "payload" in msg and len(record) == 2)


def parse_records(records: Iterable[dict[str, Any]], evidence: str, path: str | None) -> Iterator[Session]:
    b = Builder(PROVIDER, evidence, path)
    for rec in records:
        if not isinstance(rec, dict):
            continue
        msg = rec.get("message")
        if not isinstance(msg, dict):
            continue
        when = _iso(rec.get("timestamp"))
        b.seen(when)
        _event(b, msg, when)
    if path:
        _folder(b, Path(path))
    yield b.finish()


def _event(b: Builder, msg: dict[str, Any], when: str | None) -> None:
    kind, payload = msg.get("type"), msg.get("payload")
    if not isinstance(payload, dict):
        return
    if kind in ("TurnBegin", "SteerInput") and b.agent is None:
        text = payload.get("user_input")
        prompt = text if isinstance(text, str) else text_of(text)
        if prompt.strip():
            b.prompt(prompt)
    elif kind == "ToolCall":
        fn = payload.get("function")
        fn = fn if isinstance(fn, dict) else {}
        name = str(fn.get("name") or "unknown")
        args = _arguments(fn.get("arguments"))
        command = b.shell_and_files(name, args, SHELL, FILE_KEYS, NO_FILES)
        b.tool_call(name, args, payload.get("id"), when, command)
    elif kind == "ToolResult":
        value = payload.get("return_value")
        value = value if isinstance(value, dict) else {}
        call_id = payload.get("tool_call_id")
        exit_code = None
        if b.awaits_command(call_id):
            raw = value.get("message")
            note = raw if isinstance(raw, str) else ""
            m = _EXIT.search(note)
            exit_code = int(m.group(1)) if m else 0 if note == "Command executed successfully." else None
        output = value.get("output")
        b.result(call_id, output if isinstance(output, str) else text_of(output), value.get("is_error") is True,
                 exit_code, when)
    elif kind == "StatusUpdate":
        u = payload.get("token_usage")
        if isinstance(u, dict):
            b.tokens(input_tokens=u.get("input_other"), output_tokens=u.get("output"),
                     cache_read_input_tokens=u.get("input_cache_read"),
                     cache_creation_input_tokens=u.get("input_cache_creation"))
            b.usage(None, u.get("input_other"), u.get("output"), u.get("input_cache_read"),
                    u.get("input_cache_creation"))
    elif kind == "SubagentEvent":
        inner = payload.get("event")
        if isinstance(inner, dict):
            outer, b.agent = b.agent, str(payload.get("agent_id") or payload.get("subagent_type") or "subagent")
            try:
                _event(b, inner, when)
            finally:
                b.agent = outer


def _arguments(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return {"arguments": raw}
    return raw


def _iso(stamp: Any) -> str | None:
    """Kimi stamps events in epoch seconds; the session record keeps ISO times (UTC, milliseconds)."""
    if not isinstance(stamp, (int, float)) or isinstance(stamp, bool) or not 0 < stamp < 32503680000:
        return None
    return datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _folder(b: Builder, log: Path) -> None:
    """The session id (the folder's name) and the cwd (the kimi.json work dir hashed to its parent)."""
    s = b.session
    folder = log.parent
    if log.name != "wire.jsonl" or not re.fullmatch(r"[0-9a-f-]{36}", folder.name):
        return
    s.agent_session_id = folder.name
    try:
        with open(folder.parent.parent.parent / "kimi.json", "rb") as fh:
            index = json.loads(fh.read(_INDEX_MAX))
    except (OSError, ValueError):
        return
    dirs = index.get("work_dirs") if isinstance(index, dict) else None
    for entry in dirs if isinstance(dirs, list) else []:
        where = entry.get("path") if isinstance(entry, dict) else None
        if isinstance(where, str) and hashlib.md5(where.encode()).hexdigest() == folder.parent.name:
            s.cwd = where
            return
