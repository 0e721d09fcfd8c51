"""GitHub Copilot CLI: `~/.copilot/session-state/<uuid>/events.jsonl`, one typed event a line
`{"type", "data", "id", "timestamp", "parentId"}`.

- `session.start`: sessionId, startTime, copilotVersion, selectedModel, context.cwd / branch;
- `user.message`: `content` is what the person typed (`transformedContent` adds Copilot's own context);
- `assistant.message`: model, toolRequests; `session.usage_record`: one API response's tokens;
- `tool.execution_start` {toolCallId, toolName, arguments (a dict; a string for free-form tools such
  as apply_patch)} and `tool.execution_complete` {success, shellExecution.exitCode, result.content,
  fileEdits[].path}. `success` stays true when a shell command exits non-zero: the exit code decides.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from aitrack.parse.builder import Builder
from aitrack.parse.record import Session
from aitrack.parse.values import text_of

PROVIDER = "copilot_cli"
SHELL = {"bash", "powershell"}
FILE_KEYS = ("path", "file_path", "filePath")
NO_FILES = {"bash", "powershell", "rg", "glob", "grep", "view"}  # read or searched, not touched
_PATCH_FILE = re.compile(r"^\*\*\* (?:Add|Update|Delete) File: (.+)$", re.M)
_TRAILER = re.compile(r"\n?<shellId: \d+ completed with exit code -?\d+>\s*$")
TYPES = {"session.start", "session.resume", "user.message", "assistant.message", "assistant.turn_start",
         "session.usage_record", "tool.execution_start", "tool.execution_complete", "session.shutdown",
         "system.message", "session.model_change"}


def looks_like(record: dict[str, Any]) -> bool:
    kind = record.get("type")  # untrusted: a list there must not reach a set lookup
    return isinstance(kind, str) and kind in TYPES and isinstance(record.get("data"), dict) and "parentId" in record


def parse_records(records: Iterable[dict[str, Any]], evidence: str, path: str | None) -> Iterator[Session]:
    b = Builder(PROVIDER, evidence, path)
    s = b.session
    for rec in records:
        if not isinstance(rec, dict):
            continue
        kind = rec.get("type")
        data = rec.get("data")
        if not isinstance(data, dict) or not isinstance(kind, str):
            continue
        b.seen(rec.get("timestamp"))
        if kind in ("session.start", "session.resume"):
            if isinstance(data.get("sessionId"), str):
                s.agent_session_id = data["sessionId"]
            b.seen(data.get("startTime"))
            ctx = _dict(data.get("context"))
            if isinstance(ctx.get("cwd"), str):
                s.cwd = ctx["cwd"]
            if isinstance(ctx.get("branch"), str):
                s.git_branch = ctx["branch"]
            if isinstance(data.get("copilotVersion"), str):
                s.tool_version = data["copilotVersion"]
        elif kind == "user.message":
            text = data.get("content")
            if isinstance(text, str) and text.strip():
                b.prompt(text)
        elif kind == "assistant.message":
            b.model(data.get("model"))
        elif kind == "session.usage_record":
            u = _dict(data.get("usage"))
            b.tokens(input_tokens=u.get("inputTokens"), output_tokens=u.get("outputTokens"),
                     cache_read_input_tokens=u.get("cacheReadTokens"),
                     cache_creation_input_tokens=u.get("cacheWriteTokens"))
            # Priced per response with its own model, in the convention of the sums above.
            b.usage(u.get("model"), u.get("inputTokens"), u.get("outputTokens"), u.get("cacheReadTokens"),
                    u.get("cacheWriteTokens"))
            cost = u.get("cost")
            if isinstance(cost, (int, float)) and cost > 0:  # 0.0 for a BYOK model: nothing reported
                b.reported_cost(cost)
        elif kind == "tool.execution_start":
            _start(b, data, rec.get("timestamp"))
        elif kind == "tool.execution_complete":
            _complete(b, data, rec.get("timestamp"))
    yield b.finish()


def _start(b: Builder, data: dict[str, Any], when: Any) -> None:
    name = str(data.get("toolName") or "unknown")
    args = data.get("arguments")
    command = b.shell_and_files(name, args, SHELL, FILE_KEYS, NO_FILES)
    if isinstance(args, str) and name == "apply_patch":
        cwd = b.session.cwd
        for m in _PATCH_FILE.finditer(args[:200_000]):
            f = m.group(1).strip()  # relative to cwd; fileEdits name the same file absolutely
            b.file(f if f.startswith("/") or not cwd else f"{cwd.rstrip('/')}/{f}")
    b.tool_call(name, args, data.get("toolCallId"), when, command)


def _complete(b: Builder, data: dict[str, Any], when: Any) -> None:
    shell = _dict(data.get("shellExecution"))
    code = shell.get("exitCode")
    exit_code = code if isinstance(code, int) and not isinstance(code, bool) else None
    edits = data.get("fileEdits")
    for edit in edits if isinstance(edits, list) else []:
        if isinstance(edit, dict):
            b.file(edit.get("path"))
    result = _dict(data.get("result"))
    output = _TRAILER.sub("", text_of(result.get("content")) or text_of(data.get("error")))
    b.result(data.get("toolCallId"), output, data.get("success") is False, exit_code, when)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
