"""Which agents have a hook system aitrack registers in, where its user-wide config lives, and how
an entry looks there. One `Spec` per agent; `aitrack agents install` reads only this table."""
from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from aitrack.agenthooks.hook import END, MARKER, START, TURN_END

HOOK_SCRIPT = Path(__file__).resolve().parent / "hook.py"


def _home() -> Path:
    return Path.home()


@dataclass(frozen=True)
class Spec:
    name: str  # the command a person types
    label: str
    config: Callable[[], Path]  # the user-wide file holding the hooks
    events: tuple[str, ...]
    # Where a config says "hooks are off" (key path, value): doctor reports the hook as bypassed.
    off_switches: tuple[tuple[tuple[str, ...], Any], ...] = ()
    timeout: int = 10  # seconds, as the agent counts them (ours ends in milliseconds)
    seconds_unit: int = 1  # Gemini counts milliseconds
    toml: Callable[[], Path] | None = None  # Codex: config.toml gets trust and the shell environment
    dotenv: Callable[[], Path] | None = None  # Gemini CLI, Qwen Code: ~/.<agent>/.env gets GIT_CONFIG_PARAMETERS
    # OpenCode, Kilo: `config` is aitrack's plugin file (agenthooks/plugin.py); its log, under XDG_DATA_HOME.
    plugin_log: str = ""
    flat: bool = False  # Copilot CLI: `hooks.<event>` lists entries {type, bash, timeoutSec}
    off_env: tuple[str, ...] = ()  # variables that switch the agent's plugins off (`--pure`): bypassed

    @property
    def is_plugin(self) -> bool:
        return bool(self.plugin_log)

    def home(self) -> Path:
        """The agent's own config folder."""
        return self.config().parent.parent if self.is_plugin else self.config().parent

    def present(self) -> bool:
        """The agent is installed: its command on PATH, or its config folder exists."""
        return shutil.which(self.name) is not None or self.home().is_dir()

    def group(self, command: str, event: str = "") -> dict[str, Any]:
        """The matcher group added under each event (the format Claude Code, Gemini CLI, Qwen Code
        and Codex's hooks.json share): no matcher, one command hook. Copilot CLI lists hook entries
        without groups, and its event's JSON does not name the event: the command does."""
        if self.flat:
            return {"type": "command", "bash": f"{command} {event}".strip(), "timeoutSec": self.timeout}
        return {"hooks": [{"type": "command", "command": command, "timeout": self.timeout * self.seconds_unit}]}


def hook_argv(agent: str, python: str | None = None) -> list[str]:
    """What the agent runs: this Python, isolated and without site (fast), the hook by path."""
    return [python or sys.executable, "-I", "-S", str(HOOK_SCRIPT), MARKER, agent]


def hook_command(agent: str, python: str | None = None) -> str:
    return " ".join(shlex.quote(a) for a in hook_argv(agent, python))


def is_ours(command: object) -> bool:
    return isinstance(command, str) and MARKER in command


def _claude_config() -> Path:
    return Path(os.environ.get("CLAUDE_CONFIG_DIR") or _home() / ".claude") / "settings.json"


def _xdg_config() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config")


def _copilot_home() -> Path:
    return Path(os.environ.get("COPILOT_HOME") or _home() / ".copilot")


def _codex_home() -> Path:
    return Path(os.environ.get("CODEX_HOME") or _home() / ".codex")


SPECS: dict[str, Spec] = {
    "claude": Spec("claude", "Claude Code", _claude_config, (*START["claude"], *END["claude"]),
                   off_switches=((("disableAllHooks",), True),)),
    "codex": Spec("codex", "Codex", lambda: _codex_home() / "hooks.json",
                  (*START["codex"], *END["codex"], *TURN_END["codex"]), toml=lambda: _codex_home() / "config.toml",
                  timeout=3),  # Codex clamps a SessionEnd hook's timeout to 3 s, with a warning on screen
    "gemini": Spec("gemini", "Gemini CLI", lambda: _home() / ".gemini" / "settings.json",
                   (*START["gemini"], *END["gemini"]), off_switches=((("hooksConfig", "enabled"), False),),
                   seconds_unit=1000, dotenv=lambda: _home() / ".gemini" / ".env"),
    # Qwen Code (0.24) drops GIT_CONFIG_* from its settings' `env` and project .env files, not from
    # a home-scoped one: ~/.qwen/.env gets the block Gemini CLI's ~/.gemini/.env gets.
    "qwen": Spec("qwen", "Qwen Code", lambda: _home() / ".qwen" / "settings.json",
                 (*START["qwen"], *END["qwen"], *TURN_END["qwen"]),
                 off_switches=((("hooksConfig", "enabled"), False),), seconds_unit=1000,
                 dotenv=lambda: _home() / ".qwen" / ".env"),
    # Copilot CLI (1.0.102): user-level hooks in ~/.copilot/settings.json (`copilot help config`:
    # "In the user settings.json these act as user-level hooks"), `disableAllHooks` switches them off.
    "copilot": Spec("copilot", "Copilot CLI", lambda: _copilot_home() / "settings.json",
                    (*START["copilot"], *END["copilot"], *TURN_END["copilot"]), flat=True,
                    off_switches=((("disableAllHooks",), True),)),
    "opencode": Spec("opencode", "OpenCode", lambda: _xdg_config() / "opencode" / "plugins" / "aitrack.js",
                     (*START["opencode"], *TURN_END["opencode"]), plugin_log="opencode/opencode.db",
                     off_env=("OPENCODE_PURE",)),
    "kilo": Spec("kilo", "Kilo Code", lambda: _xdg_config() / "kilo" / "plugins" / "aitrack.js",
                 (*START["kilo"], *TURN_END["kilo"]), plugin_log="kilo/kilo.db", off_env=("KILO_PURE",)),
}
