"""`aitrack import` with the shared fixtures laid out (as symlinks, read in place) where each
agent keeps its logs in a tmp HOME, into a real SQLite store; run twice; commits linked by time
and repository; a progress bar on a real terminal."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from ingest.kit import make_session
from procedure.kit import FIX, store_at
from support import git as _git, without_fixtures

from aitrack.cli import main as cli_main
from aitrack.ingest.local import build_record
from aitrack.ingest.pipeline import ingest_one

pytestmark = without_fixtures  # every test here imports the shared agent logs

LAYOUT = {  # where the agent writes → fixture
    ".claude/projects/-home-me-proj/coverage.jsonl": "claude/drmaciver-coverage-test-fix.jsonl",
    ".claude/projects/-home-me-proj/golden.jsonl": "claude/kvsankar-claude_golden.jsonl",
    ".codex/sessions/2025/01/03/rollout-2025-01-03T10-00-00-golden.jsonl": "codex/kvsankar-codex_golden.jsonl",
    ".gemini/tmp/5f2a/chats/session-2025-01-03T10-00-golden.json": "gemini/kvsankar-gemini_golden.json",
    "work/repo/.aider.chat.history.md": "aider/aider-website-example-add-test.md",
}


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for where, fixture in LAYOUT.items():
        link = isolated_home / where
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(FIX / fixture)
    monkeypatch.setenv("AITRACK_HOME", str(isolated_home / "aitrack"))
    monkeypatch.chdir(isolated_home / "work" / "repo")  # aider's default: the current repository
    return isolated_home


def _runs(home: Path) -> list[dict[str, Any]]:
    return store_at(home / "aitrack").search_all()


def test_import_all_twice_adds_nothing_the_second_time(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["import"]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "5 session(s) found: 5 imported, 0 already there"
    assert "ETA" not in out.err  # no progress bar when stderr is not a terminal
    runs = _runs(home)
    by_provider = {r["provider"]: r for r in runs}
    assert sorted(by_provider) == ["aider", "claude_code", "gemini_cli", "openai_codex"]
    claude = [r for r in runs if r["provider"] == "claude_code"]
    coverage = next(r for r in claude if r["metrics"]["tool_uses"] == 13)  # SOURCES.md values
    assert coverage["metrics"]["commands_executed"] == 5 and coverage["metrics"]["errors_encountered"] == 1
    assert coverage["metrics"]["input_tokens"] == 9 and coverage["metrics"]["output_tokens"] == 158
    assert coverage["tags"]["type"] == "ai_session" and coverage["tags"]["git.branch"] == "master"
    codex = by_provider["openai_codex"]["metrics"]
    assert codex["input_tokens"] == 300 and codex["total_tokens"] == 300 + codex["output_tokens"]
    assert by_provider["gemini_cli"]["tags"]["aitrack.agent_session_id"]
    assert by_provider["aider"]["metrics"]["user_prompts"] >= 1
    # Runs are dated when the sessions were (the aider example has no date: its file's time).
    assert all(r["start_time"] < time.time() - 86400 for r in runs if r["provider"] != "aider")

    assert cli_main(["import", "all"]) == 0
    assert capsys.readouterr().out.strip() == "5 session(s) found: 0 imported, 5 already there"
    again = _runs(home)
    assert sorted(r["run_id"] for r in again) == sorted(r["run_id"] for r in runs)


def test_import_one_agent_from_a_path(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "old-logs"
    elsewhere.mkdir()
    (elsewhere / "history.chat.history.md").symlink_to(FIX / "aider/aider-repo-chat-history-EXCERPT.md")
    assert cli_main(["import", "aider", str(elsewhere)]) == 0
    line = capsys.readouterr().out.strip()
    # 31 sessions in the excerpt; those where nothing was asked or run are not worth a run.
    found = int(line.split()[0])
    assert 15 <= found <= 31 and line.endswith(f"{found} imported, 0 already there")
    assert {r["provider"] for r in _runs(home)} == {"aider"}


def test_a_session_recorded_by_the_wrapper_is_not_imported_again(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = store_at(home / "aitrack")
    folder = make_session(tool="claude", argv=["claude"], exit_code=0, duration=30)
    build_record(folder, agent_logs=[FIX / "claude/kvsankar-claude_golden.jsonl"])
    ingest_one(folder, store)
    assert cli_main(["import", "claude"]) == 0
    assert capsys.readouterr().out.strip() == "2 session(s) found: 1 imported, 1 already there"
    assert len(_runs(home)) == 2


def test_commits_linked_by_time_and_repository(isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(isolated_home / "aitrack"))
    monkeypatch.setenv("AITRACK_HOOKS_AUTO", "0")
    repo = isolated_home / "proj"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "f.txt").write_text("x\n")
    _git(repo, "add", "f.txt")
    start = time.time()
    _git(repo, "commit", "-qm", "made during the session")
    sha = _git(repo, "rev-parse", "HEAD")
    # The golden Claude log, moved to this repository and to now (derived in tmp; the fixture is untouched).
    lines = []
    for i, line in enumerate((FIX / "claude/kvsankar-claude_golden.jsonl").read_text().splitlines()):
        entry = json.loads(line)
        entry["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(start - 5 + i * 2)) + ".000Z"
        entry["sessionId"] = "linked-session-1"
        if "cwd" in entry:
            entry["cwd"] = str(repo)
        lines.append(json.dumps(entry))
    log = isolated_home / ".claude/projects/-proj/linked.jsonl"
    log.parent.mkdir(parents=True)
    log.write_text("\n".join(lines) + "\n")
    cfg = isolated_home / ".config" / "aitrack" / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text('[alerts]\nrules = ["commits > 0"]\n')
    from aitrack import config

    config.load.cache_clear()
    try:
        assert cli_main(["import", "claude"]) == 0
    finally:
        config.load.cache_clear()
    (run,) = _runs(isolated_home)
    assert run["tags"]["git.commits"] == sha and run["tags"]["git.repo"] == str(repo)
    assert run["metrics"]["commits"] == 1
    # Backfilled history is tagged by the alert rules but notifies nobody.
    assert run["tags"]["alert"] == "commits > 0"
    assert not (isolated_home / "aitrack" / "alerts.pending").exists()


def test_progress_bar_on_a_terminal(home: Path) -> None:
    import pexpect

    child = pexpect.spawn(sys.executable, ["-m", "aitrack", "import", "claude"], encoding="utf-8", timeout=120,
                          env=dict(os.environ, AITRACK_INGEST="0"), dimensions=(24, 120))
    child.expect(pexpect.EOF)
    child.close()
    text = child.before
    assert child.exitstatus == 0, text
    assert "import [" in text and "2/2" in text and "/s ETA" in text
    assert "2 session(s) found: 2 imported" in text
