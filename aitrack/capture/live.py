"""Starting the live updater (aitrack/live/worker.py) of a session: on unless `AITRACK_LIVE=0`
or `AITRACK_INGEST=0` (the live run is the MLflow run the ingest finishes: no ingest, no run).

Stdlib only and one posix_spawn: the wrapper pays ~1 ms before the tool starts and imports
nothing; the updater runs detached (own session, niced) and never touches the terminal."""
from __future__ import annotations

import os

from aitrack.capture import proc

OFF = ("0", "false", "no", "off")
# SCHED_IDLE from the updater's first instruction, its interpreter's start-up included (~25 ms of
# CPU that competed with the agent's own start at normal priority: +22 ms on `aitrack run -- true`
# at load 8). posix_spawn cannot ask for SCHED_IDLE (glibc allows OTHER, FIFO, RR); util-linux's
# chrt can. Without it the updater lowers its own priority once Python runs (worker.main).
CHRT = "/usr/bin/chrt"


def live_on() -> bool:
    if os.environ.get("AITRACK_INGEST", "1").strip() == "0":
        return False  # a RUNNING run nobody would ever end
    return os.environ.get("AITRACK_LIVE", "").strip().lower() not in OFF


def start_live(session_dir: str) -> None:
    if not live_on():
        return
    argv = proc.python_m(*proc.LIVE_UPDATER, session_dir)
    if os.access(CHRT, os.X_OK):
        argv = [CHRT, "--idle", "0", *argv]
    try:
        proc.spawn_detached(argv)
    except OSError:
        pass  # no live view; the session is recorded and ingested all the same
