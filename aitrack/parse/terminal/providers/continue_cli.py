"""Continue CLI's TUI (`cn` 1.5): Claude-like rows — a prompt is `● text`, a tool call
`● Bash(cmd)` / `● Write(notes.txt)`, its output the `  ⎿  ` row and the indented ones under it;
a failure reads `  Error executing tool Bash: Error (exit code N): …`; replies are indented
`  text`. Told from Claude Code by its own banner rows (`◉ Continue CLI`, the input box's
`Ask anything, @ for context, / for slash commands`, `Would you like to continue?`)."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

PROVIDER = Provider(
    name="continue_cli",
    rules=(
        rule("tool", r"^● (?P<name>[A-Z][A-Za-z]*)\((?P<arg>.*?)(?P<close>\))?\s*$", weight=3, label="● Tool(arg)"),
        rule("result", r"^  Error executing tool \w+: Error \(exit code (?P<code>\d+)\): (?P<out>.*)$", when="call",
             error=True, weight=2, label="Error executing tool"),
        rule("result", r"^  ⎿\s+(?P<out>.*?)\s*$", when="call", weight=2, label="⎿ result"),
        rule("result", r"^    (?P<out>\S.*?)\s*$", when="call", weight=0),
        rule("prompt", r"^● (?P<text>(?!/)\S.*?)\s*$", weight=0.5, label="● prompt"),
        rule("mark", r"◉ Continue CLI|Ask anything, @ for context, / for slash commands|Would you like to continue\?",
             weight=10, label="banner"),
    ),
    shell_tools=frozenset({"Bash"}),
    file_tools=frozenset({"Write", "Edit", "MultiEdit"}),
)
