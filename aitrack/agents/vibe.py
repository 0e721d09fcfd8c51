"""Mistral Vibe (PyPI `mistral-vibe`, Python >= 3.12): one folder per session under
~/.vibe/logs/session/unified/<uuid>/ (`$VIBE_HOME` in place of ~/.vibe).

`journal/NNNN.jsonl` is the harness's hash-chained journal (parsed by aitrack.parse.vibe) and
`meta.json` names the session id, its working directory and its start/end times, which is how the
session's own folder is found.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

NAME = "vibe"
PROVIDER = "mistral_vibe"
LABEL = "Mistral Vibe"
PARSER = "vibe"  # aitrack.parse.vibe
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"records": "vibe journal jsonl"}
SNIFF_RANK = 60  # the order its record shape is asked for (the loosest last)
SCREEN = "vibe"  # aitrack.parse.terminal.providers.vibe
SCREEN_RANK = 110  # its place in the screen detection order (a tie goes to the earlier)
TESTED_VERSION = "3.0.2"
PYTHON_DIST = "mistral_vibe"  # its version is read from this distribution in its venv
INSTALL_HINT = "pip install mistral-vibe  (Python >= 3.12)"
NO_TRAILER = ""  # its bash tool runs git with the session's hooks
READS = "prompts, tool calls by name (file_system.bash with return codes, write_file/edit files), tokens per response, model, session id, cwd"
SLACK_BEFORE, SLACK_AFTER = 2.0, 5.0
# Its hooks (`[[hooks]]` in $VIBE_HOME/hooks.toml, 3.0) have no session start or end: a turn's end
# (post_agent) and each tool call (pre_tool before the tool runs, post_tool). The first starts the
# session, the exit watcher ends it. They run under `sh -c` in its vibe-app-server child, whose
# parent (vibe-rs, exec'd by the `vibe` launcher) is the agent's process. Its shell commands get
# its environment, `$VIBE_HOME/.env` loaded into it (never over a variable already set), and
# VIBE_APP_SERVER_BIN (set by the launcher of a wheel install): the session hooks find the session
# by the agent's process among their ancestors.
HOOK: dict[str, Any] = {"start": ("pre_tool", "post_tool", "post_agent"), "end": (), "turn_end": ("post_agent",),
                        "lazy": True, "watched": True, "runner": "vibe-app-server",
                        "pid_indexed": "VIBE_APP_SERVER_BIN"}


def home() -> Path:
    value = os.environ.get("VIBE_HOME")
    return Path(value).expanduser() if value else Path.home() / ".vibe"


def sessions_dir() -> Path:
    return home() / "logs" / "session" / "unified"


def hook_spec() -> Any:
    from aitrack.agenthooks.specs import Spec

    return Spec(NAME, LABEL, lambda: home() / "hooks.toml", HOOK["start"], toml_hooks="type", toml_named=True,
                dotenv=lambda: home() / ".env")


def log_roots() -> list[Path]:
    return [sessions_dir()]


def wanted(folder: Path, name: str) -> bool:
    return folder.name == "journal" and name.endswith(".jsonl")


def side_file(path: Path) -> bool:
    """Everything in a session folder but its journal (meta.json, CURRENT, chunks/, generations/):
    read by the journal's parser where it needs them."""
    parts = path.parts
    for i in range(len(parts) - 2):
        if parts[i] == "unified" and (Path(*parts[: i + 2]) / "meta.json").is_file():
            rest = parts[i + 2:]
            return not (len(rest) == 2 and rest[0] == "journal" and rest[1].endswith(".jsonl"))
    return False


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """Journal files of session folders whose meta.json names this cwd and starts in the window (or
    whose id the command line named, `--resume <id>`)."""
    from aitrack.parse.values import parse_time

    found: list[tuple[float, Path]] = []
    try:
        folders = list(sessions_dir().iterdir())
    except OSError:
        return []
    for folder in folders:
        try:
            meta = json.loads((folder / "meta.json").read_bytes()[: 1024 * 1024])
        except (OSError, ValueError):
            continue
        env = _dict(_dict(meta).get("environment"))
        if env.get("working_directory") not in (cwd, real):
            continue
        stamp = meta.get("start_time")
        when = parse_time(stamp) if isinstance(stamp, str) else None
        start = when.timestamp() if when else None
        resumed = any(folder.name in i for i in ids)
        if resumed or (start is not None and window[0] - SLACK_BEFORE <= start <= window[1] + SLACK_AFTER):
            journals = sorted(p for p in (folder / "journal").glob("*.jsonl") if _size(p))
            found.extend((start or 0.0, p) for p in journals)
    return [p for _, p in sorted(found)]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
