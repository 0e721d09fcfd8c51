"""commit SHA → session ids, from the local session folders: `show`'s last resort after trailer and note.

Reading every journal on each `show` would grow with the number of sessions, so the answer is
cached in `<data dir>/cache/commit-index.json`, keyed by each file's (mtime, size): a `show` then
costs one directory scan and a stat per session, and re-reads only journals that changed. Paths
are str and the cache is read without json (aitrack/jsonread.py): pathlib, typing and json (with
re) would cost this path of `show` more than its stats.
"""
from __future__ import annotations

import os

from aitrack.jsonread import read
from aitrack.paths import data_root
from aitrack.sessiondir import JOURNAL, RECORD, SESSIONS, read_journal, write_bytes_atomic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

VERSION = 1


def index_path() -> str:
    return os.path.join(data_root(), "cache", "commit-index.json")


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


def _shas_of(folder: str) -> list[str]:
    shas: list[str] = []
    for line in read_journal(folder).splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0] == "commit":
            shas.append(parts[1])
        elif len(parts) == 4 and parts[0] == "rewrite" and ":" in parts[1]:
            shas.extend(parts[1].split(":", 1))
    try:
        record = read(os.path.join(folder, RECORD))
        shas.extend(str(c.get("sha")) for c in record.get("commits") or [] if isinstance(c, dict) and c.get("sha"))
    except (OSError, ValueError, AttributeError):
        pass
    return list(dict.fromkeys(s for s in shas if s))


def _well_formed(entry: object) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("sig"), list) and isinstance(entry.get("shas"), list) \
        and all(isinstance(n, int) for n in entry["sig"])


def _load() -> dict[str, Any]:
    try:
        data = read(index_path())
        if isinstance(data, dict) and data.get("version") == VERSION and isinstance(data.get("sessions"), dict) \
                and all(_well_formed(e) for e in data["sessions"].values()):
            return data
    except (OSError, ValueError):
        pass
    return {"version": VERSION, "sessions": {}}


def _dumps(data: dict[str, Any]) -> str:
    """The index as JSON, written by hand for its one shape: json would cost `show` `re` (the
    index is rewritten whenever a session's journal changed)."""
    from _json import encode_basestring_ascii as quote  # json.dumps's own string encoder

    parts = []
    for sid, entry in data["sessions"].items():
        sig = ",".join(str(int(n)) for n in entry["sig"])
        shas = ",".join(quote(str(sha)) for sha in entry["shas"])
        parts.append(f'{quote(sid)}:{{"sig":[{sig}],"shas":[{shas}]}}')
    return f'{{"version":{int(data["version"])},"sessions":{{{",".join(parts)}}}}}'


def _save(data: dict[str, Any]) -> None:
    path = index_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True, mode=0o700)
        write_bytes_atomic(path, _dumps(data).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written is only slower next time


def refresh() -> dict[str, Any]:
    """Bring the cached index up to date with the session folders and return it."""
    data = _load()
    known: dict[str, Any] = data["sessions"]
    seen: set[str] = set()
    changed = False
    try:
        entries = list(os.scandir(os.path.join(data_root(), SESSIONS)))
    except OSError:
        entries = []
    for entry in entries:
        if not entry.is_dir():
            continue
        seen.add(entry.name)
        sig = _signature(entry.path)
        cached = known.get(entry.name)
        if cached is None or cached.get("sig") != sig:
            known[entry.name] = {"sig": sig, "shas": _shas_of(entry.path)}
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
