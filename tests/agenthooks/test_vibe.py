"""Mistral Vibe's hook: named `[[hooks]]` tables in ~/.vibe/hooks.toml and GIT_CONFIG_PARAMETERS
in ~/.vibe/.env, both given back byte for byte. Vibe has no session start or end event: the first
of its events starts the session (once, however many come at once), dated from the agent's process
start; the exit watcher ends it. Its hooks run in its vibe-app-server child, under `sh -c`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from aitrack.agenthooks import manage
from aitrack.agenthooks.hookfs import started_epoch
from aitrack.agenthooks.specs import SPECS, hook_command
from aitrack.sessiondir import read_meta

VIBE_PYTHON = Path("/opt/aitrack-e2e/vibe/bin/python")  # tests/e2e/install-clis.sh
HOOKS = '''# my hooks
[[hooks]]
name = "lint"
type = "post_agent"
command = "ruff check ."
'''
DOTENV = "MISTRAL_API_KEY=sk-mine\n"
SID = "f0263228-4099-aa05-c381-a325fb48f2a2"


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("VIBE_HOME", raising=False)
    monkeypatch.setenv("AITRACK_INGEST", "0")
    folder = isolated_home / ".vibe"
    folder.mkdir()
    (folder / "hooks.toml").write_text(HOOKS)
    (folder / ".env").write_text(DOTENV)
    return folder


def test_install_adds_named_tables_and_the_env_and_uninstall_gives_both_back(home: Path) -> None:
    spec = SPECS["vibe"]
    assert manage.status(spec).state == "missing"
    assert manage.install(spec).status == "installed"
    command = hook_command("vibe")
    hooks = tomllib.loads((home / "hooks.toml").read_text())["hooks"]
    assert hooks == [{"name": "lint", "type": "post_agent", "command": "ruff check ."},
                     *({"name": f"aitrack-{t}", "type": t, "command": command, "timeout": 10}
                       for t in ("pre_tool", "post_tool", "post_agent"))]
    env = (home / ".env").read_text()
    assert env.startswith(DOTENV) and "GIT_CONFIG_PARAMETERS=" in env
    assert manage.status(spec).state == "installed"
    assert manage.install(spec).status == "already"
    assert manage.uninstall(spec).status == "removed"
    assert ((home / "hooks.toml").read_text(), (home / ".env").read_text()) == (HOOKS, DOTENV)


def test_a_dotenv_that_sets_git_config_leaves_both_files_alone(home: Path) -> None:
    (home / ".env").write_text(DOTENV + "GIT_CONFIG_PARAMETERS='core.pager=less'\n")
    res = manage.install(SPECS["vibe"])
    assert res.status == "left-alone" and "GIT_CONFIG_PARAMETERS" in res.detail, res
    assert (home / "hooks.toml").read_text() == HOOKS


@pytest.mark.skipif(not VIBE_PYTHON.exists(), reason="Mistral Vibe not installed (tests/e2e/install-clis.sh)")
def test_vibe_reads_our_entries_without_an_issue(home: Path, isolated_home: Path) -> None:
    """Vibe's own loader, strict: every field ours, the names unique; its .env parser reads the
    value git gets."""
    manage.install(SPECS["vibe"])
    probe = ("import json, sys; from pathlib import Path; from dotenv import dotenv_values; "
             "from vibe.core.hooks.config import load_hooks_file; r = load_hooks_file(Path(sys.argv[1]), strict=True); "
             "print(json.dumps([[h.name, str(h.type), h.command] for h in r.hooks] + [[i.message for i in r.issues]] "
             "+ [dotenv_values(sys.argv[2])['GIT_CONFIG_PARAMETERS']]))")
    out = subprocess.run([str(VIBE_PYTHON), "-c", probe, str(home / "hooks.toml"), str(home / ".env")],
                         capture_output=True, text=True, timeout=120, env={"HOME": str(isolated_home)}, check=True)
    *hooks, issues, param = json.loads(out.stdout)
    assert issues == [] and [h[:2] for h in hooks] == [["lint", "post_agent"], ["aitrack-pre_tool", "pre_tool"],
                                                     ["aitrack-post_tool", "post_tool"], ["aitrack-post_agent", "post_agent"]]
    git = subprocess.run(["git", "config", "core.hooksPath"], capture_output=True, text=True,
                         env={**os.environ, "GIT_CONFIG_PARAMETERS": param})
    assert git.stdout.strip().endswith("session-hooks"), git.stderr


# The agent's process tree as Vibe's is: `vibe` (vibe-rs) → vibe-app-server → sh -c <hook>.
AGENT = '''import subprocess, sys
for line in sys.stdin:
    paths = line.split()
    runs = [subprocess.Popen([sys.argv[1], p]) for p in paths]  # at once: parallel tool calls
    for r in runs:
        r.wait()
    print("done", flush=True)
'''
RUNNER = '''import subprocess, sys
with open(sys.argv[1], "rb") as fh:
    subprocess.run(["/bin/sh", "-c", {command!r}], stdin=fh)
'''


def _script(path: Path, text: str) -> Path:
    path.write_text(f"#!{sys.executable}\n{text}")  # run by its own name: /proc/<pid>/comm says so
    path.chmod(0o755)
    return path


class Agent:
    """A process tree as Vibe's: `vibe` → its vibe-app-server child → `sh -c <hook>`, fed events."""

    def __init__(self, tmp_path: Path, repo: Path, home: Path) -> None:
        self.tmp, self.repo, self.home, self.count = tmp_path, repo, home, 0
        script = _script(tmp_path / "vibe", AGENT)
        self.runner = _script(tmp_path / "vibe-app-server", RUNNER.format(command=hook_command("vibe")))
        self.proc = subprocess.Popen([str(script), str(self.runner)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)

    def send(self, sid: str, *names: str) -> None:
        """Events of session `sid`, all at once."""
        paths = []
        for name in names:
            self.count += 1
            path = self.tmp / f"event-{self.count}.json"
            path.write_text(json.dumps({"hook_event_name": name, "session_id": sid, "cwd": str(self.repo),
                                        "transcript_path": f"{self.home}/logs/session/unified/{sid}",
                                        "parent_session_id": None}))
            paths.append(str(path))
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(" ".join(paths) + "\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline() == "done\n"

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


def _folders(isolated_home: Path) -> list[Path]:
    return sorted((isolated_home / ".local/share/aitrack/sessions").iterdir())


def _wait_ended(folder: Path) -> None:
    deadline = time.time() + 30
    while read_meta(folder).ended_at is None and time.time() < deadline:
        time.sleep(0.1)


def test_the_first_events_start_one_session_dated_from_the_agents_start(home: Path, tmp_path: Path,
                                                                        isolated_home: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    agent = Agent(tmp_path, repo, home)
    try:
        began = started_epoch(agent.proc.pid)
        time.sleep(1.2)  # the session's start is the agent's, not its first event's
        agent.send(SID, *["pre_tool"] * 8)  # parallel tool calls: their hooks at once
        agent.send(SID, "post_tool")
        agent.send(SID, "post_agent")
        [folder] = _folders(isolated_home)
        meta = json.loads((folder / "meta.json").read_text())
        assert meta["agent_session_id"] == SID and meta["pid"] == agent.proc.pid and meta["captured_by"] == "hook"
        assert meta["argv"] == ["vibe", str(agent.runner)] and meta["cwd"] == str(repo)
        assert began is not None and abs(meta["started_at_epoch"] - began) < 0.05
        assert meta["turn_ended_at"] and meta["ended_at"] is None
        index = isolated_home / ".local/share/aitrack/agent-sessions" / f"pid-{agent.proc.pid}"
        assert index.read_text().strip() == folder.name  # how its git commands' hooks find it
    finally:
        agent.stop()
    _wait_ended(folder)
    ended = read_meta(folder)
    assert ended.ended_at is not None and ended.exit_code == 0  # a turn completed, then it exited
    assert not index.exists()


def test_a_second_session_in_the_same_process_ends_the_first_at_its_last_turn(home: Path, tmp_path: Path,
                                                                              isolated_home: Path) -> None:
    """`/clear` (or a new session) in one Vibe TUI: a new session id from the same process. The
    first session is over at its last turn's end, where the second begins: no shared window."""
    repo = tmp_path / "repo"
    repo.mkdir()
    agent = Agent(tmp_path, repo, home)
    other = "a1b2c3d4-0000-4000-8000-000000000001"
    try:
        agent.send(SID, "pre_tool")
        agent.send(SID, "post_agent")
        time.sleep(0.5)
        agent.send(other, "post_agent")
        first, second = (json.loads((f / "meta.json").read_text()) for f in _folders(isolated_home))
        assert (first["agent_session_id"], second["agent_session_id"]) == (SID, other)
        assert first["end_reason"] == "a new session began" and first["exit_code"] == 0
        assert abs(first["ended_at_epoch"] - second["started_at_epoch"]) < 0.001
        assert first["started_at_epoch"] < first["ended_at_epoch"] < time.time() - 0.4  # at its turn's end
        index = isolated_home / ".local/share/aitrack/agent-sessions" / f"pid-{agent.proc.pid}"
        assert index.read_text().strip() == second["id"]
    finally:
        agent.stop()
    _wait_ended(_folders(isolated_home)[1])
    assert read_meta(_folders(isolated_home)[1]).exit_code == 0
