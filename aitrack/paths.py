"""Where aitrack keeps its files. Standard library only: the capture hot path imports this."""
from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """`$AITRACK_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/aitrack` (one rule: capture.places)."""
    from aitrack.capture.places import data_dir as where

    return Path(where())


def config_dir() -> Path:
    """`${XDG_CONFIG_HOME:-~/.config}/aitrack`."""
    from aitrack.capture.places import xdg

    return Path(xdg("XDG_CONFIG_HOME", ".config")) / "aitrack"


def config_file() -> Path:
    return Path(os.environ.get("AITRACK_CONFIG") or config_dir() / "config.toml")


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def session_dir(session_id: str) -> Path:
    return sessions_dir() / session_id


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) with mode 0700; tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path
