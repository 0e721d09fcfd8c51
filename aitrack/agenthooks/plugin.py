"""OpenCode and Kilo: aitrack's hook as one JS plugin file in the agent's global plugins folder.

OpenCode (checked with 1.18.33) loads every `{plugin,plugins}/*.{ts,js}` of its global config
folder (`${XDG_CONFIG_HOME:-~/.config}/opencode`; Kilo 7.7.7, a fork: `…/kilo`) and calls the
plugin's `event` hook with every bus event and its `shell.env` hook before each bash command
(input: cwd, sessionID, callID; output: env). The file is ours alone (resources/agenthooks/
plugin.js, rendered with this installation's hook command): install writes it, uninstall
removes it and the folders made for it; a file of the same name without our first line is the
user's and is left alone.
"""
from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from aitrack.agenthooks import jsonconf
from aitrack.agenthooks.jsonconf import Outcome, Unusable

FIRST_LINE = "// aitrack-agent-hook:"
SCRIPT_LINE = "# aitrack-agent-hook:"  # a hook script's second line, after its `#!`


def render(label: str, agent: str, argv: list[str], log: str) -> str:
    text = files("aitrack").joinpath("resources", "agenthooks", "plugin.js").read_text(encoding="utf-8")
    for key, value in (("@AGENT_LABEL@", label), ("@AGENT@", agent), ("@HOOK_ARGV@", json.dumps(argv)),
                       ("@LOG_PATH@", json.dumps(log))):
        text = text.replace(key, value)
    return text


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise Unusable(f"{path}: cannot read it ({exc}); left alone") from None


def is_ours(text: str | None) -> bool:
    lines = (text or "").split("\n", 2)
    return text is not None and (lines[0].startswith(FIRST_LINE) or
                                 (lines[0].startswith("#!") and len(lines) > 1 and lines[1].startswith(SCRIPT_LINE)))


def script(label: str, event: str, argv: list[str]) -> str:
    """A hook file an agent runs by its `#!` line (Cline CLI: one file per event, no arguments)."""
    import shlex

    return (f"#!/bin/sh\n{SCRIPT_LINE} {label} runs aitrack's hook on {event} (aitrack agents uninstall removes this file)\n"
            f"exec {shlex.join(argv)}\n")


def install(key: str, path: Path, text: str, note: str = "") -> Outcome:
    current = _read(path)
    if current == text:
        return Outcome("already", str(path))
    if current is not None and not is_ours(current):
        raise Unusable(f"{path}: a file that is not aitrack's has this name; left alone")
    jsonconf.remember(key, path, None, text.encode("utf-8"), replaces_ours=True)
    return Outcome("updated" if current is not None else "installed", f"{path}{note if current is None else ''}")


def uninstall(key: str, path: Path) -> Outcome:
    current = _read(path)
    if not is_ours(current):
        jsonconf.forget(key)
        return Outcome("absent", str(path))
    state = jsonconf.read_state(key)
    path.unlink()
    jsonconf.remove_empty(state.get("created_dirs") or [])
    jsonconf.forget(key)
    return Outcome("removed", f"{path} removed")


def check(path: Path, text: str) -> tuple[str, str] | None:
    """None when the plugin is there as this installation renders it; else (state, why)."""
    try:
        current = _read(path)
    except Unusable as exc:
        return "unreadable", str(exc)
    if current is None:
        return "missing", f"{path} not there"
    if not is_ours(current):
        return "missing", f"{path} is not aitrack's"
    if current != text:
        return "stale", f"{path} runs another aitrack's hook (not this installation's)"
    return None
