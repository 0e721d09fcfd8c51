"""Where each agent keeps its logs, and which files under a PATH are worth parsing: both said by
the agent's module (`log_roots`, `wanted`, aitrack/agents)."""
from __future__ import annotations

import os
from pathlib import Path

from aitrack.agents import facts, registry

# Agents `aitrack import` knows (a seed-compatibility command has no log of its own).
AGENTS = facts.SHELL_TOOLS
PROVIDER = dict(facts.TOOL_PROVIDERS)
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", "subagents"}


def default_roots(agent: str) -> list[Path]:
    module = registry.by_name(agent)
    if module is None:
        return [Path.cwd()]
    roots: list[Path] = module.log_roots()  # a module's attributes are Any
    return roots


def files_for(agent: str, roots: list[Path]) -> list[Path]:
    """Log files of `agent` under `roots` (files given directly are taken as they are)."""
    module = registry.by_name(agent)
    depth_limit: int | None = registry.get(module, "WALK_DEPTH") if module else None
    out: list[Path] = []
    for root in roots:
        if root.is_file():
            out.append(root)
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
            depth = Path(folder).relative_to(root).parts
            if depth_limit is not None and len(depth) >= depth_limit:
                dirs[:] = []  # e.g. a history at a repository's top: do not crawl a whole home
            for name in sorted(names):
                if module is not None and module.wanted(Path(folder), name):
                    out.append(Path(folder) / name)
    return list(dict.fromkeys(out))
