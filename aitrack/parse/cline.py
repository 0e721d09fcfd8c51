"""Cline CLI sessions: `~/.cline/data/sessions/<id>/<id>.messages.json`, one JSON document.

`{"version", "sessionId", "origin" {version}, "agent", "system_prompt", "messages": [...]}`, each
message `{id, role, content: [blocks], ts (epoch ms)}` with Anthropic-style blocks:
- user `text`: the prompt, wrapped by Cline in `<user_input mode="act|plan">…</user_input>`;
- assistant `tool_use` {id, name, input}: `run_commands` takes `{"commands": [cmd, …]}` (whole command
  strings, several per call possible), `apply_patch` `{"input": patch}`, `editor`/`read_files` paths;
  the assistant message has `modelInfo.id` and `metrics` {inputTokens, outputTokens, cacheReadTokens,
  cacheWriteTokens} (one model response; no cost in 3.0.65 for a model without prices);
- user `tool_result` {tool_use_id, content}: for run_commands a list of `{query, result, success,
  error?}`, one per command, a failure's result beginning `[Command exited with code N]`; for other
  tools a JSON string `{"query", "result", "success"}`.
The metadata file `<id>.json` beside it names the cwd, the git branch and the model.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aitrack.parse.builder import Builder
from aitrack.parse.gemini import is_prompt
from aitrack.parse.record import Session
from aitrack.parse.values import text_of

PROVIDER = "cline"
SHELL = {"run_commands"}
FILE_KEYS = ("path", "file_path", "filePath", "absolute_path")
NO_FILES = {"run_commands", "search_codebase", "fetch_web_content", "ask_question"}
_EXIT = re.compile(r"\[Command exited with code (-?\d+)\]")
_USER_INPUT = re.compile(r"<user_input\b[^>]*>(.*?)</user_input>", re.S)
_PATCH_FILE = re.compile(r"^\*\*\* (?:Add|Update|Delete) File: (.+?)\s*$|^\*\*\* Move to: (.+?)\s*$", re.M)
_WORKDIR = re.compile(r"Working Directory: (/[^\n]*)")
META_BYTES = 4 * 1024 * 1024


def looks_like_document(doc: Any) -> bool:
    """Cline's messages file: a sessionId, a message list and Cline's own `origin`/`agent` keys."""
    return (isinstance(doc, dict) and isinstance(doc.get("sessionId"), str) and isinstance(doc.get("messages"), list)
            and ("origin" in doc or "agent" in doc))


def is_metadata(doc: Any) -> bool:
    """The `<id>.json` beside the messages file: a session_id and the messages file's path."""
    return isinstance(doc, dict) and isinstance(doc.get("session_id"), str) and "messages_path" in doc


def parse_document(doc: dict[str, Any], evidence: str, path: str | None) -> Iterator[Session]:
    b = Builder(PROVIDER, evidence, path)
    s = b.session
    s.agent_session_id = doc["sessionId"]
    origin = _dict(doc.get("origin"))
    s.tool_version = origin.get("version") if isinstance(origin.get("version"), str) else None
    meta = _metadata(path, doc["sessionId"])
    s.cwd = _str(meta.get("cwd")) or _workdir(doc.get("system_prompt"))
    s.git_branch = _str(_dict(_dict(meta.get("metadata")).get("git")).get("branch"))
    b.seen(meta.get("started_at"))
    multi: dict[str, list[str]] = {}  # run_commands calls holding several commands: counted with their results
    for msg in doc["messages"]:
        if not isinstance(msg, dict):
            continue
        when = _iso(msg.get("ts"))
        b.seen(when)
        blocks = msg.get("content")
        blocks = [x for x in blocks if isinstance(x, dict)] if isinstance(blocks, list) else []
        if msg.get("role") == "user":
            text = "\n".join(x["text"] for x in blocks if x.get("type") == "text" and isinstance(x.get("text"), str))
            prompt = "\n".join(m.strip() for m in _USER_INPUT.findall(text))
            if is_prompt(prompt):
                b.prompt(prompt)
            for x in blocks:
                if x.get("type") == "tool_result":
                    _result(b, x, when, multi)
        elif msg.get("role") == "assistant":
            _response(b, msg)
            for x in blocks:
                if x.get("type") == "tool_use":
                    _call(b, x, when, multi)
    for call_id, commands in multi.items():  # no result yet (a live session): the commands ran or run
        for command in commands:
            b.command(command, "run_commands")
    b.seen(meta.get("ended_at"))
    yield b.finish()


def _response(b: Builder, msg: dict[str, Any]) -> None:
    model = _dict(msg.get("modelInfo")).get("id")
    b.model(model)
    m = _dict(msg.get("metrics"))
    if not m:
        return
    # Cline's inputTokens leave cache reads and writes out (Anthropic's convention).
    b.tokens(input_tokens=m.get("inputTokens"), output_tokens=m.get("outputTokens"),
             cache_read_input_tokens=m.get("cacheReadTokens"), cache_creation_input_tokens=m.get("cacheWriteTokens"))
    b.usage(model, m.get("inputTokens"), m.get("outputTokens"), m.get("cacheReadTokens"), m.get("cacheWriteTokens"))


def _call(b: Builder, block: dict[str, Any], when: str | None, multi: dict[str, list[str]]) -> None:
    name = str(block.get("name") or "unknown")
    args = block.get("input")
    call_id = block.get("id") if isinstance(block.get("id"), str) else None
    command = None
    if isinstance(args, dict):
        if name in SHELL:
            commands = [c for c in args.get("commands") or [] if isinstance(c, str)] \
                if isinstance(args.get("commands"), list) else []
            command = commands[0] if commands else None
            if len(commands) > 1 and call_id:
                multi[call_id] = commands[1:]
        elif name not in NO_FILES:
            for key in FILE_KEYS:
                b.file(args.get(key))
            patch = args.get("input")
            if name == "apply_patch" and isinstance(patch, str):
                for m in _PATCH_FILE.finditer(patch[:200_000]):
                    b.file(m.group(1) or m.group(2))
    b.tool_call(name, args, call_id, when, command)


def _result(b: Builder, block: dict[str, Any], when: str | None, multi: dict[str, list[str]]) -> None:
    call_id = block.get("tool_use_id")
    raw = block.get("content")
    if isinstance(raw, str) and raw.startswith("{"):
        try:
            raw = [json.loads(raw)]
        except ValueError:
            pass
    entries = [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []
    if not entries:
        b.result(call_id, text_of(raw), bool(block.get("is_error")), None, when)
        return
    outcomes = [_outcome(e) for e in entries]
    rest = multi.pop(call_id, []) if isinstance(call_id, str) else []
    for command, (output, failed, code) in zip(rest, outcomes[1:]):
        b.command(command, "run_commands", code, output, when)
    output, failed, code = outcomes[0]
    failed = failed or any(f for _, f, _ in outcomes[1:])
    b.result(call_id, output, failed, code, when)


def _outcome(entry: dict[str, Any]) -> tuple[str, bool, int | None]:
    """(output, failed, exit code) of one command's (or tool's) result entry."""
    output = text_of(entry.get("result")) or text_of(entry.get("error"))
    m = _EXIT.search(output[:200]) or _EXIT.search(text_of(entry.get("error"))[:200])
    failed = entry.get("success") is False or m is not None
    code = int(m.group(1)) if m else (0 if entry.get("success") is True and entry.get("query") else None)
    return output, failed, code


def _metadata(path: str | None, session_id: str) -> dict[str, Any]:
    """`<id>.json` beside the messages file (cwd, branch, times), when it is there."""
    if path is None:
        return {}
    try:
        meta = Path(path).with_name(f"{session_id}.json")  # ValueError: an id holding a `/`
        with open(meta, "rb") as fh:
            value = json.loads(fh.read(META_BYTES) or b"{}")
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _workdir(prompt: Any) -> str | None:
    m = _WORKDIR.search(prompt) if isinstance(prompt, str) else None
    return m.group(1).strip() if m else None


def _iso(ms: Any) -> str | None:
    if not isinstance(ms, (int, float)) or isinstance(ms, bool) or not 0 < ms < 1e14:
        return None
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
