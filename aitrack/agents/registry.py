"""Every agent module, imported on first use. Hot paths read `aitrack.agents.facts` instead."""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from aitrack.agents import facts

_loaded: tuple[ModuleType, ...] = ()


def modules() -> tuple[ModuleType, ...]:
    """The agent modules in the order of `facts.MODULES` (alphabetical: no agent goes first)."""
    global _loaded
    if not _loaded:
        _loaded = tuple(importlib.import_module(f"aitrack.agents.{m}") for m in facts.MODULES)
    return _loaded


def agents() -> tuple[ModuleType, ...]:
    """The real agents: not a seed-compatibility command (`SEED_ONLY`, no log of its own)."""
    return tuple(m for m in modules() if not getattr(m, "SEED_ONLY", False))


def by_name(name: str) -> ModuleType | None:
    """The module of a command (`claude`, `/usr/bin/claude`), or None."""
    base = name.rsplit("/", 1)[-1]
    return next((m for m in modules() if m.NAME == base), None)


def by_provider(provider: str | None) -> ModuleType | None:
    return next((m for m in modules() if m.PROVIDER == provider), None)


def get(module: ModuleType, attr: str, default: Any = None) -> Any:
    """An optional attribute of an agent module (see aitrack/agents/__init__.py)."""
    return getattr(module, attr, default)


def table(attr: str) -> dict[str, Any]:
    """NAME → the attribute, for the modules that set it (truthy)."""
    return {m.NAME: getattr(m, attr) for m in modules() if getattr(m, attr, None)}
