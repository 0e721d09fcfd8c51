"""Cline CLI's hook: one file per event in ~/.cline/hooks (run by its `#!` line, the event's JSON on
stdin), the folder made for them removed again; a file of that name that is not ours is left alone
with one line. The session is Cline's `sessionContext.rootSessionId`, whichever event comes first."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from aitrack.agenthooks import manage
from aitrack.agenthooks.specs import SPECS
from aitrack.sessiondir import read_meta

ROOT = "1796417155587_hlmlo"


@pytest.fixture
def cline_home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("CLINE_DIR", "CLINE_DATA_DIR", "CLINE_SESSION_DATA_DIR", "AITRACK_SESSION_ID", "AITRACK_SESSION_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AITRACK_INGEST", "0")
    folder = isolated_home / ".cline"
    folder.mkdir()
    return folder


def test_install_writes_one_file_per_event_and_uninstall_takes_them_and_the_folder(cline_home: Path) -> None:
    spec = SPECS["cline"]
    assert manage.status(spec).state == "missing"
    assert manage.install(spec).status == "installed"
    hooks = cline_home / "hooks"
    assert sorted(p.name for p in hooks.iterdir()) == ["TaskComplete", "TaskResume", "TaskStart"]
    text = (hooks / "TaskStart").read_text()
    assert text.startswith("#!/bin/sh\n") and text.rstrip().endswith("--aitrack-agent-hook cline TaskStart")
    assert manage.status(spec).state == "installed"
    assert manage.install(spec).status == "already"
    assert manage.uninstall(spec).status == "removed"
    assert not hooks.exists() and cline_home.is_dir()


def test_the_users_own_hook_files_stay_and_a_name_taken_is_left_alone(cline_home: Path) -> None:
    hooks = cline_home / "hooks"
    hooks.mkdir()
    (hooks / "TaskStart.sh").write_text("#!/bin/bash\necho mine\n")
    spec = SPECS["cline"]
    manage.install(spec)
    manage.uninstall(spec)
    assert sorted(p.name for p in hooks.iterdir()) == ["TaskStart.sh"]  # the folder was there: it stays
    (hooks / "TaskComplete").write_text("#!/bin/bash\necho also mine\n")
    res = manage.install(spec)
    assert res.status == "left-alone" and "TaskComplete" in res.detail, res
    assert sorted(p.name for p in hooks.iterdir()) == ["TaskComplete", "TaskStart.sh"]  # nothing half-installed
    assert manage.status(spec).state == "missing"


def _run(hooks: Path, event: str, payload: dict[str, object], cwd: Path, env: dict[str, str] | None = None) -> None:
    """As Cline runs a hook file: its `#!` program with the file, no shell, JSON on stdin."""
    path = hooks / event
    program = path.read_text().splitlines()[0][2:].split()
    subprocess.run([*program, str(path)], input=json.dumps(payload).encode(), cwd=cwd, check=True, timeout=30,
                   env={**os.environ, **(env or {})})


def _payload(hook_name: str, cwd: Path) -> dict[str, object]:
    return {"taskId": "conv_1796417155775_oi8kf60", "sessionContext": {"rootSessionId": ROOT}, "hookName": hook_name,
            "workspaceRoots": [str(cwd)], "clineVersion": ""}


def test_the_session_is_clines_root_session_whichever_event_comes_first(cline_home: Path, tmp_path: Path,
                                                                         isolated_home: Path) -> None:
    manage.install(SPECS["cline"])
    hooks = cline_home / "hooks"
    repo = tmp_path / "repo"
    repo.mkdir()
    _run(hooks, "TaskComplete", _payload("agent_end", repo), repo)  # not waited for: it may come first
    _run(hooks, "TaskStart", _payload("agent_start", repo), repo)
    [folder] = (isolated_home / ".local/share/aitrack/sessions").iterdir()
    meta = json.loads((folder / "meta.json").read_text())
    assert (meta["agent_session_id"], meta["cwd"], meta["provider"]) == (ROOT, str(repo), "cline")
    assert meta["transcript_path"] == str(cline_home / "data/sessions" / ROOT / f"{ROOT}.messages.json")
    assert meta["turn_ended_at"] and read_meta(folder).ended_at is None


def test_a_wrappers_session_an_old_daemon_remembers_is_not_the_session(cline_home: Path, tmp_path: Path,
                                                                         isolated_home: Path) -> None:
    """Cline's hub keeps the environment of the process that started it: a wrapped session long
    over. Its AITRACK_SESSION_ID does not make the new session the wrapper's."""
    manage.install(SPECS["cline"])
    old = tmp_path / "old-session"
    old.mkdir()
    (old / "meta.json").write_text(json.dumps({"id": "old", "ended_at": "2026-12-01T00:00:00Z"}))
    repo = tmp_path / "repo"
    repo.mkdir()
    _run(cline_home / "hooks", "TaskStart", _payload("agent_start", repo), repo,
         {"AITRACK_SESSION_ID": "old", "AITRACK_SESSION_DIR": str(old)})
    assert len(list((isolated_home / ".local/share/aitrack/sessions").iterdir())) == 1
    assert not (old / "agent-hook.json").exists()
