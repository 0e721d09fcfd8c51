"""`aitrack status`: one line about the current session, for a shell prompt or Claude Code's
statusLine — `claude · 3 turns · 12 cmds · 1 err · 294k/158 tok · $0.19`.

Run at every prompt, so standard library only and no click (aitrack/hot.py dispatches it): it reads
the session folder's small files and never parses a log. The figures come from `live.json` (what
the live updater last read from the agent's log) or, once the session is ingested, `session.json`;
before either exists the line has the agent and the clock only. Outside a session it prints
nothing and exits 0, so a prompt can call it unconditionally.
"""
from __future__ import annotations

import os
import time

from aitrack.cost.fmt import count, input_total, usd
from aitrack.errors import AitrackError
from aitrack.sessiondir import LIVE, META, RECORD, read_json

TYPE_CHECKING = False  # typing and pathlib cost a prompt a few ms; mypy reads the block all the same
if TYPE_CHECKING:
    from typing import Any

FIELDS = ("session", "agent", "turns", "commands", "errors", "tokens_in", "tokens_out", "cost", "elapsed", "state")


def current_dir(last: bool) -> str | None:
    """The session this process runs inside (the wrapper exports AITRACK_SESSION_DIR to the agent
    and so to everything the agent runs), else with `last` the newest session folder."""
    inside = os.environ.get("AITRACK_SESSION_DIR")
    if inside and os.path.isfile(os.path.join(inside, META)):
        return inside
    if not last:
        return None
    from aitrack.paths import sessions_dir

    root = str(sessions_dir())
    try:
        names = sorted((e.name for e in os.scandir(root) if e.is_dir()), reverse=True)
    except OSError:
        return None
    return next((os.path.join(root, n) for n in names if os.path.isfile(os.path.join(root, n, META))), None)


def _read(path: str) -> dict[str, Any]:
    return read_json(path) or {}


def figures(folder: str) -> dict[str, Any]:
    """The status fields of a session folder (None where not known yet)."""
    meta = _read(os.path.join(folder, META))
    record = _read(os.path.join(folder, RECORD)) if "ended_at" in meta else {}
    live = {} if record else _read(os.path.join(folder, LIVE))
    src = record or live
    metrics = src.get("metrics") or {}
    cost = src.get("cost") if isinstance(src.get("cost"), dict) else {}
    start = meta.get("started_at_epoch")
    end = meta.get("ended_at_epoch") or time.time()
    return {
        "session": meta.get("id") or os.path.basename(folder),
        "agent": meta.get("tool") or src.get("provider") or "?",
        "turns": metrics.get("user_prompts"),
        "commands": metrics.get("commands_executed"),
        "errors": metrics.get("errors_encountered"),
        "tokens_in": input_total(metrics) if metrics else None,
        "tokens_out": metrics.get("output_tokens"),
        "cost": (cost or {}).get("usd"),
        "elapsed": int(end - start) if isinstance(start, (int, float)) else None,
        "state": "ended" if "ended_at" in meta else "running",
    }


def line(f: dict[str, Any]) -> str:
    parts = [str(f["agent"])]
    for key, unit in (("turns", "turn"), ("commands", "cmd"), ("errors", "err")):
        n = f[key]
        if isinstance(n, int):
            parts.append(f"{n} {unit}{'s' if n != 1 and unit != 'err' else ''}")
    if f["tokens_in"] is not None or f["tokens_out"] is not None:
        parts.append(f"{count(f['tokens_in'] or 0)}/{count(f['tokens_out'] or 0)} tok")
    if f["cost"] is not None:
        parts.append(usd(f["cost"]))
    if f["elapsed"] is not None:
        m, s = divmod(f["elapsed"], 60)
        parts.append(f"{m // 60}h{m % 60:02d}m" if m >= 60 else f"{m}m{s:02d}s")
    return " · ".join(parts)


def render(f: dict[str, Any], fmt: str) -> str:
    if fmt == "line":
        return line(f)
    if fmt == "json":
        import json

        return json.dumps(f, sort_keys=True)
    if "{" not in fmt:
        raise AitrackError(f"--format {fmt!r}: expected line, json or a template such as '{{agent}} {{cost}}'")
    shown = {k: "" if v is None else (usd(v) if k == "cost" else count(v) if k.startswith("tokens") else v)
             for k, v in f.items()}
    try:
        return fmt.format_map(shown)
    except KeyError as exc:
        raise AitrackError(f"--format {fmt!r}: no field {exc.args[0]!r}; fields: {', '.join(FIELDS)}") from None
    except (ValueError, IndexError, AttributeError) as exc:
        raise AitrackError(f"--format {fmt!r}: {exc}; fields: {', '.join(FIELDS)}") from None


def status(fmt: str = "line", last: bool = False) -> int:
    from aitrack import output

    if fmt not in ("line", "json") and "{" not in fmt:
        render({}, fmt)  # the one-line error, even outside a session
    folder = current_dir(last)
    if folder is None:
        return 0  # nothing to say: the prompt shows nothing
    output.out(output.clean(render(figures(folder), fmt)))
    return 0
