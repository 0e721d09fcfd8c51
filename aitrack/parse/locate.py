"""Find the agent's own log(s) written during one wrapper session (its meta.json).

Where each tool writes (cwd = the session's working directory):
- Claude Code: `${CLAUDE_CONFIG_DIR:-~/.claude}/projects/<cwd with non-alphanumerics as ->/<id>.jsonl`,
  its sub-agents in `<id>/subagents/agent-*.jsonl`;
- Codex: `${CODEX_HOME:-~/.codex}/sessions/YYYY/MM/DD/rollout-*.jsonl`, cwd in `session_meta`;
- Gemini CLI: `~/.gemini/tmp/<sha256(cwd) or project name>/chats/session-*.json[l]`;
- aider: `.aider.chat.history.md` at the repository root (or cwd), appended by every run.
A file qualifies when its records' cwd is the session's and it was written inside the session's
time window. Two agents running at once in the same directory are told apart by keeping only files
that follow one another in time (a `/clear` starts a new file) and dropping files that overlap the
one chosen first: the other session's log. Use `parse_session_logs` to parse only what was written
in the window (aider's history and resumed logs hold earlier sessions too).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path
from collections.abc import Callable
from typing import Any

from aitrack import agents
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
    # An agent module is typed as a module (its attributes are Any): the finder's shape is stated here.
    finders: dict[str, Callable[[str, str, tuple[float, float], set[str]], list[Path]]] = {
        "claude_code": _claude, "openai_codex": _codex, "gemini_cli": _gemini, "aider": _aider,
        **{p: m.locate for p, m in agents.BY_PROVIDER.items()},
    }
    finder = finders.get(provider)
    if finder is None:
        return []
    argv = meta.get("argv")
    ids = {a for a in argv if isinstance(a, str) and len(a) >= 8} if isinstance(argv, list) else set()
    agent_sid = meta.get("agent_session_id")  # recorded by the agent's own hook: names a resumed log too
    if isinstance(agent_sid, str) and len(agent_sid) >= 8:
        ids.add(agent_sid)
    return finder(os.path.realpath(cwd), cwd, window, ids)


def parse_session_logs(meta: dict[str, Any]) -> Session | None:
    """The structured Session for a wrapper session, or None when its agent wrote no log we know."""
    from aitrack.parse import iter_sessions, merge_sessions

    paths = find_agent_logs(meta)
    window = session_window(meta)
    sessions = (s for p in paths for s in iter_sessions(p, window=window))
    if meta.get("provider") in agents.BY_PROVIDER:
        # One database for every project (OpenCode): keep the sessions of this cwd only.
        cwds = {os.path.realpath(c) for c in (meta.get("cwd"),) if isinstance(c, str)}
        sessions = (s for s in sessions if s.cwd is not None and os.path.realpath(s.cwd) in cwds)
    found = list(sessions) if paths else []
    return merge_sessions(found) if found else None


# -- per tool ----------------------------------------------------------------------------------
def _claude(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    root = Path(os.environ.get("CLAUDE_CONFIG_DIR") or Path.home() / ".claude") / "projects"
    dirs = {root / re.sub(r"[^A-Za-z0-9]", "-", c) for c in (cwd, real)}
    files = [f for d in dirs if d.is_dir() for f in d.glob("*.jsonl")]
    chosen = _chain(files, {cwd, real}, window, "cwd", ids)
    for main in list(chosen):  # sub-agents of the chosen sessions, written in the window too
        subs = sorted((main.parent / main.stem / "subagents").glob("agent-*.jsonl"))
        chosen.extend(s for s in subs if _written_in(s, window))
    return chosen


def _codex(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    root = Path(os.environ.get("CODEX_HOME") or Path.home() / ".codex") / "sessions"
    files: list[Path] = []
    day = window[0] - 86400  # date folders are local dates; look a day either side
    while day <= window[1] + 86400:
        folder = root / time.strftime("%Y/%m/%d", time.localtime(day))
        if folder.is_dir():
            files.extend(folder.glob("rollout-*.jsonl"))
        day += 86400
    return _chain(sorted(set(files)), {cwd, real}, window, "codex", ids)


def _gemini(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    root = Path.home() / ".gemini" / "tmp"
    names = {hashlib.sha256(c.encode()).hexdigest() for c in (cwd, real)} | {Path(real).name}
    try:
        projects = json.loads((Path.home() / ".gemini" / "projects.json").read_text("utf-8")).get("projects", {})
        names |= {v for k, v in projects.items() if k in (cwd, real) and isinstance(v, str)}
    except (OSError, ValueError, AttributeError):
        pass
    files: list[Path] = []
    for name in names:
        chats = root / name / "chats"
        if not chats.is_dir() or not _gemini_dir_is(root / name, name, {cwd, real}):
            continue
        files.extend(f for f in chats.rglob("session-*.json*") if f.suffix in (".json", ".jsonl"))
    # The folder already says whose files these are; a chat names no cwd of its own.
    return _chain(sorted(files), {cwd, real}, window, "gemini", ids, cwd)


def _gemini_dir_is(folder: Path, name: str, cwds: set[str]) -> bool:
    # A name-keyed folder (newer CLIs) says whose it is in `.project_root`; a hash folder is exact.
    marker = folder / ".project_root"
    if marker.is_file():
        try:
            return marker.read_text("utf-8").strip() in cwds
        except OSError:
            return False
    return re.fullmatch(r"[0-9a-f]{64}", name) is not None


def _aider(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    for root in _parents(Path(real)):
        history = root / ".aider.chat.history.md"
        if history.is_file() and _written_in(history, window):
            return [history]
    return []


def _parents(path: Path) -> list[Path]:
    # aider writes its history at the repository root; stop at the first folder holding .git.
    out = []
    for p in (path, *path.parents):
        out.append(p)
        if (p / ".git").exists():
            break
    return out if (out[-1] / ".git").exists() else [path]


# -- time and place ----------------------------------------------------------------------------
def chain(files: list[Path], cwds: set[str], window: tuple[float, float], ids: set[str]) -> list[Path]:
    """For agent modules (aitrack/agents): JSONL files whose records carry `cwd` and `timestamp`."""
    return _chain(files, cwds, window, "cwd", ids)


def _chain(files: list[Path], cwds: set[str], window: tuple[float, float], key: str, ids: set[str],
           where_default: str | None = None) -> list[Path]:
    """Files of this session: right cwd, begun inside the window; then a chain of files that follow
    one another, skipping any that overlaps the chain (another agent running at the same time).
    A file begun earlier counts only when the command line named it (`--resume <id>`)."""
    spans = []
    for f in files:
        if not _written_in(f, window):
            continue
        first, where = _head(f, key)
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


def _head(path: Path, key: str) -> tuple[float | None, str | None]:
    """Time of the first record and the working directory the file names."""
    first: float | None = None
    where: str | None = None
    if path.suffix == ".json":  # a whole-JSON Gemini chat: small, read it
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
                payload = rec.get("payload") if key == "codex" else rec
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
