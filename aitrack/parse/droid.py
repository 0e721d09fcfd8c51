"""Factory droid sessions: `~/.factory/sessions/<cwd with / as ->/<uuid>.jsonl`, plus `<uuid>.settings.json`.

Records (droid 0.215.0):
- `session_start` {id, title, cwd, version}: the session id and where it ran;
- `message` {id, parentId, timestamp, message {role, content[]}} with Anthropic-style blocks: a user's
  `text` (its `<system-reminder>` context blocks are not prompts), an assistant's `tool_use` {id, name,
  input} and `modelId`, a user's `tool_result` {tool_use_id, is_error, content} whose shell output ends
  with `[Process exited with code N]`;
- `agent_turn_outcome`: the end of a turn.
Tokens are not in the JSONL: the sibling `<uuid>.settings.json` holds the session's `tokenUsage` totals
and its model, read when the log is a file next to it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from aitrack.parse.builder import Builder
from aitrack.parse.record import Session
from aitrack.parse.values import text_of

PROVIDER = "factory_droid"
SHELL = {"Execute"}
FILE_KEYS = ("file_path", "path")
NO_FILES = {"Execute", "Read", "LS", "Grep", "Glob", "ToolSearch", "Skill", "Task", "TaskOutput", "TaskStop"}
_EXIT = re.compile(r"\[Process exited with code (-?\d+)\]\s*$")
_SETTINGS_MAX = 1024 * 1024


def looks_like(record: dict[str, Any]) -> bool:
    """droid's first record, or one of its messages (an `id`/`parentId` pair, no Claude `uuid`)."""
    kind = record.get("type")
    if kind == "session_start":
        return isinstance(record.get("id"), str) and "cwd" in record and "sessionId" not in record
    msg = record.get("message")
    return (kind == "message" and "parentId" in record and "uuid" not in record and isinstance(msg, dict)
            and isinstance(msg.get("content"), list))


def parse_records(records: Iterable[dict[str, Any]], evidence: str, path: str | None) -> Iterator[Session]:
    b = Builder(PROVIDER, evidence, path)
    s = b.session
    for rec in records:
        if not isinstance(rec, dict):
            continue
        kind = rec.get("type")
        if kind == "session_start":
            if isinstance(rec.get("id"), str):
                s.agent_session_id = rec["id"]
            if isinstance(rec.get("cwd"), str):
                s.cwd = rec["cwd"]
            continue
        if kind != "message":
            continue
        b.seen(rec.get("timestamp"))
        msg = rec.get("message")
        if not isinstance(msg, dict) or not isinstance(msg.get("content"), list):
            continue
        blocks = [c for c in msg["content"] if isinstance(c, dict)]
        when = rec.get("timestamp")
        if msg.get("role") == "assistant":
            b.model(msg.get("modelId"))
            for c in blocks:
                if c.get("type") == "tool_use":
                    name = str(c.get("name") or "unknown")
                    command = b.shell_and_files(name, c.get("input"), SHELL, FILE_KEYS, NO_FILES)
                    b.tool_call(name, c.get("input"), c.get("id"), when, command)
        elif msg.get("role") == "user":
            texts = [c["text"] for c in blocks if c.get("type") == "text" and isinstance(c.get("text"), str)]
            prompt = "\n".join(t for t in texts if not t.lstrip().startswith("<system-reminder>"))
            if prompt.strip():
                b.prompt(prompt)
            for c in blocks:
                if c.get("type") == "tool_result":
                    output = text_of(c.get("content"))
                    m = _EXIT.search(output[-200:])
                    b.result(c.get("tool_use_id"), output, c.get("is_error") is True,
                             int(m.group(1)) if m else None, when)
    if path:
        _settings(b, Path(path))
    yield b.finish()


def _settings(b: Builder, log: Path) -> None:
    """Tokens and model from `<uuid>.settings.json` beside the log (droid keeps them only there)."""
    try:
        with open(log.with_name(log.stem + ".settings.json"), "rb") as fh:
            doc = json.loads(fh.read(_SETTINGS_MAX))
    except (OSError, ValueError):
        return
    if not isinstance(doc, dict):
        return
    b.model(doc.get("model"))
    u = doc.get("tokenUsage")
    if isinstance(u, dict):
        b.set_tokens(input_tokens=u.get("inputTokens"), output_tokens=u.get("outputTokens"),
                     cache_read_input_tokens=u.get("cacheReadTokens"),
                     cache_creation_input_tokens=u.get("cacheCreationTokens"),
                     reasoning_output_tokens=u.get("thinkingTokens"))
        b.usage(doc.get("model"), u.get("inputTokens"), u.get("outputTokens"), u.get("cacheReadTokens"),
                u.get("cacheCreationTokens"))
