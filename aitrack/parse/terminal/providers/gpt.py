"""GPT-style CLIs of the original tracking module: `>>> tool: command` and `Function: tool(args)`."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import SHELL_NAMES, Provider, rule

PROVIDER = Provider(
    name="gpt",
    rules=(
        rule("tool", r"^>>> (?P<name>[\w.-]+): (?P<arg>.*)$", weight=3, label=">>> tool: command"),
        rule("tool", r"^Function: (?P<name>[\w.-]+)\((?P<arg>.*)\)\s*$", weight=3, label="Function: tool(args)"),
        rule("error", r"^(?:Error|ERROR)\b:? (?P<out>.+)$", weight=0.5, label="error"),
        rule("prompt", r"^(?:User|You|>>>)> ?(?P<text>\S.*)$", weight=0.5, label="prompt"),
    ),
    shell_tools=SHELL_NAMES,
)
