"""Copilot CLI: user-level hooks in ~/.copilot/settings.json (entries without matcher groups, the
event named by the command), and the hook fed Copilot's own camelCase JSON."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from aitrack.agenthooks import manage
from aitrack.agenthooks.specs import SPECS

COPILOT = SPECS["copilot"]
USER_HOOK = {"type": "command", "bash": "./audit.sh", "timeoutSec": 5}


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPILOT_HOME", raising=False)
    monkeypatch.setenv("AITRACK_INGEST", "0")


@pytest.fixture
def settings(isolated_home: Path) -> Path:
    path = isolated_home / ".copilot" / "settings.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"banner": "never", "hooks": {"sessionStart": [USER_HOOK]}}, indent=2) + "\n")
    return path


def test_install_merges_and_uninstall_is_byte_identical(settings: Path) -> None:
    before = settings.read_bytes()
    assert manage.install(COPILOT).status == "installed"
    hooks = json.loads(settings.read_text())["hooks"]
    assert sorted(hooks) == ["agentStop", "sessionEnd", "sessionStart"]
    assert hooks["sessionStart"][0] == USER_HOOK  # the user's own hook first, as it was
    ours = hooks["sessionEnd"][0]
    assert set(ours) == {"type", "bash", "timeoutSec"} and ours["bash"].endswith("--aitrack-agent-hook copilot sessionEnd")
    assert manage.install(COPILOT).status == "already"
    assert manage.status(COPILOT).state == "installed"
    assert manage.uninstall(COPILOT).status == "removed"
    assert settings.read_bytes() == before


def test_disable_all_hooks_reads_as_bypassed(settings: Path) -> None:
    manage.install(COPILOT)
    data = json.loads(settings.read_text())
    settings.write_text(json.dumps({**data, "disableAllHooks": True}))
    assert manage.status(COPILOT).state == "bypassed"
    assert manage.uninstall(COPILOT).status == "removed"  # edited since: only our entries out
    assert json.loads(settings.read_text()) == {"banner": "never", "disableAllHooks": True,
                                                "hooks": {"sessionStart": [USER_HOOK]}}


def test_copilot_events_record_one_session(settings: Path, isolated_home: Path, tmp_path: Path) -> None:
    manage.install(COPILOT)
    hooks = json.loads(settings.read_text())["hooks"]
    sid = "54f46d53-c1b5-4a6d-a7eb-655d0ead9aea"
    for event, payload in (("sessionStart", {"source": "new", "initialPrompt": "hi"}),
                           ("agentStop", {"stopReason": "end_turn"}), ("sessionEnd", {"reason": "complete"})):
        data = json.dumps({"sessionId": sid, "timestamp": 1796302628639, "cwd": str(tmp_path), **payload})
        res = subprocess.run(["bash", "-c", hooks[event][-1]["bash"]], input=data.encode(), capture_output=True,
                             timeout=30, env=os.environ.copy())
        assert res.returncode == 0 and res.stdout == b"" and res.stderr == b""
    [folder] = (isolated_home / ".local/share/aitrack/sessions").iterdir()
    meta = json.loads((folder / "meta.json").read_text())
    assert (meta["hook_agent"], meta["agent_session_id"], meta["provider"]) == ("copilot", sid, "copilot_cli")
    assert meta["transcript_path"] == str(isolated_home / ".copilot" / "session-state" / sid / "events.jsonl")
    assert meta["turn_ended_at"] and meta["exit_code"] == 0 and meta["end_reason"] == "complete"
