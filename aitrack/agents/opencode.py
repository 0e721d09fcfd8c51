"""OpenCode (npm `opencode-ai`): one SQLite database for every session of every project.

`${XDG_DATA_HOME:-~/.local/share}/opencode/opencode.db` (WAL mode) holds tables `session`
(id, directory, title, version, time_created/updated in ms), `message` (role, model, tokens in the
JSON `data`) and `part` (text, tool calls with their input/output/exit, step markers); parsed by
aitrack.parse.opencode. The session's own rows are the ones of its cwd inside its time window.
"""
from __future__ import annotations

import json
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


SDK = "@opencode-ai/plugin"  # what OpenCode adds to each config folder's node_modules


def hook_spec() -> Any:
    return plugin_hook_spec(NAME, LABEL, HOOK, DB_NAME, "OPENCODE_PURE", SDK, (".opencode",))


def plugin_hook_spec(name: str, label: str, hook: dict[str, Any], db_name: str, pure_env: str, sdk: str,
                     home_dirs: tuple[str, ...]) -> Any:
    """The hook of OpenCode or a fork of it (Kilo): aitrack's plugin in `<config>/<name>/plugins/`.
    `home_dirs`: the folders in HOME it also reads as config folders (OpenCode's `~/.opencode`)."""
    from aitrack.agenthooks.specs import Spec

    # Its global config folder loads `{plugin,plugins}/*.{js,ts}`; `--pure` (`pure_env`) none.
    def plugin() -> Path:  # read when used: XDG_CONFIG_HOME may change after import
        return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / name / "plugins" / "aitrack.js"

    def opt_in() -> str:
        homes = [Path.home() / d for d in home_dirs]  # config folders only where they exist
        return sdk_fetch([plugin().parent.parent, *(h for h in homes if h.is_dir())], sdk, name)

    return Spec(name, label, plugin,
                (*hook["start"], *hook["turn_end"]), plugin_log=f"{name}/{db_name}", off_env=(pure_env,),
                opt_in=opt_in)


def sdk_fetch(folders: list[Path], sdk: str, name: str) -> str:
    """Why a plugin would hold OpenCode (or Kilo) at start: "" when it would not.

    At every start OpenCode forks an npm install of its plugin SDK into each config folder (the
    global one, `~/.opencode` when there is one, a project's `.opencode`) and, once it has any
    plugin, waits for those installs before it starts. Its Npm.install does nothing in a folder it
    cannot write, or that has `node_modules/` and a package-lock.json listing every dependency of
    its package.json and the SDK: what one start online leaves there. Anywhere else it fetches
    (offline: until npm gives up, over a minute, at every start)."""
    for folder in folders:
        if folder.is_dir() and not os.access(folder, os.W_OK):
            continue
        lock = _deps(folder / "package-lock.json", ("packages", ""))
        wanted = _deps(folder / "package.json", ()) | {sdk}
        if not (folder / "node_modules").is_dir() or not wanted <= lock:
            return (f"a plugin makes {name} fetch its plugin SDK ({sdk}) from npm into {folder} and wait for it "
                    f"before it starts, until the folder has it (offline: over a minute, every start); start "
                    f"{name} online once, then `aitrack agents install`")
    return ""


def _deps(path: Path, keys: tuple[str, ...]) -> set[str]:
    """The dependency names of a package.json (or of a lock file's `packages[""]`)."""
    try:
        with open(path, encoding="utf-8") as fh:
            node: Any = json.load(fh)
    except (OSError, ValueError):
        return set()
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return set()
    kinds = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
    return {dep for kind in kinds if isinstance(node.get(kind), dict) for dep in node[kind]}
