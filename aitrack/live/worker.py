"""The live updater of one session: `python -m aitrack.live.worker SESSION_DIR`.

Detached from the agent (own session, niced, started after the wrapper's session folder exists),
it wakes every `AITRACK_LIVE_INTERVAL` seconds (default 5): finds the agent's logs, reads what was
appended (aitrack.parse.incremental), and when something changed writes `live.json` and updates
the session's MLflow run — created RUNNING at the first update, then metrics and tags. So the run
exists within one interval of the first prompt, and a killed session leaves a run with everything
up to the last update (ingest later recovers the rest). It stops when the session is over.

Each store update holds the session folder's ingest lock and checks again that the session is
still running: the ingest worker that logs the finished session never races it for the run.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from aitrack.fileio import write_atomic
from aitrack.parse.incremental import LiveLog, snapshot

LIVE = "live.json"
FIND_EVERY = 6  # look for new log files (a subagent's) every this many wakes once one is found


class Updater:
    """One session's logs and run. `store` is handed in (tests pass a real SQLite store)."""

    def __init__(self, folder: Path, store: Any = None) -> None:
        self.folder = folder
        self.store = store
        self.logs: dict[str, LiveLog] = {}
        self.wakes = 0
        self.updates = 0
        self.run_id: str | None = None

    def meta(self) -> dict[str, Any]:
        from aitrack.capture.meta import read_meta

        return read_meta(self.folder)

    def poll(self, meta: dict[str, Any]) -> bool:
        """Read what the logs gained; True when live.json was rewritten."""
        self.wakes += 1
        if not self.logs or self.wakes % FIND_EVERY == 0:
            from aitrack.parse.locate import find_agent_logs

            provider = str(meta.get("provider") or "")
            for path in find_agent_logs(meta):
                self.logs.setdefault(str(path), LiveLog(str(path), provider))
        changed = [log.read() for log in self.logs.values()]
        if not any(changed):
            return False
        self.write_live(meta)
        return True

    def record(self, meta: dict[str, Any]) -> dict[str, Any]:
        """The live record: what live.json holds and the run is updated from (redacted)."""
        from aitrack.redact import redact_obj

        snap = snapshot(list(self.logs.values()))
        cost = _price(snap["usage"], str(meta.get("provider") or ""), meta.get("started_at"))
        start = meta.get("started_at_epoch")
        if isinstance(start, (int, float)):
            snap["metrics"]["duration_seconds"] = round(time.time() - start, 3)
        rec = {"session_id": meta.get("id") or self.folder.name, "provider": meta.get("provider"), "meta": meta,
               "metrics": snap["metrics"], "models": snap["models"], "prompts": snap["prompts"],
               "cost": cost, "updated_at_epoch": time.time(), "bytes_read": sum(x.bytes_read for x in self.logs.values())}
        if cost and cost.get("usd") is not None:
            rec["metrics"]["cost_usd"] = cost["usd"]
        out: dict[str, Any] = redact_obj(rec)
        return out

    def write_live(self, meta: dict[str, Any]) -> None:
        rec = self.record(meta)
        shown = {k: v for k, v in rec.items() if k != "meta"}
        write_atomic(self.folder / LIVE, json.dumps(shown, sort_keys=True), 0o600)
        self.updates += 1
        self.push(rec)

    def push(self, rec: dict[str, Any]) -> None:
        """The run, created or updated, under the ingest lock and only while the session runs."""
        from aitrack.ingest.pipeline import LOCK
        from aitrack.ingest.spool import is_over
        from aitrack.locks import FileLock

        lock = FileLock(self.folder / LOCK)
        if not lock.acquire(timeout=2.0):
            return  # the ingest worker has it: the session is over
        try:
            if is_over(self.meta()):
                return
            from aitrack.store.live import update_live_run

            if self.store is None:
                from aitrack.store.mlflow_store import MlflowStore

                self.store = MlflowStore()
            self.run_id = update_live_run(self.store, rec, step=self.updates)
        finally:
            lock.release()


def _price(usage: list[Any], provider: str, started_at: Any) -> dict[str, Any] | None:
    if not usage:
        return None
    try:
        from aitrack.cost.price import price_session

        return price_session(usage, provider, started_at if isinstance(started_at, str) else None)
    except Exception:  # genai-prices missing or a bad [cost.prices] table: the tokens still show
        return None


def run(folder: Path, interval: float) -> int:
    from aitrack.ingest.spool import is_over

    updater = Updater(folder)
    while True:
        meta = updater.meta()
        over = is_over(meta)
        try:
            updater.poll(meta)
        except Exception as exc:  # a bad line, the store down: the next wake tries again
            _log(folder, f"{type(exc).__name__}: {exc}")
        if over:
            return 0
        time.sleep(interval)


def _log(folder: Path, message: str) -> None:
    try:
        from aitrack.paths import data_dir

        logs = data_dir() / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / "live.log", "a", encoding="utf-8") as fh:
            fh.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {folder.name} {message}\n")
    except OSError:
        pass


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m aitrack.live.worker SESSION_DIR\n")
        return 2
    try:
        os.nice(10)  # the agent and its terminal come first
    except OSError:
        pass
    interval = float(os.environ.get("AITRACK_LIVE_INTERVAL") or 5.0)
    return run(Path(argv[0]), max(interval, 0.2))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
