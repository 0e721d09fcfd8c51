"""Mistral Vibe's hash-chained journal, as recorded from the real CLI in print mode
(tests/data/agents/vibe, see tests/e2e/record_print.py): exact counts, the chain checked, meta.json
read, the locator, `aitrack parse` on file / folder / HOME and `aitrack import vibe`."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from parse.agentkit import counts, import_twice, parsed

from aitrack.parse import iter_sessions, parse_path, parse_text
from aitrack.parse.locate import find_agent_logs, parse_session_logs

SESSION_ID = "c45bad44-73ce-d246-f125-2d0734a87961"
CWD = "/tmp/record-vibe-sfjrrbzb/repo"
DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "vibe"
FOLDER = DATA / ".vibe" / "logs" / "session" / "unified" / SESSION_ID
JOURNAL = FOLDER / "journal" / "0000000000000001.jsonl"
COMMANDS = ["git status --short", "ls tests-that-do-not-exist", "git add notes.txt && git commit -m 'Add notes #42'",
            "git log --oneline -2"]
START = 1796280125.003  # meta.json start_time
END = START + 0.684


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in JOURNAL.read_text().splitlines() if line.strip()]


def test_counts_are_exact() -> None:
    s = parse_path(JOURNAL)
    m = s.metrics
    assert s.provider == "mistral_vibe" and s.detection.source == "structured"
    assert s.agent_session_id == SESSION_ID and s.cwd == CWD
    # Counted apart from the parser on the raw records: tool intents, bash commands, the results'
    # return codes, the completions' usage, the turn/start messages.
    recs = _records()
    intents = [r["payload"]["request"] for r in recs if r["type"] == "action_intent" and r["payload"]["kind"] == "tool"]
    assert m.tool_uses == len(intents) == 5
    assert s.tool_uses_by_name == {"write_file": 1, "bash": 4}  # the model's names, as the checkpoint has them
    bash = [i["call"]["arguments"]["command"] for i in intents if i["call"]["name"] == "file_system.bash"]
    assert [c.command for c in s.commands] == bash == COMMANDS
    results = [r["payload"]["result"] for r in recs if r["type"] == "action_result"]
    codes = [r["result"]["structured_content"]["returncode"] for r in results if r["type"] == "tool_succeeded"
             and "returncode" in r["result"]["structured_content"]]
    assert [c.exit_code for c in s.commands] == codes == [0, 2, 0, 0]
    assert m.errors_encountered == 1 and s.commands[1].output.startswith("ls: cannot access")
    usage = [r["result"]["usage"] for r in results if r["type"] == "completion_succeeded"]
    assert len(s.usage) == len(usage) == 6
    assert (m.input_tokens, m.output_tokens) == (sum(u["input_tokens"] for u in usage),
                                                 sum(u["output_tokens"] for u in usage)) == (900, 180)
    prompts = [r["payload"]["params"]["message"][0]["text"] for r in recs if r["type"] == "command_reserved"]
    assert s.prompts == prompts == ["Write notes.txt with a line about issue #42, check the tests and commit it"]
    assert (m.user_prompts, m.commands_executed, m.git_operations) == (1, 4, 4)
    assert s.files == ["notes.txt"]
    assert s.models == ["gpt-scripted"] and s.issue_numbers == [42]
    assert (s.started_at, s.ended_at) == ("2026-12-03T06:42:05.003Z", "2026-12-03T06:42:05.687Z")
    assert s.warnings == []


def test_a_broken_hash_chain_is_parsed_and_said(tmp_path: Path) -> None:
    lines = JOURNAL.read_text().splitlines()
    bad = json.loads(lines[10])
    bad["previous_record_sha256"] = "0" * 64
    lines[10] = json.dumps(bad)
    s = parse_text("\n".join(lines) + "\n", name="journal.jsonl")
    assert s.provider == "mistral_vibe" and s.metrics.commands_executed == 4
    assert s.warnings == [f"journal hash chain broken before sequence {bad['sequence']}"]


def test_a_journal_folded_into_its_checkpoint(tmp_path: Path) -> None:
    """What Vibe's TUI leaves at exit: the journal records folded into generations/N (here the
    recording's generation 73 covers them all) and deleted. Prompts and tools come from the
    checkpoint's chunks; only the journal's own completions carry tokens."""
    folder = tmp_path / SESSION_ID
    shutil.copytree(FOLDER, folder)
    journal = folder / "journal" / JOURNAL.name
    journal.write_text(JOURNAL.read_text().splitlines()[-1] + "\n")
    s = parse_path(journal)
    assert s.provider == "mistral_vibe" and s.agent_session_id == SESSION_ID
    assert [c.command for c in s.commands] == COMMANDS and [c.exit_code for c in s.commands] == [0, 2, 0, 0]
    assert s.prompts == ["Write notes.txt with a line about issue #42, check the tests and commit it"]
    assert s.files == ["notes.txt"] and s.metrics.errors_encountered == 1 and s.metrics.input_tokens is None


def test_forced_provider_by_tool_name() -> None:
    assert parse_path(JOURNAL, provider="vibe").metrics.commands_executed == 4


def test_home_like_folder() -> None:
    """Only the journal is a log: meta.json, chunks/, generations/ and the empty next journal are not."""
    found = [(s.provider, s.agent_session_id) for s in iter_sessions(DATA)
             if s.detection.source == "structured" and s.provider != "generic"]
    assert found == [("mistral_vibe", SESSION_ID)]


def _lay_out(home: Path) -> Path:
    dest = home / FOLDER.relative_to(DATA)
    shutil.copytree(FOLDER, dest)
    return dest / "journal" / JOURNAL.name


def test_locate_the_sessions_own_journal(isolated_home: Path) -> None:
    journal = _lay_out(isolated_home)
    meta = {"tool": "vibe", "provider": "mistral_vibe", "cwd": CWD, "started_at_epoch": START - 1,
            "ended_at_epoch": END + 1, "argv": ["vibe", "--trust"]}
    assert find_agent_logs(meta) == [journal]  # the empty 0000000000000074.jsonl is not
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.input_tokens == 900
    assert find_agent_logs(dict(meta, started_at_epoch=END + 3600, ended_at_epoch=END + 3700)) == []
    assert find_agent_logs(dict(meta, cwd="/elsewhere")) == []
    later = dict(meta, started_at_epoch=END + 3600, ended_at_epoch=END + 3700, argv=["vibe", "--resume", SESSION_ID])
    assert find_agent_logs(later) == [journal]


def test_aitrack_parse_on_file_folder_and_home(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only the journal is reported: meta.json, CURRENT, chunks/ and generations/ are read by its parser."""
    journal = _lay_out(isolated_home)

    for path in (journal, journal.parent, isolated_home / ".vibe", isolated_home):
        assert parsed(path, capsys) == [("mistral_vibe", 4)], path


def test_import_vibe_twice(isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    _lay_out(isolated_home)
    assert counts(import_twice(isolated_home, monkeypatch, capsys, "vibe", "mistral_vibe")) == (1, 5, 4, 4, 1)


def test_detects_vibe_from_its_screen() -> None:
    """The TUI capture of the e2e journey (`aitrack run vibe --trust`, one prompt, approval by Enter):
    the screen patterns alone name the agent and read its `⏵ Ran` row."""
    from aitrack.parse.terminal import parse_transcript

    s = parse_transcript(DATA / "tui" / "output.raw")
    assert s.provider == "mistral_vibe" and s.detection.source == "terminal"
    assert "banner" in s.detection.evidence and "⏵ Ran" in s.detection.evidence
    assert [c.command for c in s.commands] == ['git add -A && git commit -m "Add hello #42"']
    assert s.prompts == ["Commit hello.txt for issue #42"]
    forced = parse_path(DATA / "tui" / "output.raw", provider="vibe")  # read as a screen, not as a journal
    assert forced.provider == "mistral_vibe" and forced.metrics.commands_executed == 1
