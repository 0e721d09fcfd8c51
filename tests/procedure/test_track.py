"""`aitrack track` and `aitrack.procedure()` end to end: real processes, a real git repo with the
real hooks, a real SQLite MLflow store; the seed's search finds the runs."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aitrack.ingest.pipeline import ingest_one
from procedure.kit import run_cli, sessions_root, store_at, track
from support import git as _git

SEED = 'params.procedure_name = "extract-best-frame" AND metrics.success = 0'


@pytest.fixture
def store(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    home = isolated_home / "aitrack"
    monkeypatch.setenv("AITRACK_HOME", str(home))
    return store_at(home)


def test_track_failing_command_is_found_by_the_seed_search(store: Any, tmp_path: Path) -> None:
    artifact = tmp_path / "best.txt"
    artifact.write_text("frame 17\n")
    res = run_cli(["track", "extract-best-frame", "--param", "issue_number=583", "--param", "video=a.mp4",
                   "--artifact", str(artifact), "--", "sh", "-c", "echo picked 17; echo warn >&2; exit 3"])
    assert res.returncode == 3, res.stderr  # the exit status passes through
    assert res.stdout == "picked 17\n" and res.stderr == "warn\n"  # output still reaches the user
    artifact.write_text("changed later\n")  # the artifact is kept as it was when the procedure ended
    (folder,) = sessions_root().iterdir()
    assert b"picked 17" in (folder / "output.raw").read_bytes()
    run, fresh = ingest_one(folder, store)
    assert fresh
    rows = store.search(SEED)
    assert [r["run_id"] for r in rows] == [run["run_id"]]
    row = store.search_all(SEED)[0]
    assert row["tags"]["type"] == "procedure"
    assert row["params"]["procedure_name"] == "extract-best-frame"
    assert row["params"]["issue_number"] == "583" and row["params"]["video"] == "a.mp4"
    assert row["metrics"]["success"] == 0 and row["metrics"]["exit_code"] == 3
    assert row["metrics"]["duration_seconds"] >= 0
    assert row["run_name"].startswith("extract-best-frame")
    files = {f.path for f in store.client.list_artifacts(run["run_id"])}
    assert "procedure_artifacts" in files and "transcript.txt" in files
    got = store.client.download_artifacts(run["run_id"], "procedure_artifacts/best.txt", str(tmp_path / "dl"))
    assert Path(got).read_text() == "frame 17\n"
    transcript = store.client.download_artifacts(run["run_id"], "transcript.txt", str(tmp_path / "dl2"))
    assert "picked 17" in Path(transcript).read_text()
    # A successful run of another procedure is not matched by the seed search.
    ok = track("extract-best-frame", [], ["true"])
    ingest_one(ok, store)
    assert len(store.search(SEED)) == 1
    assert len(store.search('params.procedure_name = "extract-best-frame"')) == 2


def test_commits_made_during_a_procedure_are_linked(store: Any, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "a.txt").write_text("a\n")
    _git(repo, "add", "a.txt")
    _git(repo, "commit", "-qm", "start")
    folder = track("close-issue", ["--param", "issue_number=42"],
                   ["sh", "-c", "echo b > b.txt && git add b.txt && git commit -qm 'fix the thing'"], cwd=repo)
    sha = _git(repo, "rev-parse", "HEAD").strip()
    message = _git(repo, "log", "-1", "--format=%B")
    assert f"Aitrack-Session: {folder.name}" in message
    ingest_one(folder, store)
    record = json.loads((folder / "session.json").read_text())
    # The setup commit a moment before may join through the reflog's 2 s slack; ours via the trailer.
    assert [c["sha"] for c in record["commits"] if c["source"] == "trailer"] == [sha]
    assert record["issue_number"] == 42
    row = store.search_all('params.procedure_name = "close-issue"')[0]
    assert row["tags"]["git.commits"].endswith(sha) and row["tags"][f"aitrack.commit.{sha}"] == "1"


def test_bad_params_and_missing_command_are_one_line_errors(store: Any) -> None:
    res = run_cli(["track", "x", "--param", "novalue", "--", "true"])
    assert res.returncode == 1 and res.stderr.strip() == "aitrack: --param 'novalue': expected KEY=VALUE"
    res = run_cli(["track", "x", "--", "no-such-command-here"])
    assert res.returncode == 1 and "command not found" in res.stderr and "\n" not in res.stderr.strip()
    assert not sessions_root().exists() or not any(sessions_root().iterdir())


PROGRAM = """
import sys, aitrack
assert "aitrack.procedures" not in sys.modules  # `import aitrack` stays cheap
with aitrack.procedure("close-issue", issue_number=583) as p:
    for i in range(3):
        p.log_metric("frames", (i + 1) * 10, step=i)
    p.log_param("branch", "fix-583")
    print(p.session_id)

@aitrack.procedure("extract-best-frame", video="b.mp4")
def extract():
    raise ValueError("no frame")

try:
    extract()
except ValueError:
    print("re-raised")
"""


def test_python_api_logs_live_metrics_with_steps_and_failures(store: Any, tmp_path: Path) -> None:
    import os

    res = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, AITRACK_INGEST="0"))
    assert res.returncode == 0, res.stderr
    sid, reraised = res.stdout.split()
    assert reraised == "re-raised"
    lines = (sessions_root() / sid / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(line)["value"] for line in lines] == [10.0, 20.0, 30.0]  # on disk as logged
    for folder in sorted(sessions_root().iterdir()):
        ingest_one(folder, store)
    ok = store.search_all('params.procedure_name = "close-issue"')[0]
    assert ok["metrics"]["success"] == 1 and ok["metrics"]["frames"] == 30
    assert ok["params"]["issue_number"] == "583" and ok["params"]["branch"] == "fix-583"
    assert store.metric_history(ok["run_id"], "frames") == [(0, 10.0), (1, 20.0), (2, 30.0)]
    bad = store.search(SEED)
    assert len(bad) == 1 and bad[0]["params"]["video"] == "b.mp4"


def test_a_script_under_track_logs_live_metrics_and_a_pty_run_passes_status(store: Any) -> None:
    import pexpect

    script = ("import aitrack\n"
              "for i in range(3): assert aitrack.log_metric('loss', 1.0 / (i + 1))\n"
              "print('trained')\n")
    child = pexpect.spawn(sys.executable, ["-m", "aitrack", "track", "train", "--param", "lr=0.1", "--",
                                           sys.executable, "-c", script + "raise SystemExit(4)"],
                          encoding="utf-8", timeout=60, env=dict(__import__("os").environ, AITRACK_INGEST="0"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 4 and "trained" in child.before
    (folder,) = sessions_root().iterdir()
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["mode"] == "pty" and (folder / "timing").is_file()  # the wrapper's own PTY path
    run, _ = ingest_one(folder, store)
    assert store.metric_history(run["run_id"], "loss") == [(0, 1.0), (1, 0.5), (2, 1.0 / 3)]
    row = store.search_all('params.procedure_name = "train"')[0]
    assert row["metrics"]["exit_code"] == 4 and row["params"]["lr"] == "0.1"
    assert subprocess.run([sys.executable, "-c", "import aitrack; print(aitrack.log_metric('x', 1))"],
                          capture_output=True, text=True).stdout.strip() == "False"  # outside: a no-op


def test_unwritable_data_dir_runs_the_block_untracked(isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import aitrack

    blocked = isolated_home / "file-not-dir"
    blocked.write_text("")
    monkeypatch.setenv("AITRACK_HOME", str(blocked / "aitrack"))
    ran = []
    with aitrack.procedure("close-issue", issue_number=1) as p:
        p.log_metric("x", 1)
        p.log_param("y", 2)
        ran.append(True)
    assert ran == [True]
    assert capsys.readouterr().err.startswith("aitrack: procedure 'close-issue' not tracked:")
