"""OpenCode's opencode.db, as recorded from the real CLI (tests/data/agents/opencode, see
tests/e2e/record_sessions.py): exact counts, read-only access beside a live writer, the locator."""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from aitrack.parse import iter_sessions, parse_path
from aitrack.parse.locate import find_agent_logs, parse_session_logs

DATA = Path(__file__).resolve().parent.parent / "data" / "agents" / "opencode"
DB = DATA / ".local" / "share" / "opencode" / "opencode.db"
# Counted by hand with sqlite3 on the recording (json_extract over part/message, see the README):
SESSION_ID = "ses_dc7289d7effe3b2cxYsgwqkWsv"
CWD = "/tmp/record-opencode-4se58r_a/repo"
COMMANDS = ["git status --short", "git add notes.txt && git commit -m 'Add notes #42'",
            "ls tests-that-do-not-exist", "git log --oneline -2"]
START, END = 1796249969.281, 1796249982.970  # session.time_created / time_updated, in seconds


def test_counts_are_exact() -> None:
    s = parse_path(DB)
    m = s.metrics
    assert s.provider == "opencode" and s.detection.source == "structured"
    assert s.agent_session_id == SESSION_ID and s.cwd == CWD
    assert s.tool_version == "1.18.33"  # the session row's version column
    assert s.prompts == ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                         "Show the last two commits"]
    assert (m.user_prompts, m.tool_uses, m.commands_executed, m.git_operations) == (3, 5, 4, 4)
    assert s.tool_uses_by_name == {"apply_patch": 1, "bash": 4}
    assert [c.command for c in s.commands] == COMMANDS
    assert [c.exit_code for c in s.commands] == [0, 0, 2, 0]
    assert m.errors_encountered == 1 and [c.is_error for c in s.commands] == [False, False, True, False]
    assert s.files == ["notes.txt"] and m.files_touched == 1
    # 8 assistant messages of 150 in / 30 out each.
    assert (m.input_tokens, m.output_tokens, m.reasoning_output_tokens) == (1200, 240, 0)
    assert s.models == ["gpt-scripted"]
    assert s.issue_numbers == [42]
    assert s.started_at == "2026-12-02T22:19:29.281Z" and s.warnings == []


def test_window_keeps_only_what_was_written_then() -> None:
    assert len(list(iter_sessions(DB, window=(START, END)))) == 1
    later = list(iter_sessions(DB, window=(END + 3600, END + 7200)))
    assert [s.provider for s in later] == ["generic"]
    assert "no OpenCode session in the database in the time window" in later[0].warnings[0]


def _writable_copy(tmp_path: Path) -> Path:
    db = tmp_path / "opencode.db"
    shutil.copy2(DB, db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    return db


def test_read_beside_a_live_wal_writer(tmp_path: Path) -> None:
    """The agent holds a write transaction open (uncommitted rows in the WAL): we read the last
    committed snapshot, do not wait, and leave the writer free to commit."""
    db = _writable_copy(tmp_path)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) "
                   "SELECT 'prt_new', message_id, session_id, time_created, time_updated, data FROM part "
                   "WHERE data LIKE '%git log --oneline -2%' AND data LIKE '%\"type\":\"tool\"%'")
    s = parse_path(db)
    assert s.metrics.commands_executed == 4, "uncommitted rows must not be read"
    writer.execute("COMMIT")  # not blocked by our read
    writer.close()
    assert parse_path(db).metrics.commands_executed == 5


def test_never_writes_the_database(tmp_path: Path) -> None:
    db = tmp_path / "opencode.db"
    shutil.copy2(DB, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    parse_path(db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opencode.db"]


def test_folder_and_home_like_folder(tmp_path: Path) -> None:
    """The data folder or a HOME holding it: the session once, SQLite's -wal/-shm not parsed as logs."""
    home = tmp_path / "home"
    data = home / ".local" / "share" / "opencode"
    data.mkdir(parents=True)
    db = _writable_copy(data)
    keep = sqlite3.connect(db)  # keeps -wal and -shm on disk while we walk the folder
    keep.execute("SELECT count(*) FROM session").fetchall()
    try:
        assert {p.name for p in data.iterdir()} >= {"opencode.db", "opencode.db-wal", "opencode.db-shm"}
        for root in (data, home):
            sessions = list(iter_sessions(root))
            assert [(s.provider, s.agent_session_id) for s in sessions] == [("opencode", SESSION_ID)]
    finally:
        keep.close()


def test_other_sqlite_is_a_one_line_warning(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    s = parse_path(db)
    assert s.provider == "generic" and s.warnings == [f"{db}: SQLite database of no known agent log (opencode, kilo)"]


def test_locate_the_sessions_own_rows(isolated_home: Path) -> None:
    data = isolated_home / ".local" / "share" / "opencode"
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy2(DB, data / "opencode.db")
    meta = {"tool": "opencode", "provider": "opencode", "cwd": CWD, "started_at_epoch": START - 1,
            "ended_at_epoch": END + 1, "argv": ["opencode"]}
    os.utime(data / "opencode.db", (END, END))
    assert find_agent_logs(meta) == [data / "opencode.db"]
    s = parse_session_logs(meta)
    assert s is not None and s.agent_session_id == SESSION_ID and s.metrics.commands_executed == 4
    # Another project's session in the same database is not this one's.
    assert parse_session_logs(dict(meta, cwd="/somewhere/else")) is None
    # A database last written before the session began holds nothing of it.
    os.utime(data / "opencode.db", (START - 3600, START - 3600))
    assert find_agent_logs(meta) == []


@pytest.mark.parametrize("name", ["opencode.db-wal", "opencode.db-shm"])
def test_side_file_alone_is_not_skipped(tmp_path: Path, name: str) -> None:
    """Without its database beside it, a -wal file is just a file (parsed, not silently dropped)."""
    f = tmp_path / name
    f.write_bytes(b"x")
    assert len(list(iter_sessions(tmp_path))) == 1


def test_no_reported_cost_when_the_model_has_no_price() -> None:
    """OpenCode writes `cost: 0` for a model without configured prices: not "free", not reported."""
    with sqlite3.connect(f"file:{DB}?mode=ro", uri=True) as conn:
        costs = [r[0] for r in conn.execute("SELECT json_extract(data, '$.cost') FROM message "
                                            "WHERE json_extract(data, '$.role') = 'assistant'")]
    assert costs == [0] * 8
    s = parse_path(DB)
    assert s.reported_cost_usd is None
    # Each response is kept for aitrack's own pricing, with its model (Anthropic's token convention).
    assert [(u.model, u.input_tokens, u.output_tokens) for u in s.usage] == [("gpt-scripted", 150, 30)] * 8


def test_reported_cost_is_the_sum_of_the_messages_costs(tmp_path: Path) -> None:
    """A priced model: OpenCode's per-message `cost`, summed; the expected sum comes from sqlite3."""
    db = _writable_copy(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE message SET data = json_set(data, '$.cost', 0.0125 + (rowid % 3) * 0.001) "
                     "WHERE json_extract(data, '$.role') = 'assistant'")
        expected = conn.execute("SELECT sum(json_extract(data, '$.cost')) FROM message").fetchone()[0]
    assert expected > 0.1
    assert parse_path(db).reported_cost_usd == pytest.approx(expected, rel=1e-12)
