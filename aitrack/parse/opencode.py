"""OpenCode's `opencode.db` and Kilo Code's `kilo.db` (a fork, same schema plus `kilo_*` tables):
tables `session`, `message`, `part`, JSON in each row's `data`.

- `session`: id (its own session id), directory (cwd), version, time_created/updated (epoch ms);
- `message`: role `user` | `assistant`; an assistant message has modelID and `tokens` {input, output,
  reasoning, cache {read, write}} (one model response: summed) and the agent's own `cost` in USD
  (from the model's configured prices; 0 when it has none, which is "not reported", not "free");
- `part`: `text` (a user part is the prompt; `synthetic` ones are OpenCode's own), `tool` {tool,
  callID, state {status, input, output, metadata {exit, files}}}, and step/patch markers (skipped).
One Session per session row; `window` keeps sessions and messages written inside it.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aitrack.parse.builder import Budget, Builder
from aitrack.parse.record import Detection, Session
from aitrack.parse.sqlite_log import open_ro, tables
from aitrack.parse.detect import SLACK_AFTER, SLACK_BEFORE

PROVIDER = "opencode"
KILO = "kilo_code"  # a database with Kilo's own tables (kilo_board, …) is Kilo's
LABELS = {PROVIDER: "OpenCode", KILO: "Kilo"}
SHELL = {"bash"}
FILE_KEYS = ("filePath", "file_path", "path")
NO_FILES = {"glob", "grep", "list", "bash"}  # their `path` is a folder searched, not a file touched
MAX_ROWS = 2_000_000


def looks_like(names: set[str]) -> bool:
    return {"session", "message", "part"} <= names and "project" in names


def parse_db(path: Path, window: tuple[float, float] | None = None) -> Iterator[Session]:
    """Each OpenCode session in the database (inside `window`, epoch seconds, when given)."""
    name = str(path)
    try:
        conn = open_ro(path)
    except sqlite3.Error as exc:
        yield _failed(name, f"cannot open SQLite database: {exc}")
        return
    try:
        conn.execute("BEGIN")  # one snapshot: a live writer neither blocks us nor tears our read
        names = tables(conn)
        if not looks_like(names):
            yield _failed(name, "SQLite database of no known agent log (opencode, kilo)")
            return
        provider = provider_of(names)
        budget = Budget()
        found = False
        for row in conn.execute("SELECT id, directory, version, time_created, time_updated FROM session "
                                "ORDER BY time_created, id"):
            if window is not None and not _overlaps(row[3], row[4], window):
                continue
            found = True
            yield _session(conn, row, name, window, budget, provider)
        if not found:
            where = " in the time window" if window else ""
            yield _failed(name, f"no {LABELS[provider]} session in the database{where}")
    except sqlite3.Error as exc:
        yield _failed(name, f"SQLite read error: {exc}")
    finally:
        conn.close()


def _session(conn: sqlite3.Connection, row: tuple[Any, ...], name: str,
             window: tuple[float, float] | None, budget: Budget, provider: str = PROVIDER) -> Session:
    sid, directory, version, created, updated = row
    b = Builder(provider, f"{LABELS[provider].lower()} sqlite: {name}", name, budget)
    s = b.session
    s.agent_session_id = sid if isinstance(sid, str) else None
    s.cwd = directory if isinstance(directory, str) else None
    s.tool_version = version if isinstance(version, str) and version else None
    b.seen(_iso(created))
    b.seen(_iso(updated))
    roles: dict[str, str] = {}
    messages = conn.execute("SELECT id, time_created, data FROM message WHERE session_id = ? "
                            "ORDER BY time_created, id LIMIT ?", (sid, MAX_ROWS))
    for mid, when, data in messages:
        if window is not None and not _overlaps(when, when, window):
            continue
        msg = _json(data)
        roles[mid] = str(msg.get("role"))
        b.seen(_iso(when))
        if msg.get("role") == "assistant":
            b.model(msg.get("modelID"))
            t = _dict(msg.get("tokens"))
            cache = _dict(t.get("cache"))
            b.tokens(input_tokens=t.get("input"), output_tokens=t.get("output"),
                     reasoning_output_tokens=t.get("reasoning"), cache_read_input_tokens=cache.get("read"),
                     cache_creation_input_tokens=cache.get("write"))
            # OpenCode's `input` leaves cache reads/writes out and `output` reasoning (Anthropic's
            # convention): priced per response with this message's own model.
            b.usage(msg.get("modelID"), t.get("input"), _int(t.get("output")) + _int(t.get("reasoning")),
                    cache.get("read"), cache.get("write"))
            cost = msg.get("cost")
            if isinstance(cost, (int, float)) and cost > 0:  # 0: the model has no price configured
                b.reported_cost(cost)
    prompt: list[str] = []  # the text parts of the user message being read
    parts = conn.execute("SELECT message_id, time_created, data FROM part WHERE session_id = ? "
                         "ORDER BY message_id, id LIMIT ?", (sid, MAX_ROWS))

    def flush() -> None:
        # Before the next message's parts (message ids sort in time order): the prompt counts
        # before the tool calls that answer it (their prompt number, for line attribution).
        if "\n".join(prompt).strip():
            b.prompt("\n".join(prompt))
        prompt.clear()

    current = None
    for mid, when, data in parts:
        role = roles.get(mid)
        if role is None:  # a message outside the window
            continue
        if mid != current:
            flush()
            current = mid
        part = _json(data)
        kind = part.get("type")
        if kind == "text" and role == "user" and not part.get("synthetic") and isinstance(part.get("text"), str):
            prompt.append(part["text"])
        elif kind == "tool":
            _tool(b, part, _iso(when))
    flush()
    return b.finish()


def _tool(b: Builder, part: dict[str, Any], when: str | None) -> None:
    name = str(part.get("tool") or "unknown")
    state = _dict(part.get("state"))
    args = _dict(state.get("input"))
    meta = _dict(state.get("metadata"))
    command = b.shell_and_files(name, args, SHELL, FILE_KEYS, NO_FILES)
    if name not in NO_FILES:
        files = meta.get("files")
        for f in files if isinstance(files, list) else []:
            if isinstance(f, dict):
                b.file(f.get("filePath"))
    call_id = part.get("callID") if isinstance(part.get("callID"), str) else None
    times = _dict(state.get("time"))
    b.tool_call(name, args, call_id, _iso(times.get("start")) or when, command)
    status = state.get("status")
    if status in ("pending", "running"):
        return  # no result yet (a live session)
    exit_code = meta.get("exit") if isinstance(meta.get("exit"), int) and not isinstance(meta.get("exit"), bool) else None
    raw = state.get("output")
    output = raw if isinstance(raw, str) else str(state.get("error") or "")
    b.result(call_id or f"#{b.session.metrics.tool_uses}", output, status == "error", exit_code,
             _iso(times.get("end")))


def provider_of(names: set[str]) -> str:
    return KILO if any(n.startswith("kilo_") for n in names) else PROVIDER


def _overlaps(start: Any, end: Any, window: tuple[float, float]) -> bool:
    if not isinstance(start, (int, float)):
        return True
    stop = end if isinstance(end, (int, float)) else start
    return start / 1000 <= window[1] + SLACK_AFTER and stop / 1000 >= window[0] - SLACK_BEFORE


def _iso(ms: Any) -> str | None:
    if not isinstance(ms, (int, float)) or isinstance(ms, bool) or not 0 < ms < 1e14:
        return None
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _json(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text) if isinstance(text, (str, bytes)) else None
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _failed(name: str, why: str) -> Session:
    s = Session(provider="generic", detection=Detection("structured", f"{why}: {name}"))
    s.warnings.append(f"{name}: {why}")
    return s
