"""A session folder's `meta.json`: what was run, where, when, and how it ended.

Written at the start (without `ended_at`) and completed at the end, each time atomically; a
session whose meta has no `ended_at` was interrupted (wrapper killed, machine down).

Fields: id, argv, tool, tool_path, provider, mode ("pty" | "exec"), cwd, git_root, git_head,
started_at (ISO 8601 UTC), started_at_epoch, ended_at, ended_at_epoch, exit_code, signal,
term_cols, term_rows, aitrack_version, pid, hostname, user.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

# Annotation-only imports: `typing` costs milliseconds on the wrapper's start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
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


def write_meta(session_dir: Path, meta: dict[str, Any]) -> None:
    """Replace meta.json atomically (0600), so a reader never sees half a file."""
    tmp = session_dir / (META + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=1, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, session_dir / META)


def read_meta(session_dir: Path) -> dict[str, Any]:
    with open(session_dir / META, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{session_dir / META}: not a JSON object")
    return data


def is_interrupted(meta: dict[str, Any]) -> bool:
    return meta.get("ended_at") is None
