"""Kilo Code CLI (npm `@kilocode/cli`, an OpenCode fork): OpenCode's SQLite schema, in its own place.

`${XDG_DATA_HOME:-~/.local/share}/kilo/kilo.db` holds OpenCode's `session`, `message` and `part`
tables (plus Kilo's own `kilo_*` tables, by which the parser tells the two apart), parsed by
aitrack.parse.opencode. Each assistant message carries the agent's own `cost` (USD), kept as the
session's reported cost.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from aitrack.agents.opencode import db_written_in, plugin_hook_spec

NAME = "kilo"
PROVIDER = "kilo_code"
LABEL = "Kilo Code"
PARSER = "opencode"  # aitrack.parse.opencode
SCREEN = "kilo"  # aitrack.parse.terminal.providers.kilo
SCREEN_RANK = 80  # its place in the screen detection order (a tie goes to the earlier)
TESTED_VERSION = "7.7.7"  # 7.8.1 (latest) does not install: its platform packages are missing
INSTALL_HINT = "npm install -g @kilocode/cli@7.7.7"
NPM_PACKAGE = "@kilocode/cli"  # its version is read from this package's package.json when the log has none
NO_TRAILER = ""  # its bash tool runs git with the session's hooks: commits carry the trailer
READS = ("prompts, tool calls by name (bash commands with exit codes, file writes/edits), tokens, model, "
         "the cost it reports, session id")
# OpenCode's plugin system: aitrack's plugin runs the hook with these names.
HOOK: dict[str, Any] = {"start": ("SessionStart",), "end": (), "turn_end": ("Stop",), "watched": True,
                        "prints_env": True}
DB_NAME = "kilo.db"


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "kilo"


def log_roots() -> list[Path]:
    """Where `aitrack import kilo` looks."""
    return [data_dir()]


def wanted(folder: Path, name: str) -> bool:
    return name == DB_NAME


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """The database when it was written during the session; rows are kept by cwd and time."""
    return db_written_in(data_dir() / DB_NAME, window)


def hook_spec() -> Any:
    return plugin_hook_spec(NAME, LABEL, HOOK, DB_NAME, "KILO_PURE", "@kilocode/plugin", (".kilocode", ".kilo"))
