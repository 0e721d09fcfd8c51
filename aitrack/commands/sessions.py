"""`aitrack sessions [--filter "MLflow search"] [--json] [--limit N]`: list recorded sessions.

From the store; when it does not answer, from the local records (session.json), saying so, with
the same filter evaluated locally.
"""
from __future__ import annotations

import json
import time
from typing import Any

from aitrack import output
from aitrack.cost.fmt import usd
from aitrack.errors import AitrackError
from aitrack.ingest import spool


def sessions(filter_string: str = "", as_json: bool = False, limit: int = 50) -> int:
    from aitrack.store import localrows

    rows: list[dict[str, Any]] | None = None
    source = "local records"
    if localrows.local_suffices():  # the embedded store: its runs are these records, no mlflow
        try:
            rows = localrows.search(filter_string, limit)
        except AitrackError:
            rows = None  # a filter only MLflow understands: ask the store
    if rows is None:
        rows, source = _from_store(filter_string, limit)
    if as_json:
        output.out(json.dumps({"source": source, "sessions": rows}, indent=1, default=str))
        return 0
    if not rows:
        output.out("no sessions" + (" match that filter" if filter_string else ""))
    for row in rows:
        output.out(_line(row))
    waiting = len(spool.pending())
    if waiting and source != "local":
        output.err(f"{waiting} session(s) not logged yet: run `aitrack sync`")
    return 0


def _from_store(filter_string: str, limit: int) -> tuple[list[dict[str, Any]], str]:
    from aitrack.store import localrows
    from aitrack.store.mlflow_store import MlflowStore, StoreUnavailable, is_unavailable

    source = "store"
    try:
        store = MlflowStore(read_only=True)
        rows = store.search(filter_string, limit)
    except StoreUnavailable as exc:
        rows, source = localrows.search(filter_string, limit), "local"
        output.err(f"store unreachable ({exc}); showing local records")
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        rows, source = localrows.search(filter_string, limit), "local"
        output.err(f"store unreachable ({str(exc).splitlines()[0]}); showing local records")
    return rows, source


def _line(row: dict[str, Any]) -> str:
    m = row.get("metrics") or {}
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.get("start_time") or 0))
    dur = m.get("duration_seconds")
    counts = f"{int(m.get('commands_executed', 0))} cmds {int(m.get('errors_encountered', 0))} err"
    c = output.clean  # every field may come from a teammate's run on the server
    return "  ".join([
        when, c(row.get("session_id") or "?"), f"{c(row.get('provider') or '?'):<12}",
        f"{c(row.get('status') or '?'):<11}", f"{dur:>6.0f}s" if isinstance(dur, (int, float)) else "     ?s",
        f"{counts:<16}", f"{usd(m['cost_usd']) if isinstance(m.get('cost_usd'), (int, float)) else '—':>8}",
        c(row.get("run_name") or ""),
    ])

