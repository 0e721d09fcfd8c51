"""Gemini CLI: boxed tool rows `│ ✓  Shell ls │` (status glyphs ✓ done, x error, o pending,
- cancelled, ⊶ running, ? confirming), `✦` replies, `> ` prompts."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

# Display names with a space must be tried before the one-word fallback.
_NAME = r"(?P<name>Shell Command|Ask User|Save Memory|Google Search|Web Fetch|[\w.-]+)"

PROVIDER = Provider(
    name="gemini_cli",
    rules=(
        rule("tool", rf"^\s*│ x  {_NAME}(?: (?P<arg>.*?))?\s*(?:│.*)?$", error=True, weight=3,
             label="│ x tool row"),
        rule("tool", rf"^\s*│ [✓o⊶?-]  {_NAME}(?: (?P<arg>.*?))?\s*(?:│.*)?$", weight=3, label="│ ✓ tool row"),
        rule("error", r"^\s*✕ (?P<out>.+)$", weight=1, label="✕ error"),
        rule("prompt", r"^\s?> (?P<text>(?!/)\S.*)$", weight=0.5, label="> prompt"),
        rule("mark", r"^✦ ", weight=2, label="✦ reply"),
        rule("mark", r"Using:? \d+ GEMINI\.md|gemini-\d[\w.-]*|Tips for getting started", weight=3, label="banner"),
    ),
    shell_tools=frozenset({"Shell", "Shell Command", "run_shell_command"}),
    file_tools=frozenset({"ReadFile", "WriteFile", "Edit", "read_file", "write_file", "replace", "edit_file"}),
)
