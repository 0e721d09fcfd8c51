"""Adding aitrack's hook to an agent's JSON settings, and taking it out again byte for byte.

The user's own hooks stay where they are: ours is one more matcher group under each event,
recognised by the marker in its command. The file as it was before the first install is kept
under the data dir (`agent-hooks/<agent>.json`, 0600) with a digest of what we wrote: while the
file is still what we wrote, uninstall puts the original bytes back (or removes a file we created);
once the user edited it, uninstall takes out only our groups (and the containers we added).
A file that is not a JSON object, or whose `hooks` are not what the agent documents, is left alone.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aitrack.agenthooks.specs import Spec, is_ours
from aitrack.fileio import write_atomic
from aitrack.paths import data_dir, ensure_private_dir


@dataclass(frozen=True)
class Outcome:
    status: str  # installed | already | removed | absent | left-alone | updated
    detail: str = ""


class Unusable(Exception):
    """The config cannot be edited safely; the message says why, in one line."""


def read_text(path: Path) -> tuple[bytes | None, str]:
    """(the file's bytes or None when missing, its text) of a config edited as text. Raises Unusable."""
    try:
        raw: bytes | None = path.read_bytes()
    except FileNotFoundError:
        raw = None
    except OSError as exc:
        raise Unusable(f"{path}: cannot read it ({exc.strerror or exc}); left alone") from None
    try:
        return raw, (raw or b"").decode("utf-8")
    except UnicodeDecodeError:
        raise Unusable(f"{path}: not UTF-8 text; left alone") from None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _state_file(agent: str) -> Path:
    return ensure_private_dir(data_dir() / "agent-hooks") / f"{agent}.json"


def read_state(agent: str) -> dict[str, Any]:
    try:
        data = json.loads((data_dir() / "agent-hooks" / f"{agent}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load(path: Path) -> tuple[bytes | None, dict[str, Any]]:
    """(the file's bytes or None when missing, its parsed object). Raises Unusable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, {}
    except OSError as exc:
        raise Unusable(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if not raw.strip():
        return raw, {}
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Unusable(f"{path}: not UTF-8 text; left alone") from None
    except ValueError as exc:
        raise Unusable(f"{path}: not valid JSON (line {getattr(exc, 'lineno', '?')}: "
                       f"{getattr(exc, 'msg', exc)}); left alone") from None
    if not isinstance(obj, dict):
        raise Unusable(f"{path}: not a JSON object; left alone")
    return raw, obj


def _indent(raw: bytes | None) -> int | str:
    """The file's own indentation (its first indented line), 2 for a new file."""
    for line in (raw or b"").decode("utf-8", "replace").splitlines()[1:]:
        stripped = line.lstrip(" \t")
        if stripped and len(stripped) < len(line):
            pad = line[: len(line) - len(stripped)]
            return pad if "\t" in pad else len(pad)
    return 2


def _event_lists(obj: dict[str, Any], spec: Spec, create: bool) -> dict[str, list[Any]]:
    hooks = obj.get("hooks")
    if hooks is None and create:
        hooks = obj["hooks"] = {}
    if hooks is None:
        return {}
    if not isinstance(hooks, dict):
        raise Unusable(f"{spec.config()}: `hooks` is not an object; left alone")
    lists = {}
    for event in spec.events:
        groups = hooks.get(event)
        if groups is None and create:
            groups = hooks[event] = []
        if groups is None:
            continue
        if not isinstance(groups, list):
            raise Unusable(f"{spec.config()}: `hooks.{event}` is not a list; left alone")
        lists[event] = groups
    return lists


def is_our_group(group: object) -> bool:
    if isinstance(group, dict) and is_ours(group.get("bash")):  # Copilot CLI: a hook entry, no group
        return True
    return isinstance(group, dict) and isinstance(group.get("hooks"), list) and bool(group["hooks"]) and all(
        isinstance(h, dict) and is_ours(h.get("command")) for h in group["hooks"])


def has_ours(obj: dict[str, Any], spec: Spec, command: str | None = None) -> dict[str, bool]:
    """Per event: our group is there (with exactly `command`, when given)."""
    try:
        lists = _event_lists(obj, spec, create=False)
    except Unusable:
        return {e: False for e in spec.events}
    return {e: any(is_our_group(g) and (command is None or g == spec.group(command, e)) for g in lists.get(e, []))
            for e in spec.events}


def _dump(obj: dict[str, Any], raw: bytes | None) -> bytes:
    return (json.dumps(obj, indent=_indent(raw), ensure_ascii=False) + "\n").encode("utf-8")


def _write(path: Path, data: bytes) -> list[str]:
    """Write the config; returns the folders made for it (uninstall removes them when empty)."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    made = [str(p) for p in reversed(path.parents) if not p.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data.decode("utf-8"), mode)
    return made


def remove_empty(folders: list[str]) -> None:
    for folder in sorted(folders, key=len, reverse=True):
        try:
            os.rmdir(folder)
        except OSError:  # the agent or the user put something there since
            pass


def install(spec: Spec, command: str) -> Outcome:
    path = spec.config()
    raw, obj = load(path)
    if all(has_ours(obj, spec, command).values()):
        return Outcome("already", str(path))
    lists = _event_lists(obj, spec, create=True)
    updated = any(has_ours(obj, spec).values())
    for event, groups in lists.items():
        groups[:] = [g for g in groups if not is_our_group(g)]
        groups.append(spec.group(command, event))
    remember(spec.name, path, raw, _dump(obj, raw))
    return Outcome("updated" if updated else "installed", str(path))


def remember(key: str, path: Path, raw: bytes | None, new: bytes, replaces_ours: bool = False) -> None:
    """Write `new` to `path`, keeping what was there before (`raw`, None: no file) under `key`.
    `replaces_ours`: `raw` is a file of ours however it changed (a plugin), never the original."""
    state = read_state(key)
    kept = replaces_ours and state.get("path") == str(path)
    if not kept and (state.get("path") != str(path) or state.get("written_sha256") != _digest(raw or b"")):
        # First install, or the user edited the file since: what they have now is the original.
        state = {"path": str(path), "existed": raw is not None,
                 "original": base64.b64encode(raw or b"").decode("ascii"), "created_dirs": []}
    state["created_dirs"] = state.get("created_dirs", []) + _write(path, new)
    state["written_sha256"] = _digest(new)
    write_atomic(_state_file(key), json.dumps(state, indent=1) + "\n", 0o600)


def restore(key: str, path: Path) -> bool:
    """Put back the file `remember` replaced, when it is still what we wrote. True when done."""
    state = read_state(key)
    try:
        raw = path.read_bytes()
    except OSError:
        raw = None
    if raw is None or state.get("path") != str(path) or state.get("written_sha256") != _digest(raw):
        return False
    if state.get("existed"):
        _write(path, base64.b64decode(state.get("original") or ""))
    else:
        path.unlink()
        remove_empty(state.get("created_dirs") or [])
    forget(key)
    return True


def forget(key: str) -> None:
    (data_dir() / "agent-hooks" / f"{key}.json").unlink(missing_ok=True)


def uninstall(spec: Spec) -> Outcome:
    path = spec.config()
    raw, obj = load(path)
    if restore(spec.name, path):
        return Outcome("removed", f"{path} put back as it was")
    if not any(has_ours(obj, spec).values()):
        forget(spec.name)
        return Outcome("absent", str(path))
    hooks = obj["hooks"]
    for event, groups in _event_lists(obj, spec, create=False).items():
        groups[:] = [g for g in groups if not is_our_group(g)]
        if not groups:
            del hooks[event]
    if not hooks:
        del obj["hooks"]
    _write(path, _dump(obj, raw))
    forget(spec.name)
    return Outcome("removed", f"{path}: edited since install, so only aitrack's entries were taken out")
