"""Where aitrack keeps its files. Standard library only: the capture hot path imports this.

pathlib is imported where a Path is made: `show` (timed against `git log -1`) uses the str
variants (`data_root`, `session_path`) and never pays for it.
"""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def data_root() -> str:
    """`$AITRACK_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/aitrack`, as a str (one rule:
    capture.places, which also refuses an unset or relative HOME)."""
    from aitrack.capture.places import data_dir as where

    return where()


def data_dir() -> Path:
    """`$AITRACK_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/aitrack`."""
    from pathlib import Path

    return Path(data_root())


def config_dir() -> Path:
    """`${XDG_CONFIG_HOME:-~/.config}/aitrack`."""
    from pathlib import Path

    from aitrack.capture.places import xdg

    return Path(xdg("XDG_CONFIG_HOME", ".config")) / "aitrack"


def config_file() -> Path:
    from pathlib import Path

    return Path(os.environ.get("AITRACK_CONFIG") or config_dir() / "config.toml")


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def session_dir(session_id: str) -> Path:
    return sessions_dir() / session_id


def session_path(session_id: str) -> str:
    """`session_dir` as a str, without pathlib."""
    return os.path.join(data_root(), "sessions", session_id)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) with mode 0700; tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path
