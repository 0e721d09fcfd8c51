"""Provider patterns for terminal transcripts, one module each (the agent modules' SCREEN);
`PROVIDERS` in detection order (their SCREEN_RANK), the catch-all `generic` last."""
from __future__ import annotations

import importlib

from aitrack.agents import registry
from aitrack.parse.terminal.providers import generic
from aitrack.parse.terminal.providers.base import Provider, Rule


def _screens() -> tuple[Provider, ...]:
    agents = sorted(registry.modules(), key=lambda m: registry.get(m, "SCREEN_RANK", 500))
    names = dict.fromkeys(m.SCREEN for m in agents if m.SCREEN != "generic")
    found: tuple[Provider, ...] = tuple(
        importlib.import_module(f"aitrack.parse.terminal.providers.{n}").PROVIDER for n in names)
    return (*found, generic.PROVIDER)


PROVIDERS: tuple[Provider, ...] = _screens()
BY_NAME = {p.name: p for p in PROVIDERS}

__all__ = ["BY_NAME", "PROVIDERS", "Provider", "Rule"]
