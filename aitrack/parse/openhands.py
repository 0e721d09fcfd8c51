"""OpenHands CLI conversations: `~/.openhands/conversations/<hex id>/base_state.json` + `events/event-NNNNN-<uuid>.json`.

`base_state.json` (openhands 1.16.0, SDK 1.21) is the conversation's state: `id`, `workspace.working_dir`
(the cwd), `agent.llm.model`, and `stats.usage_to_metrics.<usage id>` with one `token_usages` entry
per model response {model, prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens,
reasoning_tokens} and the `accumulated_cost` OpenHands reports. It is the log aitrack parses; the
events beside it are read with it, in their file names' order, one JSON object each:
- `MessageEvent` (source `user`) {llm_message {content [{text}]}}: a prompt;
- `ActionEvent` {tool_name, tool_call_id, tool_call {arguments: a JSON string}, action}: `terminal`
  {command}, `file_editor` {command: create / str_replace / insert / view, path, …}, `task_tracker`, …;
- `ObservationEvent` {tool_call_id, observation {is_error, exit_code, content [{text}]}},
  `AgentErrorEvent` {tool_call_id, error} and `UserRejectObservation` {tool_call_id, rejection_reason}:
  a call's result (an error, a rejection: failed).
Event timestamps are local wall-clock time without a zone (`datetime.now().isoformat()`): read as
this machine's local time and kept in UTC.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aitrack.parse.builder import Builder
from aitrack.parse.record import Session
from aitrack.parse.values import text_of

PROVIDER = "openhands"
SHELL = {"terminal"}
FILE_KEYS = ("path",)
NO_FILES = {"terminal", "task_tracker", "task", "think", "finish", "browser", "task_tool_set"}
_EVENT_MAX = 16 * 1024 * 1024
MAX_EVENTS = 200_000


def looks_like_document(doc: Any) -> bool:
    """A conversation's base_state.json: its id, its agent with an llm, its workspace."""
    return (isinstance(doc, dict) and isinstance(doc.get("id"), str) and isinstance(doc.get("agent"), dict)
            and isinstance(doc["agent"].get("llm"), dict) and isinstance(doc.get("workspace"), dict)
            and "persistence_dir" in doc)


def parse_document(doc: dict[str, Any], evidence: str, path: str | None,
                   window: tuple[float, float] | None = None) -> Iterator[Session]:
    """The conversation; `window` (epochs, slack included) keeps the events stamped in it (a resumed
    conversation holds earlier sessions' events). Tokens are the conversation's: their rows have no time."""
    b = Builder(PROVIDER, evidence, path)
    s = b.session
    s.agent_session_id = doc["id"]
    where = doc["workspace"].get("working_dir")
    s.cwd = where if isinstance(where, str) else None
    b.model(doc["agent"]["llm"].get("model"))
    if path:
        for event in _events(Path(path).parent / "events", b):
            if window is None or _inside(event.get("timestamp"), window):
                _event(b, event)
    _stats(b, doc.get("stats"))
    yield b.finish()


def _events(folder: Path, b: Builder) -> Iterator[dict[str, Any]]:
    try:
        names = sorted(n for n in os.listdir(folder) if n.startswith("event-") and n.endswith(".json"))
    except OSError:
        return
    if len(names) > MAX_EVENTS:
        b.warn(f"events beyond {MAX_EVENTS} not read")
        names = names[:MAX_EVENTS]
    for name in names:
        try:
            with open(folder / name, "rb") as fh:
                event = json.loads(fh.read(_EVENT_MAX))
        except (OSError, ValueError):
            b.warn("an event file could not be read")
            continue
        if isinstance(event, dict):
            yield event


def _event(b: Builder, e: dict[str, Any]) -> None:
    when = _utc(e.get("timestamp"))
    b.seen(when)
    kind = e.get("kind")
    if kind == "MessageEvent":
        msg = e.get("llm_message")
        if e.get("source") == "user" and isinstance(msg, dict):
            prompt = text_of(msg.get("content"))
            if prompt.strip():
                b.prompt(prompt)
    elif kind == "ActionEvent":
        name = str(e.get("tool_name") or "unknown")
        args = _arguments(e.get("tool_call"), e.get("action"))
        viewing = name == "file_editor" and isinstance(args, dict) and args.get("command") == "view"
        command = b.shell_and_files(name, args, SHELL, FILE_KEYS, NO_FILES | ({name} if viewing else set()))
        b.tool_call(name, args, e.get("tool_call_id"), when, command)
    elif kind == "ObservationEvent":
        obs = e.get("observation")
        obs = obs if isinstance(obs, dict) else {}
        code = obs.get("exit_code")
        exit_code = code if isinstance(code, int) and not isinstance(code, bool) and code >= 0 else None
        b.result(e.get("tool_call_id"), text_of(obs.get("content")), obs.get("is_error") is True, exit_code, when)
    elif kind == "AgentErrorEvent":
        b.result(e.get("tool_call_id"), str(e.get("error") or ""), True, None, when)
    elif kind == "UserRejectObservation":
        b.result(e.get("tool_call_id"), f"rejected: {e.get('rejection_reason') or ''}", True, None, when)


def _arguments(call: Any, action: Any) -> Any:
    """The model's arguments (the tool call's JSON string), else the parsed action."""
    raw = call.get("arguments") if isinstance(call, dict) else None
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            pass
    if isinstance(action, dict):
        return {k: v for k, v in action.items() if k != "kind"}
    return raw


def _stats(b: Builder, stats: Any) -> None:
    """Tokens per model response and the cost OpenHands reports, from every usage id (agent, condenser)."""
    usage = stats.get("usage_to_metrics") if isinstance(stats, dict) else None
    for metrics in usage.values() if isinstance(usage, dict) else ():
        if not isinstance(metrics, dict):
            continue
        b.reported_cost(metrics.get("accumulated_cost") or None)
        rows = metrics.get("token_usages")
        for u in rows if isinstance(rows, list) else ():
            if not isinstance(u, dict):
                continue
            prompt, read, write = (_int(u.get(k)) for k in ("prompt_tokens", "cache_read_tokens", "cache_write_tokens"))
            fresh = max(prompt - read - write, 0)  # litellm's prompt_tokens include the cached ones
            b.model(u.get("model"))
            b.tokens(input_tokens=fresh, output_tokens=_int(u.get("completion_tokens")),
                     cache_read_input_tokens=read, cache_creation_input_tokens=write,
                     reasoning_output_tokens=_int(u.get("reasoning_tokens")))
            b.usage(u.get("model"), fresh, u.get("completion_tokens"), read, write)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _inside(stamp: Any, window: tuple[float, float]) -> bool:
    try:
        when = datetime.fromisoformat(stamp).timestamp() if isinstance(stamp, str) else None
    except (ValueError, OverflowError, OSError):
        when = None
    return when is None or window[0] <= when <= window[1]


def _utc(stamp: Any) -> str | None:
    if not isinstance(stamp, str):
        return None
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    try:
        when = when.astimezone(timezone.utc)  # a naive time is taken as local
    except (OverflowError, OSError, ValueError):
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
