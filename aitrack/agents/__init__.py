"""Agents added one module each (OpenCode first): everything aitrack knows about one agent CLI.

Each module holds the command a person types, the provider tag, the tested version, where its logs
live, how its session's own log is found, what backfill reads and what doctor says. The older four
agents (claude, codex, gemini, aider) are still wired by hand across the package; the tables there
take the modules listed here, so moving those four in is a mechanical next step.

Standard library only, and cheap to import: `aitrack run` reads `TOOL_PROVIDERS` before the child runs.
"""
from __future__ import annotations

from aitrack.agents import cline, continue_cli, copilot, droid, kilo, kimi, opencode, openhands, qwen, vibe

MODULES = (opencode, copilot, qwen, kilo, cline, continue_cli, droid, vibe, kimi, openhands)
BY_NAME = {m.NAME: m for m in MODULES}
BY_PROVIDER = {m.PROVIDER: m for m in MODULES}
TOOL_PROVIDERS: dict[str, str] = {m.NAME: m.PROVIDER for m in MODULES}
NAMES: tuple[str, ...] = tuple(m.NAME for m in MODULES)
PROVIDERS: tuple[str, ...] = tuple(m.PROVIDER for m in MODULES)
# Files a module's log parser reads beside the log (droid's settings.json, Vibe's meta.json and
# checkpoint chunks): `aitrack parse FOLDER` does not report them as logs of their own.
SIDE_FILES = tuple(m.side_file for m in MODULES if hasattr(m, "side_file"))
