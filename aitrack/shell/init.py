"""Render the shell integration from the templates in aitrack/resources/shell/.

The templates are complete shell files (shellcheck / `zsh -n` / `fish -n` check them as they are);
three placeholders are replaced by quoted words: `@AITRACK_BIN@`, the aitrack command, the
`@AITRACK_LAUNCH@` file the functions run (resources/shell/launch.py with this Python in its
shebang), and `@AITRACK_TOOLS@`, the tools to wrap.

`write_files` keeps the rendered code in `<data dir>/shell/init.<shell>` beside the launcher: the rc
block sources that file, so a new shell starts no process (`aitrack init` costs ~25 ms a shell).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from aitrack.errors import AitrackError
from aitrack.sessiondir import write_bytes_atomic

SHELLS = ("bash", "zsh", "fish")
TEMPLATES = {"bash": "bash.sh", "zsh": "zsh.zsh", "fish": "fish.fish"}
# No `re` or `shlex` here: every interactive shell runs `aitrack init`, and they cost milliseconds.
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")


def template_path(name: str) -> str:
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "shell", name)


def template(name: str) -> str:
    # `aitrack init` runs on a new shell: read the file directly when the package is on disk
    # (importlib.resources costs milliseconds to import), else through importlib.resources.
    path = template_path(name)
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        from importlib import resources

        return resources.files("aitrack.resources").joinpath("shell").joinpath(name).read_text(encoding="utf-8")


def package_dir() -> str:
    """The folder holding the aitrack package (site-packages, or the checkout of an editable
    install): what the launcher and the command files put on sys.path, being run without site."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


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


def shell_dir() -> str:
    from aitrack.paths import data_dir

    return os.path.join(str(data_dir()), "shell")


def launcher_path() -> str:
    return os.path.join(shell_dir(), "launch")


def cache_path(shell: str) -> str:
    return os.path.join(shell_dir(), "init." + shell)


def _write_if_changed(path: str, text: str, mode: int) -> None:
    try:
        with open(path, encoding="utf-8") as fh:
            if fh.read() == text:
                return
    except OSError:
        pass
    # A shell starting now reads the old file or the new one, never half.
    write_bytes_atomic(path, text.encode("utf-8"), mode, exact_mode=True)


def write_files(shell: str, text: str | None) -> None:
    """The launcher and the rendered integration of `shell`, for the rc block to source."""
    from aitrack.paths import ensure_private_dir

    ensure_private_dir(Path(shell_dir()).parent)
    os.makedirs(shell_dir(), mode=0o700, exist_ok=True)
    launcher = template("launch.py").replace("@PYTHON@", sys.executable).replace('"@PACKAGE_DIR@"', repr(package_dir()))
    _write_if_changed(launcher_path(), launcher, 0o700)
    if text is not None and shell != "fish":  # fish runs `aitrack init fish` itself (its rc block has no cache test)
        _write_if_changed(cache_path(shell), text, 0o600)


def render(shell: str, tools: list[str], bin_path: str) -> str:
    if shell not in TEMPLATES:
        raise AitrackError(f"unsupported shell {shell!r}: choose one of {', '.join(SHELLS)}")
    check_tools(tools)
    if shell == "fish":
        bin_word, tools_word = fish_quote(bin_path), " ".join(fish_quote(t) for t in tools)
    else:
        bin_word, tools_word = sh_quote(bin_path), sh_quote(" ".join(tools))
    quote = fish_quote if shell == "fish" else sh_quote
    text = template(TEMPLATES[shell]).replace("@AITRACK_LAUNCH@", quote(launcher_path()))
    return text.replace("@AITRACK_BIN@", bin_word).replace("@AITRACK_TOOLS@", tools_word)
