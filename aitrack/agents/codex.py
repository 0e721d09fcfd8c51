"""OpenAI Codex CLI (npm `@openai/codex`): one rollout JSONL per session, in date folders.

`${CODEX_HOME:-~/.codex}/sessions/YYYY/MM/DD/rollout-*.jsonl` (parsed by aitrack.parse.codex), the
cwd in its `session_meta` payload. Its hooks.json (plus trust and the shell environment in
config.toml) records sessions started without the shell function; its shell commands carry
CODEX_THREAD_ID, by which our git hooks find the session.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

NAME = "codex"
PROVIDER = "openai_codex"
LABEL = "Codex"
TESTED_VERSION = "0.171.0"
INSTALL_HINT = "npm install -g @openai/codex"
NPM_PACKAGE = "@openai/codex"
NO_TRAILER = ""  # its shell tool runs git with the session's hooks
READS = ("prompts, tool calls by name (exec_command / shell commands with exit codes, apply_patch files), "
         "tokens (input, cached, output, reasoning) and model per turn, session id, cwd")
BY_CWD = False  # locate chose its rollouts by their session_meta cwd
PARSER = "codex"
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"records": "codex rollout", "document": "codex rollout (single JSON)"}
SNIFF_RANK = 10  # the order its record shape is asked for (the loosest last)
SNIFF_DOCUMENT = True
FORCED_DOCUMENT = "dict"  # `--provider openai_codex` reads any JSON object as a rollout
SCREEN = "codex"
SCREEN_RANK = 20  # its place in the screen detection order (a tie goes to the earlier)
# Codex 0.171 fires no SessionEnd in `codex exec`: the watcher ends the session when its process exits.
# Its shell commands carry the session's id in CODEX_THREAD_ID: our git hooks find the session by it.
HOOK: dict[str, Any] = {"start": ("SessionStart",), "end": ("SessionEnd",), "turn_end": ("Stop",), "watched": True,
                        "child_id": "CODEX_THREAD_ID"}
PRICES = "openai"  # genai-prices' provider id for its models
GITAI = "codex"
AGENT_TRACE = "openai"
OTEL_SYSTEM = "openai"


def home() -> Path:
    return Path(os.environ.get("CODEX_HOME") or Path.home() / ".codex")


def log_roots() -> list[Path]:
    return [home() / "sessions"]


def wanted(folder: Path, name: str) -> bool:
    return name.endswith(".jsonl")


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """Rollouts of the date folders around the window whose `session_meta` names the cwd."""
    from aitrack.parse.locate import chain

    root = home() / "sessions"
    files: list[Path] = []
    day = window[0] - 86400  # date folders are local dates; look a day either side
    while day <= window[1] + 86400:
        folder = root / time.strftime("%Y/%m/%d", time.localtime(day))
        if folder.is_dir():
            files.extend(folder.glob("rollout-*.jsonl"))
        day += 86400
    return chain(sorted(set(files)), {cwd, real}, window, ids, nested="payload")


def live_feeder(evidence: str, path: str, budget: Any) -> Any:
    """Its parser fed one record at a time (aitrack.parse.incremental: the live updater)."""
    from aitrack.parse.codex import _Codex

    feeder = _Codex(evidence, path)
    feeder.b.budget = budget
    return feeder


def hook_spec() -> Any:
    from aitrack.agenthooks.specs import Spec

    return Spec(NAME, LABEL, lambda: home() / "hooks.json", (*HOOK["start"], *HOOK["end"], *HOOK["turn_end"]),
                toml=lambda: home() / "config.toml",
                timeout=3)  # Codex clamps a SessionEnd hook's timeout to 3 s, with a warning on screen
