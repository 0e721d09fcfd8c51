"""Claude Code (npm `@anthropic-ai/claude-code`): one JSONL file per session, per project.

`${CLAUDE_CONFIG_DIR:-~/.claude}/projects/<cwd with non-alphanumerics as ->/<id>.jsonl` (parsed by
aitrack.parse.claude), its sub-agents in `<id>/subagents/agent-*.jsonl`. Its hook system
(settings.json `hooks`) records sessions started without the shell function; SessionStart hands the
session's environment to its Bash tool through `$CLAUDE_ENV_FILE`.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

NAME = "claude"
PROVIDER = "claude_code"
LABEL = "Claude Code"
TESTED_VERSION = "2.1.332"
INSTALL_HINT = "npm install -g @anthropic-ai/claude-code"
NPM_PACKAGE = "@anthropic-ai/claude-code"
NO_TRAILER = ""  # its Bash tool runs git with the session's hooks
READS = ("prompts, tool calls by name (Bash commands with exit codes, file edits), tokens (input, output, cache) "
         "and model per response, sub-agents, session id, cwd and branch")
BY_CWD = False  # its files are this cwd's already (locate chose them by folder)
PARSER = "claude"
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"records": "claude jsonl"}
SPLIT = True  # its parse_records splits a file by session id
SCREEN = "claude"
SCREEN_RANK = 10  # its place in the screen detection order (a tie goes to the earlier)
# The loosest record shape of all (a `type` and a `message`): every other parser is asked first.
SNIFF_RANK = 90
HOOK: dict[str, Any] = {"start": ("SessionStart",), "end": ("SessionEnd",)}
PRICES = "anthropic"  # genai-prices' provider id for its models
GITAI = "claude"  # git-ai's name for it
AGENT_TRACE = "anthropic"  # the Agent Trace vendor of its models
OTEL_SYSTEM = "anthropic"  # OpenTelemetry gen_ai.provider.name


def config_dir() -> Path:
    return Path(os.environ.get("CLAUDE_CONFIG_DIR") or Path.home() / ".claude")


def log_roots() -> list[Path]:
    return [config_dir() / "projects"]


def wanted(folder: Path, name: str) -> bool:
    return name.endswith(".jsonl")


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """The project folder's session files that chain in the window, and their sub-agents'."""
    from aitrack.parse.locate import chain, written_in

    root = config_dir() / "projects"
    dirs = {root / re.sub(r"[^A-Za-z0-9]", "-", c) for c in (cwd, real)}
    files = [f for d in dirs if d.is_dir() for f in d.glob("*.jsonl")]
    chosen = chain(files, {cwd, real}, window, ids)
    for main in list(chosen):  # sub-agents of the chosen sessions, written in the window too
        subs = sorted((main.parent / main.stem / "subagents").glob("agent-*.jsonl"))
        chosen.extend(s for s in subs if written_in(s, window))
    return chosen


def live_feeder(evidence: str, path: str, budget: Any) -> Any:
    """Its parser fed one record at a time (aitrack.parse.incremental: the live updater)."""
    from aitrack.parse.claude import _Claude

    return _Claude("", evidence, path, budget)


def hook_spec() -> Any:
    from aitrack.agenthooks.specs import Spec

    return Spec(NAME, LABEL, lambda: config_dir() / "settings.json", (*HOOK["start"], *HOOK["end"]),
                off_switches=((("disableAllHooks",), True),))
