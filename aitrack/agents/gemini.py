"""Gemini CLI (npm `@google/gemini-cli`): one chat file per session, per project.

`~/.gemini/tmp/<sha256(cwd) or project name>/chats/session-*.json[l]` (parsed by
aitrack.parse.gemini); a name-keyed folder says whose it is in `.project_root`. Its hooks
(settings.json, ~/.gemini/.env for the git environment) record sessions started without the shell
function; its shell commands carry no session id, so our git hooks find it by its process.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

NAME = "gemini"
PROVIDER = "gemini_cli"
LABEL = "Gemini CLI"
TESTED_VERSION = "0.61.0"
INSTALL_HINT = "npm install -g @google/gemini-cli"
NPM_PACKAGE = "@google/gemini-cli"
NO_TRAILER = ""  # see doctor(): it depends on whether session hooks are on
READS = ("prompts, tool calls by name (run_shell_command with exit codes, write_file/replace files), tokens "
         "(prompt, candidates, cached, thoughts) and model per response, session id")
BY_CWD = False  # its chats name no cwd: locate chose them by folder
PARSER = "gemini"
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"records": "gemini chat jsonl", "document": "gemini chat json"}
SNIFF_RANK = 30  # the order its record shape is asked for (the loosest last)
FORCED_DOCUMENT = "any"  # `--provider gemini_cli` reads any JSON document as a chat
SCREEN = "gemini"
SCREEN_RANK = 30  # its place in the screen detection order (a tie goes to the earlier)
# Its shell commands carry no session id, only GEMINI_CLI=1: our git hooks find the session by the
# agent's process among their ancestors.
HOOK: dict[str, Any] = {"start": ("SessionStart",), "end": ("SessionEnd",), "pid_indexed": "GEMINI_CLI"}
PRICES = "google"  # genai-prices' provider id for its models
GITAI = "gemini"
AGENT_TRACE = "google"
OTEL_SYSTEM = "gcp.gemini"


def gemini_dir() -> Path:
    return Path.home() / ".gemini"


def log_roots() -> list[Path]:
    return [gemini_dir() / "tmp"]


def wanted(folder: Path, name: str) -> bool:
    # chats/session-*.json(l); logs.json beside them holds prompts only
    return folder.name == "chats" and name.endswith((".json", ".jsonl"))


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """Chats of the project folder (hash of the cwd, or the name projects.json gives it)."""
    from aitrack.parse.locate import chain

    root = gemini_dir() / "tmp"
    names = {hashlib.sha256(c.encode()).hexdigest() for c in (cwd, real)} | {Path(real).name}
    try:
        projects = json.loads((gemini_dir() / "projects.json").read_text("utf-8")).get("projects", {})
        names |= {v for k, v in projects.items() if k in (cwd, real) and isinstance(v, str)}
    except (OSError, ValueError, AttributeError):
        pass
    files: list[Path] = []
    for name in names:
        chats = root / name / "chats"
        if not chats.is_dir() or not _dir_is(root / name, name, {cwd, real}):
            continue
        files.extend(f for f in chats.rglob("session-*.json*") if f.suffix in (".json", ".jsonl"))
    # The folder already says whose files these are; a chat names no cwd of its own.
    return chain(sorted(files), {cwd, real}, window, ids, where_default=cwd)


def _dir_is(folder: Path, name: str, cwds: set[str]) -> bool:
    # A name-keyed folder (newer CLIs) says whose it is in `.project_root`; a hash folder is exact.
    marker = folder / ".project_root"
    if marker.is_file():
        try:
            return marker.read_text("utf-8").strip() in cwds
        except OSError:
            return False
    return re.fullmatch(r"[0-9a-f]{64}", name) is not None


# Gemini CLI (0.61.0, checked against the real CLI) runs its shell commands with `core.hooksPath=`
# added through GIT_CONFIG_COUNT but keeps GIT_CONFIG_PARAMETERS, which git reads last: a session's
# own hooks folder wins, hooks installed in the repository are switched off.
SESSION_HOOKS_NOTE = ("gemini: its commits carry the Aitrack-Session trailer (the session's hooks outrank the "
                      "empty core.hooksPath it gives git; checked with Gemini CLI 0.61)")
REPO_HOOKS_NOTE = ("gemini: its commits carry no Aitrack-Session trailer (it gives git an empty core.hooksPath, "
                   "which turns off hooks installed in the repository; checked with Gemini CLI 0.61); "
                   "they are linked through the session's reflog scan and the git note")


def doctor() -> str:
    """What doctor says about its commits, beside its version."""
    from aitrack.vcs.sessionhooks import session_hooks_enabled

    return SESSION_HOOKS_NOTE if session_hooks_enabled() else REPO_HOOKS_NOTE


def with_screen(session: Any, transcript: str) -> None:
    """Its exit summary counts every request, the router's too; its chat log does not."""
    from aitrack.parse.gemini import summary_usage

    usage = summary_usage(transcript)
    m = session.metrics
    if usage is None or usage["input_tokens"] < (m.input_tokens or 0) or usage["output_tokens"] < (m.output_tokens or 0):
        return  # no summary on screen (print mode), or one of an earlier run in the same terminal
    m.input_tokens, m.output_tokens = usage["input_tokens"], usage["output_tokens"]
    m.cache_read_input_tokens = max(usage["cache_read_input_tokens"], m.cache_read_input_tokens or 0)


def hook_spec() -> Any:
    from aitrack.agenthooks.specs import Spec

    return Spec(NAME, LABEL, lambda: gemini_dir() / "settings.json", (*HOOK["start"], *HOOK["end"]),
                off_switches=((("hooksConfig", "enabled"), False),), seconds_unit=1000,
                dotenv=lambda: gemini_dir() / ".env")
