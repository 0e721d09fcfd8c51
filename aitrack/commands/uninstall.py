"""`aitrack uninstall`: remove what install.sh added (rc blocks, links, hooks, its virtualenv)."""
from __future__ import annotations

import sys

from aitrack import output


def uninstall(yes: bool = False) -> int:
    if not yes:
        if not sys.stdin.isatty():
            output.err("aitrack: not a terminal; pass --yes to uninstall without asking")
            return 1
        sys.stdout.write("Remove aitrack's shell integration, git hooks, links and virtualenv? [y/N] ")
        sys.stdout.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            output.out("Nothing removed.")
            return 1
    from aitrack.shell.install import uninstall as run_uninstall

    return run_uninstall()
