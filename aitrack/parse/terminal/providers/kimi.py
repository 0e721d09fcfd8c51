"""Kimi CLI's TUI (1.51): `✨ prompt`, `• Used Shell (cmd)` / `• Used WriteFile (notes.txt)` once a call
is done (`⠋ Using Shell (cmd)` while it runs or waits for approval), `  Failed with exit code: N` under
a failed command, `• ` replies; banner `Welcome to Kimi Code CLI!`, the approval box `Shell is
requesting approval to run command:`."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

PROVIDER = Provider(
    name="kimi_cli",
    rules=(
        rule("tool", r"^• Used (?P<name>[A-Z][A-Za-z]*) \((?P<arg>.*?)(?P<close>\))?\s*$", weight=3, label="• Used Tool"),
        rule("result", r"^  Failed with exit code: (?P<code>\d+)\s*$", when="call", error=True, weight=2,
             label="Failed with exit code"),
        rule("result", r"^  (?P<out>[^\s╭│╰].*?)\s*$", when="call", weight=0),
        rule("prompt", r"^✨ (?P<text>(?!/)\S.*?)\s*$", weight=0.5, label="✨ prompt"),
        rule("mark", r"Welcome to Kimi Code CLI!|\w+ is requesting approval to run command:", weight=10,
             label="banner"),
    ),
    shell_tools=frozenset({"Shell"}),
    file_tools=frozenset({"WriteFile", "StrReplaceFile"}),
)
