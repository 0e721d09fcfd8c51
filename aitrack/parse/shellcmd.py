"""Shell command lines as the agents logged them: one display string, and the git operations inside.

`git_operations` counts each `git <subcommand>` of a command line: chained commands (`&&`, `||`, `;`,
`|`, newlines, `$(…)`) are counted separately, global options before the subcommand are skipped
(`git -C dir status` counts), and words that merely contain "git" (`digit`, `.gitignore`) do not.
"""
from __future__ import annotations

import re
import shlex
from typing import Any

# Split points between simple commands. A heredoc body may still contain a line starting with
# `git`; that is rare enough in agent logs to accept, and cheaper than a full shell parser.
_SPLIT = re.compile(r"&&|\|\||[;|&\n(){}`]|\$\(")
# Wrappers that run the next word as the command.
_PREFIXES = {"sudo", "env", "time", "command", "exec", "nohup", "nice", "then", "do", "else", "!"}
# Global git options that take a separate value (`git -C dir status`).
_OPTS_WITH_VALUE = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env"}
_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_QUICK = re.compile(r"(?:^|[\s;&|(`/\"'])git(?:\s|$)")


def git_operations(command: str) -> int:
    """Number of `git <subcommand>` invocations in one shell command line."""
    if "git" not in command or not _QUICK.search(command):
        return 0
    return sum(1 for part in _SPLIT.split(command) if _is_git_op(part))


def _is_git_op(part: str) -> bool:
    words = part.split()
    i = 0
    while i < len(words) and (words[i] in _PREFIXES or _ASSIGN.match(words[i])):
        i += 1
    if i >= len(words) or words[i].strip("\"'").rsplit("/", 1)[-1] != "git":
        return False
    i += 1
    while i < len(words):
        word = words[i].strip("\"'")
        if word in _OPTS_WITH_VALUE:
            i += 2
        elif word.startswith("-"):
            i += 1
        else:
            return bool(word) and not word.startswith(("<", ">"))
    return False


def command_text(value: Any) -> str:
    """The command line of a shell tool call, whatever its argument shape.

    Codex logs `["bash", "-lc", "ls -la"]`, `["ls"]` or a plain string; all become one display line.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        if len(value) >= 3 and value[0].rsplit("/", 1)[-1] in {"bash", "sh", "zsh", "dash"} and value[1] in {"-lc", "-c"}:
            return value[2] if len(value) == 3 else shlex.join(value[2:])
        if len(value) >= 3 and value[0].lower().endswith(("powershell", "powershell.exe", "pwsh")) and "-Command" in value:
            return " ".join(value[value.index("-Command") + 1 :])
        return shlex.join(value)
    return "" if value is None else str(value)
