"""Qwen Code chats: `~/.qwen/projects/<cwd slug>/chats/<uuid>.jsonl`, Claude-like records holding
Gemini-style parts.

Each record: uuid, parentUuid, sessionId, timestamp, type, cwd, version, gitBranch, and
- `user`: `message.parts[].text`, the prompt;
- `assistant`: model, `usageMetadata` {promptTokenCount, candidatesTokenCount, cachedContentTokenCount,
  thoughtsTokenCount} (one API response), `message.parts[].functionCall` {id, name, args};
- `tool_result`: `message.parts[].functionResponse` {id, response {output | error}}; a shell result
  ends with `Exit Code: N`; an `error` response is a failure;
- `system` (ui_telemetry, attribution/file-history snapshots): skipped.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from aitrack.parse.builder import Builder
from aitrack.parse.gemini import is_prompt, unwrap_output
from aitrack.parse.record import Session
from aitrack.parse.values import text_of

PROVIDER = "qwen_code"
SHELL = {"run_shell_command"}
FILE_KEYS = ("file_path", "absolute_path", "path")
NO_FILES = {"run_shell_command", "list_directory", "glob", "grep_search", "web_fetch", "web_search"}
_EXIT = re.compile(r"Exit Code: (-?\d+)")


def looks_like(record: dict[str, Any]) -> bool:
    """Qwen's records carry Gemini `parts` where Claude's carry `content` (checked before Claude)."""
    msg = record.get("message")
    return "sessionId" in record and "uuid" in record and isinstance(msg, dict) and isinstance(msg.get("parts"), list)


def parse_records(records: Iterable[dict[str, Any]], evidence: str, path: str | None) -> Iterator[Session]:
    b = Builder(PROVIDER, evidence, path)
    s = b.session
    for rec in records:
        if not isinstance(rec, dict):
            continue
        b.seen(rec.get("timestamp"))
        if s.agent_session_id is None and isinstance(rec.get("sessionId"), str):
            s.agent_session_id = rec["sessionId"]
        if s.cwd is None and isinstance(rec.get("cwd"), str):
            s.cwd = rec["cwd"]
        if isinstance(rec.get("gitBranch"), str):
            s.git_branch = rec["gitBranch"]
        if s.tool_version is None and isinstance(rec.get("version"), str):
            s.tool_version = rec["version"]
        msg = rec.get("message")
        parts = msg.get("parts") if isinstance(msg, dict) else None
        parts = [p for p in parts if isinstance(p, dict)] if isinstance(parts, list) else []
        kind = rec.get("type") if isinstance(rec.get("type"), str) else None
        if kind == "user":
            text = "\n".join(p["text"] for p in parts if isinstance(p.get("text"), str))
            if is_prompt(text):
                b.prompt(text)
        elif kind == "assistant":
            b.model(rec.get("model"))
            u = rec.get("usageMetadata")
            if isinstance(u, dict):
                b.tokens(input_tokens=u.get("promptTokenCount"), output_tokens=u.get("candidatesTokenCount"),
                         cache_read_input_tokens=u.get("cachedContentTokenCount"),
                         reasoning_output_tokens=u.get("thoughtsTokenCount"))
                # Gemini's convention (the prompt count includes cached tokens), priced as gemini.py does.
                n = {k: v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else 0 for k, v in u.items()}
                cached = n.get("cachedContentTokenCount", 0)
                b.usage(rec.get("model"), max(n.get("promptTokenCount", 0) - cached, 0),
                        n.get("candidatesTokenCount", 0) + n.get("thoughtsTokenCount", 0), cached, 0)
            for p in parts:
                if isinstance(p.get("functionCall"), dict):
                    _call(b, p["functionCall"], rec.get("timestamp"))
        elif kind == "tool_result":
            for p in parts:
                if isinstance(p.get("functionResponse"), dict):
                    _result(b, p["functionResponse"], rec.get("timestamp"))
    yield b.finish()


def _call(b: Builder, call: dict[str, Any], when: Any) -> None:
    name = str(call.get("name") or "unknown")
    args = call.get("args")
    command = b.shell_and_files(name, args, SHELL, FILE_KEYS, NO_FILES)
    b.tool_call(name, args, call.get("id"), when, command)


def _result(b: Builder, resp: dict[str, Any], when: Any) -> None:
    raw = resp.get("response")
    body: dict[str, Any] = raw if isinstance(raw, dict) else {}
    error = text_of(body.get("error")) if "error" in body else ""
    output = text_of(body.get("output")) or error
    m = _EXIT.search(output[-4000:])
    if b.awaits_command(resp.get("id")):
        output = unwrap_output(output)  # Gemini CLI's `Command: … Output: … Exit Code: …` wrapper
    b.result(resp.get("id"), output, bool(error), int(m.group(1)) if m else None, when)
