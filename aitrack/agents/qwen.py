"""Qwen Code (npm `@qwen-code/qwen-code`, a Gemini CLI fork): Claude-like JSONL per session.

`~/.qwen/projects/<cwd with every non-alphanumeric as ->/chats/<uuid>.jsonl`: uuid/parentUuid
records with `sessionId`, `cwd`, `timestamp`, `type` (user, assistant, tool_result, system) and a
Gemini-style `message.parts` (parsed by aitrack.parse.qwen).
"""
from __future__ import annotations

import re
from pathlib import Path

NAME = "qwen"
PROVIDER = "qwen_code"
TESTED_VERSION = "0.24.4"
INSTALL_HINT = "npm install -g @qwen-code/qwen-code"
NO_TRAILER = ""
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
