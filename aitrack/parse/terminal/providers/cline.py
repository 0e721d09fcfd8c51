"""Cline CLI's TUI (3.0, `cline -i`): a prompt is ` ❯ text`, a tool call ` * run_commands(cmd)` or
` * apply_patch(notes.txt)`, its output the `   ⎿ ` rows under it (a failure's first one
`[Command exited with code N]`), a reply ` * text`; the footer says `○ Plan ● Act (Tab)` and
`⏵⏵ Auto-approve all enabled`, the exit screen `Continue  cline --id <id>`."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

PROVIDER = Provider(
    name="cline",
    rules=(
        rule("tool", r"^ \* run_commands\((?P<arg>.+)\)\s*$", name="run_commands", weight=3, label="* run_commands("),
        rule("file", r"^ \* (?:apply_patch|editor|write_to_file)\((?P<arg>[^()\s]+)\)\s*$", name="apply_patch",
             weight=3, label="* apply_patch("),
        rule("result", r"^   ⎿ \[Command exited with code (?P<code>\d+)\]", when="call", error=True),
        rule("result", r"^   ⎿ (?P<out>.*?)\s*$", when="call", weight=0),
        rule("prompt", r"^ ❯ (?P<text>(?!/)\S.*?)\s*$", weight=1, label="❯ prompt"),
        rule("mark", r"○ Plan ● Act \(Tab\)|⏵⏵ Auto-approve all enabled|Continue  cline --id ", weight=3,
             label="banner"),
    ),
    shell_tools=frozenset({"run_commands"}),
    file_tools=frozenset({"apply_patch", "editor", "write_to_file"}),
)
