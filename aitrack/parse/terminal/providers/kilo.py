"""Kilo Code's TUI (7.7, an OpenCode fork): OpenCode's `┃  $ cmd` rows and `▣  Code · <model> · 1.2s`
footers, told apart by what only Kilo draws: `Ask anything... "…"` (ASCII dots and a quoted
example), `· auto-approved by your global config`, the exit screen's `kilo -s ses_…`. Its
write tool shows only the numbered lines written: files come from kilo.db."""
from __future__ import annotations

from aitrack.parse.terminal.providers import opencode
from aitrack.parse.terminal.providers.base import Provider, rule

PROVIDER = Provider(
    name="kilo_code",
    rules=(
        rule("mark", r"kilo -s ses_|Ask anything\.\.\. \"|· auto-approved by your global config", weight=4,
             label="kilo banner"),
        # The rest as OpenCode's (same weights): on an OpenCode screen OpenCode, listed first, wins the tie.
        *opencode.PROVIDER.rules,
    ),
    shell_tools=opencode.PROVIDER.shell_tools,
    file_tools=opencode.PROVIDER.file_tools,
)
