"""Kimi CLI (PyPI `kimi-cli` 1.51.0, Python 3.13): one folder per session under ~/.kimi/sessions/<md5(cwd)>/.

`<session uuid>/wire.jsonl` is its event log (parsed by aitrack.parse.kimi); `context.jsonl` (the
model's messages) and `state.json` (approvals, title) sit beside it, and `~/.kimi/kimi.json` names the
work directories. The cwd's md5 names the folder, so the session's own log is found without
opening another project's. 1.52.0 on PyPI is a stub that pipes a vendor install script to bash.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

NAME = "kimi"
PROVIDER = "kimi_cli"
LABEL = "Kimi CLI"
PARSER = "kimi"  # aitrack.parse.kimi
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"records": "kimi wire jsonl"}
SNIFF_RANK = 70  # the order its record shape is asked for (the loosest last)
SCREEN = "kimi"  # aitrack.parse.terminal.providers.kimi
SCREEN_RANK = 120  # its place in the screen detection order (a tie goes to the earlier)
TESTED_VERSION = "1.51.0"
PYTHON_DIST = "kimi_cli"  # its version is read from this distribution in its venv
INSTALL_HINT = "pip install kimi-cli==1.51.0  (Python 3.13; 1.52.0 is an installer stub)"
NO_TRAILER = ""  # its Shell tool runs git with the session's hooks
READS = "prompts, tool calls by name (Shell commands with exit codes, WriteFile/StrReplaceFile files), tokens per response, session id, cwd (kimi.json)"
SLACK_BEFORE, SLACK_AFTER = 2.0, 5.0
# Its hooks (`[[hooks]]` in config.toml, 1.51) fire SessionStart and SessionEnd in every mode, print
# mode too. Its shell commands get its own environment and no session id: a session its hook
# records has no trailer (the reflog scan and the note link its commits).
HOOK: dict[str, Any] = {"start": ("SessionStart",), "end": ("SessionEnd",)}
_SIDE = ("context.jsonl", "state.json")


def home() -> Path:
    return Path(os.environ.get("KIMI_SHARE_DIR") or Path.home() / ".kimi")


def sessions_dir() -> Path:
    return home() / "sessions"


def hook_spec() -> Any:
    from aitrack.agenthooks.specs import Spec

    return Spec(NAME, LABEL, lambda: home() / "config.toml", (*HOOK["start"], *HOOK["end"]), toml_hooks="event")


def log_roots() -> list[Path]:
    return [sessions_dir()]


def wanted(folder: Path, name: str) -> bool:
    return name == "wire.jsonl"


def side_file(path: Path) -> bool:
    """context.jsonl and state.json beside a wire.jsonl, and ~/.kimi/kimi.json (the work-dir index
    the wire's parser reads): no sessions of their own."""
    name = path.name
    if name in _SIDE:
        return (path.parent / "wire.jsonl").is_file()
    return name == "kimi.json" and (path.parent / "sessions").is_dir()


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """wire.jsonl of this cwd's session folders written in the window (or named by `-r <id>`)."""
    found: list[tuple[float, Path]] = []
    for where in dict.fromkeys((cwd, real)):
        folder = sessions_dir() / hashlib.md5(where.encode()).hexdigest()
        try:
            sessions = list(folder.iterdir())
        except OSError:
            continue
        for session in sessions:
            wire = session / "wire.jsonl"
            try:
                written = wire.stat().st_mtime
            except OSError:
                continue
            resumed = any(session.name in i for i in ids)
            # Written during the session (a resumed session appends to its old wire: parsed in the window).
            if resumed or window[0] - SLACK_BEFORE <= written <= window[1] + SLACK_AFTER:
                found.append((written, wire))
    return [p for _, p in sorted(found)]
