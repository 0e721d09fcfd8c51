"""MLflow's GenAI session views in headless Chromium (#17): a two-turn session logged by aitrack
into a real SQLite store, served by a real `mlflow server` on 127.0.0.1, then read as a person
would — the Traces tab grouped by session lists the aitrack session with its two turns, and the
session's page shows both prompts. Screenshots go to test-output/ (docs/screenshots/ keeps copies).
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from harness import REPO
from support import free_port

from aitrack.sessionrecord import SessionRecord
from aitrack.ingest.local import build_record
from aitrack.store import server
from aitrack.store.mlflow_store import MlflowStore
from aitrack.store.uri import StoreLocation
from ingest.kit import make_session
from store.turnlogs import logs

pytestmark = pytest.mark.server

CHROMIUM = Path("/usr/bin/chromium")
OUT = REPO / "test-output"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


@pytest.mark.timeout(300)
def test_sessions_view_lists_the_session_with_its_turns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not CHROMIUM.exists():
        msg = "Debian chromium is missing: tests/e2e/install-clis.sh installs it"
        pytest.fail(msg) if os.environ.get("CI") else pytest.skip(msg)
    from playwright.sync_api import expect, sync_playwright

    home = tmp_path / "data"
    monkeypatch.setenv("AITRACK_HOME", str(home))
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    db = f"sqlite:///{tmp_path / 'mlflow.db'}"
    store = MlflowStore(StoreLocation(db, str(tmp_path / "artifacts"), True))
    folder = make_session(tool="claude", argv=["claude"], exit_code=0, duration=90, started=1767261600.0)
    run = store.log_session(SessionRecord.from_json(build_record(folder, agent_logs=logs(tmp_path / "logs"))))
    sid, exp = folder.name, run["experiment_id"]

    port = free_port()
    proc = server.start(db, str(tmp_path / "artifacts"), port, log=tmp_path / "server.log")
    try:
        base = f"http://127.0.0.1:{port}"
        assert server.wait_healthy(base, proc, timeout=120), (tmp_path / "server.log").read_text()[-2000:]
        OUT.mkdir(exist_ok=True)
        expect.set_options(timeout=60_000)  # a cold server's first page takes ~10 s
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS,
                                        env={"HOME": str(tmp_path)})
            page = browser.new_page(viewport={"width": 1400, "height": 700})
            # The Sessions view lives in the Traces tab, grouped by session; the logs are dated
            # 2026-01-01, outside the default time range.
            page.goto(f"{base}/#/experiments/{exp}/traces?groupBy=session&startTimeLabel=ALL")
            row = page.get_by_text(sid[:6]).first  # the session cell shows the id's head
            expect(row).to_be_visible()
            got_it = page.get_by_role("button", name="Got it")  # a first-visit popover over the table
            if got_it.count():
                got_it.first.click()
            page.get_by_role("button", name=f"Expand session {sid}").click()
            expect(page.get_by_text("Turn 1", exact=True)).to_be_visible()
            expect(page.get_by_text("Turn 2", exact=True)).to_be_visible()
            page.screenshot(path=str(OUT / "sessions-grouped.png"))
            page.goto(f"{base}/#/experiments/{exp}/chat-sessions/{sid}")
            expect(page.get_by_text(sid).first).to_be_visible()
            expect(page.get_by_text("list the files").first).to_be_visible()
            expect(page.get_by_text("run the tests with a subagent").first).to_be_visible()
            page.screenshot(path=str(OUT / "session-turns.png"))
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
