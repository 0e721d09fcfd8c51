"""One update of a live session's MLflow run: `python -m aitrack.live.push SESSION_DIR`.

Started by the live updater (worker.py) when live.json changed, at most once per push interval,
never two at once. The updater never imports mlflow (an MLflow client holds ~240 MB for as long as
it lives); this short-lived child does, for one update, then exits. It reads what to push from
the session folder's `live.push.json` (the updater's record, redacted, with its metric step).

The update holds the session folder's ingest lock, and a session already logged (run.json) is
left alone: the ingest worker that logs the finished session never races it for the run. A push
started while the session ran may land after it ended: the ingest then finishes the same run.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Protocol

from aitrack.sessiondir import LIVE_PUSH


class Pusher(Protocol):
    """How the updater hands a record to the run: `worker.ChildPush` (a child per push) or
    `InlinePush` (in this process: tests, with a real store). `failed`: the last push ended in an
    error (the store down): the updater sends its record again."""

    failed: bool

    def __call__(self, rec: dict[str, Any], step: int) -> None: ...

    def busy(self) -> bool: ...

    def wait(self, timeout: float) -> None: ...


class InlinePush:
    def __init__(self, folder: Path, store: Any) -> None:
        self.folder, self.store = folder, store
        self.run_id: str | None = None
        self.failed = False

    def __call__(self, rec: dict[str, Any], step: int) -> None:
        try:
            self.run_id = push_record(self.folder, rec, step, self.store) or self.run_id
            self.failed = False
        except Exception as exc:  # as the child: noted, and the updater tries again
            from aitrack.live.worker import log_error

            self.failed = True
            log_error(self.folder, f"push: {type(exc).__name__}: {exc}")

    def busy(self) -> bool:
        return False

    def wait(self, timeout: float) -> None:
        pass


def push_record(folder: Path, rec: dict[str, Any], step: int, store: Any) -> str | None:
    """The run, created or updated from `rec`; its id, or None when the session was logged already
    (or the ingest holds the folder: it is logging it now)."""
    from aitrack.locks import FileLock
    from aitrack.sessiondir import LOCK, read_run
    from aitrack.store.live import update_live_run

    lock = FileLock(folder / LOCK)
    if not lock.acquire(timeout=2.0):
        return None
    try:
        if read_run(folder) is not None:
            return None
        return update_live_run(store, rec, step=step)
    finally:
        lock.release()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m aitrack.live.push SESSION_DIR\n")
        return 2
    folder = Path(argv[0])
    try:
        with open(folder / LIVE_PUSH, encoding="utf-8") as fh:
            data = json.load(fh)
        from aitrack.store.mlflow_store import MlflowStore  # before the lock: the import takes seconds

        push_record(folder, data["record"], int(data["step"]), MlflowStore())
    except Exception as exc:  # the store down, a bad file: the next push tries again
        from aitrack.live.worker import log_error

        log_error(folder, f"push: {type(exc).__name__}: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
