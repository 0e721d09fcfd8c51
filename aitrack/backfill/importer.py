"""One past session → a session folder (meta.json, session.json) → one run, at most once."""
from __future__ import annotations

import hashlib
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aitrack import __version__
from aitrack.agents import facts
from aitrack.parse.record import Session
from aitrack.parse.values import epoch
from aitrack.paths import ensure_private_dir, sessions_dir
from aitrack.sessiondir import META, iso, write_meta

TOOL = {provider: name for name, provider in facts.TOOL_PROVIDERS.items()}  # provider → its command


@dataclass
class Found:
    path: Path
    session: Session
    key: str
    alone: bool  # the only session in its file: the file itself is worth keeping as an artifact


def scan(files: list[Path], provider: str | None, warn: Callable[[str], None]) -> Iterator[Found]:
    from aitrack.errors import AitrackError
    from aitrack.parse import iter_sessions

    for path in files:
        try:
            sessions = list(iter_sessions(path, provider))
        except AitrackError as exc:
            warn(str(exc))
            continue
        sessions = [s for s in sessions if _worth(s)]
        for i, s in enumerate(sessions):
            yield Found(path, s, session_key(path, s, i), len(sessions) == 1)


def _worth(s: Session) -> bool:
    """Something happened: a prompt, a tool call or tokens (not a file of another format)."""
    m = s.metrics
    return s.provider != "generic" and bool(m.user_prompts or m.tool_uses or m.input_tokens or s.prompts)


def session_key(path: Path, s: Session, index: int) -> str:
    """The agent's own session id when it has one; else the file and where the session starts."""
    if s.agent_session_id:
        return f"{s.provider}:{s.agent_session_id}"
    return f"{s.provider}:{os.path.realpath(path)}:{s.started_at or index}"


def _epoch(value: str | None) -> float | None:
    return epoch(value, naive=True)


def folder_id(found: Found, start: float) -> str:
    digest = hashlib.sha256(found.key.encode()).hexdigest()[:12]
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(start)) + f"{int(start * 1000) % 1000:03d}Z-i{digest}"


def make_folder(found: Found) -> tuple[Path, bool]:
    """(the session folder, created now); an existing folder is left as it is."""
    s = found.session
    mtime = found.path.stat().st_mtime
    start = _epoch(s.started_at) or mtime
    end = max(_epoch(s.ended_at) or start, start)
    folder = sessions_dir() / folder_id(found, start)
    if (folder / META).exists():
        return folder, False
    ensure_private_dir(sessions_dir())
    folder.mkdir(mode=0o700, exist_ok=True)
    repo = _repo(s.cwd)
    tool = TOOL.get(s.provider, s.provider)
    meta: dict[str, Any] = {
        "id": folder.name, "argv": [tool], "tool": tool, "tool_path": "", "provider": s.provider,
        "mode": "import", "cwd": s.cwd or "", "git_root": repo, "git_head": None, "git_branch": s.git_branch,
        "started_at": iso(start), "started_at_epoch": start, "ended_at": iso(end), "ended_at_epoch": end,
        # The logs do not keep the CLI's exit status; a session that ended on its own counts as done.
        "exit_code": 0, "signal": None, "term_cols": None, "term_rows": None, "aitrack_version": __version__,
        "pid": 0, "hostname": socket.gethostname(), "user": os.environ.get("USER"),
        "imported_from": str(found.path), "import_key": found.key,
    }
    write_meta(folder, meta)
    return folder, True


def _repo(cwd: str | None) -> str | None:
    if not cwd or not os.path.isdir(cwd):
        return None
    from aitrack.vcs.gitdir import repo_info

    info = repo_info(cwd)
    return str(info["root"]) if info else None
