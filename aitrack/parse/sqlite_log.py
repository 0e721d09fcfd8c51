"""Agents' SQLite logs, read with the standard library only: read-only, never locking a live writer.

The database is opened as `file:…?mode=ro` (no write, no journal, no -wal created by us) and read in
one transaction, which in WAL mode is a snapshot: the agent may keep writing meanwhile and is
never blocked. A busy rollback-journal writer makes us wait a little, then give up with a warning.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.request import pathname2url

MAGIC = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")


def is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == MAGIC
    except OSError:
        return False


def is_side_file(path: Path) -> bool:
    """`x.db-wal`, `x.db-shm`, `x.db-journal` beside `x.db`: part of that database, not a log."""
    name = path.name
    return any(name.endswith(s) and (path.parent / name[: -len(s)]).is_file() for s in SIDE_FILES)


def open_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection; the caller runs `BEGIN` for a consistent snapshot."""
    conn = sqlite3.connect(f"file:{pathname2url(str(path.resolve()))}?mode=ro", uri=True, timeout=2.0,
                           isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA query_only = 1")
    return conn


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
