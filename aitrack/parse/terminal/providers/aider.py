"""aider: `> ` prompts, `Applied edit to FILE`, `Commit <hash> <msg>`, `Running <cmd>` (shown as
`> Running <cmd>` in its chat history), `Tokens:` lines."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

PROVIDER = Provider(
    name="aider",
    rules=(
        rule("tool", r"^(?:> )?Running (?P<arg>\S.*)$", name="run", weight=2, label="Running"),
        rule("file", r"^(?:> )?Applied edit to (?P<arg>\S.*)$", name="edit", weight=3, label="Applied edit"),
        # aider's own commit: evidence, not a shell command, so not a git operation of the session's commands.
        rule("mark", r"^(?:> )?Commit [0-9a-f]{7,40} ", weight=2, label="Commit <hash>"),
        rule("error", r"^(?:> )?(?P<out>(?:litellm\.\w+|\w*Error):.*)$", weight=0.5, label="error"),
        rule("prompt", r"^(?:[\w./-][\w./ -]{0,79})?> (?P<text>(?![/!])\S.*)$", weight=0.5, label="> prompt"),
        rule("mark", r"^Aider v\d|^Tokens: .* sent|^(?:> )?Run shell commands?\? \(Y\)es|^Main model: ", weight=4,
             label="banner"),
    ),
    shell_tools=frozenset({"run"}),
)
