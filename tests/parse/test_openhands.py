"""OpenHands CLI's conversation folder, as recorded from the real CLI (openhands 1.16.0) in its TUI with
three prompts (tests/data/agents/openhands, see tests/e2e/record_sessions.py): exact counts checked
against the raw event files and base_state.json, the locator, the screen patterns, `aitrack parse` on
the state file / the conversation folder / HOME and `aitrack import openhands`."""
from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from parse.agentkit import counts, import_twice, parsed

from aitrack.parse import iter_sessions, parse_path, parse_text
from aitrack.parse.locate import find_agent_logs, parse_session_logs

HEX = "136d37b43693480fb0b04614aaf1e1c1"
SESSION_ID = "136d37b4-3693-480f-b0b0-4614aaf1e1c1"  # what `openhands --resume <id>` takes
CWD = "/tmp/record-openhands-layapn9c/repo"
DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "openhands"
FOLDER = DATA / ".openhands" / "conversations" / HEX
LOG = FOLDER / "base_state.json"
PROMPTS = ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
           "Show the last two commits"]
COMMANDS = ["git status --short", "git add notes.txt && git commit -m 'Add notes #42'", "ls tests-that-do-not-exist",
            "git log --oneline -2"]


def _events(kind: str) -> list[dict[str, Any]]:
    rows = [json.loads(p.read_text()) for p in sorted((FOLDER / "events").glob("event-*.json"))]
    return [e for e in rows if e["kind"] == kind]


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()  # local wall-clock time, as OpenHands writes it


def test_counts_are_exact() -> None:
    s = parse_path(LOG)
    m = s.metrics
    state = json.loads(LOG.read_text())
    assert s.provider == "openhands" and s.detection.source == "structured"
    assert s.agent_session_id == SESSION_ID == state["id"] and s.cwd == CWD == state["workspace"]["working_dir"]
    # Counted apart from the parser, on the event files.
    actions = _events("ActionEvent")
    assert m.tool_uses == len(actions) == 5
    assert s.tool_uses_by_name == {"file_editor": 1, "terminal": 4}
    shell = [a["action"]["command"] for a in actions if a["tool_name"] == "terminal"]
    assert [c.command for c in s.commands] == shell == COMMANDS
    texts = [c["text"] for e in _events("MessageEvent") if e["source"] == "user" for c in e["llm_message"]["content"]]
    assert s.prompts == texts == PROMPTS
    assert m.user_prompts == 3 and m.commands_executed == 4
    assert m.git_operations == 4  # git status, git add, git commit, git log
    observed = [e["observation"] for e in _events("ObservationEvent") if e["tool_name"] == "terminal"]
    assert [c.exit_code for c in s.commands] == [o["exit_code"] for o in observed] == [0, 0, 2, 0]
    # OpenHands flags the failing `ls` is_error: false; its exit code 2 makes it the one failure.
    failed = [o for o in (e["observation"] for e in _events("ObservationEvent")) if o["is_error"] or o.get("exit_code")]
    assert m.errors_encountered == len(failed) == 1
    assert s.commands[0].output.startswith("?? notes.txt")
    assert s.files == ["notes.txt"]  # file_editor's path, under the cwd
    assert len(s.writes) == 1 and s.writes[0].file.endswith("notes.txt")  # its file_text, for attribution
    # Tokens: one entry per model response in the state's stats (8 requests in requests.txt).
    usages = state["stats"]["usage_to_metrics"]["agent"]["token_usages"]
    assert len(usages) == len(s.usage) == len((DATA / "requests.txt").read_text().splitlines()) == 8
    assert (m.input_tokens, m.output_tokens) == (sum(u["prompt_tokens"] for u in usages),
                                                 sum(u["completion_tokens"] for u in usages)) == (1200, 240)
    assert s.models == ["openai/gpt-scripted"] and s.issue_numbers == [42]
    assert s.reported_cost_usd is None  # OpenHands' accumulated_cost is 0 for a model it has no price for
    stamps = sorted(json.loads(p.read_text())["timestamp"] for p in (FOLDER / "events").glob("event-*.json"))
    first, last = (datetime.fromtimestamp(_epoch(t), timezone.utc) for t in (stamps[0], stamps[-1]))
    assert s.started_at == first.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    assert s.ended_at == last.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    assert m.duration_seconds == pytest.approx(_epoch(stamps[-1]) - _epoch(stamps[0]), abs=0.002)
    assert s.warnings == []


def test_the_state_alone_keeps_id_cwd_model_and_tokens() -> None:
    """Without its events folder (bytes, or a copied state file): what the state holds, nothing invented."""
    s = parse_text(LOG.read_text(), name="base_state.json")
    assert s.provider == "openhands" and s.agent_session_id == SESSION_ID and s.cwd == CWD
    assert s.metrics.input_tokens == 1200 and s.metrics.commands_executed == 0 and s.prompts == []


def test_forced_provider_by_tool_name() -> None:
    assert parse_path(LOG, provider="openhands").metrics.commands_executed == 4


def test_home_like_folder() -> None:
    found = [(s.provider, s.agent_session_id) for s in iter_sessions(DATA)
             if s.detection.source == "structured" and s.provider != "generic"]
    assert found == [("openhands", SESSION_ID)]


def _lay_out(home: Path) -> Path:
    dest = home / FOLDER.relative_to(DATA)
    shutil.copytree(FOLDER, dest)
    return dest / "base_state.json"


def _window() -> tuple[float, float]:
    stamps = sorted(json.loads(p.read_text())["timestamp"] for p in (FOLDER / "events").glob("event-*.json"))
    return _epoch(stamps[0]), _epoch(stamps[-1])


def test_locate_the_sessions_own_log(isolated_home: Path) -> None:
    log = _lay_out(isolated_home)
    start, end = _window()
    for p in (log.parent / "events").iterdir():
        os.utime(p, (end, end))
    meta = {"tool": "openhands", "provider": "openhands", "cwd": CWD, "started_at_epoch": start - 9,
            "ended_at_epoch": end + 9, "argv": ["openhands"]}
    assert find_agent_logs(meta) == [log]
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.commands_executed == 4
    assert find_agent_logs(dict(meta, started_at_epoch=end + 3600, ended_at_epoch=end + 3700)) == []
    assert find_agent_logs(dict(meta, cwd="/elsewhere")) == []
    later = dict(meta, started_at_epoch=end + 3600, ended_at_epoch=end + 3700, argv=["openhands", "--resume", SESSION_ID])
    assert find_agent_logs(later) == [log]


def test_aitrack_parse_on_file_folder_and_home(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The event files are read with base_state.json, never as sessions of their own."""
    log = _lay_out(isolated_home)

    for path in (log, log.parent, log.parent / "events", isolated_home / ".openhands", isolated_home):
        expected = [] if path.name == "events" else [("openhands", 4)]
        assert parsed(path, capsys) == expected, path


def test_import_openhands_twice(isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    _lay_out(isolated_home)
    assert counts(import_twice(isolated_home, monkeypatch, capsys, "openhands", "openhands")) == (3, 5, 4, 4, 1)


def test_detects_openhands_from_its_screen() -> None:
    """The TUI capture of the recording (`aitrack run openhands --override-with-envs`, three prompts,
    approvals by Enter): the screen patterns alone name the agent and read its `▶ terminal` rows. A row
    that wrapped before its `✓` (the commit) is counted when the screen ends, so it comes last; the
    failed `ls` is drawn with a `✓` like the others (its exit code is only in the log)."""
    from aitrack.parse.terminal import parse_transcript

    s = parse_transcript(DATA / "tui" / "output.raw")
    assert s.provider == "openhands" and s.detection.source == "terminal"
    assert "banner" in s.detection.evidence and "▶ terminal" in s.detection.evidence
    assert sorted(c.command for c in s.commands) == sorted(COMMANDS)
    assert s.prompts == PROMPTS and s.files == [f"{CWD}/notes.txt"]
    forced = parse_path(DATA / "tui" / "output.raw", provider="openhands")  # a screen, not a state file
    assert forced.provider == "openhands" and forced.metrics.commands_executed == 4


def test_a_window_keeps_the_events_written_then() -> None:
    """`openhands --resume <id>` appends to the same conversation: a session's window keeps its own
    events (the slack reaches 2 s back: from the second prompt on)."""
    stamps = {e["llm_message"]["content"][0]["text"]: e["timestamp"] for e in _events("MessageEvent")
              if e["source"] == "user"}
    start, end = _window()
    s = parse_path(LOG, window=(_epoch(stamps[PROMPTS[1]]) + 2, end))
    assert s.prompts == PROMPTS[1:] and [c.command for c in s.commands] == COMMANDS[2:]
    assert parse_path(LOG, window=(start, end)).metrics.commands_executed == 4
