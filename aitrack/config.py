"""aitrack's config file (TOML), read lazily. Environment variables win over the file.

Known keys (all optional):

    tools = ["claude", "codex", "gemini", "aider"]   # wrapped by the shell integration
    tracking_uri = "http://mlflow.internal:5000"      # else MLFLOW_TRACKING_URI, else embedded SQLite
    tracking_username = "alice"                       # team server login; MLFLOW_TRACKING_USERNAME/
    tracking_password = "…"                           # _PASSWORD win; keep this file mode 0600
    experiment = "ai-sessions"
    [hooks]
    session = true                 # each session's processes get our git hooks (core.hooksPath)
    auto_install = true            # with session = false: install hooks into the session's repo
    [redact]
    extra_patterns = [{name = "acme_token", pattern = "acme_[A-Za-z0-9]{32}"}]
    allow = ["AKIAIOSFODNN7EXAMPLE"]
    [alerts]
    rules = ["errors_encountered > 5"]
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from aitrack.agents import facts
from aitrack.errors import AitrackError
from aitrack.paths import config_file

DEFAULT_TOOLS = facts.SHELL_TOOLS  # every agent with a shell function (aitrack/agents)
DEFAULT_EXPERIMENT = "ai-sessions"


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The parsed config file, or {} when there is none."""
    import tomllib

    path = config_file()
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AitrackError(f"cannot read config file {path}: {exc}") from exc


def get(dotted: str, default: Any = None) -> Any:
    """`get("redact.allow", [])`: a value from the config file by dotted key."""
    node: Any = load()
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def tools() -> list[str]:
    env = os.environ.get("AITRACK_TOOLS")
    if env is not None:
        return [t for t in env.replace(",", " ").split() if t]
    return list(get("tools", DEFAULT_TOOLS))


def experiment_name() -> str:
    return os.environ.get("AITRACK_EXPERIMENT") or str(get("experiment", DEFAULT_EXPERIMENT))
