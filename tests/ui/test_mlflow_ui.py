"""The MLflow UI in headless Chromium: a real Claude Code session, found as a person would find it.

One session through the whole product (install.sh, `claude -p …` in bash, the scripted model,
`aitrack sync`), then `aitrack ui start --background` on 127.0.0.1 and Debian's Chromium driven by
Playwright: the experiment page filtered by `tags.type = "ai_session"` lists the run, the run page
shows the Markdown note, the artifacts tab shows the transcript. Screenshots go to test-output/.
"""
from __future__ import annotations

import json
import os
import shlex
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from agents import FINAL
from checks import wait_file
from harness import REPO, Scenario, install_aitrack
from support import free_port

pytestmark = pytest.mark.server  # `aitrack ui start` runs the MLflow UI server

CHROMIUM = Path("/usr/bin/chromium")
OUT = REPO / "test-output"
# Debian's Chromium, offline: no first-run, no background fetches, no sandbox (we are root).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


def record_session(sc: Scenario) -> tuple[Path, dict[str, str]]:
    install_aitrack(sc.world)
    sc.start_shell("bash")
    sc.tmux.type(shlex.join(["claude", *sc.agent.print_args(sc.agent.prompt)]))
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=90)
    folder = sc.world.sessions()[0]
    wait_file(folder / "run.json", timeout=120)
    sync = sc.aitrack("sync")
    assert sync.returncode == 0, sync.stderr
    return folder, json.loads((folder / "run.json").read_text())


@pytest.mark.timeout(420)
def test_run_listed_with_note_and_transcript(scenario) -> None:
    if not CHROMIUM.exists():
        msg = "Debian chromium is missing: tests/e2e/install-clis.sh installs it"
        pytest.fail(msg) if os.environ.get("CI") else pytest.skip(msg)
    from playwright.sync_api import expect, sync_playwright

    sc: Scenario = scenario("claude")
    folder, run = record_session(sc)
    port = free_port()
    started = sc.aitrack("ui", "start", "--port", str(port), "--background", timeout=200)
    assert started.returncode == 0, f"{started.stdout}\n{started.stderr}"
    base = f"http://127.0.0.1:{port}"
    exp, run_id, session_id = run["experiment_id"], run["run_id"], folder.name
    OUT.mkdir(exist_ok=True)
    try:
        expect.set_options(timeout=60_000)  # a cold server takes ~10 s before rows render
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
            # A fresh profile each run (Playwright passes it as --user-data-dir).
            browser = pw.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), headless=True, args=FLAGS,
                viewport={"width": 1400, "height": 900},
            )
            page = browser.new_page()
            page.set_default_timeout(60_000)

            search = quote('tags.type = "ai_session"')
            page.goto(f"{base}/#/experiments/{exp}/runs?searchFilter={search}")
            link = page.locator(f'a[href*="{run_id}"]').first
            expect(link).to_be_visible()
            expect(page.get_by_text("1 matching runs").or_(page.get_by_text("1 matching run"))).to_be_visible()
            page.screenshot(path=str(OUT / "ui-experiment-filtered.png"), full_page=True)

            # The link `aitrack ui` prints opens aitrack's shared view: its columns in the run list.
            assert f"{base}/#/experiments/{exp}/runs?viewStateShareKey=aitrack" in started.stdout
            page.goto(f"{base}/#/experiments/{exp}/runs?viewStateShareKey=aitrack")
            expect(page.get_by_text("You're viewing a shared view").first).to_be_visible()
            for column in ("commands_executed", "duration_seconds"):  # the first columns (the grid renders what fits)
                expect(page.get_by_text(column, exact=True).first).to_be_visible()
            page.screenshot(path=str(OUT / "ui-aitrack-columns.png"), full_page=True)

            page.goto(f"{base}/#/experiments/{exp}/runs/{run_id}")
            # The Description is aitrack's Markdown note: its headings and the command it lists
            # are nowhere else on the page (the prompt also names the run, so it proves nothing).
            note = page.get_by_role("heading", name="Commands")
            expect(note).to_be_visible()
            expect(page.get_by_role("heading", name="Prompts")).to_be_visible()
            expect(page.get_by_text(f"session {session_id} succeeded").first).to_be_visible()
            expect(page.get_by_text(sc.agent.command).first).to_be_visible()
            note.scroll_into_view_if_needed()
            page.screenshot(path=str(OUT / "ui-run-note.png"))

            page.goto(f"{base}/#/experiments/{exp}/runs/{run_id}/artifacts/transcript.txt")
            expect(page.get_by_text("transcript.txt").first).to_be_visible()
            expect(page.get_by_text(FINAL).first).to_be_visible()
            page.screenshot(path=str(OUT / "ui-run-transcript.png"), full_page=True)
            browser.close()
    finally:
        sc.aitrack("ui", "stop", timeout=60)
