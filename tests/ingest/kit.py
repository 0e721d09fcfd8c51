"""Session folders laid out as the capture wrapper writes them, for the ingest and store tests.

Agent logs are the shared fixtures read in place; terminal output is recorded from a real PTY.
"""
from __future__ import annotations

import os
import pty
import subprocess
import time
from pathlib import Path
from typing import Any

from aitrack.sessiondir import write_meta
from aitrack.paths import ensure_private_dir, sessions_dir

_counter = 0


def make_session(*, tool: str = "claude", argv: list[str] | None = None, cwd: str = "/tmp",
                 started: float | None = None, duration: float = 60.0, exit_code: int | None = 0,
                 ended: bool = True, pid: int | None = None, raw: bytes | None = None,
                 timing: str | None = None, session_id: str | None = None, **extra: Any) -> Path:
    """A finished (or interrupted, `ended=False`) session folder under the data dir."""
    global _counter
    _counter += 1
    started = time.time() - duration - 5 if started is None else started
    sid = session_id or time.strftime("%Y%m%dT%H%M%S", time.gmtime(started)) + f"{_counter:03d}Z-{os.urandom(3).hex()}"
    folder = ensure_private_dir(sessions_dir() / sid)
    from aitrack.parse.record import provider_for_tool

    meta: dict[str, Any] = {
        "id": sid, "argv": argv or [tool], "tool": tool, "tool_path": f"/usr/bin/{tool}",
        "provider": provider_for_tool(tool), "mode": "pty", "cwd": cwd, "git_root": None, "git_head": None,
        "git_branch": None, "started_at": _iso(started), "started_at_epoch": started,
        "term_cols": 100, "term_rows": 30, "aitrack_version": "0.1.0", "pid": pid or os.getpid(),
        "hostname": os.uname().nodename, "user": "tester",
    }
    if ended:
        meta.update(ended_at=_iso(started + duration), ended_at_epoch=started + duration, exit_code=exit_code, signal=None)
    meta.update(extra)
    write_meta(folder, meta)
    if raw is not None:
        (folder / "output.raw").write_bytes(raw)
    if timing is not None:
        (folder / "timing").write_text(timing)
    return folder


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped): an interrupted wrapper."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def pty_capture(script: str) -> bytes:
    """Everything `sh -c script` writes to a real PTY (escape codes and all)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("sh", ["sh", "-c", script])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks)


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch * 1000) % 1000:03d}Z"
