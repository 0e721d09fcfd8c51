"""`aitrack compare` and `aitrack report` on a real SQLite store filled from the shared fixtures;
the report is opened in headless Chromium (Playwright) with every request recorded."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from procedure.kit import populated_store

from aitrack.cli import main as cli_main
from aitrack.report import data as rdata

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return populated_store(tmp_path_factory)


@pytest.fixture(autouse=True)
def _store_env(logged: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(logged["home"]))


def _table(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, list[str]]:
    assert cli_main(["compare", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    return {line.split()[0]: line.split()[1:] for line in lines if line.strip() and not line.startswith("-")}


def test_compare_by_provider_counts_every_session(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _table(capsys)
    assert rows["provider"][:2] == ["sessions", "success"]
    # 3 claude (1 failed), 2 codex (1 failed), gemini, aider, 2 procedures (generic; one failed).
    assert rows["claude_code"][:2] == ["3", "67%"]
    assert rows["openai_codex"][:2] == ["2", "50%"]
    assert rows["gemini_cli"][:2] == ["1", "100%"] and rows["aider"][:2] == ["1", "100%"]
    assert rows["generic"][:2] == ["2", "50%"]
    assert rows["total"][0] == "9"
    # median duration of claude's 20 s, 120 s, 300 s sessions
    assert rows["claude_code"][2] == "2.0m"
    # commands: python-to-rust port has 16 Bash, coverage fix 5, rejection 1 → 22
    assert rows["claude_code"][3] == "22"


def test_compare_by_procedure_and_since(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _table(capsys, "--by", "procedure")
    assert rows["extract-best-frame"][:2] == ["1", "0%"] and rows["close-issue"][0] == "3"
    recent = _table(capsys, "--since", "36h")  # the codex session a day ago and the two procedures
    assert recent["total"][0] == "3" and "claude_code" not in recent


def test_compare_bad_since_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["compare", "--since", "lately"]) == 1
    assert capsys.readouterr().err.strip().startswith("aitrack: --since 'lately'")


def test_parse_since_units() -> None:
    assert rdata.parse_since("30d", now=1e9) == 1e9 - 30 * 86400
    assert rdata.parse_since("2w", now=1e9) == 1e9 - 14 * 86400
    assert rdata.parse_since(None) is None


def test_report_renders_offline_in_chromium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert cli_main(["report", "--out", str(out)]) == 0
    html = out.read_text()
    assert "wrote" in capsys.readouterr().out
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing to fetch
    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.fail("chromium is not installed (apt-get install -y chromium)")
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            page.wait_for_load_state("load")
            ids = page.eval_on_selector_all("svg.plot", "els => els.map(e => e.id)")
            assert ids == ["success-rate", "duration", "tokens", "errors", "issues", "cost", "cost-issues", "cost-models"]
            # One line per provider with data: five have durations; aider and procedures report no tokens.
            for plot, lines in (("success-rate", 5), ("duration", 5), ("tokens", 3), ("errors", 5)):
                box = page.locator(f"#{plot}").bounding_box()
                assert box and box["width"] > 600 and box["height"] > 200  # drawn, not collapsed
                assert page.locator(f"#{plot} polyline.series").count() == lines, plot
                assert page.locator(f"#{plot} circle.point").count() >= lines
            assert page.locator("#issues rect.bar").count() >= 2  # #123 and #583 at least
            issue_labels = page.eval_on_selector_all("#issues text", "els => els.map(e => e.textContent)")
            assert "#123" in issue_labels and "#583" in issue_labels
            assert page.locator("#summary tbody tr").count() == 5
            shot = REPO / "test-output" / "report.png"
            shot.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert requests == [out.as_uri()]  # the file itself and nothing else


def test_report_on_an_empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(tmp_path / "empty"))
    out = tmp_path / "r.html"
    assert cli_main(["report", "--out", str(out)]) == 0
    assert out.read_text().count("no data") == 8


def test_report_and_sessions_answer_from_local_records_as_the_store_does(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    keys = ("session_id", "run_id", "run_name", "status", "provider", "params", "metrics",
            "experiment_id", "run_status")
    local = rdata.load_runs("", "30d", local_first=True)
    store = rdata.load_runs("", "30d")
    assert len(local) == len(store) > 5
    for a, b in zip(local, store):
        assert {k: a.get(k) for k in keys} == {k: b.get(k) for k in keys}
        # The store adds its own bookkeeping tags (mlflow.*, aitrack.logged, the trace id);
        # every tag of the record is on the run with the same value.
        assert a["tags"].items() <= b["tags"].items()
    # In a fresh process neither command imports mlflow when the embedded store's records answer.
    code = ("import sys; from aitrack.cli import main; rc = [main(['sessions', '--json']), "
            f"main(['report', '--out', {str(tmp_path / 'r.html')!r}])]; "
            "print(json.dumps({'rc': rc, 'mlflow': 'mlflow' in sys.modules}))")
    res = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True,
                         env=dict(os.environ), timeout=120)
    assert json.loads(res.stdout.splitlines()[-1]) == {"rc": [0, 0], "mlflow": False}, res.stdout + res.stderr
