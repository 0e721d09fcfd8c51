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
from aitrack.ingest import spool
from aitrack.paths import sessions_dir


def sessions(filter_string: str = "", as_json: bool = False, limit: int = 50) -> int:
    from aitrack.store.mlflow_store import MlflowStore, StoreUnavailable, is_unavailable

    source = "store"
    try:
        store = MlflowStore()
        rows = store.search(filter_string, limit)
    except StoreUnavailable as exc:
        rows, source = _local_rows(filter_string, limit), "local"
        output.err(f"store unreachable ({exc}); showing local records")
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        rows, source = _local_rows(filter_string, limit), "local"
        output.err(f"store unreachable ({str(exc).splitlines()[0]}); showing local records")
    if as_json:
        output.out(json.dumps({"source": source, "sessions": rows}, indent=1, default=str))
        return 0
    if not rows:
        output.out("no sessions" + (" match that filter" if filter_string else ""))
    for row in rows:
        output.out(_line(row))
    waiting = len(spool.pending())
    if waiting and source == "store":
        output.err(f"{waiting} session(s) not logged yet: run `aitrack sync`")
    return 0


def _line(row: dict[str, Any]) -> str:
    m = row.get("metrics") or {}
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.get("start_time") or 0))
    dur = m.get("duration_seconds")
    counts = f"{int(m.get('commands_executed', 0))} cmds {int(m.get('errors_encountered', 0))} err"
    return "  ".join([
        when, str(row.get("session_id") or "?"), f"{row.get('provider') or '?':<12}",
        f"{row.get('status') or '?':<11}", f"{dur:>6.0f}s" if isinstance(dur, (int, float)) else "     ?s",
        f"{counts:<16}", f"{usd(m['cost_usd']) if isinstance(m.get('cost_usd'), (int, float)) else '—':>8}",
        str(row.get("run_name") or ""),
    ])


def _local_rows(filter_string: str, limit: int) -> list[dict[str, Any]]:
    from aitrack.store import localsearch, mapping

    clauses = localsearch.parse_filter(filter_string)
    rows: list[dict[str, Any]] = []
    root = sessions_dir()
    for folder in sorted(root.iterdir(), reverse=True) if root.is_dir() else []:
        try:
            with open(folder / "session.json", encoding="utf-8") as fh:
                record = json.load(fh)
        except (OSError, ValueError):
            continue  # not ingested locally yet: nothing to filter on
        if not localsearch.matches(record, clauses):
            continue
        run = spool.read_run(folder) or {}
        meta = record.get("meta") or {}
        rows.append({
            "session_id": record.get("session_id"), "run_id": run.get("run_id"),
            "run_name": mapping.run_name(record), "status": mapping.status(record),
            "provider": record.get("provider"), "start_time": meta.get("started_at_epoch") or 0,
            "params": mapping.params(record), "metrics": mapping.metrics(record), "url": run.get("run_url"),
        })
        if len(rows) >= limit:
            break
    return rows
