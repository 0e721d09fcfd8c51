"""`aitrack export --format csv|jsonl [--filter …] [--out FILE]` and
`aitrack export --format otlp --endpoint http://127.0.0.1:4318`."""
from __future__ import annotations

import json
from typing import Any

from aitrack import output
from aitrack.errors import AitrackError
from aitrack.fileio import write_user_file


def export(fmt: str, filter_string: str = "", out: str | None = None, endpoint: str | None = None,
           since: str | None = None) -> int:
    from aitrack.report.data import load_runs, parse_since

    parse_since(since)
    if fmt == "otlp" and not endpoint:
        raise AitrackError("--format otlp needs --endpoint (e.g. http://127.0.0.1:4318)")
    if fmt != "otlp" and endpoint:
        raise AitrackError("--endpoint is for --format otlp; use --out for csv/jsonl")
    runs = load_runs(filter_string, since)
    if fmt == "otlp":
        from aitrack.export.otlp import export as send

        spans, points = send(runs, {str(r.get("session_id")): _record(r) for r in runs}, str(endpoint))
        output.err(f"sent {len(runs)} session(s): {spans} spans, {points} metric points to {endpoint}")
        return 0
    from aitrack.export.rows import to_text

    text = to_text(runs, fmt)
    if out is None or out == "-":
        output.write(text)
        return 0
    path = write_user_file(out, text)
    output.err(f"wrote {len(runs)} run(s) to {path}")
    return 0


def _record(run: dict[str, Any]) -> dict[str, Any] | None:
    """The session's record for its tool calls: the local session.json, else the run's artifact."""
    from aitrack.paths import session_dir

    sid = str(run.get("session_id") or "")
    if not sid:
        return None
    try:
        with open(session_dir(sid) / "session.json", encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
            return data
    except (OSError, ValueError):
        pass
    try:
        from aitrack.store.mlflow_store import MlflowStore

        return MlflowStore(read_only=True).fetch_session(sid)
    except Exception:  # a trace without child spans beats no export
        return None
