"""Fallback for any terminal: shell prompts (`$ cmd`, `user@host:~/dir$ cmd`, `# cmd`)."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

PROVIDER = Provider(
    name="generic",
    rules=(
        rule("tool", r"^(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)? ?|\([\w.-]+\) )?[$#] (?P<arg>\S.*)$", name="shell",
             weight=0.1, label="$ prompt"),
        rule("error", r"^(?:bash|zsh|sh|fish): (?P<out>.*(?:command not found|No such file|Permission denied).*)$",
             weight=0.1, label="shell error"),
    ),
    shell_tools=frozenset({"shell"}),
)
