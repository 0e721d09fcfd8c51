"""The command files install.sh puts in ~/.local/bin (`aitrack`, `<tool>-with-tracking`): the
console scripts' entry points, run by `python -S` (resources/shell/command.py).

pip's console scripts start a full `site` (every .pth file of the environment) and import `re`
before the first line of aitrack runs: a third of what `aitrack show` costs above `python -c pass`.
A command file is marked (MARKER), so install rewrites and uninstall removes only its own. Where
none can be written (the interpreter's path has white space, which a `#!` line cannot hold; no
entry point known), install links pip's script instead, as before.
"""
from __future__ import annotations

import os
import sys

from aitrack.shell.init import package_dir, template

MARKER = "# aitrack-command:"


def entry_points() -> dict[str, tuple[str, str]]:
    """{command: (module, function)} of the installed aitrack distribution's console scripts."""
    from importlib import metadata

    try:
        eps = metadata.distribution("aitrack").entry_points
    except metadata.PackageNotFoundError:
        return {}
    return {ep.name: (ep.module, ep.attr) for ep in eps if ep.group == "console_scripts"}


def text(name: str, python: str | None = None) -> str | None:
    """The command file for console script `name`, or None when there cannot be one."""
    python = python or sys.executable
    entry = entry_points().get(name)
    if entry is None or not python or any(ch.isspace() for ch in python) or len(python) > 120:
        return None  # Linux reads 127 bytes of a #! line at most (older kernels)
    module, function = entry
    return (template("command.py").replace("@PYTHON@", python).replace('"@PACKAGE_DIR@"', repr(package_dir()))
            .replace('"@MODULE@"', repr(module)).replace('"@FUNCTION@"', repr(function)))


def is_ours(path: str | os.PathLike[str]) -> bool:
    """A regular file that install wrote (not a link, not someone's own script)."""
    if os.path.islink(path) or not os.path.isfile(path):
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return any(line.startswith(MARKER) for line in (fh.readline(), fh.readline()))
    except OSError:
        return False


def write(path: str | os.PathLike[str], content: str) -> bool:
    """Put `content` at `path` (0755) unless it is there already; True when written."""
    try:
        with open(path, encoding="utf-8") as fh:
            if fh.read() == content and os.access(path, os.X_OK):
                return False
    except OSError:
        pass
    tmp = f"{os.fspath(path)}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(content)
    os.chmod(tmp, 0o755)
    os.replace(tmp, path)  # a shell running the command now gets the old file or the new one
    return True
