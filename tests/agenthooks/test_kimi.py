"""Kimi CLI's hook: `[[hooks]]` tables in ~/.kimi/config.toml, added as one marked block, given back
byte for byte; after Kimi itself rewrote the file (its real `save_config`, tomlkit), only our tables
are taken out. A config aitrack cannot add to is left alone with one line."""
from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from aitrack.agenthooks import manage
from aitrack.agenthooks.specs import SPECS, hook_command

KIMI_PYTHON = Path("/opt/aitrack-e2e/kimi/bin/python")  # tests/e2e/install-clis.sh
CONFIG = '''default_model = "mock"

[providers.mock]
type = "openai_legacy"
base_url = "http://127.0.0.1:9/v1"
api_key = "test"

[models.mock]
provider = "mock"
model = "gpt-mock"
max_context_size = 128000

[[hooks]]
event = "PreToolUse"
command = "echo mine"
'''


@pytest.fixture
def config(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("KIMI_SHARE_DIR", raising=False)
    path = isolated_home / ".kimi" / "config.toml"
    path.parent.mkdir()
    path.write_text(CONFIG)
    return path


def _hooks(path: Path) -> list[dict[str, object]]:
    return tomllib.loads(path.read_text())["hooks"]


def test_install_adds_both_events_and_uninstall_gives_the_file_back(config: Path) -> None:
    spec = SPECS["kimi"]
    assert manage.status(spec).state == "missing"
    assert manage.install(spec).status == "installed"
    command = hook_command("kimi")
    assert _hooks(config) == [{"event": "PreToolUse", "command": "echo mine"},
                              {"event": "SessionStart", "command": command, "timeout": 10},
                              {"event": "SessionEnd", "command": command, "timeout": 10}]
    assert tomllib.loads(config.read_text())["models"]["mock"]["model"] == "gpt-mock"  # the rest as it was
    assert manage.status(spec).state == "installed"
    assert manage.install(spec).status == "already"
    assert manage.uninstall(spec).status == "removed"
    assert config.read_text() == CONFIG
    assert manage.uninstall(spec).status == "absent"


def test_edited_since_install_only_our_block_goes(config: Path) -> None:
    spec = SPECS["kimi"]
    manage.install(spec)
    config.write_text(config.read_text().replace('default_model = "mock"', 'default_model = "mock"\ntheme = "dark"'))
    assert manage.uninstall(spec).status == "removed"
    assert config.read_text() == CONFIG.replace('default_model = "mock"', 'default_model = "mock"\ntheme = "dark"')


@pytest.mark.skipif(not KIMI_PYTHON.exists(), reason="Kimi CLI not installed (tests/e2e/install-clis.sh)")
def test_after_kimi_rewrote_its_config_only_our_tables_go(config: Path, isolated_home: Path) -> None:
    """Kimi saves its whole config with tomlkit on /model or /login: our block's markers are gone."""
    spec = SPECS["kimi"]
    manage.install(spec)
    rewrite = "from kimi_cli.config import load_config, save_config; save_config(load_config())"
    subprocess.run([str(KIMI_PYTHON), "-c", rewrite], env={"HOME": str(isolated_home), "PATH": "/usr/bin:/bin"},
                   check=True, capture_output=True, timeout=120)
    text = config.read_text()
    assert "aitrack agents uninstall removes this block" not in text  # Kimi's own file now
    assert manage.status(spec).state == "installed"  # its entries are still read
    assert manage.install(spec).status == "updated"  # a re-install: one set of entries, in a block again
    assert [h["event"] for h in _hooks(config)].count("SessionStart") == 1
    subprocess.run([str(KIMI_PYTHON), "-c", rewrite], env={"HOME": str(isolated_home), "PATH": "/usr/bin:/bin"},
                   check=True, capture_output=True, timeout=120)
    rewritten = tomllib.loads(config.read_text())
    assert manage.uninstall(spec).status == "removed"
    after = tomllib.loads(config.read_text())
    assert after["hooks"] == [h for h in rewritten["hooks"] if "--aitrack-agent-hook" not in str(h["command"])]
    assert [h["command"] for h in after["hooks"]] == ["echo mine"]
    assert {k: v for k, v in after.items() if k != "hooks"} == {k: v for k, v in rewritten.items() if k != "hooks"}
    assert manage.status(spec).state == "missing"


@pytest.mark.parametrize("text", ['hooks = []\n', 'default_model = "mock\n', '[hooks]\nx = 1\n'])
def test_a_config_aitrack_cannot_add_to_is_left_alone(config: Path, text: str) -> None:
    config.write_text(text)
    res = manage.install(SPECS["kimi"])
    assert res.status == "left-alone" and "\n" not in res.detail and str(config) in res.detail, res
    assert config.read_text() == text


def test_no_config_yet(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kimi writes a default config.toml on its first start; before that, ours is the whole file."""
    monkeypatch.setenv("KIMI_SHARE_DIR", str(isolated_home / "kimi-share"))
    (isolated_home / "kimi-share").mkdir()
    spec = SPECS["kimi"]
    assert spec.config() == isolated_home / "kimi-share" / "config.toml"
    assert manage.install(spec).status == "installed"
    assert [h["event"] for h in _hooks(spec.config())] == ["SessionStart", "SessionEnd"]
    assert manage.uninstall(spec).status == "removed" and not spec.config().exists()
