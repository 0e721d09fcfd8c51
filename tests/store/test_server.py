"""The team path: a real `mlflow server` subprocess on 127.0.0.1 (SQLite backend, proxied artifacts).

The server dies in the middle of a sync; the sessions stay queued (the worker retries with backoff,
silently); after a restart `aitrack sync` logs the rest, and every session has exactly one run.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from aitrack.store import server
from ingest.kit import make_session, pty_capture
from support import AITRACK, free_port

pytestmark = pytest.mark.server  # a real `mlflow server` subprocess, killed and restarted

class Server:
    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = server.start(
            f"sqlite:///{self.root / 'server.db'}", None, self.port, log=self.root / "server.log",
            extra=["--artifacts-destination", str(self.root / "server-artifacts")],
        )
        if not server.wait_healthy(self.url, self.proc, timeout=120):
            self.kill()
            pytest.fail("mlflow server did not start: " + (self.root / "server.log").read_text()[-2000:])

    def kill(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # a crash, not a clean shutdown
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)
            self.proc = None


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("server"))
    srv.start()
    try:
        yield srv
    finally:
        srv.kill()


def _runs_per_session(url: str) -> dict[str, int]:
    from mlflow import MlflowClient

    client = MlflowClient(url)
    exp = client.get_experiment_by_name("ai-sessions")
    runs = client.search_runs([exp.experiment_id], 'tags.type = "ai_session"', max_results=1000)
    ids = [r.data.tags["aitrack.session_id"] for r in runs]
    return {i: ids.count(i) for i in ids}


def test_server_killed_mid_sync_then_every_session_logged_exactly_once(
        mlflow_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "data"
    monkeypatch.setenv("AITRACK_HOME", str(home))
    raw = pty_capture("printf '$ pytest\\n3 passed\\n'")
    ids = [make_session(tool="claude", argv=["claude", f"close-issue {i}"], raw=raw, duration=40).name for i in range(8)]
    env = dict(os.environ, AITRACK_HOME=str(home), MLFLOW_TRACKING_URI=mlflow_server.url, PYTHONUNBUFFERED="",
               MLFLOW_HTTP_REQUEST_MAX_RETRIES="1", MLFLOW_HTTP_REQUEST_TIMEOUT="5", AITRACK_INGEST_RETRY_FOR="0")
    sync = subprocess.Popen([*AITRACK, "sync"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert sync.stdout is not None
    logged = 0
    for line in sync.stdout:
        if ": logged" in line:
            logged += 1
            if logged == 3:
                mlflow_server.kill()
                break
    rest, err = sync.communicate(timeout=180)
    assert sync.returncode == 1, err
    assert "unavailable" in err and "stay queued" in err
    assert logged == 3

    # Down: the worker keeps them queued, records the attempt, says nothing.
    queued = [home / "sessions" / sid for sid in ids if not (home / "sessions" / sid / "run.json").exists()]
    assert len(queued) >= 4
    worker = subprocess.run([*AITRACK, "ingest", "--worker"], env=env, capture_output=True, timeout=180)
    assert (worker.returncode, worker.stdout, worker.stderr) == (0, b"", b"")
    state = json.loads((queued[0] / "ingest.json").read_text())
    # a later attempt due (not against the clock now: under load the worker may outlast the backoff)
    assert state["attempts"] >= 1 and state["next_attempt"] > state["last_attempt"] and state["last_error"]
    assert "not logged" in (home / "logs" / "ingest.log").read_text()

    mlflow_server.start()  # same port, same backend: the team server is back
    again = subprocess.run([*AITRACK, "sync"], env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert _runs_per_session(mlflow_server.url) == {sid: 1 for sid in ids}
    for sid in ids:
        run = json.loads((home / "sessions" / sid / "run.json").read_text())
        assert run["run_url"].startswith(f"{mlflow_server.url}/#/experiments/")


def test_artifacts_go_through_the_server_and_seed_search_works(
        mlflow_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "data"
    monkeypatch.setenv("AITRACK_HOME", str(home))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_server.url)
    folder = make_session(tool="codex", argv=["codex", "close-issue 123"], raw=b"$ ls\r\nREADME\r\n", duration=31)
    from aitrack.ingest.pipeline import ingest_one
    from aitrack.store.mlflow_store import MlflowStore

    store = MlflowStore()
    run, fresh = ingest_one(folder, store)
    assert fresh
    found = store.search('params.issue_number = "123" and tags.provider = "openai_codex"')
    assert folder.name in {r["session_id"] for r in found}
    info = store.client.get_run(run["run_id"]).info
    assert info.artifact_uri.startswith("mlflow-artifacts:")  # proxied: clients need no bucket access
    assert (mlflow_server.root / "server-artifacts").is_dir()
    assert not (home / "artifacts").exists()
    assert store.fetch_session(folder.name)["session_id"] == folder.name


def test_a_failed_sessions_trace_is_an_error_on_a_server_too(
        mlflow_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_server.url)
    from aitrack.ingest.pipeline import ingest_one
    from aitrack.store.mlflow_store import MlflowStore

    store = MlflowStore()
    states = {}
    for code in (0, 2):
        folder = make_session(tool="gpt", argv=["gpt", f"exit {code}"], raw=b"$ ls\r\n", exit_code=code)
        run, _ = ingest_one(folder, store)
        exp = store.client.get_run(run["run_id"]).info.experiment_id
        (trace,) = store.client.search_traces(locations=[exp], run_id=run["run_id"])
        states[code] = str(getattr(trace.info.state, "value", trace.info.state))
    assert states == {0: "OK", 2: "ERROR"}
