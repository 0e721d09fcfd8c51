"""The detached ingest worker: one at a time (a lock), drains the spool, never prints.

Started by the wrapper after every session (`python -m aitrack ingest --worker`). A worker that
finds the lock taken exits at once — the holder rescans after releasing it, so a session that ended
while it was busy is not left behind. A store that does not answer keeps sessions queued: the worker
retries them with backoff for up to `AITRACK_INGEST_RETRY_FOR` seconds (default 300), then leaves
them to the next worker or to `aitrack sync`.
"""
from __future__ import annotations

import gc
import logging
import os
import time
from pathlib import Path
from typing import Any, Callable

from aitrack.ingest import spool
from aitrack.locks import FileLock
from aitrack.paths import data_dir, ensure_private_dir

log = logging.getLogger("aitrack.ingest")


def worker_lock() -> FileLock:
    return FileLock(ensure_private_dir(data_dir()) / "ingest.lock")


def setup_log() -> None:
    """Everything the worker says goes to `<data dir>/logs/ingest.log`, nothing to a terminal."""
    folder = ensure_private_dir(data_dir() / "logs")
    handler = logging.FileHandler(folder / "ingest.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("mlflow").setLevel(logging.WARNING)


def run_worker(make_store: Callable[[], Any] | None = None, retry_for: float | None = None) -> int:
    budget = float(os.environ.get("AITRACK_INGEST_RETRY_FOR", "300")) if retry_for is None else retry_for
    deadline = time.monotonic() + budget
    store: Any = None
    try:
        while True:
            lock = worker_lock()
            if not lock.acquire():
                return 0  # the holder will see our session when it rescans
            try:
                store = _drain(store, make_store, deadline)
            finally:
                lock.release()
            # Sessions that ended while we held the lock (their worker found it taken) are ours.
            waiting = spool.pending()
            if not waiting:
                return 0
            due = spool.next_due(waiting) or 0.0
            pause = due - time.time()
            if time.monotonic() + max(pause, 0.0) > deadline:
                log.info("%d session(s) still queued; leaving them for the next worker or `aitrack sync`", len(waiting))
                return 0
            time.sleep(max(pause, 1.0))  # at least a breath: a folder may be busy in `aitrack ingest`
    finally:
        gc.freeze()  # after importing mlflow, interpreter exit spends ~0.5 s collecting otherwise


def _drain(store: Any, make_store: Callable[[], Any] | None, deadline: float) -> Any:
    from aitrack.ingest.pipeline import Busy, ingest_one

    seen: set[Path] = set()
    first = True
    while first or time.monotonic() < deadline:  # one pass always: the session that woke us
        first = False
        batch = [f for f in spool.pending(due_only=True) if f not in seen]
        if not batch:
            return store
        for folder in batch:
            seen.add(folder)
            if store is None:
                store = _open(make_store)  # pay for the mlflow import only when there is work
            try:
                run, fresh = ingest_one(folder, store, wait=0.0)
                log.info("%s %s run %s", folder.name, "logged" if fresh else "already logged", run.get("run_id"))
            except Busy:
                continue
            except Exception as exc:
                log.warning("%s not logged: %s", folder.name, _one_line(exc))
                if _unavailable(exc):
                    return store  # the store is down: no point trying the rest now
    return store


def _open(make_store: Callable[[], Any] | None) -> Any:
    if make_store is not None:
        return make_store()
    from aitrack.store.mlflow_store import MlflowStore

    return MlflowStore()


def _unavailable(exc: BaseException) -> bool:
    from aitrack.store.auth import StoreDenied
    from aitrack.store.mlflow_store import is_unavailable

    return is_unavailable(exc) or isinstance(exc, StoreDenied)  # refused: the rest would be too


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:500]
