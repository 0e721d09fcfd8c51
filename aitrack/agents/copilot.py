"""GitHub Copilot CLI (npm `@github/copilot`): one folder per session under ~/.copilot/session-state/.

`<uuid>/events.jsonl` holds typed events (parsed by aitrack.parse.copilot); its first event,
`session.start`, names the cwd and the start time, which is how the session's own file is found.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NAME = "copilot"
PROVIDER = "copilot_cli"
LABEL = "GitHub Copilot CLI"
PARSER = "copilot"  # aitrack.parse.copilot
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"records": "copilot events jsonl"}
SNIFF_RANK = 20  # the order its record shape is asked for (the loosest last)
SCREEN = "copilot"  # aitrack.parse.terminal.providers.copilot
SCREEN_RANK = 60  # its place in the screen detection order (a tie goes to the earlier)
GITAI = "copilot"  # git-ai's name for it
OTEL_SYSTEM = "github_copilot"  # OpenTelemetry gen_ai.provider.name
NPM_PACKAGE = "@github/copilot"  # its version is read from this package's package.json when the log has none
TESTED_VERSION = "1.0.102"
INSTALL_HINT = "npm install -g @github/copilot"
NO_TRAILER = ""  # its bash tool runs git with the session's hooks
READS = "prompts, tool calls by name (bash commands with exit codes, apply_patch files), tokens, model, session id"
# User-level hooks in ~/.copilot/settings.json; the event JSON is camelCase and names no log.
HOOK: dict[str, Any] = {"start": ("sessionStart",), "end": ("sessionEnd",), "turn_end": ("agentStop",),
                        "watched": True, "log": "~/.copilot/session-state/{sid}/events.jsonl"}
SLACK_BEFORE, SLACK_AFTER = 2.0, 5.0


def state_dir() -> Path:
    return Path.home() / ".copilot" / "session-state"


def log_roots() -> list[Path]:
    return [state_dir()]


def wanted(folder: Path, name: str) -> bool:
    return name == "events.jsonl"


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """Session folders whose first event names this cwd and starts inside the window (or that the
    command line named, `--resume=<uuid>`), written during it."""
    from aitrack.parse.values import parse_time

    found = []
    root = state_dir()
    try:
        folders = list(root.iterdir())
    except OSError:
        return []
    for folder in folders:
        events = folder / "events.jsonl"
        try:
            if events.stat().st_mtime < window[0] - SLACK_BEFORE:
                continue
            with open(events, "rb") as fh:
                first = json.loads(fh.readline(4 * 1024 * 1024) or b"{}")
        except (OSError, ValueError):
            continue
        data = _dict(first.get("data")) if isinstance(first, dict) else {}
        ctx = _dict(data.get("context"))
        if ctx.get("cwd") not in (cwd, real):
            continue
        when = parse_time(data.get("startTime")) if isinstance(data.get("startTime"), str) else None
        start = when.timestamp() if when else None
        resumed = any(folder.name in i for i in ids)  # `--resume=<uuid>` or `--resume <uuid>`
        if resumed or (start is not None and window[0] - SLACK_BEFORE <= start <= window[1] + SLACK_AFTER):
            found.append((start or 0.0, events))
    return [p for _, p in sorted(found)]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def hook_spec() -> Any:
    import os

    from aitrack.agenthooks.specs import Spec

    # Copilot CLI (1.0.102): user-level hooks in settings.json (`copilot help config`: "In the user
    # settings.json these act as user-level hooks"); `disableAllHooks` switches them off. Its shell
    # commands get its own environment: no trailer (README).
    def settings() -> Path:
        return Path(os.environ.get("COPILOT_HOME") or Path.home() / ".copilot") / "settings.json"

    return Spec(NAME, LABEL, settings, (*HOOK["start"], *HOOK["end"], *HOOK["turn_end"]),
                flat=True, off_switches=((("disableAllHooks",), True),))
