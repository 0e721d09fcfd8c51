"""`aitrack import opencode|copilot|qwen|kilo|cline|cn` on our own recordings (tests/data/agents) laid out where
each agent keeps its logs in a tmp HOME, into a real SQLite store; a second run adds nothing."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from procedure.kit import store_at

from aitrack.cli import main as cli_main

DATA = Path(__file__).resolve().parent.parent / "data" / "agents"


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for agent in ("opencode", "copilot", "qwen", "kilo", "cline", "cn"):
        for src in (DATA / agent).rglob("*"):
            rel = src.relative_to(DATA / agent)
            if src.is_file() and rel.parts[0] not in ("tui", "requests.txt"):
                (isolated_home / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, isolated_home / rel)
    monkeypatch.setenv("AITRACK_HOME", str(isolated_home / "aitrack"))
    monkeypatch.chdir(isolated_home)
    return isolated_home


def _runs(home: Path) -> list[dict[str, Any]]:
    return store_at(home / "aitrack").search_all()


@pytest.mark.parametrize(("agent", "provider"), [("opencode", "opencode"), ("copilot", "copilot_cli"),
                                                 ("qwen", "qwen_code"), ("kilo", "kilo_code"),
                                                 ("cline", "cline"), ("cn", "continue_cli")])
def test_import_one_agent_twice(home: Path, capsys: pytest.CaptureFixture[str], agent: str, provider: str) -> None:
    assert cli_main(["import", agent]) == 0
    assert capsys.readouterr().out.strip() == "1 session(s) found: 1 imported, 0 already there"
    runs = _runs(home)
    assert [r["provider"] for r in runs] == [provider]
    m = runs[0]["metrics"]
    assert (m["user_prompts"], m["tool_uses"], m["commands_executed"], m["git_operations"],
            m["errors_encountered"]) == (3, 5, 4, 4, 1)
    assert runs[0]["tags"]["type"] == "ai_session"
    assert cli_main(["import", agent]) == 0
    assert capsys.readouterr().out.strip() == "1 session(s) found: 0 imported, 1 already there"


def test_import_all_finds_the_six(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["import"]) == 0
    assert capsys.readouterr().out.strip() == "6 session(s) found: 6 imported, 0 already there"
    assert sorted(r["provider"] for r in _runs(home)) == ["cline", "continue_cli", "copilot_cli", "kilo_code", "opencode",
                                                          "qwen_code"]
