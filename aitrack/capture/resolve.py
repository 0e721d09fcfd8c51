"""Find the real tool on PATH, skipping aitrack's own entry points.

A user may have put a `claude` shim in front of the real one (a symlink to `claude-with-tracking`,
a copy of aitrack's console script, a script carrying the `aitrack-shim` marker): running that
again from the wrapper would record the session twice or loop forever.
"""
from __future__ import annotations

import os
import sys

SHIM_MARKER = b"aitrack-shim"
_SCRIPT_MARKERS = (SHIM_MARKER, b"aitrack.main", b"from aitrack")


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def is_ours(path: str) -> bool:
    """True for aitrack's console scripts, `*-with-tracking` commands and marked shims."""
    real = os.path.realpath(path)
    name = os.path.basename(real)
    if name == "aitrack" or name.endswith("-with-tracking"):
        return True
    if sys.argv and sys.argv[0] and real == os.path.realpath(sys.argv[0]):
        return True
    try:
        with open(real, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return False
    # Only scripts can be ours; a binary that merely contains the bytes is not.
    return head.startswith(b"#!") and any(m in head for m in _SCRIPT_MARKERS)


def resolve(tool: str, path_env: str | None = None) -> str | None:
    """Absolute path of the first `tool` on PATH that is not aitrack's, or None."""
    if "/" in tool:
        return os.path.abspath(tool) if _executable(tool) else None
    search = os.environ.get("PATH", os.defpath) if path_env is None else path_env
    for entry in search.split(os.pathsep):
        candidate = os.path.join(entry or ".", tool)
        if _executable(candidate) and not is_ours(candidate):
            return os.path.abspath(candidate)
    return None
