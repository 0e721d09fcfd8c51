"""Team mode through real pieces on 127.0.0.1: PostgreSQL, `mlflow server` with proxied artifacts
and basic auth, the real wrapper in a PTY, git hooks, `aitrack sync`/`show`/`doctor` as processes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from aitrack.store.mapping import COMPLETE_TAG
from support import AITRACK, git as _git
from team.conftest import ADMIN, USERS, TeamServer

pytestmark = pytest.mark.server  # PostgreSQL and `mlflow server` with basic-auth (tests/team/conftest.py)

VENV_BIN = Path(sys.executable).parent
REFSPEC = "+refs/notes/aitrack:refs/notes/remotes/origin/aitrack"  # beside bob's own notes
AGENT = """#!/bin/sh
printf 'Working on %s\\n' "$1"
echo "$1" >> work.txt
git add work.txt
git commit -q -m "Work on $1"
echo more >> work.txt
git commit -q -a --no-verify -m "Follow-up without hooks"
printf 'done\\n'
"""


def aitrack(args: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AITRACK, *args], check=False, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def wrapped_session(env: dict[str, str], repo: Path, bin_dir: Path, prompt: str) -> Path:
    """A real session: the wrapper in a PTY runs a stand-in agent that commits twice (the second
    with --no-verify, so it carries no trailer and only the note links it). No detached ingest:
    the test syncs under each user's credentials itself."""
    bin_dir.mkdir(exist_ok=True)
    tool = bin_dir / "claude"
    tool.write_text(AGENT)
    tool.chmod(0o755)
    env = dict(env, PATH=f"{bin_dir}:{VENV_BIN}:{os.environ['PATH']}", TERM="xterm", AITRACK_INGEST="0")
    child = pexpect.spawn(str(VENV_BIN / "aitrack"), ["run", "claude", prompt], cwd=str(repo), env=env,
                          timeout=90, dimensions=(30, 100))
    child.expect("done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    sessions = Path(env["AITRACK_HOME"]) / "sessions"
    return max(sessions.iterdir(), key=lambda p: p.name)


def user_env(team: TeamServer, user: str, home: Path, **extra: str) -> dict[str, str]:
    env = team.env(user)
    env.update(AITRACK_HOME=str(home), GIT_AUTHOR_NAME=user, GIT_COMMITTER_NAME=user, **extra)
    return env


def test_two_users_one_experiment_and_show_across_machines(team: TeamServer, tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    _git(tmp_path, "clone", "-q", str(origin), "alice")
    alice_repo = tmp_path / "alice"
    # An hour old, so the session's reflog scan (by time window) never mistakes it for the agent's.
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "start"], cwd=alice_repo, check=True,
                   env=dict(os.environ, GIT_COMMITTER_DATE=f"@{int(time.time()) - 3600} +0000"))
    _git(alice_repo, "push", "-q", "origin", "main")

    # alice: credentials in the environment.
    alice = user_env(team, "alice", tmp_path / "alice-data")
    a_folder = wrapped_session(alice, alice_repo, tmp_path / "bin", "close-issue 7")
    res = aitrack(["sync"], alice)
    assert res.returncode == 0, res.stderr
    trailer_sha, note_sha = _git(alice_repo, "rev-parse", "HEAD~1"), _git(alice_repo, "rev-parse", "HEAD")
    assert f"Aitrack-Session: {a_folder.name}" in _git(alice_repo, "log", "-1", "--format=%B", trailer_sha)
    assert "Aitrack-Session" not in _git(alice_repo, "log", "-1", "--format=%B", note_sha)
    _git(alice_repo, "push", "-q", "origin", "main")
    res = aitrack(["notes", "sync"], alice, cwd=alice_repo)
    assert res.returncode == 0 and "pushed to origin" in res.stdout, res.stdout + res.stderr

    # bob, another machine: credentials in aitrack's config file (mode 0600), his own data dir.
    _git(tmp_path, "clone", "-q", str(origin), "bob")
    bob_repo = tmp_path / "bob"
    config = tmp_path / "bob-config.toml"
    config.write_text(f'tracking_uri = "{team.url}"\ntracking_username = "bob"\ntracking_password = "{USERS["bob"]}"\n')
    config.chmod(0o600)
    bob = user_env(team, "", tmp_path / "bob-data", AITRACK_CONFIG=str(config))
    del bob["MLFLOW_TRACKING_URI"]
    b_folder = wrapped_session(bob, bob_repo, tmp_path / "bin", "close-issue 8")
    res = aitrack(["sync"], bob)
    assert res.returncode == 0, res.stderr

    runs = {r.data.tags["aitrack.session_id"]: r for r in team.runs()}
    assert set(runs) == {a_folder.name, b_folder.name}
    assert {r.info.experiment_id for r in runs.values()} == {team.experiment_id}
    assert all(r.info.artifact_uri.startswith("mlflow-artifacts:") for r in runs.values())  # proxied
    assert any(team.artifacts.rglob("session.json"))
    assert runs[a_folder.name].data.params["issue_number"] == "7" and runs[b_folder.name].data.params["issue_number"] == "8"

    # No password anywhere we record: tags, params, run.json, notes.
    secrets = [*USERS.values(), ADMIN[1]]
    recorded = [json.dumps(r.data.tags) + json.dumps(r.data.params) for r in runs.values()]
    recorded += [(f / "run.json").read_text() for f in (a_folder, b_folder)]
    recorded += [_git(alice_repo, "notes", "--ref=refs/notes/aitrack", "show", sha) for sha in (trailer_sha, note_sha)]
    assert not [s for s in secrets for text in recorded if s in text]

    # bob shows alice's commits from his clone, after fetching the notes: no local record exists.
    _git(bob_repo, "config", "--add", "remote.origin.fetch", REFSPEC)
    _git(bob_repo, "fetch", "-q", "origin")
    assert not (tmp_path / "bob-data" / "sessions" / a_folder.name).exists()
    local = json.loads((a_folder / "session.json").read_text())  # what alice's machine holds
    for sha, found_by in ((trailer_sha, "trailer"), (note_sha, "note")):
        res = aitrack(["show", sha, "--json"], bob, cwd=bob_repo)
        assert res.returncode == 0, res.stderr
        view = json.loads(res.stdout)["sessions"][0]
        assert (view["session_id"], view["found_by"], view["source"]) == (a_folder.name, found_by, "store")
        assert view["run_id"] == runs[a_folder.name].info.run_id and view["issue_numbers"] == [7]
        assert (view["metrics"], view["started_at"]) == (local["metrics"], local["started_at"])
        assert {c["sha"] for c in view["commits"]} == {trailer_sha, note_sha}
    text = aitrack(["show", note_sha], bob, cwd=bob_repo)
    assert "record: store" in text.stdout and f"{team.url}/#/experiments/{team.experiment_id}/runs/" in text.stdout
    # Without MLFLOW_TRACKING_URI, the server the commit's note names is asked after the embedded store.
    unset = {k: v for k, v in bob.items() if k != "MLFLOW_TRACKING_URI"}
    res = aitrack(["show", note_sha, "--json"], unset, cwd=bob_repo)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["sessions"][0]["source"] == "store"

    # carol may not read the experiment: one clear line, no stack trace, exit 1.
    carol = user_env(team, "carol", tmp_path / "carol-data")
    res = aitrack(["show", trailer_sha], carol, cwd=bob_repo)
    assert "Traceback" not in res.stderr + res.stdout
    assert res.returncode == 1
    assert "'carol' has no permission on experiment 'ai-sessions' (HTTP 403)" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("who", ["wrong password", "no permission", "no credentials"])
def test_refused_sync_is_one_line_and_the_session_stays_queued(team: TeamServer, tmp_path: Path, who: str) -> None:
    from ingest.kit import make_session

    home = tmp_path / "data"
    os.environ["AITRACK_HOME"] = str(home)  # make_session writes under the data dir of this process
    try:
        folders = [make_session(tool="codex", argv=["codex", f"close-issue {i}"], raw=b"$ ls\r\nREADME\r\n") for i in range(2)]
    finally:
        del os.environ["AITRACK_HOME"]
    env = {"wrong password": lambda: team.env("alice", "not-alices-password"),
           "no permission": lambda: team.env("carol"), "no credentials": lambda: team.env(None)}[who]()
    env["AITRACK_HOME"] = str(home)
    res = aitrack(["sync"], env)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    status = "HTTP 403" if who == "no permission" else "HTTP 401"
    refused = [line for line in res.stderr.splitlines() if status in line]
    assert len(refused) == 1, res.stderr  # the first session says why; the rest is left queued untouched
    assert "refused access; 1 more left queued" in res.stderr and "stay queued" in res.stderr
    for secret in (*USERS.values(), "not-alices-password"):
        assert secret not in res.stderr + res.stdout
    state = json.loads((folders[0] / "ingest.json").read_text())
    assert state["attempts"] == 1 and status in state["last_error"]
    assert not any((f / "run.json").exists() for f in folders)

    res = aitrack(["sync"], dict(team.env("alice"), AITRACK_HOME=str(home)))  # fixed: both logged now
    assert res.returncode == 0, res.stderr
    logged = {r.data.tags["aitrack.session_id"] for r in team.runs()}
    assert {f.name for f in folders} <= logged


def test_postgres_restart_mid_sync_loses_and_duplicates_nothing(team: TeamServer, tmp_path: Path) -> None:
    from ingest.kit import make_session, pty_capture

    home = tmp_path / "data"
    os.environ["AITRACK_HOME"] = str(home)
    try:
        raw = pty_capture("printf '$ pytest\\n3 passed\\n'")
        folders = [make_session(tool="claude", argv=["claude", f"close-issue {100 + i}"], raw=raw, duration=40)
                   for i in range(8)]
    finally:
        del os.environ["AITRACK_HOME"]
    env = dict(team.env("alice"), AITRACK_HOME=str(home))
    sync = subprocess.Popen([*AITRACK, "sync"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert sync.stdout is not None
    logged = 0
    for line in sync.stdout:
        if ": logged" in line:
            logged += 1
            if logged == 2:
                assert sync.poll() is None  # six sessions still to go: the database leaves mid-sync
                team.pg.restart(pause=2.0)  # fast shutdown: every open connection is cut
                break
    sync.communicate(timeout=300)
    for _ in range(3):  # what failed while the database was away stays queued; sync again
        if all((f / "run.json").exists() for f in folders):
            break
        aitrack(["sync"], env)
        time.sleep(1)
    assert all((f / "run.json").exists() for f in folders)
    runs = [r for r in team.runs() if r.data.tags["aitrack.session_id"] in {f.name for f in folders}]
    ids = sorted(r.data.tags["aitrack.session_id"] for r in runs)
    assert ids == sorted(f.name for f in folders)  # each session exactly once
    client = team.admin_client()
    for run in runs:
        assert run.data.tags.get(COMPLETE_TAG) == "true" and run.info.status == "FINISHED"
        assert run.data.params["issue_number"].startswith("10")
        path = client.download_artifacts(run.info.run_id, "session.json", str(tmp_path))
        assert json.loads(Path(path).read_text())["session_id"] == run.data.tags["aitrack.session_id"]


def test_doctor_checks_server_credentials_permission_and_notes_refspec(team: TeamServer, tmp_path: Path) -> None:
    origin, repo = tmp_path / "origin.git", tmp_path / "clone"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    _git(tmp_path, "clone", "-q", str(origin), str(repo))

    def doctor(env: dict[str, str]) -> str:
        res = aitrack(["doctor", "--repo", str(repo)], dict(env, AITRACK_HOME=str(tmp_path / "data"), AITRACK_TOOLS="true"))
        assert "Traceback" not in res.stdout + res.stderr
        for secret in (*USERS.values(), "wrong-password-here"):
            assert secret not in res.stdout + res.stderr
        return res.stdout

    out = doctor(team.env("alice"))
    assert f"✔ store: {team.url} answers" in out or f"store: {team.url} answers" in out
    assert "signed in as alice (environment)" in out
    assert "experiment 'ai-sessions': id" in out and "permission EDIT (can log and show sessions)" in out
    assert "notes: `git fetch origin` skips refs/notes/aitrack" in out
    assert "fix: git config --add remote.origin.fetch '+refs/notes/aitrack:refs/notes/remotes/origin/aitrack'" in out

    _git(repo, "config", "--add", "remote.origin.fetch", REFSPEC)
    out = doctor(team.env("carol"))
    assert "signed in as carol" in out and "experiment 'ai-sessions': no permission to read it" in out
    assert "ask an MLflow admin to grant carol EDIT" in out
    assert "notes: `git fetch origin` brings teammates' notes beside yours" in out

    out = doctor(team.env("alice", "wrong-password-here"))
    assert f"credentials: {team.url} rejects user 'alice' (environment)" in out
    out = doctor(team.env(None))
    assert f"credentials: {team.url} requires a login and none is set" in out
