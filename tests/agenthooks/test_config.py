"""`aitrack agents install|uninstall|status` on a real ~/.claude/settings.json in the test's HOME."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aitrack.agenthooks import jsonconf, manage
from aitrack.agenthooks.specs import SPECS, hook_command

CLAUDE = SPECS["claude"]
# A user's own settings, formatted their way (4 spaces, a key order of their own, non-ASCII text).
USER_SETTINGS = """{
    "model": "opus",
    "env": {"GREETING": "grüß dich"},
    "hooks": {
        "SessionStart": [
            {"matcher": "startup", "hooks": [{"type": "command", "command": "echo mine"}]}
        ],
        "PostToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "lint.sh"}]}]
    },
    "permissions": {"allow": ["Bash(ls:*)"]}
}
"""


@pytest.fixture(autouse=True)
def no_agent_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("CLAUDE_CONFIG_DIR", "CLAUDE_ENV_FILE", "CLAUDE_PID"):
        monkeypatch.delenv(var, raising=False)


def settings(home: Path) -> Path:
    return home / ".claude" / "settings.json"


def aitrack(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aitrack", *args], capture_output=True, text=True, timeout=60)


def test_install_merges_and_uninstall_gives_the_file_back_byte_for_byte(isolated_home: Path) -> None:
    path = settings(isolated_home)
    path.parent.mkdir()
    path.write_text(USER_SETTINGS, encoding="utf-8")
    before = path.read_bytes()

    res = aitrack("agents", "install", "--agent", "claude")
    assert res.returncode == 0, res.stdout + res.stderr
    data = json.loads(path.read_text(encoding="utf-8"))
    start = data["hooks"]["SessionStart"]
    assert start[0] == {"matcher": "startup", "hooks": [{"type": "command", "command": "echo mine"}]}
    assert start[1]["hooks"][0]["command"] == hook_command("claude")
    assert data["hooks"]["SessionEnd"][0]["hooks"][0]["command"] == hook_command("claude")
    assert data["hooks"]["PostToolUse"][0]["hooks"][0]["command"] == "lint.sh"
    assert data["env"] == {"GREETING": "grüß dich"} and list(data)[0] == "model"
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith('    "model"')  # the user's indent

    installed = path.read_bytes()
    again = aitrack("agents", "install", "--agent", "claude")
    assert again.returncode == 0 and "already" in again.stdout
    assert path.read_bytes() == installed  # idempotent

    res = aitrack("agents", "uninstall", "--agent", "claude")
    assert res.returncode == 0, res.stdout + res.stderr
    assert path.read_bytes() == before


def test_a_file_we_created_is_removed_again(isolated_home: Path) -> None:
    (isolated_home / ".claude").mkdir()
    assert manage.install(CLAUDE).status == "installed"
    assert settings(isolated_home).exists()
    assert manage.uninstall(CLAUDE).status == "removed"
    assert not settings(isolated_home).exists()


def test_edited_after_install_only_our_entries_come_out(isolated_home: Path) -> None:
    path = settings(isolated_home)
    path.parent.mkdir()
    path.write_text(USER_SETTINGS, encoding="utf-8")
    manage.install(CLAUDE)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["theme"] = "light"  # the user changes something while our hook is in
    path.write_text(json.dumps(data, indent=4), encoding="utf-8")

    assert manage.uninstall(CLAUDE).status == "removed"
    expected = json.loads(USER_SETTINGS)
    expected["theme"] = "light"
    assert json.loads(path.read_text(encoding="utf-8")) == expected


def test_unparsable_config_is_left_alone_with_one_line(isolated_home: Path) -> None:
    path = settings(isolated_home)
    path.parent.mkdir()
    path.write_text('{"model": "opus",,}\n', encoding="utf-8")
    before = path.read_bytes()
    res = aitrack("agents", "install", "--agent", "claude")
    assert res.returncode == 1
    lines = [line for line in res.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and "not valid JSON" in lines[0] and "left alone" in lines[0], res.stdout
    assert path.read_bytes() == before
    assert aitrack("agents", "uninstall", "--agent", "claude").returncode == 1
    assert path.read_bytes() == before


def test_hooks_of_the_wrong_shape_are_left_alone(isolated_home: Path) -> None:
    path = settings(isolated_home)
    path.parent.mkdir()
    path.write_text('{"hooks": []}\n', encoding="utf-8")
    res = manage.install(CLAUDE)
    assert res.status == "left-alone" and "`hooks` is not an object" in res.detail
    assert path.read_text() == '{"hooks": []}\n'


def test_status_installed_missing_bypassed_stale(isolated_home: Path) -> None:
    (isolated_home / ".claude").mkdir()
    assert manage.status(CLAUDE).state == "missing"
    manage.install(CLAUDE)
    assert manage.status(CLAUDE).state == "installed"
    res = aitrack("agents", "status", "--agent", "claude")
    assert res.returncode == 0 and "claude: installed" in res.stdout

    path = settings(isolated_home)
    data = json.loads(path.read_text())
    data["disableAllHooks"] = True
    path.write_text(json.dumps(data))
    st = manage.status(CLAUDE)
    assert st.state == "bypassed" and "disableAllHooks" in st.detail
    assert aitrack("agents", "status", "--agent", "claude").returncode == 1

    del data["disableAllHooks"]
    path.write_text(json.dumps(data))
    jsonconf.install(CLAUDE, hook_command("claude", "/old/venv/bin/python"))
    assert manage.status(CLAUDE).state == "stale"
    assert manage.install(CLAUDE).status == "updated"  # reinstalling replaces the old entry
    assert manage.status(CLAUDE).state == "installed"
    start = json.loads(path.read_text())["hooks"]["SessionStart"]
    assert len(start) == 1


def test_unknown_agent_is_one_line(isolated_home: Path) -> None:
    res = aitrack("agents", "install", "--agent", "vim")
    assert res.returncode == 1 and "no hook system aitrack knows for 'vim'" in res.stderr


def test_doctor_shows_the_agent_hook_installed_missing_bypassed(isolated_home: Path) -> None:
    path = settings(isolated_home)
    path.parent.mkdir()
    path.write_text("{}\n")
    assert "Claude Code hook: missing" in aitrack("doctor").stdout
    manage.install(CLAUDE)
    assert "✔ Claude Code hook: installed" in aitrack("doctor").stdout
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "disableAllHooks": True}))
    res = aitrack("doctor")
    assert "✘ Claude Code hook: installed but bypassed (hooks are off: disableAllHooks = True" in res.stdout
    assert res.returncode == 1
