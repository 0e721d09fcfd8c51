"""GitHub Copilot CLI's TUI (1.0): `❯ prompt   22:40`, a shell call is `$ Shell <description> N lines…`
with the command on the next row, a file write `● Edit  Create notes.txt`, replies `● text`; a
scrollbar `┃` may end any row. Exit codes are not shown: failures come from events.jsonl."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

_END = r"\s*┃?\s*$"

PROVIDER = Provider(
    name="copilot_cli",
    rules=(
        rule("tool", rf"^ \$ Shell\b.*?{_END}", name="bash", tentative=True, weight=2, label="$ Shell"),
        rule("arg", rf"^   (?P<arg>\S.*?){_END}", when="noarg"),
        rule("file", rf"^ ● Edit  (?:Create|Edit|Update) (?P<arg>\S+){_END}", name="edit", weight=3,
             label="● Edit"),
        rule("prompt", rf"^ ❯ (?P<text>(?!/)\S.*?)(?:\s+\d\d:\d\d)?{_END}", weight=1, label="❯ prompt"),
        rule("mark", r"Copilot v\d+\.\d+\.\d+ uses AI|Resume     copilot --resume=|Interactive · Manual Approval",
             weight=3, label="banner"),
    ),
    shell_tools=frozenset({"bash"}),
    file_tools=frozenset({"edit", "apply_patch", "create"}),
)
