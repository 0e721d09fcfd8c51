"""Gemini CLI's side: `~/.gemini/.env` points its shell commands' git at the session hooks.

Gemini CLI (checked with 0.61) gives its shell commands a sanitised environment: no session id,
`GIT_CONFIG_GLOBAL=/dev/null`, an empty `core.hooksPath` through GIT_CONFIG_COUNT — but it keeps
GIT_CONFIG_PARAMETERS, which git reads after GIT_CONFIG_COUNT. It loads the first `.env` it finds
(`.gemini/.env` or `.env` from the working directory up, then `~/.gemini/.env`, `~/.env`) in a
trusted folder, never overriding a variable already set: `~/.gemini/.env` gets
`GIT_CONFIG_PARAMETERS="'core.hooksPath=<data dir>/session-hooks'"`, and the session hooks find the
session by the Gemini process among their ancestors (`<data dir>/agent-sessions/pid-<pid>`).
A project with its own `.env` (or an untrusted folder) keeps Gemini from reading ours: its commits
are then linked by the reflog scan, without the trailer.

Qwen Code (checked with 0.24.4) gets the same block in `~/.qwen/.env` (key "qwen-env"): it drops
GIT_CONFIG_* from its settings' `env` and from project `.env` files, but a home-scoped `.env` may
set them (`canApplyParsedEnvKey`: `!isHomeScopedEnvFile && isHardcodedProjectEnvExclusion`), and
it reads the home ones after a project's. Its shell commands carry QWEN_CODE_SESSION_ID (the hook's
session_id): the session hooks find the session by `agent-sessions/qwen-<id>`.
"""
from __future__ import annotations

from pathlib import Path

from aitrack.agenthooks.jsonconf import Unusable, forget, read_text, remember, restore
from aitrack.vcs.hooknames import session_hooks_param

BEGIN = "# >>> aitrack agent hook (aitrack agents uninstall removes this block) >>>\n"
END = "# <<< aitrack agent hook <<<\n"
KEY = "gemini-env"


def block(hooks_folder: str) -> str:
    return BEGIN + f'GIT_CONFIG_PARAMETERS="{session_hooks_param(hooks_folder)}"\n' + END


def without_block(text: str) -> str:
    start = text.find(BEGIN)
    end = text.find(END, start) if start >= 0 else -1
    return text if end < 0 else text[:start] + text[end + len(END):]


def install(path: Path, ours: str, key: str = KEY) -> bool:
    raw, current = read_text(path)
    base = without_block(current)
    if any(line.strip().startswith(("GIT_CONFIG_PARAMETERS=", "export GIT_CONFIG_PARAMETERS="))
           for line in base.splitlines()):
        raise Unusable(f"{path}: sets GIT_CONFIG_PARAMETERS already; left alone")
    new = base + ("" if not base or base.endswith("\n") else "\n") + ours
    if new == current:
        return False
    remember(key, path, raw, new.encode("utf-8"))
    return True


def uninstall(path: Path, key: str = KEY) -> bool:
    if restore(key, path):
        return True
    forget(key)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    new = without_block(text)
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def has_block(path: Path, ours: str) -> bool:
    try:
        return ours in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
