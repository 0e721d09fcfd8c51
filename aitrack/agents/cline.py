"""Cline CLI (npm `cline`): one folder per session under ~/.cline/data/sessions/ (`$CLINE_DIR`,
`$CLINE_DATA_DIR`, `$CLINE_SESSION_DATA_DIR` move it).

`<ts>_<id>/<id>.messages.json` holds `{"version", "sessionId", "messages": [...]}` with Anthropic-style
content blocks (`text`, `tool_use`, `tool_result`), each assistant message with `modelInfo` and
`metrics` (parsed by aitrack.parse.cline); `<id>.json` beside it is the metadata (cwd, times).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

NAME = "cline"
PROVIDER = "cline"
LABEL = "Cline CLI"
PARSER = "cline"  # aitrack.parse.cline
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"document": "cline messages json"}
SNIFF_RANK = 22  # the order its record shape is asked for (the loosest last)
SNIFF_DOCUMENT = True
SIDE_DOCUMENT = "is_metadata"  # `<id>.json` beside the messages file
SCREEN = "cline"  # aitrack.parse.terminal.providers.cline
SCREEN_RANK = 90  # its place in the screen detection order (a tie goes to the earlier)
TESTED_VERSION = "3.0.65"
INSTALL_HINT = "npm install -g cline"
NPM_PACKAGE = "cline"  # its version is read from this package's package.json when the log has none
# Set for the tool by `aitrack run` unless the user set it: by default Cline starts a hub daemon that
# outlives the session and runs later sessions' commands in this one's environment (wrong trailer).
CHILD_ENV = {"CLINE_SESSION_BACKEND_MODE": "local"}
SLACK_BEFORE, SLACK_AFTER = 2.0, 5.0
META_BYTES = 4 * 1024 * 1024
NO_TRAILER = ""  # its run_commands tool runs git with the session's hooks
READS = "prompts, tool calls by name (run_commands with each command's result), tokens, model, session id"
# Its hooks (3.0.65): one file per event in $CLINE_DIR/hooks (~/.cline/hooks), run by its `#!`
# line with the event's JSON on stdin. No event ends a session (SessionShutdown: a run aborted):
# TaskStart (TaskResume) opens each turn, TaskComplete ends it, and they are not waited for, so
# either may come first; the exit watcher ends the session. `sessionContext.rootSessionId` is the
# session's id (its folder's name). By default Cline starts a hub daemon that runs every later
# session (and its hooks): there the session's own process is the newest cline in the hook's
# directory. Its shell commands get the hosting process's environment and nothing a hook or a
# setting adds: no trailer (the reflog scan and the note link its commits).
HOOK: dict[str, Any] = {"start": ("TaskStart", "TaskResume", "TaskComplete"), "end": (), "turn_end": ("TaskComplete",),
                        "lazy": True, "watched": True, "hub": "--cline-hub-daemon",
                        "log": "~/.cline/data/sessions/{sid}/{sid}.messages.json"}


def home() -> Path:
    value = os.environ.get("CLINE_DIR")
    return Path(value).expanduser() if value else Path.home() / ".cline"


def sessions_dir() -> Path:
    value = os.environ.get("CLINE_SESSION_DATA_DIR")
    if value:
        return Path(value).expanduser()
    data = os.environ.get("CLINE_DATA_DIR")
    return (Path(data).expanduser() if data else home() / "data") / "sessions"


def hook_spec() -> Any:
    from aitrack.agenthooks.specs import Spec

    return Spec(NAME, LABEL, lambda: home() / "hooks", HOOK["start"], scripts=True)


def log_roots() -> list[Path]:
    return [sessions_dir()]


def wanted(folder: Path, name: str) -> bool:
    return name.endswith(".messages.json")


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """Session folders whose metadata (`<id>.json`) names this cwd and starts inside the window (or
    whose id the command line named, `--id <id>`), written during it: their messages files."""
    from aitrack.parse.values import parse_time

    found = []
    try:
        folders = list(sessions_dir().iterdir())
    except OSError:
        return []
    for folder in folders:
        meta, messages = folder / f"{folder.name}.json", folder / f"{folder.name}.messages.json"
        try:
            if max(meta.stat().st_mtime, messages.stat().st_mtime) < window[0] - SLACK_BEFORE:
                continue
            with open(meta, "rb") as fh:
                data = json.loads(fh.read(META_BYTES) or b"{}")
        except (OSError, ValueError):
            continue
        data = _dict(data)
        if data.get("cwd") not in (cwd, real):
            continue
        when = parse_time(data.get("started_at")) if isinstance(data.get("started_at"), str) else None
        start = when.timestamp() if when else None
        named = folder.name in ids
        if named or (start is not None and window[0] - SLACK_BEFORE <= start <= window[1] + SLACK_AFTER):
            found.append((start or 0.0, messages))
    return [p for _, p in sorted(found)]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
