"""`aitrack init bash|zsh|fish`: print the shell integration to eval (no click: see main.py)."""
from __future__ import annotations

from aitrack import output
from aitrack.errors import AitrackError


def init(shell: str) -> int:
    from aitrack.config import tools
    from aitrack.shell.init import aitrack_bin, render

    try:
        text = render(shell, tools(), aitrack_bin())
    except AitrackError as exc:
        output.err(f"aitrack: {exc}")
        # Still valid shell code: the rc file must not break because of a bad tool list.
        output.out("# aitrack: " + str(exc).replace("\n", " "))
        return 1
    output.out(text.rstrip("\n"))
    return 0
