"""Where aitrack keeps its files. Standard library only: the capture hot path imports this.

pathlib is imported where a Path is made: `show` (timed against `git log -1`) uses the str
variants (`data_root`, `session_path`) and never pays for it.
"""
from __future__ import annotations

import os

from aitrack import sessiondir
from aitrack.sessiondir import folder_of, sessions_root, xdg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def data_root() -> str:
    """`data_dir` as a str, without pathlib (aitrack.sessiondir has the one rule)."""
    return sessiondir.data_dir()


def data_dir() -> Path:
    """`$AITRACK_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/aitrack`."""
    from pathlib import Path

    return Path(data_root())


def config_dir() -> Path:
    """`${XDG_CONFIG_HOME:-~/.config}/aitrack`."""
    from pathlib import Path

    return Path(xdg("XDG_CONFIG_HOME", ".config")) / "aitrack"


def config_file() -> Path:
    from pathlib import Path

    return Path(os.environ.get("AITRACK_CONFIG") or config_dir() / "config.toml")


def sessions_dir() -> Path:
    from pathlib import Path

    return Path(sessions_root())


def session_dir(session_id: str) -> Path:
    return sessions_dir() / session_id


def session_path(session_id: str) -> str:
    """`session_dir` as a str, without pathlib."""
    return folder_of(session_id)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) with mode 0700; tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path
