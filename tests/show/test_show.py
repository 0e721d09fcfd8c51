"""`aitrack show` on real repositories and real session folders."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from aitrack.sessiondir import write_meta
from aitrack.cli import main
from aitrack.commands.show import play
from aitrack.parse.record import Command, Metrics, Session
from aitrack.paths import ensure_private_dir, session_dir
from aitrack.vcs.hooks import install_repo
from aitrack.vcs.notes import write_notes

from vcs.conftest import Repo, make_repo  # tests/ is on sys.path (rootdir of the test packages)


def new_session(sid: str, repo: Repo, *, ended: bool = True, record: bool = True, run: bool = True) -> Path:
    folder = ensure_private_dir(session_dir(sid))
    now = time.time()
    meta: dict[str, Any] = {"id": sid, "argv": ["claude", "close-issue 583"], "tool": "claude", "provider": "claude_code",
                            "cwd": str(repo.root), "git_root": str(repo.root.resolve()), "started_at": "2026-11-27T03:00:00.000Z",
                            "started_at_epoch": now - 300}
    if ended:
        meta.update(ended_at="2026-11-27T03:04:12.000Z", ended_at_epoch=now + 5, exit_code=0)
    write_meta(folder, meta)
    if record:
        s = Session(provider="claude_code", prompts=["close-issue 583\nwith details on line two", "now run the tests"],
                    commands=[Command("pytest -q", exit_code=1, is_error=True), Command("ls", exit_code=0)],
                    files=["app/login.py", "tests/test_login.py"], models=["claude-sonnet-4-5"],
                    metrics=Metrics(input_tokens=12345, output_tokens=678, duration_seconds=252.0, commands_executed=2),
                    tool_version="2.0.14")
        rec = s.to_dict() | {"session_id": sid, "meta": meta, "exit_code": 0, "issue_numbers": [583],
                             "started_at": meta["started_at"], "commits": [{"sha": repo.head(), "repo": str(repo.root), "subject": repo.message().splitlines()[0]}]}
        (folder / "session.json").write_text(json.dumps(rec))
        (folder / "transcript.txt").write_text("$ pytest -q\n1 failed\n")
    if run:
        (folder / "run.json").write_text(json.dumps({"run_id": "abc123", "tracking_uri": "sqlite:///x.db",
                                                     "run_url": "http://127.0.0.1:5000/#/experiments/1/runs/abc123"}))
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    r = make_repo(tmp_path / "my repo")
    install_repo(r.root)
    return r


def session_env(sid: str) -> dict[str, str]:
    return {"AITRACK_SESSION_ID": sid, "AITRACK_SESSION_DIR": str(session_dir(sid))}


def run_show(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = main(["show", *args])
    return rc, capsys.readouterr().out


SID = "20261127T030000000Z-abcdef"


def test_text_output_from_a_local_record(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    ensure_private_dir(session_dir(SID))
    repo.commit("Fix login (#583)", env=session_env(SID))
    new_session(SID, repo)
    rc, out = run_show("HEAD", "--repo", str(repo.root), capsys=capsys)
    assert rc == 0
    for expected in ("claude_code 2.0.14", "found by trailer", "close-issue 583", "now run the tests",
                     "2 run, 1 failed", "✘ pytest -q  (exit 1)", "✔ ls", "app/login.py", "#583",
                     "claude-sonnet-4-5", "tokens in 12k / out 678", "4m12s", "exit 0", "http://127.0.0.1:5000/#/experiments/1/runs/abc123"):
        assert expected in out, expected
    assert "with details on line two" not in out  # prompts: first lines only
    assert f"{repo.head()[:12]} Fix login (#583) ←" in out


def test_json_output(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("work", env=session_env(SID))
    new_session(SID, repo)
    rc, out = run_show("--json", "--repo", str(repo.root), capsys=capsys)
    data = json.loads(out)
    assert rc == 0 and data["commit"] == repo.head()
    (s,) = data["sessions"]
    assert s["session_id"] == SID and s["provider"] == "claude_code" and s["run_id"] == "abc123"
    assert s["tracking_uri"] == "sqlite:///x.db" and s["issue_numbers"] == [583]
    assert s["metrics"]["input_tokens"] == 12345 and s["commands"][0]["is_error"] is True
    assert s["commits"][0]["sha"] == repo.head() and s["prompts"][0].startswith("close-issue")


def test_a_local_runs_url_names_the_port_the_ui_runs_on_now(repo: Repo, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from aitrack.store.server import write_state

    repo.commit("work", env=session_env(SID))
    folder = new_session(SID, repo)
    run = json.loads((folder / "run.json").read_text()) | {"experiment_id": "7"}
    (folder / "run.json").write_text(json.dumps(run))
    rc, out = run_show("--repo", str(repo.root), capsys=capsys)
    assert "http://127.0.0.1:5000/#/experiments/7/runs/abc123  (start the UI first: aitrack ui)" in out
    ui = subprocess.Popen(["bash", "-c", "exec -a mlflow-server sleep 60"])  # what read_state recognises
    try:
        cmdline = Path(f"/proc/{ui.pid}/cmdline")
        for _ in range(500):  # until bash has exec'ed: before that the pid is still `bash -c …`
            if cmdline.read_bytes().startswith(b"mlflow-server"):
                break
            time.sleep(0.01)
        write_state({"pid": ui.pid, "port": 5057})
        rc, out = run_show("--repo", str(repo.root), capsys=capsys)
        assert "run       http://127.0.0.1:5057/#/experiments/7/runs/abc123\n" in out
        rc, out = run_show("--json", "--repo", str(repo.root), capsys=capsys)
        assert json.loads(out)["sessions"][0]["run_url"] == "http://127.0.0.1:5057/#/experiments/7/runs/abc123"
    finally:
        ui.kill()
        ui.wait()


def test_commit_without_a_session(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("by hand")
    rc, out = run_show("--repo", str(repo.root), capsys=capsys)
    assert rc == 1 and "no aitrack session" in out
    rc, out = run_show("--json", "--repo", str(repo.root), capsys=capsys)
    assert rc == 1 and json.loads(out)["sessions"] == []


def test_bad_revision_and_not_a_repository(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("x")
    assert main(["show", "nope", "--repo", str(repo.root)]) == 1
    assert "'nope' is not a commit" in capsys.readouterr().err
    (tmp_path / "plain").mkdir()
    assert main(["show", "--repo", str(tmp_path / "plain")]) == 1
    assert "not inside a git repository" in capsys.readouterr().err
    assert main(["show", "--speed", "0", "--repo", str(repo.root)]) == 1


def test_squash_shows_each_session(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    other = "20261127T031500000Z-123456"
    repo.commit("base", env={"AITRACK_SESSION_ID": ""})
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit("one", env=session_env(SID))
    repo.commit("two", env=session_env(other))
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--squash", "topic")
    repo.git("commit", "-q", "--no-edit", env={"AITRACK_SESSION_ID": ""})  # message quotes both, indented
    new_session(SID, repo)
    new_session(other, repo, run=False)
    rc, out = run_show("--json", "--repo", str(repo.root), capsys=capsys)
    assert rc == 0
    assert sorted(s["session_id"] for s in json.loads(out)["sessions"]) == [SID, other]
    rc, out = run_show("--repo", str(repo.root), capsys=capsys)
    assert out.count("session 2026") == 2 and "not logged yet" in out


def test_note_when_there_is_no_trailer(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("no verify", "--no-verify", env={"AITRACK_SESSION_ID": ""})
    write_notes([{"sha": repo.head(), "repo": str(repo.root)}],
                {"session_id": SID, "provider": "aider", "run_id": "r9", "tracking_uri": "http://team:5000"})
    rc, out = run_show("--json", "--repo", str(repo.root), capsys=capsys)
    (s,) = json.loads(out)["sessions"]
    assert (s["found_by"], s["source"], s["provider"], s["run_id"]) == ("note", "note", "aider", "r9")


def test_journal_index_when_trailer_and_note_are_missing(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    ensure_private_dir(session_dir(SID))
    repo.commit("sneaky", "--no-verify", env=session_env(SID))  # post-commit still journals it
    new_session(SID, repo, record=False, ended=False)
    rc, out = run_show("--json", "--repo", str(repo.root), capsys=capsys)
    (s,) = json.loads(out)["sessions"]
    assert (s["found_by"], s["source"]) == ("journal", "meta")
    assert s["commits"][0]["sha"] == repo.head()
    assert not (session_dir(SID) / "session.json").exists()  # a running session gets no record
    # a later session's journal reaches the cached index too
    later = "20261127T050000000Z-fedcba"
    ensure_private_dir(session_dir(later))
    repo.commit("later", "--no-verify", env=session_env(later))
    new_session(later, repo, record=False, ended=False)
    rc, out = run_show("--json", "--repo", str(repo.root), capsys=capsys)
    assert [s["session_id"] for s in json.loads(out)["sessions"]] == [later]


def test_transcript_and_replay(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("work", env=session_env(SID))
    folder = new_session(SID, repo)
    rc, out = run_show("--transcript", "--repo", str(repo.root), capsys=capsys)
    assert rc == 0 and "1 failed" in out
    (folder / "output.raw").write_bytes(b"\x1b[31mred\x1b[0m and more")
    (folder / "timing").write_text("O 0.5 12\nS 0.25 SIGWINCH ROWS=10 COLS=20\nO 1.0 4\n")
    written: list[bytes] = []
    slept: list[float] = []
    play(folder, 2.0, written.append, slept.append)
    assert written == [b"\x1b[31mred\x1b[0m", b" and", b" more"] and slept == [0.25, 0.125, 0.5]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    res = subprocess.run([sys.executable, "-m", "aitrack", "show", "--replay", "--speed", "1000", "--repo", str(repo.root)],
                         capture_output=True, env=env)
    assert res.returncode == 0 and res.stdout == b"\x1b[31mred\x1b[0m and more"


def test_no_mlflow_import_with_a_local_record(repo: Repo) -> None:
    repo.commit("work", env=session_env(SID))
    new_session(SID, repo)
    code = ("import sys; from aitrack.cli import main; rc = main(['show', '--repo', sys.argv[1]]);"
            "sys.stderr.write('MLFLOW' if any(m.split('.')[0] == 'mlflow' for m in sys.modules) else 'CLEAN'); sys.exit(rc)")
    res = subprocess.run([sys.executable, "-c", code, str(repo.root)], capture_output=True, text=True)
    assert res.returncode == 0 and res.stderr.endswith("CLEAN"), res.stderr


def test_record_built_from_meta_by_the_ingest_local_stage(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    ensure_private_dir(session_dir(SID))
    repo.commit("Fixes #77", env=session_env(SID))
    new_session(SID, repo, record=False, run=False)
    rc, out = run_show("--json", "--repo", str(repo.root), capsys=capsys)
    (s,) = json.loads(out)["sessions"]
    assert rc == 0 and s["source"] == "local"
    assert (session_dir(SID) / "session.json").exists()
    assert repo.head() in [c["sha"] for c in s["commits"]] and 77 in s["issue_numbers"]


def test_show_from_a_worktree_and_detached_head(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("base", env={"AITRACK_SESSION_ID": ""})
    wt = tmp_path / "linked tree"
    repo.git("worktree", "add", "-q", "--detach", str(wt))
    Repo(wt).commit("from wt", env=session_env(SID))
    new_session(SID, Repo(wt))
    rc, out = run_show("--repo", str(wt), capsys=capsys)
    assert rc == 0 and SID in out


def test_no_local_folder_fetches_the_record_from_the_tracking_store(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    """Another clone, or a purged folder: the run logged by the real pipeline answers."""
    import shutil

    from aitrack.ingest.pipeline import ingest_one
    from aitrack.store.mlflow_store import MlflowStore

    ensure_private_dir(session_dir(SID))
    repo.commit("Fix login", env=session_env(SID))
    folder = new_session(SID, repo, run=False)
    run, _ = ingest_one(folder, MlflowStore())
    shutil.rmtree(folder)
    repo.git("update-ref", "-d", "refs/notes/aitrack")  # only the trailer is left
    rc, out = run_show("--json", "--repo", str(repo.root), capsys=capsys)
    (s,) = json.loads(out)["sessions"]
    assert rc == 0 and (s["found_by"], s["source"]) == ("trailer", "store")
    assert s["run_id"] == run["run_id"] and s["prompts"][0].startswith("close-issue 583")


def test_end_to_end_through_the_wrapper(repo: Repo, tmp_path: Path) -> None:
    """`aitrack run` in a real PTY: env → hooks → trailer + journal → `show HEAD`."""
    import pexpect

    exe = Path(sys.executable).with_name("aitrack")
    env = {**os.environ, "AITRACK_INGEST": "0"}
    script = "git commit -q --allow-empty -m 'close-issue 583: fix login'; echo done; exit 3"
    child = pexpect.spawn(str(exe), ["run", "sh", "-c", script], cwd=str(repo.root), env=env, timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    res = subprocess.run([str(exe), "show", "--json"], cwd=repo.root, capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    (s,) = json.loads(res.stdout)["sessions"]
    assert s["found_by"] == "trailer" and s["exit_code"] == 3
    assert repo.head() in [c["sha"] for c in s["commits"]] and 583 in s["issue_numbers"]


def test_transcript_goes_through_the_pager_on_a_terminal(repo: Repo) -> None:
    import pexpect

    repo.commit("work", env=session_env(SID))
    new_session(SID, repo)
    env = {**os.environ, "PAGER": "sed s/^/PAGED:/"}
    child = pexpect.spawn(str(Path(sys.executable).with_name("aitrack")), ["show", "--transcript"],
                          cwd=str(repo.root), env=env, timeout=30)
    child.expect("PAGED:1 failed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
