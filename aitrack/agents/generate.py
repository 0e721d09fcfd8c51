"""`python -m aitrack.agents.generate`: rewrite aitrack/agents/facts.py from the agent modules.

The hot paths (the wrapper before the child runs, the agent hook, the shell functions) read that
table instead of importing every module. tests/agents/test_registry.py fails while it is stale.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
NOT_AGENTS = {"facts", "generate", "registry"}


def discover() -> list[ModuleType]:
    """Every module of this package that names a command and a provider, by module name."""
    found = []
    for info in sorted(pkgutil.iter_modules([str(HERE)]), key=lambda i: i.name):
        if info.name in NOT_AGENTS or info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"aitrack.agents.{info.name}")
        if isinstance(getattr(mod, "NAME", None), str) and isinstance(getattr(mod, "PROVIDER", None), str):
            found.append(mod)
    return found


def facts(mods: list[ModuleType]) -> dict[str, Any]:
    agents = [m for m in mods if not getattr(m, "SEED_ONLY", False)]
    hooked = [m for m in agents if getattr(m, "HOOK", None)]
    return {
        "MODULES": tuple(m.__name__.rsplit(".", 1)[-1] for m in mods),
        "TOOL_PROVIDERS": {m.NAME: m.PROVIDER for m in mods},
        "PROVIDERS": tuple(m.PROVIDER for m in mods),
        "SHELL_TOOLS": tuple(m.NAME for m in agents if getattr(m, "SHELL", True)),
        "WITH_TRACKING": tuple(f"{m.NAME}-with-tracking" for m in mods),
        "TOOL_ENV": {m.NAME: dict(m.CHILD_ENV) for m in mods if getattr(m, "CHILD_ENV", None)},
        "HOOK_START": {m.NAME: tuple(m.HOOK["start"]) for m in hooked},
        "HOOK_END": {m.NAME: tuple(m.HOOK["end"]) for m in hooked},
        "HOOK_TURN_END": {m.NAME: tuple(m.HOOK["turn_end"]) for m in hooked if m.HOOK.get("turn_end")},
        "HOOK_WATCHED": tuple(m.NAME for m in hooked if m.HOOK.get("watched")),
        "HOOK_PID_INDEXED": tuple(m.NAME for m in hooked if m.HOOK.get("pid_indexed")),
        "HOOK_CHILD_ID": {m.NAME: _env_name(m.HOOK["child_id"]) for m in hooked if m.HOOK.get("child_id")},
        "HOOK_CHILD_MARKER": {m.NAME: _env_name(m.HOOK["pid_indexed"]) for m in hooked if m.HOOK.get("pid_indexed")},
        "HOOK_PRINTS_ENV": tuple(m.NAME for m in hooked if m.HOOK.get("prints_env")),
        "HOOK_LOG": {m.NAME: m.HOOK["log"] for m in hooked if m.HOOK.get("log")},
        "HOOK_LAZY": tuple(m.NAME for m in hooked if m.HOOK.get("lazy")),
        "HOOK_RUNNER": {m.NAME: m.HOOK["runner"] for m in hooked if m.HOOK.get("runner")},
        "HOOK_HUB": {m.NAME: m.HOOK["hub"] for m in hooked if m.HOOK.get("hub")},
    }


def _env_name(name: str) -> str:
    """A variable name, as the git hooks (sh) spell it unquoted."""
    if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", name):
        raise ValueError(f"not an environment variable name: {name!r}")
    return name


TYPES = {"MODULES": "tuple[str, ...]", "TOOL_PROVIDERS": "dict[str, str]", "PROVIDERS": "tuple[str, ...]",
         "SHELL_TOOLS": "tuple[str, ...]", "WITH_TRACKING": "tuple[str, ...]",
         "TOOL_ENV": "dict[str, dict[str, str]]", "HOOK_START": "dict[str, tuple[str, ...]]",
         "HOOK_END": "dict[str, tuple[str, ...]]", "HOOK_TURN_END": "dict[str, tuple[str, ...]]",
         "HOOK_WATCHED": "tuple[str, ...]", "HOOK_PID_INDEXED": "tuple[str, ...]",
         "HOOK_PRINTS_ENV": "tuple[str, ...]", "HOOK_LOG": "dict[str, str]", "HOOK_CHILD_ID": "dict[str, str]",
         "HOOK_CHILD_MARKER": "dict[str, str]", "HOOK_LAZY": "tuple[str, ...]", "HOOK_RUNNER": "dict[str, str]",
         "HOOK_HUB": "dict[str, str]"}
COMMENTS = {
    "MODULES": "agent modules, in registry order",
    "TOOL_PROVIDERS": "the command a person types -> its tags.provider",
    "SHELL_TOOLS": "wrapped by the shell functions (`aitrack init SHELL`)",
    "WITH_TRACKING": "console scripts (pyproject.toml)",
    "TOOL_ENV": "defaults for the tool's environment, under whatever the user set",
    "HOOK_START": "the agent's own hook events that start, end a session, end a turn",
    "HOOK_WATCHED": "fire no end event in print mode: an exit watcher ends the session",
    "HOOK_PID_INDEXED": "shell commands carry no session id: found by the agent's pid",
    "HOOK_CHILD_ID": "the variable carrying the agent's session id into its shell commands (the git hooks read it)",
    "HOOK_CHILD_MARKER": "the variable marking a pid-indexed agent's shell commands (the git hooks then walk up)",
    "HOOK_PRINTS_ENV": "run by aitrack's plugin, which reads the session's environment from the start hook's stdout",
    "HOOK_LOG": "where the log is when the start event names none (~ expanded, {sid}: the agent's session id)",
    "HOOK_LAZY": "no session-start event: the first event of any kind starts it, dated from the agent's process start",
    "HOOK_RUNNER": "the process (its /proc comm) that runs the agent's hooks for it: the agent is its parent",
    "HOOK_HUB": "a word in the command line of the agent's daemon, which runs hooks for the sessions it serves",
}


def render(mods: list[ModuleType] | None = None) -> str:
    lines = ['"""Generated by `python -m aitrack.agents.generate` from the agent modules: do not edit.',
             "", "Stdlib data only: the wrapper, the agent hook and the shell functions read it without",
             'importing an agent module (tests/agents/test_registry.py fails while it is stale)."""',
             "from __future__ import annotations", ""]
    for key, value in facts(mods if mods is not None else discover()).items():
        if key in COMMENTS:
            lines.append(f"# {COMMENTS[key]}")
        lines.append(f"{key}: {TYPES[key]} = {_fmt(value)}")
    return "\n".join(lines) + "\n"


def _fmt(value: Any) -> str:
    text = repr(value)
    if len(text) <= 100:
        return text
    if isinstance(value, dict):
        return "{\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in value.items()) + "}"
    return "(\n" + "".join(f"    {v!r},\n" for v in value) + ")"


def main() -> int:
    (HERE / "facts.py").write_text(render(), encoding="utf-8")
    print(f"wrote {HERE / 'facts.py'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
