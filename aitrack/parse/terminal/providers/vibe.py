"""Mistral Vibe's TUI (3.0): `> prompt`, `⏵ Ran cmd` after a bash call (`□ Running cmd` while it
runs), `  ` indented replies; banner `Mistral Vibe v3.0.2` beside its braille logo, the approval box
`Permission for the file_system.bash tool`."""
from __future__ import annotations

from aitrack.parse.terminal.providers.base import Provider, rule

_END = r"\s*[█│]?\s*$"

PROVIDER = Provider(
    name="mistral_vibe",
    rules=(
        rule("tool", rf"^⏵ Ran (?P<arg>.+?){_END}", name="bash", weight=3, label="⏵ Ran"),
        rule("prompt", rf"^> (?P<text>(?![/ ])\S.*?){_END}", weight=0.5, label="> prompt"),
        rule("mark", r"Mistral Vibe v\d|Permission for the file_system\.\w+ tool", weight=4, label="banner"),
    ),
    shell_tools=frozenset({"bash", "file_system.bash"}),
    file_tools=frozenset({"write_file", "edit", "file_system.write_file"}),
)
