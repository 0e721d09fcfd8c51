"""Gemini CLI chats: `~/.gemini/tmp/<project>/chats/session-*.json|.jsonl` and `logs.json`.

- whole-JSON `ConversationRecord` {sessionId, projectHash, startTime, lastUpdated, messages[]};
- JSONL (newer CLIs): a metadata line, then message records upserted by `id` (one message is
  rewritten each time its tool calls or tokens change: the last copy wins), `{"$set": {...}}` metadata
  patches and `{"$rewindTo": id}` (drops that message and everything after; unknown id drops all);
- `logs.json`: the prompt log, a list of {sessionId, messageId, type, message, timestamp}.
Messages are folded first (chat files are small), then counted.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from aitrack.parse.builder import MAX_SESSIONS, Budget, Builder
from aitrack.parse.values import text_of
from aitrack.parse.record import Session

PROVIDER = "gemini_cli"
SHELL = {"run_shell_command", "shell"}
FILE_KEYS = ("file_path", "absolute_path", "path")
NO_FILES = {"list_directory", *SHELL}  # a folder listed, a command run: no file named is touched
_EXIT = re.compile(r"Exit Code: (-?\d+)")
_SLASH = re.compile(r"^/[A-Za-z][\w:-]*(?:\s|$)")
_MAX_MESSAGES = 20000


def is_prompt(text: str) -> bool:
    """A person's prompt: not empty, not a slash command (`/clear`; `/usr/bin …` is a prompt), and
    not the `<session_context>` message Gemini CLI (0.61+) writes itself as the first user turn."""
    stripped = text.strip()
    return bool(stripped) and not _SLASH.match(stripped) and not stripped.startswith("<session_context>")


def parse_records(records: Iterable[dict[str, Any]], evidence: str, path: str | None) -> Iterator[Session]:
    meta: dict[str, Any] = {}
    messages: dict[str, dict[str, Any]] = {}
    b = Builder(PROVIDER, evidence, path)
    for rec in records:
        rewind = rec.get("$rewindTo")
        if isinstance(rewind, str):
            ids = list(messages)
            cut = ids.index(rewind) if rewind in messages else 0
            for mid in ids[cut:]:
                del messages[mid]
        elif isinstance(rec.get("id"), str) and "type" in rec:
            if rec["id"] in messages or len(messages) < _MAX_MESSAGES:
                messages[rec["id"]] = rec
            else:
                b.warn(f"messages beyond {_MAX_MESSAGES} skipped")
        else:
            patch = rec["$set"] if isinstance(rec.get("$set"), dict) else rec
            meta.update({k: v for k, v in patch.items() if k != "messages"})
            # A `messages` patch restates the conversation (resume, compression): upsert, never drop
            # what was already done.
            for msg in patch.get("messages") or [] if isinstance(patch.get("messages"), list) else []:
                if isinstance(msg, dict) and isinstance(msg.get("id"), str):
                    messages[msg["id"]] = msg
    yield _build(b, meta, messages.values())


def parse_document(doc: Any, evidence: str, path: str | None) -> Iterator[Session]:
    """A whole-JSON chat, or the `logs.json` prompt log (one session per sessionId)."""
    if isinstance(doc, list):
        yield from _logs(doc, evidence, path)
        return
    b = Builder(PROVIDER, evidence, path)
    msgs = doc.get("messages") if isinstance(doc, dict) else None
    yield _build(b, doc if isinstance(doc, dict) else {}, [m for m in msgs if isinstance(m, dict)] if isinstance(msgs, list) else [])


def _build(b: Builder, meta: dict[str, Any], messages: Iterable[dict[str, Any]]) -> Session:
    s = b.session
    s.agent_session_id = meta.get("sessionId") if isinstance(meta.get("sessionId"), str) else None
    b.seen(meta.get("startTime"))
    b.seen(meta.get("lastUpdated"))
    dirs = meta.get("directories")
    if isinstance(dirs, list) and dirs and isinstance(dirs[0], str):
        s.cwd = dirs[0]
    inner = meta.get("meta")
    if isinstance(inner, dict):
        b.model(inner.get("model"))
    for msg in messages:
        b.seen(msg.get("timestamp"))
        kind = msg.get("type")
        if kind == "user":
            text = text_of(msg.get("content"))
            if is_prompt(text):
                b.prompt(text)
        elif kind in ("gemini", "model"):
            b.model(msg.get("model"))
            tokens = msg.get("tokens")
            if isinstance(tokens, dict):
                b.tokens(input_tokens=tokens.get("input"), output_tokens=tokens.get("output"),
                         cache_read_input_tokens=tokens.get("cached"), reasoning_output_tokens=tokens.get("thoughts"))
                _usage(b, msg.get("model"), tokens)
            calls = msg.get("toolCalls")
            for call in calls if isinstance(calls, list) else []:
                if isinstance(call, dict):
                    _tool_call(b, call, msg.get("timestamp"))
    return b.finish()


def _usage(b: Builder, model: Any, tokens: dict[str, Any]) -> None:
    # Gemini's prompt count includes the cached part; tool-use prompt tokens come on top of it and
    # are billed as input, thoughts as output.
    def n(key: str) -> int:
        v = tokens.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0

    cached = n("cached")
    b.usage(model, max(n("input") - cached, 0) + n("tool"), n("output") + n("thoughts"), cached, 0)


def _tool_call(b: Builder, call: dict[str, Any], msg_time: Any) -> None:
    raw_name = call.get("name")
    name = raw_name if isinstance(raw_name, str) else "unknown"
    args = call.get("args")
    command = b.shell_and_files(name, args, SHELL, FILE_KEYS, NO_FILES)
    call_id = call.get("id") if isinstance(call.get("id"), str) else None
    ts = call.get("timestamp") or msg_time
    b.tool_call(name, args, call_id, ts, command)
    output, error = "", ""
    result = call.get("result")
    for part in result if isinstance(result, list) else []:
        response = part.get("functionResponse", {}).get("response") if isinstance(part, dict) else None
        if isinstance(response, dict):
            output += text_of(response.get("output"))
            error += text_of(response.get("error"))
    if not output and not error:
        output = text_of(call.get("resultDisplay"))
    error = error or (text_of(call.get("error")) if call.get("status") == "error" else "")
    m = _EXIT.search(output[-4000:]) if command is not None else None
    exit_code = int(m.group(1)) if m else None
    status = call.get("status")
    text = unwrap_output(output) if command is not None else output
    b.result(call_id or f"#{b.session.metrics.tool_uses}", text or error, status == "error" or bool(error),
             exit_code, ts)


# run_shell_command's result as the model sees it: 0.61 wraps `Output: …` and `Process Group PGID: N`
# in <untrusted_context>; older CLIs list Command, Directory, Output, Error, Exit Code, Signal,
# Background PIDs and the PGID. Fields are cut from the ends only: a printed line `Error: x` stays.
_HEAD = ("Command: ", "Directory: ")
_TAIL = re.compile(r"^(?:Error|Exit Code|Signal|Background PIDs|Process Group PGID): ?.*$")


def unwrap_output(text: str) -> str:
    """What the command printed, without Gemini CLI's wrapper (the exit code is read before this)."""
    body = text.strip("\n")
    wrapped = body.startswith("<untrusted_context>") and body.endswith("</untrusted_context>")
    if wrapped:
        body = body[len("<untrusted_context>"):-len("</untrusted_context>")].strip("\n")
    lines = body.split("\n")
    while lines and lines[0].startswith(_HEAD):
        lines.pop(0)
    if not lines or not lines[0].startswith("Output:"):
        return body if wrapped else text
    lines[0] = lines[0][len("Output:"):].removeprefix(" ")
    error = ""
    for _ in range(5):
        if len(lines) > 1 and _TAIL.match(lines[-1]):
            last = lines.pop()
            if last.startswith("Error:") and last[6:].strip() not in ("", "(none)"):
                error = last[6:].strip()
        else:
            break
    out = "\n".join(lines)
    out = "" if out.strip() == "(empty)" else out
    return out + ("\n" + error if out and error else error)


def _logs(entries: list[Any], evidence: str, path: str | None) -> Iterator[Session]:
    builders: dict[str, Builder] = {}
    budget = Budget()
    for e in entries[:1_000_000]:
        if not isinstance(e, dict):
            continue
        raw_sid = e.get("sessionId")
        sid = raw_sid if isinstance(raw_sid, str) else ""
        b = builders.get(sid)
        if b is None and len(builders) >= MAX_SESSIONS:
            b = builders[next(reversed(builders))]
        if b is None:
            b = builders[sid] = Builder(PROVIDER, evidence, path, budget)
            b.session.agent_session_id = sid or None
        b.seen(e.get("timestamp"))
        if e.get("type") == "user" and isinstance(e.get("message"), str) and is_prompt(e["message"]):
            b.prompt(e["message"])
    for b in builders.values() or [Builder(PROVIDER, evidence, path)]:
        yield b.finish()


def looks_like(record: dict[str, Any]) -> bool:
    if "$set" in record or "$rewindTo" in record:
        return True
    if "projectHash" in record and "sessionId" in record:
        return True
    return record.get("type") in ("gemini", "model") and "id" in record and "payload" not in record


def looks_like_document(doc: Any) -> bool:
    if isinstance(doc, dict):
        return isinstance(doc.get("messages"), list) and ("projectHash" in doc or "sessionId" in doc)
    return isinstance(doc, list) and bool(doc) and all(
        isinstance(e, dict) and "messageId" in e and "sessionId" in e for e in doc[:5])


# The exit summary's "Model Usage" table (Gemini CLI 0.61): one row per model with Reqs, Input
# Tokens, Cache Reads, Output Tokens, then `↳ main` / `↳ utility_router` rows splitting it by role.
_USAGE_HEAD = re.compile(r"Model\s+Reqs\s+Input Tokens\s+Cache Reads\s+Output Tokens")
_USAGE_ROW = re.compile(r"^[│|\s]*([A-Za-z0-9][\w.:/-]*)\s+(\d[\d,]*)\s+(\d[\d,]*)\s+(\d[\d,]*)\s+(\d[\d,]*)\s*[│|]?\s*$")


def summary_usage(transcript: str) -> dict[str, int] | None:
    """Token totals from the last exit summary on screen, or None. The chat log leaves out the
    router's call (one request per turn, to a lighter model); the summary counts every request."""
    heads = list(_USAGE_HEAD.finditer(transcript))
    if not heads:
        return None
    totals = {"requests": 0, "input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 0}
    seen = False
    for line in transcript[heads[-1].end():].splitlines()[1:]:
        if "↳" in line or set(line.strip(" │|")) <= set("─-"):
            continue  # a model's split by role, or the rule under the header
        m = _USAGE_ROW.match(line)
        if not m:
            break
        seen = True
        for key, value in zip(totals, m.groups()[1:]):
            totals[key] += int(value.replace(",", ""))
    return totals if seen else None
