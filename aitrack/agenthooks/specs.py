"""Which agents have a hook system aitrack registers in, where its user-wide config lives, and how
an entry looks there. One `Spec` per agent; `aitrack agents install` reads only this table."""
from __future__ import annotations

import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from aitrack.agenthooks.hook import MARKER

HOOK_SCRIPT = Path(__file__).resolve().parent / "hook.py"


@dataclass(frozen=True)
class Spec:
    name: str  # the command a person types
    label: str
    config: Callable[[], Path]  # the user-wide file holding the hooks
    events: tuple[str, ...]
    # Where a config says "hooks are off" (key path, value): doctor reports the hook as bypassed.
    off_switches: tuple[tuple[tuple[str, ...], Any], ...] = ()
    timeout: int = 10  # seconds, as the agent counts them (ours ends in milliseconds)
    seconds_unit: int = 1  # 1000: the agent counts milliseconds
    toml: Callable[[], Path] | None = None  # a config.toml that gets trust and the shell environment
    dotenv: Callable[[], Path] | None = None  # a .env file that gets GIT_CONFIG_PARAMETERS
    # A plugin agent: `config` is aitrack's plugin file (agenthooks/plugin.py); its log, under XDG_DATA_HOME.
    plugin_log: str = ""
    flat: bool = False  # `hooks.<event>` lists entries {type, bash, timeoutSec}, the event named by the command
    off_env: tuple[str, ...] = ()  # variables that switch the agent's plugins off (`--pure`): bypassed
    # `config` is a TOML file whose `[[hooks]]` tables take ours (toml_hooks.py); the key naming a
    # table's event ("event": Kimi; "type": Vibe, whose tables each need a unique `name` too).
    toml_hooks: str = ""
    toml_named: bool = False
    matcher: str | None = None  # our group's `matcher`: droid runs a group without one on SessionStart only
    scripts: bool = False  # `config` is a folder of hook files, one per event named after it (Cline CLI)
    # Why it is, now, installed only when asked (`aitrack agents install --agent NAME`): "" when by default.
    opt_in: Callable[[], str] | None = None

    @property
    def is_plugin(self) -> bool:
        return bool(self.plugin_log)

    def opt_in_reason(self) -> str:
        return self.opt_in() if self.opt_in else ""

    def home(self) -> Path:
        """The agent's own config folder."""
        return self.config().parent.parent if self.is_plugin else self.config().parent

    def present(self) -> bool:
        """The agent is installed: its command on PATH, or its config folder exists."""
        return shutil.which(self.name) is not None or self.home().is_dir()

    def group(self, command: str, event: str = "") -> dict[str, Any]:
        """The matcher group added under each event (the format the agents with a hooks file
        share): no matcher, one command hook. A `flat` agent lists hook entries without groups,
        and its event's JSON does not name the event: the command does."""
        if self.flat:
            return {"type": "command", "bash": f"{command} {event}".strip(), "timeoutSec": self.timeout}
        hooks = [{"type": "command", "command": command, "timeout": self.timeout * self.seconds_unit}]
        return {"hooks": hooks} if self.matcher is None else {"matcher": self.matcher, "hooks": hooks}


def hook_argv(agent: str, python: str | None = None) -> list[str]:
    """What the agent runs: this Python, isolated and without site (fast), the hook by path."""
    return [python or sys.executable, "-I", "-S", str(HOOK_SCRIPT), MARKER, agent]


def hook_command(agent: str, python: str | None = None) -> str:
    return " ".join(shlex.quote(a) for a in hook_argv(agent, python))


def is_ours(command: object) -> bool:
    return isinstance(command, str) and MARKER in command


def specs() -> dict[str, Spec]:
    """One Spec per agent whose module has a hook system (its `hook_spec()`, aitrack/agents)."""
    from aitrack.agents import registry

    return {m.NAME: m.hook_spec() for m in registry.agents() if registry.get(m, "hook_spec")}


SPECS: dict[str, Spec] = specs()
