"""OpenHands CLI's TUI (1.16, a Textual app): `  > prompt`, a call `  ▶ terminal: {"command": "…"}: $ cmd ✓`
(the model's JSON arguments, then the command; long rows wrap at a word, their space dropped, so the
command is read from the JSON, escapes and all), a file written `…: Editing /path ✓` at the end of a
`▶ file_editor: {…}` row, the approval `🔍 Confirm 1 action(s)? > Yes / No / Always`; banner
`OpenHands CLI v1.16.0`, `Initialized conversation <hex>`. A failed command is drawn like one that
succeeded (its `✓` marks the tool's run): the exit code is only in the log."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

PROVIDER = Provider(
    name="openhands",
    rules=(
        # Done (`✓` on the row); else still running, or wrapped: replaced by the done row when one is seen.
        rule("tool", r'^  ▶ (?P<name>terminal): \{"command": "(?P<arg>(?:[^"\\]|\\.)*)".* [✓✗]\s*$', weight=3,
             label="▶ terminal"),
        rule("tool", r'^  ▶ (?P<name>terminal): \{"command": "(?P<arg>(?:[^"\\]|\\.)*)"', weight=3, running=True,
             label="▶ terminal"),
        rule("tool", r"^  .*\}: Editing (?P<arg>\S+?) [✓✗]\s*$", name="file_editor", weight=3, label="Editing"),
        rule("tool", r"^  .*\}: Editing (?P<arg>\S+?)\s*$", name="file_editor", weight=3, running=True, label="Editing"),
        # A dialog drawn over the transcript (`Terminate session?`) shares rows with it: a gap ends the prompt.
        rule("prompt", r"^  > (?P<text>(?!(?:Yes|No|Always|Auto LOW/MED)\s*$)(?!/)\S(?:(?! {2}| │).)*)", weight=0.5,
             label="> prompt"),
        rule("mark", r"OpenHands CLI v\d|Initialized conversation [0-9a-f]{32}|Confirm \d+ action\(s\)\?", weight=10,
             label="banner"),
    ),
    shell_tools=frozenset({"terminal"}),
    file_tools=frozenset({"file_editor"}),
)
