"""The MLflow side of aitrack: one run per session, found again by its `aitrack.session_id` tag.

This is the only module (with its siblings in aitrack/store) that imports mlflow, and it does so
lazily: building a `MlflowStore` costs the ~2 s import, nothing else in aitrack does.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from aitrack import config
from aitrack.errors import AitrackError
from aitrack.meta import Meta
from aitrack.sessiondir import RECORD
from aitrack.sessionrecord import SessionRecord
from aitrack.store import mapping
from aitrack.store.auth import apply_credentials, public_uri, refusals_as_errors
from aitrack.store.uri import StoreLocation, is_local_sqlite, resolve


class StoreUnavailable(AitrackError):
    """The tracking server (or the database) did not answer: keep the session queued."""


# Bounded tracking-server calls. A server that accepts and never answers held `show`, `sessions`,
# `sync`, `export` and `compare` for 66–76 s (20 s timeout × 3 attempts + backoff). Writing
# (ingest, sync: artifact uploads) gets one try of READ_WRITE_TIMEOUT s: a failed session stays
# queued and is tried again later. Reading for a person at a prompt gets READ_TIMEOUT s, one try,
# then the local answer. The user's own MLFLOW_HTTP_REQUEST_* settings win over both.
READ_TIMEOUT, READ_WRITE_TIMEOUT = 5, 15
_HTTP_KEYS = ("MLFLOW_HTTP_REQUEST_TIMEOUT", "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR")
_USER_HTTP = frozenset(k for k in _HTTP_KEYS if k in os.environ)


def _http_limits(read_only: bool) -> None:
    ours = {"MLFLOW_HTTP_REQUEST_TIMEOUT": str(READ_TIMEOUT if read_only else READ_WRITE_TIMEOUT),
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0", "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "0"}
    for key, value in ours.items():
        if key not in _USER_HTTP:
            os.environ[key] = value  # read by mlflow at each request: this process's calls only


def _quiet_env() -> None:
    # Private transcripts: no usage telemetry. Traces written synchronously so a short-lived
    # worker never exits with spans still queued.
    for key, value in (
        ("MLFLOW_DISABLE_TELEMETRY", "true"),
        ("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false"),
        ("MLFLOW_LOGGING_LEVEL", "WARNING"),
        # Against an http server MLflow prints "🏃 View run … at: …" to stdout on set_terminated:
        # only aitrack.output writes to the user's terminal (sync prints the run URL itself).
        ("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true"),
    ):
        os.environ.setdefault(key, value)


_UNAVAILABLE = re.compile(
    r"max retries exceeded|connection (?:refused|reset|aborted)|remote end closed|timed? ?out|"
    r"database is locked|temporarily_unavailable|\b50[234]\b",
    re.I,
)


def is_unavailable(exc: BaseException) -> bool:
    """Connection refused, timeouts, 502/503/504, a locked SQLite file: worth retrying later."""
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    return bool(_UNAVAILABLE.search(f"{type(exc).__name__}: {exc}"))


class MlflowStore:
    def __init__(self, location: StoreLocation | None = None, experiment: str | None = None,
                 *, read_only: bool = False) -> None:
        """`read_only`: a person waits for the answer (show, sessions, export…): short timeouts."""
        _quiet_env()
        _http_limits(read_only)
        apply_credentials()  # team server: config-file credentials; the environment wins
        import logging

        from mlflow import MlflowClient

        for name in ("mlflow", "alembic"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self.location = location or resolve()
        self.experiment_name = experiment or config.experiment_name()
        self._experiment_id: str | None = None
        if is_local_sqlite(self.location.tracking_uri):
            self.client = _open_sqlite(MlflowClient, self.location.tracking_uri)
        else:
            self.client = MlflowClient(tracking_uri=self.location.tracking_uri)

    # --- experiment and lookup -------------------------------------------------------------
    @refusals_as_errors  # HTTP 401/403 → one-line StoreDenied
    def experiment_id(self, create: bool = True) -> str | None:
        if self._experiment_id:
            return self._experiment_id
        exp = self.client.get_experiment_by_name(self.experiment_name)
        if exp is None and create:
            try:
                self._experiment_id = self.client.create_experiment(
                    self.experiment_name, artifact_location=self._artifact_location()
                )
                self._ensure_view(self._experiment_id, {})
                return self._experiment_id
            except Exception as exc:  # two workers created it at once: use theirs
                exp = self.client.get_experiment_by_name(self.experiment_name)
                if exp is None:
                    raise exc
        if exp is not None and exp.lifecycle_stage == "deleted":
            raise AitrackError(
                f"MLflow experiment {self.experiment_name!r} is deleted; restore it in the UI "
                "or set `experiment` in aitrack's config to another name"
            )
        self._experiment_id = exp.experiment_id if exp is not None else None
        if exp is not None and create:
            self._ensure_view(exp.experiment_id, exp.tags or {})
        return self._experiment_id

    def _ensure_view(self, experiment_id: str, tags: dict[str, str]) -> None:
        """The shared view with aitrack's columns (store/view.py), written when missing or old."""
        from aitrack.store import view

        if tags.get(view.TAG) == view.view_json():
            return
        try:
            self.client.set_experiment_tag(experiment_id, view.TAG, view.view_json())
        except Exception:  # a READ-only team account: the runs matter, the view is a convenience
            pass

    def _artifact_location(self) -> str | None:
        # Without it a client logging straight to SQLite writes into ./mlruns of the current dir.
        root = self.location.artifact_root
        return Path(root).resolve().as_uri() if root else None

    @refusals_as_errors  # HTTP 401/403 → one-line StoreDenied
    def find_run(self, session_id: str) -> Any | None:
        exp = self.experiment_id(create=False)
        if exp is None:
            return None
        runs = self.client.search_runs(
            [exp], f"tags.`{mapping.SESSION_TAG}` = '{_quote(session_id)}'", max_results=5
        )
        return runs[0] if runs else None

    def run_url(self, experiment_id: str, run_id: str) -> str:
        uri = public_uri(self.location.tracking_uri)  # never a password in a URL we record
        base = uri.rstrip("/") if uri.startswith(("http://", "https://")) else _local_ui_base()
        return f"{base}/#/experiments/{experiment_id}/runs/{run_id}"

    def run_info(self, run: Any) -> dict[str, str]:
        exp, rid = run.info.experiment_id, run.info.run_id
        return {
            "run_id": rid, "experiment_id": exp, "tracking_uri": public_uri(self.location.tracking_uri),
            "run_url": self.run_url(exp, rid),
        }

    # --- logging -----------------------------------------------------------------------------
    @refusals_as_errors  # HTTP 401/403 → one-line StoreDenied
    def log_session(self, record: SessionRecord, artifact_dir: Path | None = None) -> dict[str, str]:
        """Log one session; safe to call again after any failure (it resumes the same run)."""
        from mlflow.entities import Metric, Param, RunTag

        session_id = str(record.session_id or "")
        if not session_id:
            raise AitrackError("session record has no session_id")
        exp = self.experiment_id()
        assert exp is not None
        run = self.find_run(session_id)
        if run is not None and run.data.tags.get(mapping.COMPLETE_TAG) == "true":
            return self.run_info(run)
        meta = record.meta
        tags = mapping.tags(record)
        if run is None:
            run = self.client.create_run(
                exp, start_time=_ms(meta.started_at_epoch), run_name=mapping.run_name(record),
                # mlflow.user here too: the run's user_id is taken from the creation tags only.
                tags={mapping.SESSION_TAG: session_id, "type": "ai_session", "mlflow.user": tags["mlflow.user"]},
            )
        rid = run.info.run_id
        now = int(time.time() * 1000)
        params = {k: v for k, v in mapping.params(record).items() if k not in run.data.params}
        history = [p for p in mapping.metric_history(record) if p[0] not in run.data.metrics]
        stepped = {p[0] for p in history}  # logged with their own steps and times, not as step 0
        # A metric already there with this value is not logged again (a retry); one the live
        # updater logged gets its final value.
        metrics = {k: v for k, v in mapping.metrics(record).items()
                   if run.data.metrics.get(k) != v and k not in stepped}
        # MLflow shows a metric's value of the highest step: past the live updater's last one.
        step = int(run.data.tags.get("aitrack.live.step") or -1) + 1
        self.client.log_batch(
            rid,
            metrics=[Metric(k, v, now, step) for k, v in metrics.items()] + [Metric(*p) for p in history],
            params=[Param(k, v) for k, v in params.items()],
            tags=[RunTag(k, v) for k, v in tags.items()],
        )
        if artifact_dir is not None and any(artifact_dir.iterdir()):
            self.client.log_artifacts(rid, str(artifact_dir))
        from aitrack.store.trace import log_traces

        # One trace per turn. A worker killed half-way left some turns logged: the retry logs
        # only the missing ones, or the Sessions view would list a turn twice.
        done = self.logged_turns(exp, rid)
        ids = log_traces(self.client, exp, rid, record, done=set(done))
        if done or ids:
            first = done.get(0) or (ids[0] if ids else min(done.items())[1])
            self.client.set_tag(rid, "aitrack.trace_id", first)  # the first turn's: the run's link
            self.client.set_tag(rid, "aitrack.traces", str(len(done) + len(ids)))
        self.client.set_terminated(rid, mapping.run_status(record), end_time=_end_ms(meta))
        self.client.set_tag(rid, mapping.COMPLETE_TAG, "true")  # last: marks the run whole
        return self.run_info(self.client.get_run(rid))

    def logged_turns(self, experiment_id: str, run_id: str) -> dict[int, str]:
        """{turn index: trace id} of the run's traces already in the store."""
        from aitrack.store.trace import TURN_TAG

        try:
            found = self.client.search_traces(locations=[experiment_id], run_id=run_id, max_results=5000)
        except Exception as exc:
            if is_unavailable(exc):
                raise
            return {}  # a server without trace search: log them, as before
        out: dict[int, str] = {}
        for t in found:
            turn = (t.info.tags or {}).get(TURN_TAG)
            out[int(turn) if turn and turn.isdigit() else 0] = str(t.info.trace_id)
        return out

    # --- reading -----------------------------------------------------------------------------
    def search(self, filter_string: str = "", limit: int = 50) -> list[dict[str, Any]]:
        # Procedures (`tags.type = "procedure"`) are listed when the filter asks for them by type
        # or by name (the seed's `params.procedure_name = "close-issue"` finds both kinds).
        plain = filter_string.replace("`", "")
        default = [] if "tags.type" in plain or "procedure_name" in plain else ['tags.type = "ai_session"']
        clauses = default + ([filter_string.strip()] if filter_string.strip() else [])
        runs = self._search_runs(filter_string, clauses, limit, "DESC")
        return [self._row(r) for r in runs]

    def _search_runs(self, filter_string: str, clauses: list[str], limit: int, order: str) -> list[Any]:
        """search_runs over the experiment; a store that does not answer → StoreUnavailable,
        a filter MLflow rejects → one-line AitrackError naming the filter."""
        try:
            exp = self.experiment_id(create=False)
            if exp is None:
                return []
            return list(self.client.search_runs([exp], " and ".join(clauses), max_results=limit,
                                                order_by=[f"attributes.start_time {order}"]))
        except AitrackError:
            raise
        except Exception as exc:
            if is_unavailable(exc):
                raise StoreUnavailable(str(exc).splitlines()[0]) from exc
            raise AitrackError(f"bad filter {filter_string!r}: {str(exc).splitlines()[0]}") from exc

    def search_all(self, filter_string: str = "", since_epoch: float | None = None,
                   limit: int = 100_000) -> list[dict[str, Any]]:
        """Every run of the experiment (sessions and procedures), oldest first, as plain rows with
        all tags, for compare/report/export (no mlflow objects leave the store)."""
        clauses = [filter_string.strip()] if filter_string.strip() else []
        if since_epoch is not None:
            clauses.append(f"attributes.start_time >= {int(since_epoch * 1000)}")
        runs = self._search_runs(filter_string, clauses, min(limit, 50_000), "ASC")
        rows = []
        for run in runs:
            row = self._row(run)
            row.update(tags=dict(run.data.tags), experiment_id=run.info.experiment_id,
                       end_time=(run.info.end_time or 0) / 1000 or None, run_status=run.info.status)
            rows.append(row)
        return rows

    def metric_history(self, run_id: str, key: str) -> list[tuple[int, float]]:
        """[(step, value)] of one metric, for tests and reports of live procedure metrics."""
        return [(m.step, m.value) for m in self.client.get_metric_history(run_id, key)]

    def _row(self, run: Any) -> dict[str, Any]:
        tags, data = run.data.tags, run.data
        return {
            "session_id": tags.get(mapping.SESSION_TAG), "run_id": run.info.run_id,
            "run_name": run.info.run_name, "status": tags.get("aitrack.status") or run.info.status,
            "provider": tags.get("provider"), "start_time": (run.info.start_time or 0) / 1000,
            "params": dict(data.params), "metrics": dict(data.metrics),
            "url": self.run_url(run.info.experiment_id, run.info.run_id),
        }

    @refusals_as_errors  # HTTP 401/403 → one-line StoreDenied
    def fetch_session(self, session_id: str) -> dict[str, Any] | None:
        try:
            run = self.find_run(session_id)
        except AitrackError:
            raise
        except Exception as exc:  # `show` prints one line for a server that does not answer
            if is_unavailable(exc):
                raise StoreUnavailable(str(exc).splitlines()[0]) from exc
            raise
        if run is None:
            return None
        with tempfile.TemporaryDirectory(prefix="aitrack-") as tmp:
            try:
                path = self.client.download_artifacts(run.info.run_id, RECORD, tmp)
            except Exception as exc:
                if is_unavailable(exc):
                    raise StoreUnavailable(str(exc).splitlines()[0]) from exc
                return None
            with open(path, encoding="utf-8") as fh:
                data: dict[str, Any] = json.load(fh)
        data.setdefault("run", self.run_info(run))
        return data


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _ms(epoch: Any) -> int | None:
    return int(float(epoch) * 1000) if isinstance(epoch, (int, float)) else None


def _end_ms(meta: Meta) -> int:
    return _ms(meta.ended_at_epoch) or _ms(meta.last_output_epoch) or int(time.time() * 1000)


def _local_ui_base() -> str:
    from aitrack.store.server import ui_base_url

    return ui_base_url()


def _open_sqlite(client_class: Any, uri: str) -> Any:
    """A client on a SQLite store, created under a lock. Creating the client runs MLflow's
    migrations on a new file; `aitrack sync` and the detached worker doing that at once failed
    ("table _alembic_tmp_params already exists"). Whoever comes second finds the tables made."""
    from aitrack.locks import FileLock
    from aitrack.store import template

    db = Path(uri.split(":///", 1)[-1])
    lock = FileLock(db.with_name(db.name + ".init-lock"))
    try:
        held = lock.acquire(timeout=120)
    except OSError:  # no writable folder for the lock: MLflow will say what is wrong
        held = False
    try:
        made = False
        if not db.exists():  # prompts and commands live in it: the owner's only, whatever the umask
            try:
                os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                made = not template.copy_into(str(db))
            except OSError:
                pass  # another process made it first, or no folder yet: MLflow says what is wrong
        client = client_class(tracking_uri=uri)
        if made:
            template.save_from(str(db))
        for path in (db, db.with_name(db.name + "-journal"), db.with_name(db.name + "-wal")):
            try:
                if path.exists() and path.stat().st_mode & 0o077:
                    os.chmod(path, 0o600)  # a store made by an earlier version under umask 022
            except OSError:
                pass
        return client
    finally:
        if held:
            lock.release()
