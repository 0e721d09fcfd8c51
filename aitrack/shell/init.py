"""Render the shell integration from the templates in aitrack/resources/shell/.

The templates are complete shell files (shellcheck / `zsh -n` / `fish -n` check them as they are);
two placeholders are replaced by quoted words: `@AITRACK_BIN@`, the aitrack command the functions
call, and `@AITRACK_TOOLS@`, the tools to wrap.
"""
from __future__ import annotations

import os
import sys

from aitrack.errors import AitrackError

SHELLS = ("bash", "zsh", "fish")
TEMPLATES = {"bash": "bash.sh", "zsh": "zsh.zsh", "fish": "fish.fish"}
# No `re` or `shlex` here: every interactive shell runs `aitrack init`, and they cost milliseconds.
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")


def template(name: str) -> str:
    # Every interactive shell runs `aitrack init`: read the file directly when the package is on
    # disk (importlib.resources costs milliseconds to import), else through importlib.resources.
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "shell", name)
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        from importlib import resources

        return resources.files("aitrack.resources").joinpath("shell").joinpath(name).read_text(encoding="utf-8")


def sh_quote(word: str) -> str:
    """POSIX single quotes, like shlex.quote but always quoted."""
    return "'" + word.replace("'", "'\"'\"'") + "'"


def fish_quote(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


def aitrack_bin() -> str:
    """The aitrack command to call: the one running now (so a venv install works off PATH)."""
    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) == "aitrack" and os.access(argv0, os.X_OK):
        return os.path.abspath(argv0)
    candidate = os.path.join(os.path.dirname(sys.executable), "aitrack")
    return candidate if os.access(candidate, os.X_OK) else "aitrack"


def check_tools(tools: list[str]) -> list[str]:
    for tool in tools:
        if not tool or tool[0] in ".+-" or not set(tool) <= _NAME_CHARS:
            raise AitrackError(f"cannot wrap {tool!r}: a tool name may hold letters, digits and _ . + - only "
                               "(check AITRACK_TOOLS or `tools` in the config file)")
    return tools


def render(shell: str, tools: list[str], bin_path: str) -> str:
    if shell not in TEMPLATES:
        raise AitrackError(f"unsupported shell {shell!r}: choose one of {', '.join(SHELLS)}")
    check_tools(tools)
    if shell == "fish":
        bin_word, tools_word = fish_quote(bin_path), " ".join(fish_quote(t) for t in tools)
    else:
        bin_word, tools_word = sh_quote(bin_path), sh_quote(" ".join(tools))
    text = template(TEMPLATES[shell])
    return text.replace("@AITRACK_BIN@", bin_word).replace("@AITRACK_TOOLS@", tools_word)
