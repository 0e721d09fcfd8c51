"""Gemini CLI: settings.json hooks, ~/.gemini/.env, and commits found by the Gemini process among the hooks' ancestors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aitrack.agenthooks import gemini_env, manage
from aitrack.agenthooks.specs import SPECS, hook_command

GEMINI = SPECS["gemini"]
USER_ENV = "GEMINI_API_KEY=abc  # the user's own key\nOTHER='x'"  # no final newline


@pytest.fixture(autouse=True)
def no_agent_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GEMINI_CLI", "QWEN_CODE_SESSION_ID", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def gemini_home(isolated_home: Path) -> Path:
    home = isolated_home / ".gemini"
    home.mkdir()
    (home / "settings.json").write_text('{\n  "ui": {"theme": "Default"}\n}\n')
    (home / ".env").write_text(USER_ENV)
    return home


def test_install_and_uninstall_byte_identical(gemini_home: Path) -> None:
    before = {p.name: p.read_bytes() for p in gemini_home.iterdir()}
    assert manage.install(GEMINI).status == "installed"
    settings = json.loads((gemini_home / "settings.json").read_text())
    assert settings["hooks"]["SessionStart"][0]["hooks"][0]["timeout"] == 10000  # Gemini counts ms
    env = (gemini_home / ".env").read_text()
    assert env.startswith(USER_ENV + "\n") and "GIT_CONFIG_PARAMETERS=\"'core.hooksPath=" in env
    assert manage.status(GEMINI).state == "installed"
    assert manage.install(GEMINI).status == "already"
    settings["hooksConfig"] = {"enabled": False}
    (gemini_home / "settings.json").write_text(json.dumps(settings))
    assert manage.status(GEMINI).state == "bypassed"
    assert manage.uninstall(GEMINI).status == "removed"
    after = {p.name: p.read_bytes() for p in gemini_home.iterdir()}
    assert after[".env"] == before[".env"]
    # Edited since install: only our entries came out, the user's own change stays.
    assert json.loads(after["settings.json"]) == {"ui": {"theme": "Default"}, "hooksConfig": {"enabled": False}}


def test_a_user_git_config_parameters_is_left_alone(gemini_home: Path) -> None:
    (gemini_home / ".env").write_text("GIT_CONFIG_PARAMETERS='core.pager=less'\n")
    before = {p.name: p.read_bytes() for p in gemini_home.iterdir()}
    res = manage.install(GEMINI)
    assert res.status == "left-alone" and "GIT_CONFIG_PARAMETERS already" in res.detail
    assert {p.name: p.read_bytes() for p in gemini_home.iterdir()} == before


def test_commit_found_by_the_agent_process_among_ancestors(gemini_home: Path, isolated_home: Path,
                                                           tmp_path: Path) -> None:
    """A stand-in Gemini runs the hook, then a shell command that commits with what Gemini gives it:
    GEMINI_CLI=1, ~/.gemini/.env's GIT_CONFIG_PARAMETERS, and an empty core.hooksPath by GIT_CONFIG_COUNT."""
    manage.install(GEMINI)
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    params = (gemini_home / ".env").read_text().split('GIT_CONFIG_PARAMETERS="', 1)[1].split('"\n')[0]
    shell_env = {**os.environ, "AITRACK_INGEST": "0", "GEMINI_CLI": "1", "GIT_CONFIG_PARAMETERS": params,
                 "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "core.hooksPath", "GIT_CONFIG_VALUE_0": ""}
    event = json.dumps({"session_id": "g-1", "cwd": str(repo), "hook_event_name": "SessionStart"})
    end = json.dumps({"session_id": "g-1", "cwd": str(repo), "hook_event_name": "SessionEnd", "reason": "exit"})
    code = ("import subprocess, sys\n"
            f"subprocess.run({hook_command('gemini')!r}, shell=True, input={event.encode()!r})\n"
            "subprocess.run(['bash', '-c', 'git commit -q --allow-empty -m Agent'], check=True)\n"
            f"subprocess.run({hook_command('gemini')!r}, shell=True, input={end.encode()!r})\n")
    subprocess.run([sys.executable, "-c", code], cwd=repo, env=shell_env, check=True)
    [folder] = (isolated_home / ".local/share/aitrack/sessions").iterdir()
    message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo, capture_output=True, text=True).stdout
    assert f"Aitrack-Session: {folder.name}" in message
    assert (folder / "commits").read_text().startswith("commit\t")
    assert not list((isolated_home / ".local/share/aitrack/agent-sessions").glob("pid-*"))  # gone at the end
    # The same environment outside that session (the index is gone): no trailer.
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "Later"], cwd=repo, env=shell_env, check=True)
    message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo, capture_output=True, text=True).stdout
    assert "Aitrack-Session" not in message


def test_block_round_trip() -> None:
    ours = gemini_env.block("/data/aitrack/session-hooks")
    assert gemini_env.without_block("A=1\n" + ours) == "A=1\n"


def test_qwen_code_install_round_trip(isolated_home: Path) -> None:
    """Qwen Code: the hook in ~/.qwen/settings.json, GIT_CONFIG_PARAMETERS in ~/.qwen/.env (a
    home-scoped .env is the one place Qwen takes GIT_CONFIG_* from); uninstall puts both back."""
    spec = SPECS["qwen"]
    qwen = isolated_home / ".qwen"
    qwen.mkdir()
    (qwen / "settings.json").write_text('{"ui": {"theme": "Default"}}')
    before = {p.name: p.read_bytes() for p in qwen.iterdir()}
    assert manage.install(spec).status == "installed"
    events = json.loads((qwen / "settings.json").read_text())["hooks"]
    assert sorted(events) == ["SessionEnd", "SessionStart", "Stop"]
    assert "GIT_CONFIG_PARAMETERS=\"'core.hooksPath=" in (qwen / ".env").read_text()
    assert manage.status(spec).state == "installed"
    (qwen / ".env").unlink()
    assert manage.status(spec).state == "missing"
    assert manage.install(spec).status == "updated"
    assert manage.uninstall(spec).status == "removed"
    assert {p.name: p.read_bytes() for p in qwen.iterdir()} == before


def test_qwen_commit_found_by_its_session_id(isolated_home: Path, tmp_path: Path) -> None:
    """A stand-in Qwen Code: the hook, then a shell command with what Qwen gives it (QWEN_CODE_SESSION_ID
    = the hook's session_id, ~/.qwen/.env's GIT_CONFIG_PARAMETERS): the trailer; another id gets none."""
    manage.install(SPECS["qwen"])
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    params = (isolated_home / ".qwen" / ".env").read_text().split('GIT_CONFIG_PARAMETERS="', 1)[1].split('"\n')[0]
    env = {**os.environ, "AITRACK_INGEST": "0", "GIT_CONFIG_PARAMETERS": params}
    event = json.dumps({"session_id": "q-1", "cwd": str(repo), "hook_event_name": "SessionStart"})
    subprocess.run(hook_command("qwen"), shell=True, input=event.encode(), env=env, cwd=repo, check=True)
    [folder] = (isolated_home / ".local/share/aitrack/sessions").iterdir()
    for sid, trailer in (("q-1", f"Aitrack-Session: {folder.name}"), ("q-2", None)):
        subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", sid], cwd=repo, check=True,
                       env={**env, "QWEN_CODE_SESSION_ID": sid})
        message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo, capture_output=True, text=True).stdout
        assert (trailer in message) if trailer else ("Aitrack-Session" not in message), message
    assert (folder / "commits").read_text().count("commit\t") == 1
