"""Find the agent's own log(s) written during one wrapper session (its meta.json).

Each agent module (aitrack/agents) says where its tool writes and how its session's files are
found (`locate`); the helpers here are the shared part. A file qualifies when its records' cwd is
the session's and it was written inside the session's time window. Two agents running at once in
the same directory are told apart by keeping only files that follow one another in time (a `/clear`
starts a new file) and dropping files that overlap the one chosen first: the other session's log.
Use `parse_session_logs` to parse only what was written in the window (a history appended by every
run and resumed logs hold earlier sessions too).
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from collections.abc import Callable
from typing import Any

from aitrack.agents import registry
from aitrack.parse.values import parse_time
from aitrack.parse.detect import SLACK_AFTER, SLACK_BEFORE
from aitrack.parse.record import Session, provider_for_tool

_HEAD_LINES = 50
_TAIL_BYTES = 256 * 1024


def session_window(meta: dict[str, Any]) -> tuple[float, float] | None:
    """(start, end) epochs of a session; a running or interrupted one ends now. None without a start."""
    start, end = meta.get("started_at_epoch"), meta.get("ended_at_epoch")
    if not isinstance(start, (int, float)):
        return None
    return float(start), float(end) if isinstance(end, (int, float)) else time.time()


def find_agent_logs(meta: dict[str, Any]) -> list[Path]:
    """The agent log files written during the session described by `meta`, oldest first."""
    provider = meta.get("provider") or provider_for_tool(str(meta.get("tool") or ""))
    cwd = meta.get("cwd")
    window = session_window(meta)
    if not isinstance(cwd, str) or window is None:
        return []
    agent = registry.by_provider(provider)
    if agent is None:
        return []
    # An agent module is typed as a module (its attributes are Any): the finder's shape is stated here.
    finder: Callable[[str, str, tuple[float, float], set[str]], list[Path]] = agent.locate
    argv = meta.get("argv")
    ids = {a for a in argv if isinstance(a, str) and len(a) >= 8} if isinstance(argv, list) else set()
    agent_sid = meta.get("agent_session_id")  # recorded by the agent's own hook: names a resumed log too
    named = agent_sid if isinstance(agent_sid, str) and len(agent_sid) >= 8 else ""
    if named:
        ids.add(named)
    found = finder(os.path.realpath(cwd), cwd, window, ids)
    if named and meta.get("captured_by") == "hook":
        # The hook named the agent's session: its logs (where their paths say so), not those of
        # another session of the same cwd in the window (`/clear`, a second TUI session).
        return [p for p in found if named in str(p)] or found
    return found


def parse_session_logs(meta: dict[str, Any]) -> Session | None:
    """The structured Session for a wrapper session, or None when its agent wrote no log we know."""
    from aitrack.parse import iter_sessions, merge_sessions

    paths = find_agent_logs(meta)
    window = session_window(meta)
    sessions = (s for p in paths for s in iter_sessions(p, window=window))
    agent = registry.by_provider(meta.get("provider"))
    if agent is not None and registry.get(agent, "BY_CWD", True):
        # One database for every project (OpenCode): keep the sessions of this cwd only.
        cwds = {os.path.realpath(c) for c in (meta.get("cwd"),) if isinstance(c, str)}
        sessions = (s for s in sessions if s.cwd is not None and os.path.realpath(s.cwd) in cwds)
    found = list(sessions) if paths else []
    return merge_sessions(found) if found else None


# -- time and place (the agent modules' locate() functions use these) ---------------------------
def chain(files: list[Path], cwds: set[str], window: tuple[float, float], ids: set[str],
          nested: str | None = None, where_default: str | None = None) -> list[Path]:
    """JSON Lines files of this session whose records carry `cwd` (under `nested`, if given) and
    `timestamp`; `where_default`: the cwd of files that name none (their folder says whose)."""
    return _chain(files, cwds, window, nested, ids, where_default)


def written_in(path: Path, window: tuple[float, float]) -> bool:
    """Written since the session began (with slack)."""
    return _written_in(path, window)


def _chain(files: list[Path], cwds: set[str], window: tuple[float, float], nested: str | None, ids: set[str],
           where_default: str | None = None) -> list[Path]:
    """Files of this session: right cwd, begun inside the window; then a chain of files that follow
    one another, skipping any that overlaps the chain (another agent running at the same time).
    A file begun earlier counts only when the command line named it (`--resume <id>`)."""
    spans = []
    for f in files:
        if not _written_in(f, window):
            continue
        first, where = _head(f, nested)
        where = where or where_default
        last = _last_time(f) or _mtime(f)
        if where not in cwds or first is None or first > window[1] + SLACK_AFTER:
            continue
        if first < window[0] - SLACK_BEFORE:
            if not any(i in f.name for i in ids):
                continue
            first = window[0]  # resumed: only its part inside the window is parsed
        spans.append((first, last or first, f))
    chosen: list[Path] = []
    until = float("-inf")
    for first, last, f in sorted(spans):
        if first >= until:
            chosen.append(f)
            until = last
    return chosen


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _written_in(path: Path, window: tuple[float, float]) -> bool:
    try:
        return path.stat().st_mtime >= window[0] - SLACK_BEFORE
    except OSError:
        return False


def _head(path: Path, nested: str | None) -> tuple[float | None, str | None]:
    """Time of the first record and the working directory the file names."""
    first: float | None = None
    where: str | None = None
    if path.suffix == ".json":  # a whole-JSON chat: small, read it
        try:
            doc = json.loads(path.read_bytes()[: 64 * 1024 * 1024])
            when = parse_time(doc.get("startTime")) if isinstance(doc, dict) and isinstance(doc.get("startTime"), str) else None
        except (OSError, ValueError):
            return None, None
        return (when.timestamp() if when else None), None
    try:
        with open(path, "rb") as fh:
            for _ in range(_HEAD_LINES):
                line = fh.readline(4 * 1024 * 1024)
                if not line:
                    break
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(rec, dict):
                    continue
                payload = rec.get(nested) if nested else rec
                if where is None and isinstance(payload, dict) and isinstance(payload.get("cwd"), str):
                    where = payload["cwd"]
                stamp = rec.get("timestamp") or rec.get("startTime")
                when = parse_time(stamp) if isinstance(stamp, str) else None
                if first is None and when is not None:
                    first = when.timestamp()
                if first is not None and where is not None:
                    break
    except OSError:
        return None, None
    return first, where


def _last_time(path: Path) -> float | None:
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, os.fstat(fh.fileno()).st_size - _TAIL_BYTES))
            lines = fh.read().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        when = parse_time(rec.get("timestamp")) if isinstance(rec, dict) and isinstance(rec.get("timestamp"), str) else None
        if when is not None:
            return when.timestamp()
    return None
