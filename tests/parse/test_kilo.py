"""Kilo Code's kilo.db (OpenCode's schema plus kilo_* tables), recorded from the real CLI 7.7.7
(tests/data/agents/kilo, tests/e2e/record_sessions.py): parsed by the OpenCode parser under Kilo's
own provider, every count checked against what sqlite3 itself says of the recording."""
from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from aitrack.cost.fmt import tokens_line
from aitrack.cost.record import rollup_row
from aitrack.ingest.local import build_record
from aitrack.parse import iter_sessions, parse_path
from aitrack.parse.locate import find_agent_logs, parse_session_logs

from ingest.kit import make_session  # tests/ is on sys.path

DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "kilo"
DB = DATA / ".local" / "share" / "kilo" / "kilo.db"
SESSION_ID = "ses_dc593dc5affehdUqPLSPJJdALO"
CWD = "/tmp/record-kilo-kyr7fxq1/repo"


def sql(query: str) -> list[tuple]:
    """The recording read straight with sqlite3 (json_extract), not through aitrack."""
    with sqlite3.connect(f"file:{DB}?mode=ro", uri=True) as conn:
        return conn.execute(query).fetchall()


TOOLS = "FROM part WHERE json_extract(data, '$.type') = 'tool'"
ASSISTANT = "FROM message WHERE json_extract(data, '$.role') = 'assistant'"
USER_TEXT = ("FROM part p JOIN message m ON m.id = p.message_id WHERE json_extract(m.data, '$.role') = 'user' "
             "AND json_extract(p.data, '$.type') = 'text' AND json_extract(p.data, '$.synthetic') IS NOT 1")


def test_counts_are_exact() -> None:
    s = parse_path(DB)
    m = s.metrics
    assert s.provider == "kilo_code" and s.detection.source == "structured"
    assert sql("SELECT id, directory, version FROM session") == [(SESSION_ID, CWD, "7.7.7")]
    assert s.agent_session_id == SESSION_ID and s.cwd == CWD and s.tool_version == "7.7.7"
    prompts = [r[0] for r in sql(f"SELECT json_extract(p.data, '$.text') {USER_TEXT} ORDER BY p.message_id")]
    assert s.prompts == prompts == ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                                    "Show the last two commits"]
    tools = sql(f"SELECT json_extract(data, '$.tool'), json_extract(data, '$.state.input.command'), "
                f"json_extract(data, '$.state.metadata.exit') {TOOLS} ORDER BY message_id, id")
    shell = [(c, e) for t, c, e in tools if t == "bash"]
    assert [(c.command, c.exit_code) for c in s.commands] == shell
    assert m.tool_uses == len(tools) == 5 and m.commands_executed == len(shell) == 4
    assert s.tool_uses_by_name == {"write": 1, "bash": 4}
    segments = [part.strip() for c, _ in shell for part in c.split("&&")]
    assert m.git_operations == sum(p.startswith("git ") for p in segments) == 4
    assert m.errors_encountered == sum(e != 0 for _, e in shell) == 1
    assert s.files == ["notes.txt"] and m.user_prompts == 3
    (n, tin, tout, reasoning), = sql("SELECT count(*), sum(json_extract(data, '$.tokens.input')), "
                                     "sum(json_extract(data, '$.tokens.output')), "
                                     f"sum(json_extract(data, '$.tokens.reasoning')) {ASSISTANT}")
    assert (m.input_tokens, m.output_tokens, m.reasoning_output_tokens) == (tin, tout, reasoning) == (1200, 240, 0)
    assert n == 8 and s.models == ["gpt-scripted"] and s.issue_numbers == [42] and s.warnings == []


def test_the_cost_kilo_reports_is_kept_apart() -> None:
    """Kilo's per-message `cost` (from the model's configured prices): summed as the reported cost."""
    (reported,), = sql(f"SELECT sum(json_extract(data, '$.cost')) {ASSISTANT}")
    assert reported == pytest.approx(0.0039)  # 8 × (150 × $1.25 + 30 × $10) per million tokens
    assert parse_path(DB).reported_cost_usd == pytest.approx(reported, rel=1e-12)


def test_a_database_without_kilo_tables_stays_opencode(tmp_path: Path) -> None:
    db = tmp_path / "kilo.db"
    shutil.copy2(DB, db)
    with sqlite3.connect(db) as conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'kilo_%'").fetchall():
            conn.execute(f"DROP TABLE {name}")
    assert parse_path(db).provider == "opencode"


def test_folder_and_home_like_folder() -> None:
    for root in (DB.parent, DATA):
        found = [(s.provider, s.agent_session_id) for s in iter_sessions(root)
                 if s.detection.source == "structured" and s.provider != "generic"]  # not tui/, requests.txt
        assert found == [("kilo_code", SESSION_ID)]


def _session_meta(isolated_home: Path) -> dict:
    data = isolated_home / ".local" / "share" / "kilo"
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy2(DB, data / "kilo.db")
    (start, end), = sql("SELECT time_created / 1000.0, time_updated / 1000.0 FROM session")
    os.utime(data / "kilo.db", (end, end))
    return {"tool": "kilo", "provider": "kilo_code", "cwd": CWD, "started_at_epoch": start - 1,
            "ended_at_epoch": end + 1, "argv": ["kilo"]}


def test_locate_the_sessions_own_rows(isolated_home: Path) -> None:
    meta = _session_meta(isolated_home)
    assert find_agent_logs(meta) == [isolated_home / ".local" / "share" / "kilo" / "kilo.db"]
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.commands_executed == 4
    assert parse_session_logs(dict(meta, cwd="/somewhere/else")) is None


def test_reported_cost_reaches_the_record_and_show(isolated_home: Path) -> None:
    """parse → session.json's cost → cost.json's row and show's tokens line: `(the agent reported $0.0039)`."""
    meta = _session_meta(isolated_home)
    folder = make_session(tool="kilo", cwd=CWD, started=meta["started_at_epoch"],
                          duration=meta["ended_at_epoch"] - meta["started_at_epoch"])
    rec = build_record(folder)
    (reported,), = sql(f"SELECT sum(json_extract(data, '$.cost')) {ASSISTANT}")
    assert rec["provider"] == "kilo_code" and rec["agent_session_id"] == SESSION_ID
    assert rec["cost"]["reported_usd"] == pytest.approx(reported, rel=1e-12)
    assert rec["cost"]["usd"] is None and rec["cost"]["unpriced"] == ["gpt-scripted"]  # aitrack's own: unknown model
    assert rollup_row(rec)["reported_usd"] == rec["cost"]["reported_usd"]  # what `aitrack cost` sums
    assert tokens_line(rec["metrics"], rec["cost"]) == (
        "tokens in 1,200 / out 240 · unpriced: gpt-scripted (the agent reported $0.0039)")
