"""Where each agent keeps its logs, and which files under a PATH are worth parsing."""
from __future__ import annotations

import os
from pathlib import Path

from aitrack import agents

AGENTS = ("claude", "codex", "gemini", "aider", *agents.NAMES)
PROVIDER = {"claude": "claude_code", "codex": "openai_codex", "gemini": "gemini_cli", "aider": "aider",
            **agents.TOOL_PROVIDERS}
AIDER_HISTORY = ".aider.chat.history.md"
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", "subagents"}


def default_roots(agent: str) -> list[Path]:
    home = Path.home()
    if agent == "claude":
        return [Path(os.environ.get("CLAUDE_CONFIG_DIR") or home / ".claude") / "projects"]
    if agent == "codex":
        return [Path(os.environ.get("CODEX_HOME") or home / ".codex") / "sessions"]
    if agent == "gemini":
        return [home / ".gemini" / "tmp"]
    if agent in agents.BY_NAME:
        roots: list[Path] = agents.BY_NAME[agent].log_roots()  # a module's attributes are Any
        return roots
    return [Path.cwd()]  # aider writes its history into the repository it ran in


def files_for(agent: str, roots: list[Path]) -> list[Path]:
    """Log files of `agent` under `roots` (files given directly are taken as they are)."""
    out: list[Path] = []
    for root in roots:
        if root.is_file():
            out.append(root)
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
            depth = Path(folder).relative_to(root).parts
            if agent == "aider" and len(depth) >= 4:
                dirs[:] = []  # a history sits at a repository's top: do not crawl a whole home
            for name in sorted(names):
                if _wanted(agent, Path(folder), name):
                    out.append(Path(folder) / name)
    return list(dict.fromkeys(out))


def _wanted(agent: str, folder: Path, name: str) -> bool:
    if agent == "claude":
        return name.endswith(".jsonl")
    if agent == "codex":
        return name.endswith(".jsonl")
    if agent in agents.BY_NAME:
        wanted: bool = agents.BY_NAME[agent].wanted(folder, name)  # a module's attributes are Any
        return wanted
    if agent == "gemini":  # chats/session-*.json(l); logs.json holds prompts only
        return folder.name == "chats" and name.endswith((".json", ".jsonl"))
    return name == AIDER_HISTORY or name.endswith(".chat.history.md")
