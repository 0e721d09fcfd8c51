"""`aitrack init bash|zsh|fish`: print the shell integration to eval (no click: see main.py)."""
from __future__ import annotations

from aitrack import output
from aitrack.agents import facts
from aitrack.errors import AitrackError


def init(shell: str) -> int:
    import os

    from aitrack.shell.init import aitrack_bin, render, write_files

    try:
        text = render(shell, _tools(), aitrack_bin())
    except AitrackError as exc:
        output.err(f"aitrack: {exc}")
        # Still valid shell code: the rc file must not break because of a bad tool list.
        output.out("# aitrack: " + str(exc).replace("\n", " "))
        return 1
    try:
        # The launcher always; the cached code only for the configured tools (AITRACK_TOOLS set in
        # one shell must not change the next one's). A read-only data dir costs speed, not function.
        write_files(shell, text if os.environ.get("AITRACK_TOOLS") is None else None)
    except OSError:
        pass
    output.out(text.rstrip("\n"))
    return 0


DEFAULT_TOOLS = facts.SHELL_TOOLS  # = aitrack.config.DEFAULT_TOOLS, without importing it


def _tools() -> list[str]:
    """aitrack.config.tools(), without importing it (typing, tomllib, re) when there is no config file."""
    import os

    from aitrack.sessiondir import config_file

    if os.environ.get("AITRACK_TOOLS") is None and not os.path.exists(config_file()):
        return list(DEFAULT_TOOLS)
    from aitrack import config

    return config.tools()
