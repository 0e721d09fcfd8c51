"""commit SHA → session ids, from the local session folders: `show`'s last resort after trailer and note.

Reading every journal on each `show` would grow with the number of sessions, so the answer is
cached in `<data dir>/cache/commit-index.json`, keyed by each file's (mtime, size): a `show` then
costs one directory scan and a stat per session, and re-reads only journals that changed. Paths
are str and the cache is read without json (aitrack/jsonread.py): pathlib, typing and json (with
re) would cost this path of `show` more than its stats.
"""
from __future__ import annotations

import os

from aitrack.capture.meta import JOURNAL
from aitrack.jsonread import read
from aitrack.paths import data_root

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

RECORD = "session.json"
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
    try:
        with open(os.path.join(folder, JOURNAL), encoding="utf-8", errors="replace") as fh:
            journal = fh.read()
        for line in journal.splitlines():
            parts = line.split("\t")
            if len(parts) == 4 and parts[0] == "commit":
                shas.append(parts[1])
            elif len(parts) == 4 and parts[0] == "rewrite" and ":" in parts[1]:
                shas.extend(parts[1].split(":", 1))
    except OSError:
        pass
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
        tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_dumps(data))
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is only slower next time


def refresh() -> dict[str, Any]:
    """Bring the cached index up to date with the session folders and return it."""
    data = _load()
    known: dict[str, Any] = data["sessions"]
    seen: set[str] = set()
    changed = False
    try:
        entries = list(os.scandir(os.path.join(data_root(), "sessions")))
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
