"""`aitrack export --format csv|jsonl [--filter …] [--out FILE]` and
`aitrack export --format otlp --endpoint http://127.0.0.1:4318`."""
from __future__ import annotations

import json
from typing import Any

from aitrack import output
from aitrack.errors import AitrackError
from aitrack.fileio import write_user_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from aitrack.sessionrecord import SessionRecord


def export(fmt: str, filter_string: str = "", out: str | None = None, endpoint: str | None = None,
           since: str | None = None, rev_range: str | None = None) -> int:
    if fmt in ("agent-trace", "git-ai"):
        return export_attribution(fmt, rev_range or "HEAD", out)
    if rev_range is not None:
        raise AitrackError("--range is for --format agent-trace and git-ai")
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


def _record(run: dict[str, Any]) -> SessionRecord | None:
    """The session's record for its tool calls: the local session.json, else the run's artifact."""
    from aitrack.paths import session_dir
    from aitrack.sessiondir import RECORD
    from aitrack.sessionrecord import SessionRecord, read_record

    sid = str(run.get("session_id") or "")
    if not sid:
        return None
    local = read_record(str(session_dir(sid) / RECORD))
    if local is not None:
        return local
    try:
        from aitrack.store.mlflow_store import MlflowStore

        data = MlflowStore(read_only=True).fetch_session(sid)
    except Exception:  # a trace without child spans beats no export
        return None
    return SessionRecord.from_json(data) if isinstance(data, dict) else None


def export_attribution(fmt: str, rev_range: str, out: str | None, repo: str = ".") -> int:
    """The attribution notes of a range's commits as Agent Trace records (JSON lines), or as Git AI
    authorship logs attached under refs/notes/ai (where git-ai and its tools read them)."""
    from aitrack.vcs.attribution_notes import add_note, range_runs
    from aitrack.vcs.git import toplevel

    top = str(toplevel(repo))
    commits = range_runs(top, rev_range)
    if fmt == "agent-trace":
        from aitrack.export.agent_trace import record

        text = "".join(json.dumps(record(sha, when, runs), sort_keys=True) + "\n" for sha, when, runs in commits)
        if out is None or out == "-":
            output.write(text)
        else:
            output.err(f"wrote {len(commits)} trace record(s) to {write_user_file(out, text)}")
        return 0
    if out is not None:
        raise AitrackError("--format git-ai writes git notes (refs/notes/ai), not a file; leave out --out")
    from aitrack.export.gitai import NOTES_REF, authorship_log

    added = kept = 0
    for sha, _, runs in commits:
        log = authorship_log(sha, runs)
        if log is None:
            continue
        if add_note(top, NOTES_REF, sha, log):
            added += 1
        else:
            kept += 1
    output.err(f"{added} authorship log(s) attached under {NOTES_REF}" +
               (f"; {kept} commit(s) already had one, left alone" if kept else "") +
               f" (share them: git push origin {NOTES_REF})")
    return 0
