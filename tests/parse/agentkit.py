"""What the plug-in agents' parser tests share: `aitrack parse PATH` and `aitrack import <agent>` on a
laid-out HOME."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aitrack.cli import main as cli_main
from procedure.kit import store_at


def parsed(path: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int]]:
    """`aitrack parse PATH --json`: (provider, commands) of each session it finds."""
    assert cli_main(["parse", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    return [(s["provider"], s["metrics"]["commands_executed"]) for s in (out if isinstance(out, list) else [out])]


def import_twice(home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                 command: str, provider: str) -> dict[str, Any]:
    """`aitrack import COMMAND` imports the one session, a second run none; the run's metrics."""
    monkeypatch.setenv("AITRACK_HOME", str(home / "aitrack"))
    monkeypatch.chdir(home)
    assert cli_main(["import", command]) == 0
    assert capsys.readouterr().out.strip() == "1 session(s) found: 1 imported, 0 already there"
    runs = store_at(home / "aitrack").search_all()
    assert [r["provider"] for r in runs] == [provider]
    metrics: dict[str, Any] = runs[0]["metrics"]
    assert cli_main(["import", command]) == 0
    assert capsys.readouterr().out.strip() == "1 session(s) found: 0 imported, 1 already there"
    return metrics


def counts(m: dict[str, Any]) -> tuple[Any, ...]:
    return (m["user_prompts"], m["tool_uses"], m["commands_executed"], m["git_operations"], m["errors_encountered"])
