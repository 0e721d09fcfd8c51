"""OpenHands CLI (PyPI `openhands` 1.16.0, Python 3.12): one folder per conversation under
~/.openhands/conversations/<hex id>/.

`base_state.json` names the conversation's id, its workspace (the cwd), its model and its token
usage; `events/event-NNNNN-<uuid>.json` hold one event each (both read by aitrack.parse.openhands,
the state file being the log). Its terminal tool runs commands in a `tmux -L openhands` server of its
own, which can outlive the CLI.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NAME = "openhands"
PROVIDER = "openhands"
LABEL = "OpenHands CLI"
PARSER = "openhands"  # aitrack.parse.openhands
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"document": "openhands base_state json"}
SNIFF_RANK = 26  # the order its record shape is asked for (the loosest last)
SNIFF_DOCUMENT = True
DOCUMENT_WINDOW = True  # its parse_document keeps the events stamped in the session's window
SCREEN = "openhands"  # aitrack.parse.terminal.providers.openhands
SCREEN_RANK = 130  # its place in the screen detection order (a tie goes to the earlier)
TESTED_VERSION = "1.16.0"
PYTHON_DIST = "openhands"  # its version is read from this distribution in its venv
INSTALL_HINT = "pip install openhands  (Python 3.12)"
NO_TRAILER = ""  # its terminal tool runs git with the session's hooks
READS = "prompts, tool calls by name (terminal commands with exit codes, file_editor files), tokens and model per response, its reported cost, session id, cwd"
# Its SDK's hooks (1.16: ~/.openhands/hooks.json, Claude Code's layout; the event's JSON names
# `event_type` and `working_dir`). Its terminal gives commands its own environment and no session
# id: a session its hook records has no trailer (the reflog scan and the note link its commits).
HOOK: dict[str, Any] = {"start": ("SessionStart",), "end": ("SessionEnd",)}
SLACK_BEFORE, SLACK_AFTER = 2.0, 5.0
_STATE_MAX = 16 * 1024 * 1024


def conversations_dir() -> Path:
    return Path.home() / ".openhands" / "conversations"


def hook_spec() -> Any:
    from aitrack.agenthooks.specs import Spec

    # A project's own .openhands/hooks.json, where there is one, is read instead of this file.
    return Spec(NAME, LABEL, lambda: Path.home() / ".openhands" / "hooks.json", (*HOOK["start"], *HOOK["end"]))


def log_roots() -> list[Path]:
    return [conversations_dir()]


def wanted(folder: Path, name: str) -> bool:
    return name == "base_state.json"


def side_file(path: Path) -> bool:
    """A conversation's events and saved outputs: read with its base_state.json, no sessions of their own."""
    parent = path.parent
    return parent.name in ("events", "observations") and (parent.parent / "base_state.json").is_file()


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """base_state.json of conversations in this cwd whose events were written in the window (or that
    `--resume <id>` named)."""
    found: list[tuple[float, Path]] = []
    try:
        folders = list(conversations_dir().iterdir())
    except OSError:
        return []
    for folder in folders:
        state = folder / "base_state.json"
        try:
            written = max((p.stat().st_mtime for p in (folder / "events").glob("event-*.json")),
                          default=state.stat().st_mtime)
        except OSError:
            continue
        resumed = any(folder.name in i.replace("-", "") for i in ids)
        if not resumed and not window[0] - SLACK_BEFORE <= written <= window[1] + SLACK_AFTER:
            continue
        try:
            with open(state, "rb") as fh:
                doc = json.loads(fh.read(_STATE_MAX))
            where = doc["workspace"]["working_dir"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if where in (cwd, real):
            found.append((written, state))
    return [p for _, p in sorted(found)]
