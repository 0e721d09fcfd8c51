"""The spool: session folders waiting to be logged, and their retry state.

A session is pending when its folder has meta.json and no run.json, and it is over: `ended_at` set,
or the wrapper's pid gone (interrupted — logged too, marked as such). Attempts, the last error and
the next retry time live in the folder's `ingest.json`, so any worker (or `aitrack sync`) picks up
where the last one stopped.
"""
from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Any

from aitrack.capture.proc import start_ticks
from aitrack.meta import Meta
from aitrack.paths import sessions_dir
from aitrack.sessiondir import META, RUN, STATE, read_json, read_meta, write_json
from aitrack.store.server import pid_alive

BACKOFF_FIRST = 5.0
BACKOFF_MAX = 900.0


def is_over(meta: Meta) -> bool:
    """Ended, or interrupted: no `ended_at` and the wrapper is dead (on this host)."""
    if not meta.interrupted:
        return True
    host = meta.hostname
    if host and host != socket.gethostname():
        return False  # another machine's session sharing this folder: not ours to judge
    pid, started = meta.pid, meta.pid_start
    if not isinstance(pid, int) or not pid_alive(pid):
        return True
    # A pid reused since (a reboot, a long uptime): alive, but not our wrapper.
    return isinstance(started, int) and start_ticks(pid) not in (None, started)


def pending(root: Path | None = None, *, due_only: bool = False, now: float | None = None) -> list[Path]:
    """Folders waiting to be logged, oldest first (session ids sort by start time)."""
    base = root or sessions_dir()
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    now = time.time() if now is None else now
    out: list[Path] = []
    for entry in entries:
        folder = Path(entry.path)
        if not entry.is_dir() or (folder / RUN).exists() or not (folder / META).exists():
            continue
        try:
            meta = read_meta(folder)
        except (OSError, ValueError):
            continue  # being written right now, or broken: `aitrack sync` reports those
        if not is_over(meta):
            continue
        if due_only and read_state(folder).get("next_attempt", 0) > now:
            continue
        out.append(folder)
    return out


def next_due(folders: list[Path]) -> float | None:
    times = [read_state(f).get("next_attempt", 0.0) for f in folders]
    return min(times) if times else None


def read_state(folder: Path) -> dict[str, Any]:
    return read_json(folder / STATE) or {}


def record_failure(folder: Path, error: str, now: float | None = None) -> dict[str, Any]:
    now = time.time() if now is None else now
    state = read_state(folder)
    attempts = int(state.get("attempts", 0)) + 1
    delay = min(BACKOFF_FIRST * 3 ** (attempts - 1), BACKOFF_MAX)
    state.update(attempts=attempts, last_attempt=now, last_error=error[:2000], next_attempt=now + delay)
    _write(folder / STATE, state)
    return state


def record_success(folder: Path, run: dict[str, Any], now: float | None = None) -> None:
    state = read_state(folder)
    state.update(attempts=int(state.get("attempts", 0)) + 1, logged_at=time.time() if now is None else now,
                 last_error=None, next_attempt=None)
    _write(folder / STATE, state)
    _write(folder / RUN, run)


def _write(path: Path, data: dict[str, Any]) -> None:
    write_json(path, data)


def record_note_error(folder: Path, error: str) -> None:
    state = read_state(folder)
    state["note_error"] = error[:2000]
    _write(folder / STATE, state)
