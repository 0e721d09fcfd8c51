"""Kimi CLI's and Mistral Vibe's hooks: `[[hooks]]` tables in a TOML file — Kimi's config.toml
(event, command, matcher, timeout), Vibe's hooks.toml (name, type, command, match, timeout).

tomllib reads but does not write: our tables go in one marked block appended to the file (as
Codex's trust does, codex_toml), and the result is parsed again before anything is written.
Uninstall puts the file back byte for byte, or takes the block out. Kimi rewrites the whole file
when it saves its config (`/model`, `/login`: tomlkit, from its own model, so comments go and our
tables stay as plain `[[hooks]]` entries): then uninstall takes out the tables whose command is ours.
"""
from __future__ import annotations

import json
import tomllib
from typing import Any

from aitrack.agenthooks.codex_toml import BEGIN, END, appended, parse, without_block
from aitrack.agenthooks.jsonconf import Outcome, Unusable, forget, read_text, remember, restore
from aitrack.agenthooks.specs import Spec, is_ours


def _key(spec: Spec) -> str:
    return f"{spec.name}-config"  # agent-hooks/<key>.json: config.toml as it was


def block(spec: Spec, command: str) -> str:
    lines = [BEGIN]
    for event in spec.events:
        lines.append("[[hooks]]\n")
        if spec.toml_named:
            lines.append(f"name = {json.dumps('aitrack-' + event)}\n")
        lines += [f"{spec.toml_hooks} = {json.dumps(event)}\n", f"command = {json.dumps(command)}\n",
                  f"timeout = {spec.timeout}\n"]
    return "".join(lines) + END


def ours(spec: Spec, parsed: dict[str, Any]) -> dict[str, str]:
    """event → the command of our entry for it."""
    hooks, key = parsed.get("hooks"), spec.toml_hooks
    return {h[key]: h["command"] for h in hooks if isinstance(h, dict) and isinstance(h.get(key), str)
            and is_ours(h.get("command"))} if isinstance(hooks, list) else {}


def _without_our_tables(spec: Spec, text: str) -> str:
    """`text` without the `[[hooks]]` tables whose command is ours, as Kimi writes them (a header
    line, then key lines up to the next header): what is left of an install after Kimi rewrote."""
    out: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if table and not (table[0].strip() == "[[hooks]]" and ours(spec, {"hooks": [_table(table)]})):
            out.extend(table)
        elif table and out and not out[-1].strip():
            out.pop()  # the blank line before a table taken out
        table.clear()

    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("["):
            flush()
        (table if table or line.lstrip().startswith("[") else out).append(line)
    flush()
    return "".join(out)


def _table(lines: list[str]) -> dict[str, Any]:
    try:
        return tomllib.loads("".join(lines[1:]))
    except tomllib.TOMLDecodeError:
        return {}


def install(spec: Spec, command: str) -> Outcome:
    config = spec.config()
    raw, current = read_text(config)
    parsed = parse(current, config)
    base = without_block(current)  # a re-install replaces our block
    if ours(spec, parse(base, config)):
        base = _without_our_tables(spec, base)  # Kimi rewrote the file since: our tables without the block
    new = appended(base, block(spec, command))
    if new == current:
        return Outcome("already", str(config))
    try:
        merged = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        raise Unusable(f"{config}: its `hooks` is not a list of [[hooks]] tables aitrack can add to; left alone") from None
    if ours(spec, merged) != {e: command for e in spec.events}:
        raise Unusable(f"{config}: aitrack's [[hooks]] entries would not be read as written; left alone")
    remember(_key(spec), config, raw, new.encode("utf-8"))
    return Outcome("updated" if ours(spec, parsed) else "installed", str(config))


def uninstall(spec: Spec) -> Outcome:
    config = spec.config()
    if restore(_key(spec), config):
        return Outcome("removed", f"{config} put back as it was")
    raw, text = read_text(config)
    forget(_key(spec))
    if raw is None or not ours(spec, parse(text, config)):
        return Outcome("absent", str(config))
    new = without_block(text)
    if ours(spec, parse(new, config)):
        new = _without_our_tables(spec, new)
    if ours(spec, parse(new, config)):
        raise Unusable(f"{config}: aitrack's [[hooks]] entries are not where aitrack can take them out; left alone")
    config.write_text(new, encoding="utf-8")
    return Outcome("removed", f"{config}: edited since install, so only aitrack's entries were taken out")


def state(spec: Spec, command: str) -> tuple[str, str]:
    """(installed | missing | stale | unreadable, detail)."""
    config = spec.config()
    try:
        _, text = read_text(config)
        found = ours(spec, parse(text, config))
    except Unusable as exc:
        return "unreadable", str(exc)
    missing = [e for e in spec.events if e not in found]
    if missing:
        return "missing", f"{', '.join(missing)} not registered in {config}"
    if any(found[e] != command for e in spec.events):
        return "stale", f"{config} runs another aitrack's hook (not this installation's)"
    return "installed", str(config)
