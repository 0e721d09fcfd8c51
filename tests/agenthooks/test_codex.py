"""Codex: hooks.json, its trust and the shell environment in config.toml; commits found by CODEX_THREAD_ID."""
from __future__ import annotations

import json
import os
import subprocess
import tomllib
from pathlib import Path

import pytest

from aitrack.agenthooks import codex_toml, manage
from aitrack.agenthooks.specs import SPECS, hook_command
from aitrack.vcs.sessionhooks import session_hooks_folder

CODEX = SPECS["codex"]
USER_TOML = '''model = "gpt-5.5"   # the user's own comment stays
approval_policy = "on-request"

[shell_environment_policy]
inherit = "core"

[projects."/src/app"]
trust_level = "trusted"
'''
USER_HOOKS = '{\n  "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]}\n}\n'


@pytest.fixture(autouse=True)
def no_agent_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("CODEX_HOME", "CODEX_THREAD_ID", "GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def codex_home(isolated_home: Path) -> Path:
    home = isolated_home / ".codex"
    home.mkdir()
    (home / "config.toml").write_text(USER_TOML)
    (home / "hooks.json").write_text(USER_HOOKS)
    return home


def test_trust_hash_is_the_one_codex_wrote() -> None:
    """Pressing `t` in Codex 0.171's /hooks view for `/tmp/hk/dump.sh SessionStart` (no timeout) wrote
    this trusted_hash into config.toml; ours must be the same, or Codex never runs the hook."""
    handler = {"type": "command", "command": "/tmp/hk/dump.sh SessionStart"}
    assert codex_toml.trust_hash("SessionStart", handler) == \
        "sha256:58481aec045ec69a59a0143575ee3e3ea53e7ddf404a7664380e4bc0b9874597"
    handler = {"type": "command", "command": "/tmp/hk/dump.sh Stop"}
    assert codex_toml.trust_hash("Stop", handler) == \
        "sha256:4b4b9dc481a8dddd08b10184ae1537b9bd84e68f148ff491419c852764696228"


def test_install_trusts_our_entries_and_uninstall_gives_both_files_back(codex_home: Path) -> None:
    before = {p: p.read_bytes() for p in codex_home.iterdir()}
    assert manage.install(CODEX).status == "installed"
    hooks = json.loads((codex_home / "hooks.json").read_text())
    assert hooks["hooks"]["Stop"][0]["hooks"][0]["command"] == "notify-send done"  # the user's first
    ours = hooks["hooks"]["Stop"][1]["hooks"][0]
    assert ours["command"] == hook_command("codex")
    config = tomllib.loads((codex_home / "config.toml").read_text())
    assert config["model"] == "gpt-5.5" and config["shell_environment_policy"]["inherit"] == "core"
    assert config["shell_environment_policy"]["set"] == {
        "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "core.hooksPath", "GIT_CONFIG_VALUE_0": session_hooks_folder()}
    key = f"{os.path.realpath(codex_home / 'hooks.json')}:stop:1:0"  # our group is the event's second
    assert config["hooks"]["state"][key]["trusted_hash"] == codex_toml.trust_hash("Stop", ours)
    assert manage.status(CODEX).state == "installed"

    assert manage.install(CODEX).status == "already"
    assert manage.uninstall(CODEX).status == "removed"
    assert {p: p.read_bytes() for p in codex_home.iterdir()} == before


def test_trust_missing_is_reported(codex_home: Path) -> None:
    manage.install(CODEX)
    config = codex_home / "config.toml"
    config.write_text(codex_toml.without_block(config.read_text()))
    st = manage.status(CODEX)
    assert st.state == "missing" and "not trusted" in st.detail


def test_a_clashing_config_is_left_alone_with_nothing_half_done(codex_home: Path) -> None:
    (codex_home / "config.toml").write_text(USER_TOML + '\n[shell_environment_policy.set]\nFOO = "1"\n')
    before = {p: p.read_bytes() for p in codex_home.iterdir()}
    res = manage.install(CODEX)
    assert res.status == "left-alone" and "clash" in res.detail
    assert {p: p.read_bytes() for p in codex_home.iterdir()} == before
    (codex_home / "config.toml").write_text("model = \n")
    res = manage.install(CODEX)
    assert res.status == "left-alone" and "not valid TOML" in res.detail


def test_a_codex_sessions_commit_gets_the_trailer_by_its_thread_id(codex_home: Path, isolated_home: Path,
                                                                   tmp_path: Path) -> None:
    """What Codex's shell commands get: GIT_CONFIG_* from config.toml and CODEX_THREAD_ID."""
    manage.install(CODEX)
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    thread = "01a23a75-3ed1-7862-b492-1b6ff8cb5302"
    event = {"session_id": thread, "cwd": str(repo), "hook_event_name": "SessionStart",
             "transcript_path": "/nowhere.jsonl"}
    env = {**os.environ, "AITRACK_INGEST": "0"}
    subprocess.run(hook_command("codex"), shell=True, input=json.dumps(event).encode(), env=env, check=True)
    [folder] = (isolated_home / ".local/share/aitrack/sessions").iterdir()
    config = tomllib.loads((codex_home / "config.toml").read_text())
    shell_env = {**env, **config["shell_environment_policy"]["set"], "CODEX_THREAD_ID": thread}
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "Agent work"], cwd=repo, env=shell_env, check=True)
    message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo, capture_output=True, text=True).stdout
    assert f"Aitrack-Session: {folder.name}" in message
    assert (folder / "commits").read_text().startswith("commit\t")
    # Another Codex session aitrack never saw, and a plain commit: no trailer.
    for extra in ({**shell_env, "CODEX_THREAD_ID": "unknown-thread"}, env):
        subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "Other"], cwd=repo, env=extra, check=True)
        message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo, capture_output=True, text=True).stdout
        assert "Aitrack-Session" not in message


def test_the_watcher_ends_the_session_when_codex_exits(codex_home: Path, isolated_home: Path, tmp_path: Path) -> None:
    """`codex exec` fires no SessionEnd: the session ends with the agent's process. A stand-in agent
    runs the hook as Codex does (`sh -c COMMAND`, JSON on stdin), then waits to be stopped."""
    import sys

    env = {**os.environ, "AITRACK_INGEST": "0"}
    event = {"session_id": "thread-1", "cwd": str(tmp_path), "hook_event_name": "SessionStart"}
    code = ("import subprocess, sys, time; "
            f"subprocess.run({hook_command('codex')!r}, shell=True, input=sys.stdin.buffer.read()); "
            "print('started', flush=True); time.sleep(60)")
    agent = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    assert agent.stdin and agent.stdout
    agent.stdin.write(json.dumps(event).encode())
    agent.stdin.close()
    try:
        assert agent.stdout.readline() == b"started\n"
        [folder] = (isolated_home / ".local/share/aitrack/sessions").iterdir()
        meta = json.loads((folder / "meta.json").read_text())
        assert meta["pid"] == agent.pid and meta["ended_at"] is None
        subprocess.run(hook_command("codex"), shell=True, input=json.dumps({**event, "hook_event_name": "Stop"}).encode(),
                       env=env, check=True)
        assert json.loads((folder / "meta.json").read_text())["turn_ended_at"]
    finally:
        agent.kill()
        agent.wait()
    import time

    deadline = time.monotonic() + 20
    while json.loads((folder / "meta.json").read_text())["ended_at"] is None and time.monotonic() < deadline:
        time.sleep(0.1)
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["ended_at"] and meta["exit_code"] == 0 and meta["end_reason"] == "agent exited"


def test_an_entry_switched_off_in_codex_is_bypassed(codex_home: Path) -> None:
    manage.install(CODEX)
    key = f"{os.path.realpath(codex_home / 'hooks.json')}:session_start:0:0"
    with open(codex_home / "config.toml", "a") as fh:
        fh.write(f'\n[hooks.state."{key}x"]\nenabled = false\n')
    assert manage.status(CODEX).state == "installed"  # another entry's switch: not ours
    text = (codex_home / "config.toml").read_text().replace(f'[hooks.state."{key}"]\n', f'[hooks.state."{key}"]\nenabled = false\n')
    (codex_home / "config.toml").write_text(text)
    st = manage.status(CODEX)
    assert st.state == "bypassed" and "enabled = false" in st.detail
