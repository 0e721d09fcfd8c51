"""Continue CLI sessions (`cn`): `~/.continue/sessions/<uuid>.json`, one JSON document.

`{sessionId, title, workspaceDirectory, history: [...], usage {totalCost, promptTokens, …}}`; each
history item holds a `message`:
- user: `content` (a string or text parts), the prompt;
- assistant: `usage` {prompt_tokens (cache included, OpenAI's convention), completion_tokens,
  prompt_tokens_details {cached_tokens}, model} (one model response) and `toolCalls`
  [{id, function {name, arguments (a JSON string)}}]; the item's `toolCallStates` [{toolCallId,
  status done | errored | canceled, output [{content}]}] are their results — a failing `Bash` says
  `Error executing tool Bash: Error (exit code N): …`.
No timestamps: the file's place and time say when. `usage.totalCost` is Continue's own figure
(from its price table, a default one for a model it does not know): the agent-reported cost.
`sessions.json` beside the files is Continue's index, not a session.
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

PROVIDER = "continue_cli"
SHELL = {"Bash"}
FILE_KEYS = ("filepath", "file_path", "path")
NO_FILES = {"Bash", "List", "Fetch", "Checklist", "CheckBackgroundJob", "AskQuestion", "Skills", "Read"}
_EXIT = re.compile(r"\(exit code (-?\d+)\)")


def looks_like_document(doc: Any) -> bool:
    return (isinstance(doc, dict) and isinstance(doc.get("sessionId"), str) and isinstance(doc.get("history"), list)
            and "workspaceDirectory" in doc)


def is_index(doc: Any) -> bool:
    """`sessions.json`: a list of {sessionId, title, dateCreated, workspaceDirectory, messageCount}."""
    return (isinstance(doc, list) and bool(doc) and all(isinstance(d, dict) for d in doc)
            and all("sessionId" in d and "messageCount" in d for d in doc))


def parse_document(doc: dict[str, Any], evidence: str, path: str | None) -> Iterator[Session]:
    b = Builder(PROVIDER, evidence, path)
    s = b.session
    s.agent_session_id = doc["sessionId"]
    s.cwd = doc["workspaceDirectory"] if isinstance(doc.get("workspaceDirectory"), str) else None
    if path is not None:  # the index beside the file says when the session began
        from aitrack.agents.continue_cli import created

        when = created(Path(path).parent).get(s.agent_session_id)
        if when is not None and 0 < when < 1e11:
            b.seen(datetime.fromtimestamp(when, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"))
    for item in doc["history"]:
        msg = item.get("message") if isinstance(item, dict) else None
        if not isinstance(msg, dict):
            continue
        if msg.get("role") == "user":
            text = text_of(msg.get("content"))
            if is_prompt(text):
                b.prompt(text)
        elif msg.get("role") == "assistant":
            _response(b, _dict(msg.get("usage")))
            states = {st.get("toolCallId"): st for st in _list(item.get("toolCallStates")) if isinstance(st, dict)}
            for call in _list(msg.get("toolCalls")):
                if isinstance(call, dict):
                    _call(b, call, states.get(call.get("id")))
    b.reported_cost(_dict(doc.get("usage")).get("totalCost") or None)  # 0: nothing reported
    yield b.finish()


def _response(b: Builder, u: dict[str, Any]) -> None:
    if not u:
        return
    model = u.get("model")
    b.model(model)
    prompt, out = _int(u.get("prompt_tokens")), _int(u.get("completion_tokens"))
    cached = _int(_dict(u.get("prompt_tokens_details")).get("cached_tokens"))
    b.tokens(input_tokens=max(prompt - cached, 0), output_tokens=out, cache_read_input_tokens=cached)
    b.usage(model, max(prompt - cached, 0), out, cached, 0)


def _call(b: Builder, call: dict[str, Any], state: dict[str, Any] | None) -> None:
    fn = _dict(call.get("function"))
    name = str(fn.get("name") or "unknown")
    try:
        args = json.loads(fn["arguments"]) if isinstance(fn.get("arguments"), str) else fn.get("arguments")
    except ValueError:
        args = fn.get("arguments")
    command = None
    if isinstance(args, dict):
        if name in SHELL and isinstance(args.get("command"), str):
            command = args["command"]
        if name not in NO_FILES:
            for key in FILE_KEYS:
                b.file(args.get(key))
    call_id = call.get("id") if isinstance(call.get("id"), str) else None
    b.tool_call(name, args, call_id, None, command)
    if state is None or state.get("status") not in ("done", "errored", "canceled"):
        return  # no result yet (a live session)
    output = text_of(state.get("output"))
    failed = state.get("status") != "done"
    m = _EXIT.search(output[:300]) if failed else None
    b.result(call_id, output, failed, int(m.group(1)) if m else (None if failed else 0))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
