"""`aitrack ui`: a real MLflow UI on 127.0.0.1 for the embedded store, started, asked, stopped."""
from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest

from aitrack.store import server
from ingest.kit import make_session
from support import AITRACK, free_port

pytestmark = pytest.mark.server  # `aitrack ui start` runs the MLflow UI server

def in_group(pid: int, pgid: int) -> bool:
    try:
        return os.getpgid(pid) == pgid
    except OSError:
        return False


def cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_ui_background_serves_the_embedded_store_then_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "data"
    monkeypatch.setenv("AITRACK_HOME", str(home))
    env = dict(os.environ)
    folder = make_session(tool="claude", argv=["claude", "close-issue 7"], raw=b"hello\r\n")
    assert subprocess.run([*AITRACK, "sync"], env=env, capture_output=True, timeout=180).returncode == 0
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    try:
        started = subprocess.run([*AITRACK, "ui", "start", "--port", str(port), "--background"],
                                 env=env, capture_output=True, text=True, timeout=200)
        assert started.returncode == 0, started.stderr
        assert url in started.stdout
        # aitrack's columns: a shared view on the experiment, and the link that opens it.
        assert f"aitrack's columns: {url}/#/experiments/1/runs?viewStateShareKey=aitrack" in started.stdout
        with urllib.request.urlopen(f"{url}/api/2.0/mlflow/experiments/get?experiment_id=1", timeout=30) as resp:
            exp_tags = {t["key"]: t["value"] for t in json.load(resp)["experiment"]["tags"]}
        columns = json.loads(exp_tags["mlflow.sharedViewState.aitrack"])["selectedColumns"]
        assert "params.`procedure_name`" in columns and "metrics.`commands_executed`" in columns
        assert "metrics.`cost_usd`" in columns  # what the session cost, at API list prices
        status = subprocess.run([*AITRACK, "ui", "status"], env=env, capture_output=True, text=True, timeout=60)
        assert status.returncode == 0 and "running" in status.stdout
        # Only what the UI needs: the mlflow command and one uvicorn worker, no job runners
        # (huey consumers and their workers: 10 processes and ~1 GB with MLflow's defaults).
        pgid = int(server.read_state()["pid"])  # type: ignore[index]
        procs = [cmdline(p) for p in os.listdir("/proc") if p.isdigit() and in_group(int(p), pgid)]
        assert len(procs) == 2 and not [c for c in procs if "huey" in c or "job" in c], procs
        body = json.dumps({"experiment_ids": ["1"], "filter": 'params.procedure_name = "close-issue"'}).encode()
        req = urllib.request.Request(f"{url}/api/2.0/mlflow/runs/search", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            runs = json.load(resp)["runs"]
        tags = {t["key"]: t["value"] for t in runs[0]["data"]["tags"]}
        assert len(runs) == 1 and tags["aitrack.session_id"] == folder.name
        run = json.loads((folder / "run.json").read_text())
        # Logged before any UI ran: the link names the default port `aitrack ui` uses.
        assert run["run_url"] == f"http://127.0.0.1:5000/#/experiments/1/runs/{run['run_id']}"
    finally:
        stopped = subprocess.run([*AITRACK, "ui", "stop"], env=env, capture_output=True, text=True, timeout=60)
        state = server.read_state()
        if state:  # never leave a server behind, whatever failed above
            server.stop(int(state["pid"]))
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert not server.healthy(url, timeout=1)
    after = subprocess.run([*AITRACK, "ui", "status"], env=env, capture_output=True, text=True, timeout=60)
    assert after.returncode == 1 and "not running" in after.stdout
