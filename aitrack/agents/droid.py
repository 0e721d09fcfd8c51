"""Factory droid (npm `droid`): one JSONL per session under ~/.factory/sessions/<cwd slug>/.

`<cwd with / as ->/<uuid>.jsonl` opens with a `session_start` record naming the cwd, then
Anthropic-style `message` records (parsed by aitrack.parse.droid); `<uuid>.settings.json` beside
it holds the session's token totals and model. Tested in print mode (`droid exec`) only: its TUI
asks for a Factory account login before anything else.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

NAME = "droid"
PROVIDER = "factory_droid"
LABEL = "Factory droid"
PARSER = "droid"  # aitrack.parse.droid
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"records": "droid session jsonl"}
SCREEN = "generic"  # no TUI patterns of its own: its TUI needs a login, print mode only
TESTED_VERSION = "0.215.0"
NPM_PACKAGE = "droid"  # its version is read from this package's package.json
INSTALL_HINT = "npm install -g droid"
NO_TRAILER = ""  # its Execute tool runs git with the session's hooks
READS = "prompts, tool calls by name (Execute commands with exit codes, Create/Edit files), tokens and model (settings.json), session id, cwd"
# Its hooks are Claude Code's (0.215: `hooks` in ~/.factory/settings.json, the same JSON on stdin,
# $CLAUDE_ENV_FILE read back into the environment of its later commands), SessionEnd in `droid exec`
# too; but a group without a `matcher` runs on SessionStart alone.
HOOK: dict[str, Any] = {"start": ("SessionStart",), "end": ("SessionEnd",)}


def home() -> Path:
    return Path(os.environ.get("FACTORY_HOME_OVERRIDE") or Path.home()) / ".factory"


def hook_spec() -> Any:
    from aitrack.agenthooks.specs import Spec

    return Spec(NAME, LABEL, lambda: home() / "settings.json", (*HOOK["start"], *HOOK["end"]), matcher="")


def sessions_dir() -> Path:
    return Path.home() / ".factory" / "sessions"


def log_roots() -> list[Path]:
    return [sessions_dir()]


def wanted(folder: Path, name: str) -> bool:
    return folder.parent.name == "sessions" and name.endswith(".jsonl")


def side_file(path: Path) -> bool:
    """`<uuid>.settings.json` beside `<uuid>.jsonl`: its tokens, read by the log's parser."""
    name = path.name
    return name.endswith(".settings.json") and path.with_name(name[: -len(".settings.json")] + ".jsonl").is_file()


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """Sessions of this cwd's folder begun in the window (or named by `-s <id>`)."""
    from aitrack.parse.locate import chain

    # droid turns each / into -; other characters are kept (both spellings looked at).
    slugs = {s for c in (cwd, real) for s in (c.replace("/", "-"), re.sub(r"[^A-Za-z0-9]", "-", c))}
    dirs = {sessions_dir() / s for s in slugs}
    files = sorted(f for d in dirs if d.is_dir() for f in d.glob("*.jsonl"))
    return chain(files, {cwd, real}, window, ids)
