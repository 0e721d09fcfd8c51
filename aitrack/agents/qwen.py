"""Qwen Code (npm `@qwen-code/qwen-code`, a Gemini CLI fork): Claude-like JSONL per session.

`~/.qwen/projects/<cwd with every non-alphanumeric as ->/chats/<uuid>.jsonl`: uuid/parentUuid
records with `sessionId`, `cwd`, `timestamp`, `type` (user, assistant, tool_result, system) and a
Gemini-style `message.parts` (parsed by aitrack.parse.qwen).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

NAME = "qwen"
PROVIDER = "qwen_code"
LABEL = "Qwen Code"
PARSER = "qwen"  # aitrack.parse.qwen
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"records": "qwen chat jsonl"}
SNIFF_RANK = 40  # the order its record shape is asked for (the loosest last)
SCREEN = "qwen"  # aitrack.parse.terminal.providers.qwen
SCREEN_RANK = 70  # its place in the screen detection order (a tie goes to the earlier)
GITAI = "qwen"  # git-ai's name for it
AGENT_TRACE = "alibaba"  # the Agent Trace vendor of its models
OTEL_SYSTEM = "qwen"  # OpenTelemetry gen_ai.provider.name
NPM_PACKAGE = "@qwen-code/qwen-code"  # its version is read from this package's package.json when the log has none
TESTED_VERSION = "0.24.4"
INSTALL_HINT = "npm install -g @qwen-code/qwen-code"
NO_TRAILER = ""
# Qwen Code 0.24 fires no SessionEnd in `qwen -p`: the watcher ends the session when its process exits.
# Its shell commands carry the session's id in QWEN_CODE_SESSION_ID: our git hooks find the session by it.
HOOK: dict[str, Any] = {"start": ("SessionStart",), "end": ("SessionEnd",), "turn_end": ("Stop",), "watched": True,
                        "child_id": "QWEN_CODE_SESSION_ID"}
READS = "prompts, tool calls by name (run_shell_command with exit codes, file writes/edits), tokens, model, session id"


def projects_dir() -> Path:
    return Path.home() / ".qwen" / "projects"


def log_roots() -> list[Path]:
    return [projects_dir()]


def wanted(folder: Path, name: str) -> bool:
    return folder.name == "chats" and name.endswith(".jsonl")


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """Chats of this cwd's project folder begun in the window (or named by `--resume <id>`)."""
    from aitrack.parse.locate import chain

    dirs = {projects_dir() / re.sub(r"[^A-Za-z0-9]", "-", c) / "chats" for c in (cwd, real)}
    files = sorted(f for d in dirs if d.is_dir() for f in d.glob("*.jsonl"))
    return chain(files, {cwd, real}, window, ids)


def hook_spec() -> Any:
    from aitrack.agenthooks.specs import Spec

    # Qwen Code (0.24) drops GIT_CONFIG_* from its settings' `env` and project .env files, not from
    # a home-scoped one: ~/.qwen/.env gets the block Gemini CLI's ~/.gemini/.env gets; its shell
    # commands carry QWEN_CODE_SESSION_ID, by which the session hooks find the session.
    return Spec(NAME, LABEL, lambda: Path.home() / ".qwen" / "settings.json",
                (*HOOK["start"], *HOOK["end"], *HOOK["turn_end"]),
                off_switches=((("hooksConfig", "enabled"), False),), seconds_unit=1000,
                dotenv=lambda: Path.home() / ".qwen" / ".env")
