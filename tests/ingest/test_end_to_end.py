"""The whole path through real pieces: wrapper in a PTY → tool commits in a git repo → the wrapper's
detached worker → MLflow run (embedded SQLite) → run.json and the commit's git note name the run."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

VENV_BIN = Path(sys.executable).parent


def test_wrapped_session_is_logged_and_its_commit_points_at_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home, repo, bin_dir = tmp_path / "data", tmp_path / "repo", tmp_path / "bin"
    bin_dir.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    tool = bin_dir / "claude"  # stands in for the agent: prints, edits, commits, exits 0
    tool.write_text(
        "#!/bin/sh\nprintf 'Working on %s\\n' \"$1\"\necho change >> f.txt\ngit add f.txt\n"
        "git commit -q -m 'Fix the widget (#42)'\nprintf 'done\\n'\n"
    )
    tool.chmod(0o755)
    env = dict(os.environ, AITRACK_HOME=str(home), PATH=f"{bin_dir}:{VENV_BIN}:{os.environ['PATH']}",
               TERM="xterm", AITRACK_INGEST_RETRY_FOR="30")
    for key in ("AITRACK_INGEST", "AITRACK_HOOKS_AUTO", "AITRACK_SESSION_ID", "AITRACK_SESSION_DIR"):
        env.pop(key, None)
    child = pexpect.spawn(str(VENV_BIN / "aitrack"), ["run", "claude", "close-issue 42"], cwd=str(repo),
                          env=env, timeout=60, dimensions=(30, 100))
    child.expect("done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    folders = [p for p in (home / "sessions").iterdir() if p.is_dir()]
    assert len(folders) == 1
    folder = folders[0]
    deadline = time.monotonic() + 120
    while not (folder / "run.json").exists():  # the wrapper's detached worker does this, not us
        assert time.monotonic() < deadline, (home / "logs" / "ingest.log").read_text() if (home / "logs" / "ingest.log").exists() else "no log"
        time.sleep(0.2)
    run = json.loads((folder / "run.json").read_text())
    record = json.loads((folder / "session.json").read_text())
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert [c["sha"] for c in record["commits"]] == [head]
    assert record["procedure_name"] == "close-issue" and record["issue_number"] == 42
    assert "Working on close-issue 42" in (folder / "transcript.txt").read_text()

    with sqlite3.connect(home / "mlflow.db") as db:
        tags = dict(db.execute("select key, value from tags where run_uuid = ?", (run["run_id"],)).fetchall())
        params = dict(db.execute("select key, value from params where run_uuid = ?", (run["run_id"],)).fetchall())
    assert tags["provider"] == "claude_code" and tags["git.commits"] == head
    assert tags[f"aitrack.commit.{head}"] == "1" and tags["mlflow.source.git.commit"] == head
    assert params["procedure_name"] == "close-issue" and params["issue_number"] == "42"

    deadline = time.monotonic() + 30  # the note is completed right after run.json is written
    while True:
        note = subprocess.run(["git", "-C", str(repo), "notes", "--ref=refs/notes/aitrack", "show", head],
                              capture_output=True, text=True).stdout
        if run["run_id"] in note or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    entry = json.loads(note.splitlines()[0])
    assert entry["session_id"] == folder.name and entry["run_id"] == run["run_id"]
    # The embedded store lives in this machine's home folder: a note is pushed to others, so it
    # names no local path, and the run is written into it once (one notes commit).
    assert "tracking_uri" not in entry and "run_url" not in entry and str(tmp_path) not in note
    count = subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "refs/notes/aitrack"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert count == "1"
