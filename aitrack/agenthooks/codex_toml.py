"""Codex's side of the hook in `~/.codex/config.toml`: trust for our hooks.json entries, and the
environment its shell commands get.

Codex (checked with 0.171) runs a hooks.json entry only once it is trusted: `[hooks.state."<file>:
<event>:<group>:<handler>"] trusted_hash = "sha256:…"`, what pressing `t` in its `/hooks` view
writes. The hash is Codex's own: SHA-256 of the canonical JSON (sorted keys, compact) of
{event_name, hooks: [{async, command, timeout (600 when unset), type}]} (codex-rs/hooks
discovery.rs, reproduced against the real CLI in tests/agenthooks). `aitrack agents install` is the
user asking for that hook, so it writes the trust of our entries only.

Commits: `[shell_environment_policy.set]` gives every shell command Codex runs
GIT_CONFIG_COUNT/KEY_0/VALUE_0 = core.hooksPath → the session-hooks folder; the hooks there find
the session from CODEX_THREAD_ID (which Codex sets to the hook's session_id) through
`<data dir>/agent-sessions/`. Outside Codex nothing changes.

tomllib reads but does not write: our keys go in one marked block appended to the file, and the
result is parsed again before anything is written; uninstall removes exactly that block.
"""
from __future__ import annotations

import hashlib
import json
import os
import tomllib
from pathlib import Path
from typing import Any

from aitrack.agenthooks.jsonconf import Unusable

BEGIN = "# >>> aitrack agent hook (aitrack agents uninstall removes this block) >>>\n"
END = "# <<< aitrack agent hook <<<\n"
KEY = "codex-config"  # agent-hooks/<KEY>.json: config.toml as it was
LABELS = {"SessionStart": "session_start", "SessionEnd": "session_end", "Stop": "stop",
          "UserPromptSubmit": "user_prompt_submit"}


def trust_hash(event: str, handler: dict[str, Any]) -> str:
    normalized = {"async": bool(handler.get("async", False)), "command": handler["command"],
                  "timeout": max(int(handler.get("timeout") or 600), 1), "type": "command"}
    if handler.get("statusMessage"):
        normalized["statusMessage"] = handler["statusMessage"]
    identity = {"event_name": LABELS[event], "hooks": [normalized]}
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string is a JSON string


def block(hooks_json: Path, positions: dict[str, tuple[int, dict[str, Any]]], hooks_folder: str) -> str:
    """Our lines: the trust of each (event → group index, handler) and the shell environment."""
    path = os.path.realpath(hooks_json)
    lines = [BEGIN, "[shell_environment_policy.set]\n", 'GIT_CONFIG_COUNT = "1"\n',
             'GIT_CONFIG_KEY_0 = "core.hooksPath"\n', f"GIT_CONFIG_VALUE_0 = {_q(hooks_folder)}\n"]
    for event, (group, handler) in positions.items():
        lines.append(f"[hooks.state.{_q(f'{path}:{LABELS[event]}:{group}:0')}]\n")
        lines.append(f"trusted_hash = {_q(trust_hash(event, handler))}\n")
    lines.append(END)
    return "".join(lines)


def parse(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Unusable(f"{path}: not valid TOML ({exc}); left alone") from None


def without_block(text: str) -> str:
    start = text.find(BEGIN)
    if start < 0:
        return text
    end = text.find(END, start)
    if end < 0:
        return text
    before, after = text[:start], text[end + len(END):]
    if before.endswith("\n\n") and not after:  # the blank line we put before it
        before = before[:-1]
    return before + after


def appended(base: str, ours: str) -> str:
    """`base` with our block after it, a blank line between."""
    sep = "" if not base or base.endswith("\n\n") else ("\n" if base.endswith("\n") else "\n\n")
    return base + sep + ours


def install(config: Path, ours: str) -> bool:
    """Add (or refresh) our block. False when it was there already. Raises Unusable."""
    from aitrack.agenthooks.jsonconf import read_text, remember

    raw, current = read_text(config)
    parse(current, config)
    new = appended(without_block(current), ours)  # a re-install replaces our block
    if new == current:
        return False
    try:
        parsed = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        raise Unusable(f"{config}: aitrack's [shell_environment_policy.set] or [hooks.state] entries would clash "
                       "with tables already there; left alone") from None
    env = (parsed.get("shell_environment_policy") or {}).get("set") or {}
    if env.get("GIT_CONFIG_KEY_0") != "core.hooksPath":
        raise Unusable(f"{config}: its shell_environment_policy.set cannot take aitrack's keys; left alone")
    remember(KEY, config, raw, new.encode("utf-8"))
    return True


def uninstall(config: Path) -> bool:
    """Put the file back as it was, or (edited since) take our block out. True when there was one."""
    from aitrack.agenthooks.jsonconf import forget, restore

    if restore(KEY, config):
        return True
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    new = without_block(text)
    forget(KEY)
    if new == text:
        return False
    config.write_text(new, encoding="utf-8")
    return True


def check(text: str, ours: str) -> tuple[str, str] | None:
    """None when config.toml `text` trusts our entries and gives the shell environment of block
    `ours`; else (state, why): "bypassed" (switched off in Codex's /hooks view) or "missing"."""
    try:
        parsed, mine = tomllib.loads(text), tomllib.loads(ours)
    except tomllib.TOMLDecodeError:
        return "missing", "config.toml is not valid TOML"
    states = (parsed.get("hooks") or {}).get("state") or {}
    for key, want in ((mine.get("hooks") or {}).get("state") or {}).items():
        have = states.get(key)
        if isinstance(have, dict) and have.get("enabled") is False:
            return "bypassed", f'hooks.state."{key}" has enabled = false'
        if not isinstance(have, dict) or have.get("trusted_hash") != want["trusted_hash"]:
            return "missing", "aitrack's entries are not trusted: Codex does not run an untrusted hook"
    env = (parsed.get("shell_environment_policy") or {}).get("set") or {}
    if env.get("GIT_CONFIG_VALUE_0") != mine["shell_environment_policy"]["set"]["GIT_CONFIG_VALUE_0"]:
        return "missing", "no shell environment for the session hooks: commits get no trailer"
    return None
