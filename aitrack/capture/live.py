"""Starting the live updater (aitrack/live/worker.py) of a session: on unless `AITRACK_LIVE=0`.

Stdlib only and one posix_spawn: the wrapper pays ~1 ms before the tool starts and imports
nothing; the updater runs detached (own session, niced) and never touches the terminal."""
from __future__ import annotations

import os
import sys

from aitrack.capture import proc

OFF = ("0", "false", "no", "off")


def live_on() -> bool:
    return os.environ.get("AITRACK_LIVE", "").strip().lower() not in OFF


def start_live(session_dir: str) -> None:
    if not live_on():
        return
    try:
        # -P: not the cwd first on sys.path (the agent works in a checkout that may hold an aitrack/)
        proc.spawn_detached([sys.executable, "-P", "-m", "aitrack.live.worker", session_dir])
    except OSError:
        pass  # no live view; the session is recorded and ingested all the same
