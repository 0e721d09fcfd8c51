"""aitrack.paths without pathlib, for the two paths run before anything else.

`aitrack run` (before the tool starts) and `aitrack init` (in every new interactive shell) need
only the data dir and the config file; importing pathlib costs them milliseconds. tests/capture
checks that these agree with aitrack.paths.
"""
from __future__ import annotations

import os


def home() -> str:
    """$HOME when it is an absolute path, else the passwd entry's; never `~` or a relative path
    (HOME unset or empty made `./~/.local/share/aitrack` in the current directory)."""
    value = os.environ.get("HOME") or ""
    if not os.path.isabs(value):
        try:
            import pwd

            value = pwd.getpwuid(os.getuid()).pw_dir
        except (ImportError, KeyError):
            value = ""
    if not os.path.isabs(value):
        from aitrack.errors import AitrackError

        raise AitrackError("cannot find your home directory: set HOME (or AITRACK_HOME)")
    return value


def xdg(var: str, *default: str) -> str:
    """An XDG base directory; relative values are ignored, as the XDG spec says."""
    value = os.environ.get(var) or ""
    return value if os.path.isabs(value) else os.path.join(home(), *default)


def data_dir() -> str:
    """`$AITRACK_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/aitrack`."""
    explicit = os.environ.get("AITRACK_HOME")
    if explicit:
        return os.path.abspath(os.path.expanduser(explicit))
    return os.path.join(xdg("XDG_DATA_HOME", ".local", "share"), "aitrack")


def config_file() -> str:
    """`$AITRACK_CONFIG`, else `${XDG_CONFIG_HOME:-~/.config}/aitrack/config.toml`."""
    explicit = os.environ.get("AITRACK_CONFIG")
    if explicit:
        return explicit
    return os.path.join(xdg("XDG_CONFIG_HOME", ".config"), "aitrack", "config.toml")
