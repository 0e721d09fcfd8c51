"""aitrack's own background processes still running: live updaters, their pushes, ingest workers.

`aitrack uninstall` ends them before it removes the code they run from: a worker importing from a
deleted virtualenv fails and writes its error into a data dir the uninstall just emptied. Found by
their command lines in /proc (Linux; elsewhere none are found and nothing waits)."""
from __future__ import annotations

import os
import signal
import time

from aitrack.capture.proc import INGEST_WORKER, LIVE_PUSHER, LIVE_UPDATER, python_m


def _marker(child: tuple[str, ...]) -> tuple[bytes, ...]:
    """What the background process has in its argv from `-m` on (the interpreter's path varies)."""
    argv = python_m(*child)
    return tuple(a.encode() for a in argv[argv.index("-m"):])


MARKERS = tuple(map(_marker, (LIVE_UPDATER, LIVE_PUSHER, INGEST_WORKER)))


def running(prefix: str) -> list[int]:
    """Our background processes whose interpreter lies under `prefix` (the environment about to be
    removed: not another install's, nor a test run's beside it), not this process."""
    prefix = os.path.join(os.path.abspath(prefix), "")
    found = []
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []
    for pid in pids:
        if pid == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                argv = fh.read().split(b"\0")
        except OSError:
            continue
        if argv[0].decode(errors="replace").startswith(prefix) and any(_has(argv, m) for m in MARKERS):
            found.append(pid)
    return found


def _has(argv: list[bytes], marker: tuple[bytes, ...]) -> bool:
    n = len(marker)
    return any(tuple(argv[i:i + n]) == marker for i in range(len(argv) - n + 1))


def stop(prefix: str, grace: float = 10.0) -> int:
    """Ends our background processes running from `prefix`: each gets SIGTERM, then SIGKILL after `grace` seconds. A
    session whose ingest is cut off stays pending (no run.json) and `aitrack sync` logs it later.
    Returns how many there were."""
    pids = running(prefix)
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if _alive(p)]
    for pid in alive:
        _signal(pid, signal.SIGKILL)
    return len(pids)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"  # a zombie has ended
    except (OSError, IndexError):
        return False
