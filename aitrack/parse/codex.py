"""Codex rollouts: `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`, in all three shapes.

- current: `{"timestamp", "type": session_meta|turn_context|response_item|event_msg|compacted, "payload"}`;
- early codex-rs: a first line `{"id", "timestamp", "instructions"}` then bare response items and
  `{"record_type": "state"}` lines;
- old TypeScript CLI: one JSON document `{"session": {...}, "items": [...]}`.
Conventions (SOURCES.md): tool calls are function_call + custom_tool_call + local_shell_call; a call
named shell / shell_command / exec_command / local_shell is one command whatever its argument shape;
prompts are `event_msg/user_message` (fallback: user messages minus injected boilerplate); a non-zero
exit code in the output is an error; tokens are the last cumulative `token_count`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from aitrack.parse.builder import MAX_PROMPTS, Builder
from aitrack.parse.values import text_of
from aitrack.parse.record import Session
from aitrack.parse.shellcmd import command_text

PROVIDER = "openai_codex"
SHELL = {"shell", "shell_command", "exec_command", "local_shell", "container.exec"}
CALLS = {"function_call", "custom_tool_call", "local_shell_call"}
OUTPUTS = {"function_call_output", "custom_tool_call_output", "local_shell_call_output"}
ITEM_TYPES = CALLS | OUTPUTS | {"message", "reasoning", "web_search_call", "ghost_snapshot", "compaction"}
_BOILERPLATE = ("<environment_context>", "<user_instructions>", "# AGENTS.md instructions", "<INSTRUCTIONS>",
                "<permissions instructions>", "<user_shell_command>", "<turn_aborted>", "<subagent_notification>")
_EXIT = re.compile(r"(?:^|\n)(?:Exit code:|Process exited with code) ?(-?\d+)")
_PATCH_FILE = re.compile(r"^\*\*\* (?:Add|Update|Delete) File: (.+?)\s*$|^\*\*\* Move to: (.+?)\s*$", re.M)


def parse_records(records: Iterable[dict[str, Any]], evidence: str, path: str | None) -> Iterator[Session]:
    """One rollout file is one session (forked/sub-agent `session_meta` lines stay in it)."""
    c = _Codex(evidence, path)
    for rec in records:
        c.feed(rec)
    yield c.finish()


def parse_document(doc: dict[str, Any], evidence: str, path: str | None) -> Iterator[Session]:
    """The old single-JSON rollout `{"session": {...}, "items": [...]}`."""
    c = _Codex(evidence, path)
    meta = doc.get("session")
    if isinstance(meta, dict):
        c.meta(meta, meta.get("timestamp"))
    items = doc.get("items")
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            c.item(item, None)
    yield c.finish()


class _Codex:
    def __init__(self, evidence: str, path: str | None) -> None:
        self.b = Builder(PROVIDER, evidence, path)
        self.fallback_prompts: list[tuple[str, str | None]] = []  # (text, when: the turn's start)
        self.fallback_count = 0
        self.event_prompts = 0
        self.current_model: Any = None
        self.last_total: tuple[int, int, int] = (0, 0, 0)

    def feed(self, rec: dict[str, Any]) -> None:
        kind = _str(rec.get("type"))
        ts = rec.get("timestamp")
        payload = rec.get("payload")
        if isinstance(payload, dict):
            self.b.seen(ts)
            if kind == "response_item":
                self.item(payload, ts)
            elif kind == "event_msg":
                self.event(payload, ts)
            elif kind == "session_meta":
                self.meta(payload, ts)
            elif kind == "turn_context":
                self.b.model(payload.get("model"))
                self.current_model = payload.get("model")
                if self.b.session.cwd is None and isinstance(payload.get("cwd"), str):
                    self.b.session.cwd = payload["cwd"]
        elif kind in ITEM_TYPES:  # early codex-rs: bare response items
            self.b.seen(ts)
            self.item(rec, ts)
        elif "id" in rec and "instructions" in rec and self.b.session.agent_session_id is None:
            self.meta(rec, ts)

    def meta(self, p: dict[str, Any], ts: Any) -> None:
        s = self.b.session
        if s.agent_session_id is not None:
            return  # a later session_meta is a fork's or sub-agent's copied header
        self.b.seen(p.get("timestamp") or ts)
        s.agent_session_id = p.get("id") if isinstance(p.get("id"), str) else None
        if isinstance(p.get("cwd"), str):
            s.cwd = p["cwd"]
        if isinstance(p.get("cli_version"), str):
            s.tool_version = p["cli_version"]
        git = p.get("git")
        if isinstance(git, dict) and isinstance(git.get("branch"), str):
            s.git_branch = git["branch"]

    def item(self, p: dict[str, Any], ts: Any) -> None:
        kind = _str(p.get("type"))
        if kind in CALLS:
            self.call(p, ts)
        elif kind in OUTPUTS:
            self.output(p, ts)
        elif kind == "message" and p.get("role") == "user":
            text = text_of([c for c in p.get("content") or [] if isinstance(c, dict) and c.get("type") in ("input_text", "text")]
                           if isinstance(p.get("content"), list) else p.get("content"))
            if text.strip() and not text.lstrip().startswith(_BOILERPLATE):
                self.fallback_count += 1
                self.b.turn = max(self.b.turn, self.fallback_count)
                if len(self.fallback_prompts) < MAX_PROMPTS:
                    self.fallback_prompts.append((text, self.b.at))

    def call(self, p: dict[str, Any], ts: Any) -> None:
        kind = p.get("type")
        name = "local_shell" if kind == "local_shell_call" else _str(p.get("name"))
        raw = p.get("action") if kind == "local_shell_call" else p.get("arguments", p.get("input"))
        args: Any = raw
        if isinstance(raw, str) and raw[:1] in "{[":
            try:
                args = json.loads(raw)
            except ValueError:
                args = raw
        command = None
        if name in SHELL:
            value = args.get("command", args.get("cmd")) if isinstance(args, dict) else args
            command = command_text(value)
            if command.startswith("apply_patch"):
                self.patch_files(command)
        elif name == "apply_patch":
            self.patch_files(args.get("input") if isinstance(args, dict) else args)
        call_id = p.get("call_id") or p.get("id")
        self.b.tool_call(name if isinstance(name, str) else "unknown", args, call_id, ts, command)

    def patch_files(self, patch: Any) -> None:
        if isinstance(patch, str):
            for m in _PATCH_FILE.finditer(patch[:200_000]):
                self.b.file(m.group(1) or m.group(2))

    def output(self, p: dict[str, Any], ts: Any) -> None:
        raw = p.get("output")
        exit_code = None
        text = ""
        if isinstance(raw, str) and raw.startswith("{"):
            try:
                obj = json.loads(raw)
            except ValueError:
                obj = None
            if isinstance(obj, dict):
                meta = obj.get("metadata")
                if isinstance(meta, dict) and isinstance(meta.get("exit_code"), int):
                    exit_code = meta["exit_code"]
                text = text_of(obj.get("output", obj))
            else:
                text = raw
        else:
            text = text_of(raw)
        if exit_code is None:
            m = _EXIT.search(text[:2000])
            exit_code = int(m.group(1)) if m else None
        is_error = isinstance(raw, dict) and raw.get("success") is False
        self.b.result(p.get("call_id"), unwrap_output(text), is_error, exit_code, ts)

    def event(self, p: dict[str, Any], ts: Any) -> None:
        kind = _str(p.get("type"))
        if kind == "user_message":
            msg = p.get("message")
            if isinstance(msg, str):
                self.b.session.interrupted = False  # the person went on
                self.event_prompts += 1
                self.b.prompt(msg)
        elif kind == "token_count":
            info = p.get("info")
            total = info.get("total_token_usage") if isinstance(info, dict) else None
            if isinstance(total, dict):
                self.b.set_tokens(
                    input_tokens=total.get("input_tokens"),
                    output_tokens=total.get("output_tokens"),
                    cache_read_input_tokens=total.get("cached_input_tokens"),
                    cache_creation_input_tokens=total.get("cache_write_input_tokens"),
                    reasoning_output_tokens=total.get("reasoning_output_tokens"),
                )
                self.usage(info if isinstance(info, dict) else {}, total)
        elif kind == "exec_command_end":
            self.b.exit_hint(p.get("call_id"), p.get("exit_code"))
        elif kind == "patch_apply_end":
            changes = p.get("changes")
            if isinstance(changes, dict):
                for file in list(changes)[:1000]:
                    self.b.file(file)
        elif kind == "turn_aborted":
            self.b.abort_pending(str(p.get("reason") or "unknown reason"))
            self.b.session.interrupted = p.get("reason") == "interrupted"
        elif kind in ("task_started", "agent_message"):
            self.b.session.interrupted = False

    def usage(self, info: dict[str, Any], total: dict[str, Any]) -> None:
        """One response's tokens: the growth of the running total since the last token_count
        (Codex repeats an unchanged total, e.g. after a rate-limit notice: that adds nothing).
        OpenAI's input_tokens includes the cached part; its output includes reasoning."""
        now = (_int(total.get("input_tokens")), _int(total.get("cached_input_tokens")), _int(total.get("output_tokens")))
        before = self.last_total
        self.last_total = now
        if any(a < b for a, b in zip(now, before)):  # the total restarted (a resumed rollout): the last response
            last = info.get("last_token_usage")
            if not isinstance(last, dict):
                return
            before = (0, 0, 0)
            now = (_int(last.get("input_tokens")), _int(last.get("cached_input_tokens")), _int(last.get("output_tokens")))
        spent, cached, out = (a - b for a, b in zip(now, before))
        model = info.get("model") if isinstance(info.get("model"), str) else self.current_model
        self.b.model(model)
        self.b.usage(model, max(spent - cached, 0), out, cached, 0)

    def finish(self) -> Session:
        if not self.event_prompts and self.fallback_count:
            # Older rollouts have no user_message events: the user's messages are the prompts.
            for text, at in self.fallback_prompts:
                self.b.at = at
                self.b.prompt(text)
            self.b.session.metrics.user_prompts = self.fallback_count
        return self.b.finish()


# exec_command's result as the model sees it (Codex 0.1xx): `Chunk ID: …`, `Wall time: …`,
# `Process exited with code N`, `Original token count: …`, then `Output:` and what the command printed.
_HEADER_LINE = re.compile(r"^(?:Chunk ID|Wall time|Process exited with code|Exit code|Original token count"
                          r"|Total output lines|Session ID|Process running with session ID)\b[^\n]*$")


def unwrap_output(text: str) -> str:
    """What the command printed, without the wrapper Codex adds for the model (the exit code is
    read before this)."""
    lines = text.split("\n", 8)
    for i, line in enumerate(lines[:8]):
        if line == "Output:" and i > 0:
            return text.split("\n", i + 1)[i + 1] if len(lines) > i + 1 else ""
        if not _HEADER_LINE.match(line):
            break
    return text


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def looks_like(record: dict[str, Any]) -> bool:
    kind = _str(record.get("type"))
    if isinstance(record.get("payload"), dict) and kind in {
            "session_meta", "response_item", "event_msg", "turn_context", "compacted", "world_state"}:
        return True
    if "instructions" in record and "id" in record and "timestamp" in record:
        return True  # early codex-rs header
    return record.get("record_type") == "state" or kind in CALLS | OUTPUTS


def looks_like_document(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("items"), list) and isinstance(doc.get("session"), dict)


def _str(value: Any) -> str | None:
    # Field values are untrusted: a list where a string belongs must not reach a set lookup.
    return value if isinstance(value, str) else None
