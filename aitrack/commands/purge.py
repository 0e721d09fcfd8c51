"""`aitrack purge SESSION | --older-than 30d`: delete sessions' local files and their MLflow runs.

The run goes first: if the store cannot delete it, the local folder stays (the session can still be
found and purged later) and the exit status says so. In the embedded store deleted runs are then
garbage-collected (`mlflow gc`) so the transcripts are really gone; on a tracking server they are
marked deleted and the server's owner reclaims them with `mlflow gc`.
"""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from aitrack import output
from aitrack.errors import AitrackError
from aitrack.ingest import spool
from aitrack.meta import Meta
from aitrack.paths import session_dir, sessions_dir

if TYPE_CHECKING:
    from aitrack.store.mlflow_store import MlflowStore

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_age(text: str) -> float:
    """`30d`, `12h`, `1w2d`, `90m` → seconds."""
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhdw])", text.strip().lower())
    if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([smhdw])", "", text.strip().lower()).strip():
        raise AitrackError(f"cannot read age {text!r}: use e.g. 30d, 12h, 1w")
    return sum(float(n) * _UNITS[u] for n, u in parts)


def purge(session_id: str | None, older_than: str | None = None) -> int:
    if bool(session_id) == bool(older_than):
        raise AitrackError("name one SESSION, or give --older-than AGE (e.g. 30d)")
    from aitrack.store.cleanup import collect_garbage, delete_session
    from aitrack.store.mlflow_store import MlflowStore

    store = MlflowStore()
    if session_id:
        ids = [session_id]
        if not session_dir(session_id).is_dir() and store.find_run(session_id) is None:
            raise AitrackError(f"no session {session_id!r} here or in the store")
    else:
        cutoff = time.time() - parse_age(older_than or "")
        ids = sorted(set(_local_older(cutoff)) | set(_store_older(store, cutoff)))
    deleted_runs: list[str] = []
    failed = 0
    for sid in ids:
        folder = session_dir(sid)
        if folder.is_dir() and not spool.is_over(_meta(folder)):
            output.err(output.bad(f"{sid}: still running; not purged"))
            failed += 1
            continue
        try:
            run_id = delete_session(store, sid)
        except Exception as exc:
            output.err(output.bad(f"{sid}: the store did not delete its run ({str(exc).splitlines()[0]}); local files kept"))
            failed += 1
            continue
        if run_id:
            deleted_runs.append(run_id)
        if folder.is_dir():
            shutil.rmtree(folder)
        output.out(output.ok(f"{sid}: purged" + (f" (run {run_id})" if run_id else " (no run)")))
    if deleted_runs and not collect_garbage(store, deleted_runs):
        output.out("runs marked deleted on the tracking server; its owner reclaims them with `mlflow gc`")
    if not ids:
        output.out("nothing to purge")
    return 1 if failed else 0


def _meta(folder: Path) -> Meta:
    from aitrack.sessiondir import read_meta

    try:
        return read_meta(folder)
    except (OSError, ValueError):
        return Meta.from_json({})


def _local_older(cutoff: float) -> list[str]:
    root = sessions_dir()
    out = []
    for folder in root.iterdir() if root.is_dir() else []:
        started = _meta(folder).started_at_epoch
        when = float(started) if isinstance(started, (int, float)) else folder.stat().st_mtime
        if folder.is_dir() and when < cutoff:
            out.append(folder.name)
    return out


def _store_older(store: MlflowStore, cutoff: float) -> list[str]:
    # Only the embedded store is this user's alone; on a team server, purge only our own folders.
    if not store.location.tracking_uri.startswith("sqlite:"):
        return []
    from aitrack.store.cleanup import old_session_ids

    return old_session_ids(store, cutoff)
