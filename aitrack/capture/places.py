"""aitrack.paths without pathlib, for the two paths run before anything else.

`aitrack run` (before the tool starts) and `aitrack init` (in every new interactive shell) need
only the data dir and the config file; importing pathlib costs them milliseconds. tests/capture
checks that these agree with aitrack.paths.
"""
from __future__ import annotations

import os


def data_dir() -> str:
    """`$AITRACK_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/aitrack`."""
    explicit = os.environ.get("AITRACK_HOME")
    if explicit:
        return os.path.expanduser(explicit)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "aitrack")


def config_file() -> str:
    """`$AITRACK_CONFIG`, else `${XDG_CONFIG_HOME:-~/.config}/aitrack/config.toml`."""
    explicit = os.environ.get("AITRACK_CONFIG")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "aitrack", "config.toml")
