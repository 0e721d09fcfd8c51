"""Qwen Code's TUI (0.24, a Gemini CLI fork, rows unboxed): `  > prompt`, `  ✓ Shell cmd (description)`,
a failed call `  x Shell {"command":"…",…}` (its arguments as JSON), `  ✓ WriteFile Writing to notes.txt`,
`◆` replies; banner `>_ Qwen Code (v0.24.4)`, exit `To continue this session, run qwen --resume <id>`."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

_END = r"\s*[█│]?\s*$"

PROVIDER = Provider(
    name="qwen_code",
    rules=(
        rule("tool", r'^  x Shell \{"command":"(?P<arg>(?:[^"\\]|\\.)*)"', name="Shell", error=True, weight=3,
             label="x Shell"),
        rule("tool", rf"^  ✓ Shell (?P<arg>.+?)(?: \([^()]*\))?{_END}", name="Shell", weight=3, label="✓ Shell"),
        rule("file", rf"^  ✓ (?:WriteFile Writing to|Edit) (?P<arg>\S+){_END}", name="WriteFile", weight=3,
             label="✓ WriteFile"),
        # Slash-command menu rows (`  > model [--fast…]   Switch the model…`) have a wide gap: not prompts.
        rule("prompt", rf"^  > (?P<text>(?![/ ])(?!.*\S {{2,}}\S)\S.*?){_END}", weight=0.5, label="> prompt"),
        rule("mark", r">_ Qwen Code \(v\d|run qwen --resume [0-9a-f-]{36}|Agent powering down", weight=4,
             label="banner"),
    ),
    shell_tools=frozenset({"Shell", "run_shell_command"}),
    file_tools=frozenset({"WriteFile", "Edit", "write_file", "edit"}),
)
