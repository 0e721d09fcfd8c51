"""aider (PyPI `aider-chat`): a Markdown chat history at the repository root, appended by every run.

`.aider.chat.history.md` (parsed by aitrack.parse.aider: `#### ` prompts, `> ` tool output, its
token and cost lines); its header's local start time keeps only this session's part.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

NAME = "aider"
PROVIDER = "aider"
LABEL = "aider"
TESTED_VERSION = "0.86.2"
INSTALL_HINT = "pipx install aider-chat"
PYTHON_DIST = "aider_chat"
NO_TRAILER = "commits with --no-verify"
READS = "prompts, shell commands it ran, files it edited, commits, tokens and cost from its own lines, model"
BY_CWD = False  # its history names no cwd: locate chose it by folder
PARSER = "aider"
# What its parser reads (records, a document, text, a database) → the label of its evidence.
LOG_FORMATS = {"text": "aider chat history"}
SCREEN = "aider"
SCREEN_RANK = 40  # its place in the screen detection order (a tie goes to the earlier)
HISTORY = ".aider.chat.history.md"
# A history sits at a repository's top: `aitrack import aider` does not crawl a whole home.
WALK_DEPTH = 4
GITAI = "aider"  # git-ai's name for it
ARGS_ARE_FILES = True  # `aider a.py b.py`: its words are files to edit, its ask is a prompt or --message


def with_screen(session: Any, transcript: str) -> None:
    """`/run`'s output and failure: only the screen has them."""
    from aitrack.parse.aider import run_results

    run_results(session, transcript)


def log_roots() -> list[Path]:
    return [Path.cwd()]  # aider writes its history into the repository it ran in


def wanted(folder: Path, name: str) -> bool:
    return name == HISTORY or name.endswith(".chat.history.md")


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    """The history at the repository root (or the cwd) when it was written during the session."""
    from aitrack.parse.locate import written_in

    for root in _parents(Path(real)):
        history = root / HISTORY
        if history.is_file() and written_in(history, window):
            return [history]
    return []


def _parents(path: Path) -> list[Path]:
    # aider writes its history at the repository root; stop at the first folder holding .git.
    out = []
    for p in (path, *path.parents):
        out.append(p)
        if (p / ".git").exists():
            break
    return out if (out[-1] / ".git").exists() else [path]
