"""OpenCode (npm `opencode-ai`): one SQLite database for every session of every project.

`${XDG_DATA_HOME:-~/.local/share}/opencode/opencode.db` (WAL mode) holds tables `session`
(id, directory, title, version, time_created/updated in ms), `message` (role, model, tokens in the
JSON `data`) and `part` (text, tool calls with their input/output/exit, step markers); parsed by
aitrack.parse.opencode. The session's own rows are the ones of its cwd inside its time window.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

NAME = "opencode"  # the command a person types
PROVIDER = "opencode"  # tags.provider
LABEL = "OpenCode"
PARSER = "opencode"  # aitrack.parse.opencode
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"sqlite": "opencode db"}  # its parse_db reads Kilo's database too (told apart by its tables)
SCREEN = "opencode"  # aitrack.parse.terminal.providers.opencode
SCREEN_RANK = 50  # its place in the screen detection order (a tie goes to the earlier)
GITAI = "opencode"  # git-ai's name for it
NPM_PACKAGE = "opencode-ai"  # its version is read from this package's package.json when the log has none
TESTED_VERSION = "1.18.33"
INSTALL_HINT = "npm install -g opencode-ai"
NO_TRAILER = ""  # its bash tool runs git with the session's hooks: commits carry the trailer
READS = "prompts, tool calls by name (bash commands with exit codes, file writes/edits), tokens, model, session id"
# No hook commands: aitrack's plugin (resources/agenthooks/plugin.js) runs the hook with these names.
HOOK: dict[str, Any] = {"start": ("SessionStart",), "end": (), "turn_end": ("Stop",), "watched": True,
                        "prints_env": True}
DB_NAME = "opencode.db"
# SQLite's own side files: never a log to parse on their own.
SIDE_FILES = ("-wal", "-shm", "-journal")


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "opencode"


def log_roots() -> list[Path]:
    """Where `aitrack import opencode` looks."""
    return [data_dir()]


def wanted(folder: Path, name: str) -> bool:
    """A file under a root that holds OpenCode sessions."""
    return name == DB_NAME


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """The database when it was written during the session; its rows are filtered by cwd and time
    when parsed (aitrack.parse.opencode)."""
    return db_written_in(data_dir() / DB_NAME, window)


def db_written_in(db: Path, window: tuple[float, float]) -> list[Path]:
    """[db] when it (or its -wal) was written since the window began (shared with Kilo, a fork)."""
    stamps = []
    for suffix in ("", "-wal"):
        try:
            stamps.append(os.stat(f"{db}{suffix}").st_mtime)
        except OSError:
            pass
    return [db] if stamps and max(stamps) >= window[0] - 2.0 else []


def hook_spec() -> Any:
    return plugin_hook_spec(NAME, LABEL, HOOK, DB_NAME, "OPENCODE_PURE")


def plugin_hook_spec(name: str, label: str, hook: dict[str, Any], db_name: str, pure_env: str) -> Any:
    """The hook of OpenCode or a fork of it (Kilo): aitrack's plugin in `<config>/<name>/plugins/`."""
    from aitrack.agenthooks.specs import Spec

    # Its global config folder loads `{plugin,plugins}/*.{js,ts}`; `--pure` (`pure_env`) none.
    def plugin() -> Path:  # read when used: XDG_CONFIG_HOME may change after import
        return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / name / "plugins" / "aitrack.js"

    return Spec(name, label, plugin,
                (*hook["start"], *hook["turn_end"]), plugin_log=f"{name}/{db_name}", off_env=(pure_env,),
                opt_in=("a plugin makes it fetch its plugin SDK from npm and wait for it before it starts "
                        "(offline: until npm gives up, over a minute)"))
