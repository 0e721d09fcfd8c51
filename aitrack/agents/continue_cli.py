"""Continue CLI (npm `@continuedev/cli`, command `cn`): one JSON document per session.

`~/.continue/sessions/<uuid>.json` holds `{sessionId, title, workspaceDirectory, history: [...],
usage}`; each history item a `message` (role, content, `toolCalls` on assistant messages) and
`toolCallStates` (status, output) — parsed by aitrack.parse.continue_cli. `sessions.json` beside
them is Continue's index, not a session.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

NAME = "cn"
PROVIDER = "continue_cli"
LABEL = "Continue CLI"
PARSER = "continue_cli"  # aitrack.parse.continue_cli
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"document": "continue session json"}
SNIFF_RANK = 24  # the order its record shape is asked for (the loosest last)
SNIFF_DOCUMENT = True
SIDE_DOCUMENT = "is_index"  # sessions.json, its index of the session files
SCREEN = "continue_cli"  # aitrack.parse.terminal.providers.continue_cli
SCREEN_RANK = 100  # its place in the screen detection order (a tie goes to the earlier)
TESTED_VERSION = "1.5.47"
INSTALL_HINT = "npm install -g @continuedev/cli"
NPM_PACKAGE = "@continuedev/cli"  # its version is read from this package's package.json when the log has none
SLACK_BEFORE, SLACK_AFTER = 2.0, 5.0
INDEX_BYTES = 16 * 1024 * 1024
DOC_BYTES = 256 * 1024 * 1024
NO_TRAILER = ""  # its Bash tool runs git with the session's hooks
READS = "prompts, tool calls by name (Bash commands with their output), model, session id, cwd"


def sessions_dir() -> Path:
    return Path.home() / ".continue" / "sessions"


def log_roots() -> list[Path]:
    return [sessions_dir()]


def wanted(folder: Path, name: str) -> bool:
    return name.endswith(".json") and name != "sessions.json"


def created(folder: Path) -> dict[str, float]:
    """sessionId → creation time (epoch seconds) from Continue's index, `sessions.json`."""
    try:
        with open(folder / "sessions.json", "rb") as fh:
            index = json.loads(fh.read(INDEX_BYTES) or b"[]")
    except (OSError, ValueError):
        return {}
    out = {}
    for row in index if isinstance(index, list) else []:
        stamp = row.get("dateCreated") if isinstance(row, dict) else None
        if not isinstance(stamp, (str, int, float)):
            continue
        try:
            out[str(row["sessionId"])] = float(stamp) / 1000  # epoch ms, written as a string
        except (KeyError, ValueError):
            continue
    return out


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """Session files of this cwd written during the session and created inside its window (the
    index says when; a file it does not list yet counts by its write time), or any written during
    it when the command line resumed one (`--resume`, `--fork <id>`)."""
    root = sessions_dir()
    try:
        files = [f for f in root.glob("*.json") if f.name != "sessions.json"]
    except OSError:
        return []
    born = created(root)
    resumed = any("--resume" in i or "--fork" in i for i in ids)
    found = []
    for f in files:
        try:
            written = os.stat(f).st_mtime
            if written < window[0] - SLACK_BEFORE:
                continue
            with open(f, "rb") as fh:  # only files written during the session are read whole
                doc = json.loads(fh.read(DOC_BYTES) or b"{}")
        except (OSError, ValueError):
            continue
        if _dict(doc).get("workspaceDirectory") not in (cwd, real):
            continue
        start = born.get(f.stem, written)
        if resumed or f.stem in ids or window[0] - SLACK_BEFORE <= start <= window[1] + SLACK_AFTER:
            found.append((start, f))
    return [p for _, p in sorted(found)]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
