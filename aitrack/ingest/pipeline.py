"""One session through the whole pipeline: local record → staged artifacts → MLflow run → run.json.

Safe to repeat: the session folder is locked while it is processed, a finished one (run.json) is
left alone, and the store resumes the run tagged with the session id instead of creating another.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Protocol

from aitrack.errors import AitrackError
from aitrack.ingest import spool
from aitrack.ingest.artifacts import stage
from aitrack.ingest.local import build_record, write_private
from aitrack.locks import FileLock
from aitrack.sessiondir import LOCK, RECORD, read_run
from aitrack.sessionrecord import Commit, SessionRecord, read_record


class Store(Protocol):  # aitrack.store.mlflow_store.MlflowStore; a seam for the bench and tests
    def log_session(self, record: SessionRecord, artifact_dir: Path | None = None) -> dict[str, str]: ...


class Busy(AitrackError):
    """Another process is ingesting this session right now."""


def load_record(folder: Path, rebuild: bool = False) -> SessionRecord:
    """session.json if the local stage already ran (keeps params stable across retries), else build it."""
    if not rebuild:
        record = read_record(str(folder / RECORD))  # None when half-written by a crashed stage: build again
        if record is not None:
            return record
    return SessionRecord.from_json(build_record(folder))


def ingest_one(folder: Path, store: Store, *, wait: float = 120.0) -> tuple[dict[str, Any], bool]:
    """Log one session folder; returns (run info, logged_now). Raises on failure, after noting the
    attempt in the folder (the spool retries it with backoff)."""
    lock = FileLock(folder / LOCK)
    if not lock.acquire(timeout=wait):
        raise Busy(f"session {folder.name} is being ingested by another process")
    try:
        done = read_run(folder)
        if done:
            return done, False
        record: SessionRecord | None = None
        try:
            record = _follow_amends(folder, load_record(folder))
            record, triggered = _alerts(folder, record)
            warnings: list[str] = []
            with tempfile.TemporaryDirectory(prefix="aitrack-artifacts-") as tmp:
                stage(folder, record, Path(tmp), warnings)
                if warnings:
                    record = record.replace(warnings=[*record.warnings, *warnings])
                run = store.log_session(record, Path(tmp))
        except Exception as exc:
            spool.record_failure(folder, f"{type(exc).__name__}: {exc}")
            if record is not None:  # the store failed: the link now, the run once a retry logs it
                _write_notes(folder, record, None)
            raise
        spool.record_success(folder, run)
        record = _follow_amends(folder, record)  # logging takes seconds: long enough for `git commit --amend`
        _write_notes(folder, record, run)
        # Once: a logged folder (run.json) returns early above on the next call. Backfilled history
        # (`aitrack import`) is tagged but notifies nobody: old sessions are not news.
        if triggered and record.meta.mode != "import":
            _notify(folder, record, run, triggered)
        return run, True
    finally:
        lock.release()


def _follow_amends(folder: Path, record: SessionRecord) -> SessionRecord:
    """A commit amended outside the session since the record was built (no hook journals that):
    the record and its notes move to the amended commit, else the note lands on one out of history."""
    if not record.commits:
        return record
    commits = [c.to_json() for c in record.commits]
    try:
        from aitrack.vcs.link_facts import follow_amends

        moved = follow_amends(commits)
    except Exception as exc:  # the run matters more than the note
        spool.record_note_error(folder, f"following amends: {type(exc).__name__}: {exc}")
        return record
    if [c["sha"] for c in moved] == [c.sha for c in record.commits]:
        return record
    record = record.replace(commits=[Commit.from_json(c) for c in moved])
    write_private(folder / RECORD, json.dumps(record.to_json(), indent=1, sort_keys=True, default=str) + "\n")
    return record


def _write_notes(folder: Path, record: SessionRecord, run: dict[str, Any] | None) -> None:
    """The session's line in each commit's git note (refs/notes/aitrack), written once with the run
    (one notes commit per linked commit); when the store fails, without it, so `show` works while a
    server is down. The embedded store's URI is a path on this machine (the home folder in it, of
    no use to anyone the note is pushed to): a note names only a tracking server's URI and URL."""
    commits = [c.to_json() for c in record.commits]
    if not commits:
        attribute(folder, record)
        return
    note: dict[str, Any] = {"session_id": record.session_id, "provider": record.provider}
    if run:
        keys = ["run_id", "experiment_id"]
        if str(run.get("tracking_uri") or "").startswith(("http://", "https://")):
            keys += ["tracking_uri", "run_url"]
        note.update({k: run.get(k) for k in keys})
    try:
        from aitrack.vcs.link import write_notes

        write_notes(commits, note)
    except Exception as exc:  # the run matters more than the note; keep the reason in the folder
        spool.record_note_error(folder, f"{type(exc).__name__}: {exc}")
    attribute(folder, record)


def attribute(folder: Path, record: SessionRecord) -> None:
    """Line attribution notes (refs/notes/aitrack-lines): this session's commits, then the commits
    made since the recent sessions of the repository ended (reviewed, then committed by a person)."""
    from aitrack.vcs.attribution import attribute_range, attribute_session, recent_records

    try:
        attribute_session(record.to_json())  # vcs/ reads the record's JSON: commits and writes
        root = record.meta.git_root
        if root and Path(str(root)).is_dir():
            attribute_range(str(root), recent_records(str(root)))
    except Exception as exc:
        spool.record_note_error(folder, f"attribution: {type(exc).__name__}: {exc}")


def _alerts(folder: Path, record: SessionRecord) -> tuple[SessionRecord, list[str]]:
    """Config `[alerts] rules` on this record; the run gets `alert=<rule>` (mapping.tags)."""
    from aitrack.alerts import configured_rules, evaluate

    try:
        triggered = evaluate(configured_rules(), record)
    except AitrackError as exc:  # a bad rule must not keep sessions from being logged
        spool.record_note_error(folder, f"alerts: {exc}")
        triggered = []
    return record.replace(alerts=triggered), triggered


def _notify(folder: Path, record: SessionRecord, run: dict[str, Any], triggered: list[str]) -> None:
    from aitrack.alerts import notify

    problems = notify(record, run, triggered)
    if problems:
        spool.record_note_error(folder, "; ".join(problems))
