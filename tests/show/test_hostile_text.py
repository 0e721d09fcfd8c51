"""Untrusted text printed by `show`, `parse`, `sessions` and `export --format csv` cannot drive the
terminal (#20 item 2), and `show` never prints a commit message's secret (#20 item 8)."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from aitrack.cli import main
from aitrack.commands.sessions import _line
from aitrack.export.rows import to_text
from show.test_show import SID, new_session, repo, run_show, session_env  # noqa: F401 (fixture)
from vcs.conftest import Repo

EVIL = "\x1b]52;c;aGVsbG8=\x07\x1b]0;owned\x07\x1b[2J\x1b[21t\x1bP$qm\x1b\\\x9b6n\x1b]8;;http://evil\x07"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _no_escape(text: str) -> None:
    bad = [m.group() for m in CONTROL.finditer(re.sub(r"\x1b\[[0-9;]*m", "", text))]
    assert bad == [], bad


def test_show_prints_printable_text_only(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit(f"Fix{EVIL} login", env=session_env(SID))
    folder = new_session(SID, repo)
    record = json.loads((folder / "session.json").read_text())
    record["prompts"] = [f"close{EVIL} it"]
    record["commands"][0]["command"] = f"pytest{EVIL}"
    record["files"] = [f"a{EVIL}.py"]
    record["commits"][0]["subject"] = f"Fix{EVIL} login"
    (folder / "session.json").write_text(json.dumps(record))
    rc, out = run_show("--repo", str(repo.root), capsys=capsys)
    assert rc == 0 and "Fix login" in out and "close it" in out and "✘ pytest" in out
    _no_escape(out)
    (folder / "transcript.txt").write_text(f"$ ls{EVIL}\n")
    rc, out = run_show("--transcript", "--repo", str(repo.root), capsys=capsys)
    assert "$ ls" in out
    _no_escape(out)


def test_show_of_a_range_prints_printable_text_only(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
    repo.commit("Start")
    base = repo.head()
    repo.commit(f"Fix{EVIL} login with {token}", env=session_env(SID))
    new_session(SID, repo, record=False)  # commits straight from git, as for a session not yet ingested
    rc, out = run_show(f"{base}..HEAD", "--repo", str(repo.root), capsys=capsys)
    assert rc == 0 and "Fix login" in out and token not in out, out
    _no_escape(out)
    rc, out = run_show(f"{base}..HEAD", "--json", "--repo", str(repo.root), capsys=capsys)
    assert rc == 0 and token not in out


def test_show_redacts_the_commit_message(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
    repo.commit(f"Use {token} for CI", env=session_env(SID))
    new_session(SID, repo, record=False)
    for args in ((), ("--json",)):
        rc, out = run_show(*args, "--repo", str(repo.root), capsys=capsys)
        assert token not in out and "[REDACTED:github_token]" in out, out


def test_parse_summary_prints_printable_text_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "s.jsonl"
    base = {"sessionId": "abc", "cwd": f"/w{EVIL}", "timestamp": "2026-11-27T03:00:00.000Z", "gitBranch": f"b{EVIL}"}
    lines = [base | {"type": "user", "uuid": "u1", "message": {"role": "user", "content": f"hi{EVIL}"}},
             base | {"type": "assistant", "uuid": "a1", "message": {"id": "m", "role": "assistant", "model": f"m{EVIL}",
                     "content": [{"type": "tool_use", "id": "t", "name": "Bash", "input": {"command": f"ls{EVIL}"}}]}}]
    log.write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert main(["parse", "--provider", "claude_code", str(log)]) == 0
    out = capsys.readouterr().out
    assert "hi" in out and "ls" in out
    _no_escape(out)


def test_sessions_lines_and_csv_cells_are_printable() -> None:
    row = {"session_id": f"s{EVIL}", "provider": f"p{EVIL}", "status": "FINISHED", "run_name": f"=HYPERLINK(1){EVIL}",
           "start_time": 0, "metrics": {"duration_seconds": 3.0}}
    _no_escape(_line(row))
    text = to_text([row | {"params": {f"x{EVIL}": f"@cmd{EVIL}", "issue_number": "-7"}, "metrics": {"m": -1.0}}], "csv")
    _no_escape(text)
    (header, cells), = [list(csv.reader(io.StringIO(text)))]
    values = dict(zip(header, cells))
    assert values["run_name"] == "'=HYPERLINK(1)" and values["x"] == "'@cmd"
    assert values["issue_number"] == "-7" and values["m"] == "-1"
