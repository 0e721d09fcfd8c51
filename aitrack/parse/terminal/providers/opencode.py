"""OpenCode's TUI (1.18): every block sits behind a `┃` bar. A shell call is `┃  $ cmd` and its output
the `┃` rows under it; a write is `┃  # Created notes.txt`; each answer ends with
`▣  Build · <model> · 1.2s`; the idle prompt says `Ask anything…`, the exit screen
`Continue  opencode -s ses_…`. Exit codes are not shown: failures come from the database only."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

PROVIDER = Provider(
    name="opencode",
    rules=(
        rule("tool", r"^\s*┃  \$ (?P<arg>\S.*?)\s*$", name="bash", weight=3, label="┃ $ command"),
        rule("file", r"^\s*┃  # (?:Created|Wrote|Edited|Patched|Updated) (?P<arg>\S+)\s*$", name="write", weight=3,
             label="┃ # Created"),
        rule("result", r"^\s*┃  (?P<out>\S.*?)\s*$", when="call", weight=0),
        rule("mark", r"^\s*▣  \w+ · ", weight=3, label="▣ Build · model"),
        rule("mark", r"Continue  opencode -s ses_|Ask anything… |ctrl\+p commands", weight=3, label="banner"),
    ),
    shell_tools=frozenset({"bash"}),
    file_tools=frozenset({"write", "edit", "apply_patch"}),
)
