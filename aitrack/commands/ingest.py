"""`aitrack ingest [IDS…] [--worker]` and `aitrack sync`: log finished sessions to MLflow."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from aitrack import output
from aitrack.errors import AitrackError
from aitrack.ingest import spool
from aitrack.meta import Meta
from aitrack.paths import session_dir, sessions_dir
from aitrack.sessiondir import RUN, is_session


def ingest(session_ids: list[str], worker: bool = False) -> int:
    if worker:
        from aitrack.ingest.worker import run_worker, setup_log

        setup_log()
        try:
            return run_worker()
        except Exception:  # detached: nobody reads a traceback on a terminal; the log keeps it
            import logging

            logging.getLogger("aitrack.ingest").exception("worker failed")
            return 3
    if not session_ids:
        return sync()
    folders = [_folder(s) for s in session_ids]
    return _log_all(folders)


def sync() -> int:
    """Log everything pending now, in the foreground; non-zero only if something was not logged."""
    folders = spool.pending()
    broken = _unreadable()
    for name in broken:
        output.err(output.bad(f"{name}: meta.json unreadable; not logged"))
    if not folders:
        output.out("nothing to log" if not broken else "nothing else to log")
        return 1 if broken else 0
    code = _log_all(folders)
    return 1 if broken else code


def _log_all(folders: list[Path]) -> int:
    from aitrack.ingest.pipeline import ingest_one
    from aitrack.store.auth import StoreDenied, public_uri
    from aitrack.store.mlflow_store import MlflowStore, is_unavailable
    from aitrack.store.uri import old_file_store_hint

    hint = old_file_store_hint()
    if hint:
        output.err(hint)
    store = MlflowStore()
    failed = 0
    total = len(folders)
    for i, folder in enumerate(folders, 1):
        prefix = f"[{i}/{total}] {folder.name}"
        if not spool.is_over(_meta(folder)):
            output.err(output.bad(f"{prefix}: still running; it is logged when it ends"))
            failed += 1
            continue
        try:
            run, fresh = ingest_one(folder, store)
        except Exception as exc:
            failed += 1
            output.err(output.bad(f"{prefix}: not logged: {_one_line(exc)}"))
            if is_unavailable(exc) or isinstance(exc, StoreDenied):  # the rest would fail the same way
                left = total - i
                if left:
                    why = "refused access" if isinstance(exc, StoreDenied) else "unavailable"
                    output.err(f"store {public_uri(store.location.tracking_uri)} {why}; {left} more left queued")
                failed += left
                break
            continue
        verb = "logged" if fresh else "already logged"
        output.out(output.ok(f"{prefix}: {verb} → {run.get('run_url') or run.get('run_id')}"))
        sys.stdout.flush()  # progress, even through a pipe (`aitrack sync | tee sync.log`)
    import gc

    gc.freeze()  # after the mlflow import, exit would otherwise spend ~0.5 s collecting garbage
    if failed:
        output.err(f"{failed} of {total} session(s) not logged; they stay queued (run `aitrack sync` again)")
        return 1
    return 0


def _folder(session_id: str) -> Path:
    folder = session_dir(session_id) if "/" not in session_id else Path(session_id)
    if not is_session(folder):
        raise AitrackError(f"no session {session_id!r} under {sessions_dir()}")
    return folder


def _meta(folder: Path) -> Meta:
    from aitrack.sessiondir import read_meta

    try:
        return read_meta(folder)
    except (OSError, ValueError):
        return Meta.from_json({})


def _unreadable() -> list[str]:
    from aitrack.sessiondir import read_meta

    out = []
    root = sessions_dir()
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if is_session(folder) and not (folder / RUN).exists():
            try:
                read_meta(folder)
            except (OSError, ValueError):
                out.append(folder.name)
    return out


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:300]
