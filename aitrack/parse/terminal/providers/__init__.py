"""Provider patterns for terminal transcripts, one module each; `PROVIDERS` in detection order."""
from __future__ import annotations

from aitrack.parse.terminal.providers import (aider, claude, cline, codex, continue_cli, copilot, gemini, generic, gpt,
                                              kilo, kimi, opencode, openhands, qwen, vibe)
from aitrack.parse.terminal.providers.base import Provider, Rule

PROVIDERS: tuple[Provider, ...] = (
    claude.PROVIDER, codex.PROVIDER, gemini.PROVIDER, aider.PROVIDER, opencode.PROVIDER, copilot.PROVIDER,
    qwen.PROVIDER, kilo.PROVIDER, cline.PROVIDER, continue_cli.PROVIDER, vibe.PROVIDER, kimi.PROVIDER, openhands.PROVIDER,
    gpt.PROVIDER,
    generic.PROVIDER,
)
BY_NAME = {p.name: p for p in PROVIDERS}

__all__ = ["BY_NAME", "PROVIDERS", "Provider", "Rule"]
