"""Claude Code: `⏺ Bash(cmd)` / `● Bash(cmd)` tool headers (the bullet blinks, so a header may be
caught without it), results on `⎿` lines, `Error: Exit code N`, `>`/`❯` prompts."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

_NAME = r"(?P<name>[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)?)"

PROVIDER = Provider(
    name="claude_code",
    rules=(
        rule("tool", r"^[⏺●] (?P<name>Update Todos|Read Todos)\s*$", weight=3, label="⏺ tool header"),
        rule("tool", rf"^[⏺●] {_NAME}\((?P<arg>.*?)(?P<close>\))?$", weight=3, label="⏺ tool header"),
        rule("tool", rf"^  {_NAME}\((?P<arg>.*?)(?P<close>\))?$", tentative=True, label="tool header"),
        # Claude Code 2.x shows a Bash call as its description, the command on the `⎿  $` line under it.
        rule("tool", r"^[⏺●] (?P<desc>[A-Z][^()]*)$", name="Bash", tentative=True, weight=0.5, label="● description"),
        rule("arg", r"^  ⎿  \$ (?P<arg>.+)$", when="noarg", weight=2, label="⎿ $ command"),
        rule("result", r"^  ⎿\s+(?P<out>(?:API )?Error(?:.*?Exit code (?P<code>\d+))?.*)$", when="call",
             error=True, weight=2, label="⎿ error"),
        rule("result", r"^  ⎿\s?(?P<out>.*)$", when="call", weight=2, label="⎿ result"),
        rule("more", r"^ {2,}(?P<arg>\S.*?)(?P<close>\))?$", when="open"),
        rule("error", r"^  ⎿\s+(?P<out>(?:API )?Error.*)$", weight=1, label="⎿ error"),
        rule("prompt", r"^(?:>|❯)(?! \d+\. ) (?P<text>(?!/)(?!Try \")\S.*)$", weight=0.5, label="> prompt"),
        rule("prompt_more", r"^  (?P<text>\S.*)$", when="prompt"),
        # The same description caught while the blinking bullet was off; only a `⎿  $ cmd` line
        # under it makes it a call (two-space text lines are common).
        rule("tool", r"^  (?P<desc>[A-Z][^()⎿]*)$", name="Bash", tentative=True, by_arg=True, weight=0,
             label="description"),
        rule("mark", r"^\s*[✻✢✳✶✽·*] \w+… \(.*(?:esc to interrupt|tokens)", weight=2, label="spinner"),
        rule("mark", r"Welcome to Claude Code|Claude Code v\d", weight=10, label="banner"),
        rule("mark", r"^\s*⏵⏵ |Context left until auto-compact|^│ Do you want to proceed\?", weight=2,
             label="status line"),
    ),
    shell_tools=frozenset({"Bash"}),
    file_tools=frozenset({"Read", "Write", "Update", "Edit", "MultiEdit", "NotebookEdit", "Create"}),
)
