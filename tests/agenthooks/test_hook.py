"""The hook command as an agent runs it: a real process fed the hook's JSON, a real git repository,
a real bash sourcing what the hook left in $CLAUDE_ENV_FILE (as Claude Code does before each Bash
command), a real `git commit` through the session's hooks."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aitrack.agenthooks.specs import hook_command
from aitrack.sessiondir import read_meta

SID = "1fbb2ad1-4711-4aca-8985-2151ccd17ca2"


@pytest.fixture(autouse=True)
def no_agent_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("CLAUDE_CONFIG_DIR", "CLAUDE_ENV_FILE", "CLAUDE_PID", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AITRACK_INGEST", "0")  # the worker is tested elsewhere; here only the folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for args in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "Initial"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def run_hook(event: dict[str, object], env: dict[str, str] | None = None, agent: str = "claude",
             stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    cmd = hook_command(agent)
    data = stdin if stdin is not None else json.dumps(event).encode()
    return subprocess.run(cmd, shell=True, input=data, capture_output=True, timeout=30,
                          env={**os.environ, **(env or {})})


def sessions(home: Path) -> list[Path]:
    base = home / ".local" / "share" / "aitrack" / "sessions"
    return sorted(base.iterdir()) if base.is_dir() else []


def start_event(repo: Path, **extra: object) -> dict[str, object]:
    return {"session_id": SID, "transcript_path": f"/nowhere/{SID}.jsonl", "cwd": str(repo),
            "hook_event_name": "SessionStart", "source": "startup", **extra}


def test_start_records_a_session_and_the_agents_commits_are_linked(isolated_home: Path, repo: Path,
                                                                   tmp_path: Path) -> None:
    env_file = tmp_path / "sessionstart-hook-0.sh"
    agent = subprocess.Popen(["sleep", "60"])  # stands for the agent's process (CLAUDE_PID)
    try:
        res = run_hook(start_event(repo), {"CLAUDE_ENV_FILE": str(env_file), "CLAUDE_PID": str(agent.pid)})
        assert res.returncode == 0 and res.stdout == b"" and res.stderr == b""
        [folder] = sessions(isolated_home)
        meta = json.loads((folder / "meta.json").read_text())
        assert (meta["mode"], meta["captured_by"], meta["provider"]) == ("hook", "hook", "claude_code")
        assert meta["agent_session_id"] == SID and meta["transcript_path"] == f"/nowhere/{SID}.jsonl"
        assert meta["cwd"] == str(repo) and meta["git_root"] == os.path.realpath(repo)
        assert meta["pid"] == agent.pid and meta["argv"] == ["claude", "60"] and meta["ended_at"] is None

        # Claude Code sources the file before each Bash command: the agent's commit gets the trailer.
        script = f'. {env_file} && echo x > f.txt && git add f.txt && git commit -q -m "Agent work"'
        subprocess.run(["bash", "-c", script], cwd=repo, check=True, capture_output=True)
        message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo, capture_output=True,
                                 text=True, check=True).stdout
        assert f"Aitrack-Session: {folder.name}" in message
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
        assert (folder / "commits").read_text().split("\t")[1] == head

        # A second SessionStart of the same agent session (/compact) keeps the one folder.
        run_hook(start_event(repo, source="compact"), {"CLAUDE_ENV_FILE": str(env_file)})
        assert sessions(isolated_home) == [folder]

        res = run_hook({**start_event(repo), "hook_event_name": "SessionEnd", "reason": "prompt_input_exit"})
        assert res.returncode == 0 and res.stdout == b""
        meta = json.loads((folder / "meta.json").read_text())
        assert meta["ended_at"] and meta["exit_code"] == 0 and meta["end_reason"] == "prompt_input_exit"
    finally:
        agent.kill()
        agent.wait()
    # Outside the session's environment the same repository runs no hook of ours.
    subprocess.run(["bash", "-c", 'echo y > g.txt && git add g.txt && git commit -q -m "By hand"'],
                   cwd=repo, check=True, capture_output=True)
    message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo, capture_output=True, text=True).stdout
    assert "Aitrack-Session" not in message
    assert not any("aitrack" in p.read_text(errors="replace") for p in (repo / ".git" / "hooks").iterdir())


def test_under_the_wrapper_it_stays_one_session(isolated_home: Path, repo: Path, tmp_path: Path) -> None:
    wrapper = tmp_path / "wrapper-session"
    wrapper.mkdir()
    env_file = tmp_path / "env.sh"
    env = {"AITRACK_SESSION_ID": "20261203T000000000Z-abcdef", "AITRACK_SESSION_DIR": str(wrapper),
           "CLAUDE_ENV_FILE": str(env_file)}
    assert run_hook(start_event(repo), env).returncode == 0
    assert run_hook({**start_event(repo), "hook_event_name": "SessionEnd"}, env).returncode == 0
    assert sessions(isolated_home) == []
    assert not env_file.exists()  # the wrapper's environment is already the session's
    note = json.loads((wrapper / "agent-hook.json").read_text())
    assert note == {"agent": "claude", "agent_session_id": SID, "transcript_path": f"/nowhere/{SID}.jsonl"}


@pytest.mark.parametrize("stdin", [b"", b"not json", b"[1, 2]", b'{"hook_event_name": "SessionStart", "cwd": 5}'])
def test_bad_input_never_fails_the_agent(isolated_home: Path, stdin: bytes) -> None:
    res = run_hook({}, stdin=stdin)
    assert (res.returncode, res.stdout, res.stderr) == (0, b"", b"")


def test_an_unwritable_data_dir_is_logged_not_shown(isolated_home: Path, repo: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    res = run_hook(start_event(repo), {"AITRACK_HOME": str(blocked / "aitrack")})
    assert (res.returncode, res.stdout, res.stderr) == (0, b"", b"")


def test_hook_imports_nothing_heavy(isolated_home: Path, repo: Path, tmp_path: Path) -> None:
    """-I -S and the stdlib-only capture/vcs modules: no click, mlflow or pathlib once the session-hooks
    folder exists (the first session writes it)."""
    env = {"CLAUDE_ENV_FILE": str(tmp_path / "env.sh")}
    run_hook(start_event(repo), env)
    cmd = hook_command("claude").replace(" -I -S ", " -I -S -X importtime ")
    res = subprocess.run(cmd, shell=True, input=json.dumps(start_event(repo, session_id="other")).encode(),
                         capture_output=True, timeout=30, env={**os.environ, **env})
    assert res.returncode == 0 and res.stdout == b""
    imported = {line.rsplit("|", 1)[-1].strip() for line in res.stderr.decode().splitlines() if "|" in line}
    assert "aitrack.capture.session" in imported  # it did record the second session
    assert not imported & {"click", "mlflow", "pathlib", "aitrack.vcs.hooks", "subprocess"}, sorted(imported)


def test_a_resumed_log_is_found_by_the_agent_session_id(isolated_home: Path, tmp_path: Path) -> None:
    """`claude --continue` from an IDE: the log began before this session; the hook's
    agent_session_id names it, as `--resume <id>` on a command line does."""
    import time

    from aitrack.parse.locate import find_agent_logs

    cwd = tmp_path / "proj"
    cwd.mkdir()
    logs = isolated_home / ".claude" / "projects" / str(cwd).replace("/", "-").replace("_", "-")
    logs.mkdir(parents=True)
    old = time.time() - 3 * 3600
    log = logs / f"{SID}.jsonl"
    lines = [{"type": "user", "cwd": str(cwd), "sessionId": SID, "message": {"role": "user", "content": "old"},
              "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))} for t in (old, time.time())]
    log.write_text("".join(json.dumps(r) + "\n" for r in lines))
    now = time.time()
    meta = {"provider": "claude_code", "tool": "claude", "cwd": str(cwd), "argv": ["claude", "--continue"],
            "started_at_epoch": now - 60, "ended_at_epoch": now + 1}
    assert find_agent_logs(meta) == []  # before: a log begun earlier is never this session's
    assert find_agent_logs({**meta, "agent_session_id": SID}) == [log]


def test_an_agent_killed_before_its_end_hook_is_logged_as_interrupted(isolated_home: Path, repo: Path) -> None:
    from aitrack.ingest import spool

    agent = subprocess.Popen(["sleep", "60"])
    run_hook(start_event(repo), {"CLAUDE_PID": str(agent.pid)})
    [folder] = sessions(isolated_home)
    assert spool.pending() == []  # the agent still runs: not over
    agent.kill()
    agent.wait()
    assert spool.pending() == [folder]
    assert read_meta(folder).ended_at is None  # interrupted, as a killed wrapper's session


def test_a_hook_session_is_followed_live(isolated_home: Path, repo: Path) -> None:
    """Live is on by default for a session the agent's own hook starts, as for a wrapped one: the
    updater runs for its folder while the agent does and stops when the agent is gone."""
    agent = subprocess.Popen(["sleep", "60"])  # stands for the agent's process (CLAUDE_PID)
    try:
        env = {"CLAUDE_PID": str(agent.pid), "AITRACK_LIVE_INTERVAL": "0.2"}
        res = run_hook(start_event(repo), {**env, "AITRACK_LIVE": "", "AITRACK_INGEST": "1"})  # no end: no ingest
        assert res.returncode == 0 and res.stdout == b""
        [folder] = sessions(isolated_home)
        assert _updaters(folder) != []
    finally:
        agent.kill()
        agent.wait()
    import time

    deadline = time.time() + 60
    while _updaters(folder) and time.time() < deadline:
        time.sleep(0.2)
    assert _updaters(folder) == []
    run_hook(start_event(repo, session_id="2" + SID[1:]), {"CLAUDE_PID": str(os.getpid())})  # AITRACK_LIVE=0 here
    [_, second] = sorted(sessions(isolated_home), key=lambda p: p.name)
    assert _updaters(second) == []


def _updaters(folder: Path) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"aitrack.live.worker" in cmd and str(folder).encode() in cmd:
            found.append(int(pid))
    return found


def test_openhands_names_its_event_and_cwd_its_own_way(isolated_home: Path, repo: Path, tmp_path: Path) -> None:
    """OpenHands' HookEvent: `event_type` and `working_dir` where the others say `hook_event_name`
    and `cwd`; the session is recorded in its working dir all the same, and ended by SessionEnd."""
    event = {"event_type": "SessionStart", "session_id": "5f0c0e3c9b1d4a3e8c7b6a5d4e3f2a1b", "working_dir": str(repo),
             "tool_name": None, "metadata": {}}
    res = run_hook(event, {"CLAUDE_PID": str(os.getpid())}, agent="openhands")
    assert res.returncode == 0 and res.stdout == b"", res.stderr
    [folder] = sessions(isolated_home)
    meta = read_meta(folder)
    assert (meta.cwd, meta.git_root, meta.provider) == (str(repo), str(repo), "openhands")
    assert json.loads((folder / "meta.json").read_text())["agent_session_id"] == event["session_id"]
    run_hook({**event, "event_type": "SessionEnd"}, {"CLAUDE_PID": str(os.getpid())}, agent="openhands")
    assert read_meta(folder).ended_at is not None


def test_droid_reads_the_env_file_into_its_own_environment_and_its_end_hook_still_ends_it(
        isolated_home: Path, repo: Path, tmp_path: Path) -> None:
    """Factory droid applies the start hook's `export K=V` lines to its own process (one pair of
    quotes stripped, no shell): its SessionEnd hook then runs with AITRACK_SESSION_ID set. That is
    the session this hook started, not a wrapper's: the end event ends it."""
    env_file = tmp_path / "droid-env.sh"
    res = run_hook(start_event(repo), {"CLAUDE_ENV_FILE": str(env_file), "CLAUDE_PID": str(os.getpid())}, agent="droid")
    assert res.returncode == 0 and res.stdout == b"", res.stderr
    [folder] = sessions(isolated_home)
    applied = {}
    for line in env_file.read_text().splitlines():  # droid's parser, as its bundled JS has it
        key, _, value = line.removeprefix("export ").partition("=")
        if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        applied[key] = value
    assert applied["AITRACK_SESSION_ID"] == folder.name
    git = subprocess.run(["git", "config", "core.hooksPath"], cwd=repo, capture_output=True, text=True,
                         env={**os.environ, "GIT_CONFIG_PARAMETERS": applied["GIT_CONFIG_PARAMETERS"]})
    assert git.returncode == 0 and git.stdout.strip().endswith("session-hooks"), git.stderr  # git reads it as a shell would
    run_hook({**start_event(repo), "hook_event_name": "SessionEnd", "reason": "other"},
             {**applied, "CLAUDE_PID": str(os.getpid())}, agent="droid")
    assert read_meta(folder).ended_at is not None
    assert not (folder / "agent-hook.json").exists()  # not taken for a wrapper's session
