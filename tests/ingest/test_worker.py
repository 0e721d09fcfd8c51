"""The spool and the detached worker, as real processes on the embedded SQLite store."""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from aitrack.capture.proc import start_ticks

from aitrack.ingest import spool
from ingest.kit import dead_pid, make_session, pty_capture
from support import AITRACK



def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "AITRACK_INGEST_RETRY_FOR": "60", **extra}
    env.pop("CI", None)
    return env


def _runs(home: Path) -> dict[str, int]:
    """session id → number of runs tagged with it, read straight from the store's SQLite file."""
    import sqlite3

    with sqlite3.connect(home / "mlflow.db") as db:
        rows = db.execute(
            "select t.value, count(*) from tags t join runs r on r.run_uuid = t.run_uuid "
            "where t.key = 'aitrack.session_id' and r.lifecycle_stage = 'active' group by t.value"
        ).fetchall()
    return dict(rows)


def test_twenty_sessions_ending_at_once_give_twenty_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "data"
    monkeypatch.setenv("AITRACK_HOME", str(home))
    raw = pty_capture("printf '$ make test\\nok\\n'")
    workers = []
    ids = []
    for i in range(20):  # each session ends and starts its worker, as the wrapper does
        folder = make_session(tool="claude", argv=["claude", f"task {i}"], raw=raw, duration=5 + i)
        ids.append(folder.name)
        workers.append(subprocess.Popen([*AITRACK, "ingest", "--worker"], env=_env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True))
    outputs = [w.communicate(timeout=240) for w in workers]
    assert all(w.returncode == 0 for w in workers)
    assert all(out == (b"", b"") for out in outputs), "the worker must never print"
    assert _runs(home) == {sid: 1 for sid in ids}
    assert not spool.pending(home / "sessions")
    log = (home / "logs" / "ingest.log").read_text()
    assert "database is locked" not in log and "not logged" not in log
    for sid in ids:
        run = json.loads((home / "sessions" / sid / "run.json").read_text())
        assert run["tracking_uri"] == f"sqlite:///{home / 'mlflow.db'}" and run["run_id"]


def test_spool_takes_ended_and_interrupted_sessions_not_running_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(tmp_path))
    ended = make_session()
    interrupted = make_session(ended=False, pid=dead_pid())
    running = make_session(ended=False, pid=os.getpid(), pid_start=start_ticks(os.getpid()))
    # Its wrapper died and the pid went to a new process (here: this one): interrupted all the same.
    reused = make_session(ended=False, pid=os.getpid(), pid_start=start_ticks(os.getpid()) - 1)
    (tmp_path / "sessions" / "stray-file").write_text("not a session")
    assert spool.pending() == sorted([ended, interrupted, reused])
    assert running not in spool.pending()
    spool.record_failure(reused, "x", now=1000.0)  # out of the way of the backoff checks below
    spool.record_failure(reused, "x", now=2000.0)
    spool.record_failure(ended, "ConnectionError: refused", now=1000.0)
    state = spool.record_failure(ended, "ConnectionError: refused", now=1010.0)
    assert state["attempts"] == 2 and state["next_attempt"] == 1010.0 + 15.0  # backoff 5, 15, 45 …
    assert spool.pending(due_only=True, now=1020.0) == [interrupted]
    assert spool.pending(due_only=True, now=1030.0) == sorted([ended, interrupted])


def test_sync_logs_everything_then_has_nothing_to_do_and_purge_removes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "data"
    env = _env(AITRACK_HOME=str(home))
    monkeypatch.setenv("AITRACK_HOME", str(home))
    a = make_session(tool="codex", argv=["codex", "close-issue 5"], raw=b"$ ls\r\nREADME\r\n",
                     started=time.time() - 40 * 86400, session_id="20260101T000000000Z-aaaaaa")
    b = make_session(tool="aider", raw=b"> hello\r\n", session_id="20260102T000000000Z-bbbbbb")
    first = subprocess.run([*AITRACK, "sync"], env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "[1/2] 20260101T000000000Z-aaaaaa: logged" in first.stdout and "[2/2]" in first.stdout
    assert set(_runs(home)) == {a.name, b.name}
    again = subprocess.run([*AITRACK, "sync"], env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "nothing to log" in again.stdout
    purged = subprocess.run([*AITRACK, "purge", "--older-than", "30d"], env=env, capture_output=True, text=True, timeout=120)
    assert purged.returncode == 0, purged.stderr
    assert not a.exists() and b.exists()
    assert set(_runs(home)) == {b.name}
    import sqlite3

    with sqlite3.connect(home / "mlflow.db") as db:  # gone for good, not just marked deleted
        assert db.execute("select count(*) from runs").fetchone()[0] == 1
    gone = subprocess.run([*AITRACK, "purge", a.name], env=env, capture_output=True, text=True, timeout=120)
    assert gone.returncode == 1 and "no session" in gone.stderr


def test_a_hung_server_times_out_and_the_session_stays_queued(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    home = tmp_path / "data"
    monkeypatch.setenv("AITRACK_HOME", str(home))
    folder = make_session(tool="claude", raw=b"hi\r\n")
    with socket.socket() as hung:  # accepts connections (kernel backlog), never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        url = f"http://127.0.0.1:{hung.getsockname()[1]}"
        env = _env(AITRACK_HOME=str(home), MLFLOW_TRACKING_URI=url, MLFLOW_HTTP_REQUEST_TIMEOUT="2",
                   MLFLOW_HTTP_REQUEST_MAX_RETRIES="0", AITRACK_INGEST_RETRY_FOR="0")
        worker = subprocess.run([*AITRACK, "ingest", "--worker"], env=env, capture_output=True, timeout=120)
        assert (worker.returncode, worker.stdout, worker.stderr) == (0, b"", b"")
        state = json.loads((folder / "ingest.json").read_text())
        assert state["attempts"] == 1 and "timed out" in state["last_error"].lower()
        assert spool.pending() == [folder] and not (folder / "run.json").exists()
        sync = subprocess.run([*AITRACK, "sync"], env=env, capture_output=True, text=True, timeout=120)
    assert sync.returncode == 1 and "stay queued" in sync.stderr
    assert json.loads((folder / "ingest.json").read_text())["attempts"] == 2
