"""A session folder's `meta.json`: what was run, where, when, and how it ended.

Written at the start (without `ended_at`) and completed at the end, each time atomically; a
session whose meta has no `ended_at` was interrupted (wrapper killed, machine down).

Fields: id, argv, tool, tool_path, provider, mode ("pty" | "exec"), cwd, git_root, git_head,
started_at (ISO 8601 UTC), started_at_epoch, ended_at, ended_at_epoch, exit_code, signal,
term_cols, term_rows, aitrack_version, pid, pid_start (its start time: pids are reused), hostname,
user; also git_branch, and recording_complete (false when a write failed mid-session, e.g. a full
disk). A session killed by a signal has exit_code 128+n and signal n, as the shell reports it.

Standard library and no pathlib: the wrapper imports this before the tool starts. Functions take
a str or a Path.
"""
from __future__ import annotations

import os
import time

# Annotation-only imports: `typing` and `pathlib` cost milliseconds on the wrapper's start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from collections.abc import Callable
    from typing import Any

META = "meta.json"
OUTPUT = "output.raw"
TIMING = "timing"
JOURNAL = "commits"  # written by the git hooks; see aitrack/vcs


def new_session_id(now: float | None = None) -> str:
    """Sortable by start time, unique across parallel sessions: `20261127T031959123Z-4f3a9c`."""
    now = time.time() if now is None else now
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
    return f"{stamp}{int(now * 1000) % 1000:03d}Z-{os.urandom(3).hex()}"


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch * 1000) % 1000:03d}Z"


def dumps(obj: Any) -> str:
    """`json.dumps(obj, indent=1, sort_keys=True)` without importing json.

    `import json` pulls in `re` (json.decoder), a few milliseconds the wrapper would spend before
    the tool starts. meta.json holds plain values; anything else goes through json itself.
    tests/capture checks the two agree.
    """
    quote: Callable[[str], str] | None
    try:
        from _json import encode_basestring_ascii as quote
    except ImportError:  # another Python implementation
        quote = None
    if quote is not None:
        try:
            return _dump(obj, 0, quote)
        except TypeError:
            pass
    import json

    return json.dumps(obj, indent=1, sort_keys=True)


def _dump(obj: Any, level: int, quote: Callable[[str], str]) -> str:
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    kind = type(obj)
    if kind is str:
        return quote(obj)
    if kind is int:
        return int.__repr__(obj)
    if kind is float and obj == obj and obj not in (float("inf"), float("-inf")):
        return float.__repr__(obj)
    pad, inner = "\n" + " " * level, "\n" + " " * (level + 1)
    if kind in (list, tuple):
        if not obj:
            return "[]"
        return "[" + ",".join(inner + _dump(v, level + 1, quote) for v in obj) + pad + "]"
    if kind is dict and all(type(k) is str for k in obj):
        if not obj:
            return "{}"
        items = (inner + quote(k) + ": " + _dump(obj[k], level + 1, quote) for k in sorted(obj))
        return "{" + ",".join(items) + pad + "}"
    raise TypeError(kind)


def write_meta(session_dir: str | Path, meta: dict[str, Any]) -> None:
    """Replace meta.json atomically (0600), so a reader never sees half a file."""
    tmp = os.path.join(session_dir, META + ".tmp")
    data = (dumps(meta) + "\n").encode("utf-8")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.replace(tmp, os.path.join(session_dir, META))


def read_meta(session_dir: str | Path) -> dict[str, Any]:
    import json

    path = os.path.join(session_dir, META)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a JSON object")
    return data


def is_interrupted(meta: dict[str, Any]) -> bool:
    return meta.get("ended_at") is None
