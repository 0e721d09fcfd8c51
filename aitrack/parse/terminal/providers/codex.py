"""Codex CLI: `• Ran cmd` (or `• Ran` with the command on the `└`/`↳` line), `│` continuation,
`└` output, `• Explored` with Read/List/Search items, `✔ You approved …`, `› ` composer prompt."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

# The composer's grey example prompts (and its shutdown notice): on screen, not typed by anyone.
_PLACEHOLDERS = "|".join([
    r"Ask Codex to do anything", r"Explain this codebase", r"Summarize recent commits", r"Implement \{feature\}",
    r"Find and fix a bug in @filename", r"Write tests for @filename", r"Improve documentation in @filename",
    r"Run /review on my current changes", r"Use /skills to list available skills", r"Shutting down\.\.\.",
])

PROVIDER = Provider(
    name="openai_codex",
    rules=(
        rule("tool", r"^• Ran(?: (?P<arg>.+))?$", name="shell", weight=3, label="• Ran"),
        rule("tool", r"^• Running(?: (?P<arg>.+))?$", name="shell", running=True, weight=2, label="• Running"),
        rule("group", r"^• Explor(?:ed|ing)\s*$", weight=3, label="• Explored"),
        rule("sub", r"^\s+(?:[└↳]\s+)?(?P<name>Read|List|Search|ListFiles|Find)\s+(?P<arg>.+)$", when="group",
             weight=1, label="explored item"),
        rule("arg", r"^  [└↳] (?P<arg>.+)$", when="noarg", open=True, label="└ command"),
        rule("more", r"^  │ (?P<arg>.*)$", when="call", weight=1, label="│ continuation"),
        rule("more", r"^    +(?P<arg>\S.*)$", when="open"),
        rule("result", r"^  [└↳]\s?(?P<out>.*(?:[Ee]xit code:? (?P<code>[1-9]\d*)).*)$", when="call", error=True),
        rule("result", r"^  [└↳]\s?(?P<out>.*)$", when="call", weight=1, label="└ output"),
        rule("error", r"^■ (?P<out>.+)$", weight=1, label="■ error"),
        rule("prompt", rf"^› (?!\d+\. )(?!(?:{_PLACEHOLDERS})$)(?P<text>(?!/)\S.*)$", weight=1, label="› prompt"),
        rule("prompt_more", r"^  (?P<text>\S.*)$", when="prompt"),
        rule("mark", r"^✔ You approved codex to run ", weight=3, label="✔ approval"),
        rule("mark", r"\((?:\d+[hms] )*\d+s • Esc to interrupt\)|OpenAI Codex|^\s*\? for shortcuts", weight=3,
             label="status line"),
    ),
    shell_tools=frozenset({"shell"}),
    file_tools=frozenset({"Read"}),
    multi_file_tools=frozenset({"Read"}),
    strip_arg="`",
)
