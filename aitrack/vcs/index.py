"""commit SHA → session ids, from the local session folders: `show`'s last resort after trailer and note.

Reading every journal on each `show` would grow with the number of sessions, so the answer is
cached in `<data dir>/cache/commit-index.json`, keyed by each file's (mtime, size): a `show` then
costs one directory scan and a stat per session, and re-reads only journals that changed.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from aitrack.paths import data_dir, sessions_dir
from aitrack.sessiondir import JOURNAL, RECORD, read_journal, write_bytes_atomic

VERSION = 1


def index_path() -> Path:
    return data_dir() / "cache" / "commit-index.json"


def _signature(folder: str) -> list[int]:
    # Plain strings, not Path: this runs once per session folder on every `show` that gets here.
    sig: list[int] = []
    for name in (JOURNAL, RECORD):
        try:
            st = os.stat(os.path.join(folder, name))
            sig += [st.st_mtime_ns, st.st_size]
        except OSError:
            sig += [0, 0]
    return sig


def _shas_of(folder: Path) -> list[str]:
    shas: list[str] = []
    for line in read_journal(folder).splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0] == "commit":
            shas.append(parts[1])
        elif len(parts) == 4 and parts[0] == "rewrite" and ":" in parts[1]:
            shas.extend(parts[1].split(":", 1))
    try:
        with open(folder / RECORD, encoding="utf-8") as fh:
            record = json.load(fh)
        shas.extend(str(c.get("sha")) for c in record.get("commits") or [] if isinstance(c, dict) and c.get("sha"))
    except (OSError, ValueError, AttributeError):
        pass
    return list(dict.fromkeys(s for s in shas if s))


def _load() -> dict[str, Any]:
    try:
        with open(index_path(), encoding="utf-8") as fh:
            data = json.load(fh)
        if isinstance(data, dict) and data.get("version") == VERSION:
            return data
    except (OSError, ValueError):
        pass
    return {"version": VERSION, "sessions": {}}


def _save(data: dict[str, Any]) -> None:
    path = index_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_bytes_atomic(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written is only slower next time


def refresh() -> dict[str, Any]:
    """Bring the cached index up to date with the session folders and return it."""
    data = _load()
    known: dict[str, Any] = data["sessions"]
    seen: set[str] = set()
    changed = False
    try:
        entries = list(os.scandir(sessions_dir()))
    except OSError:
        entries = []
    for entry in entries:
        if not entry.is_dir():
            continue
        seen.add(entry.name)
        sig = _signature(entry.path)
        cached = known.get(entry.name)
        if cached is None or cached.get("sig") != sig:
            known[entry.name] = {"sig": sig, "shas": _shas_of(Path(entry.path))}
            changed = True
    for gone in set(known) - seen:
        del known[gone]
        changed = True
    if changed:
        _save(data)
    return data


def sessions_for_commit(sha: str) -> list[str]:
    """Session ids whose journal or record names `sha` (full SHA), oldest session first."""
    data = refresh()
    return sorted(sid for sid, entry in data["sessions"].items() if sha in entry.get("shas", ()))
