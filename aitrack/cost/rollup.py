"""`aitrack cost --by …`: dollars grouped from the local records, without mlflow or the price data.

Each session folder holds `cost.json` (written at ingest, a few hundred bytes); only a folder
without one has its session.json read. Folder names start with the session's UTC start time, so
`--since` skips older folders by name, unread.

A session whose commits (or prompts, branch) name two issues is split evenly between them, and so
between its commits: the groups then add up to the total, each session counted once in it.
"""
from __future__ import annotations

import json
import time
from datetime import date
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aitrack.cost.record import rollup_row
from aitrack.errors import AitrackError
from aitrack.sessiondir import COST, RECORD

BY = ("session", "day", "week", "issue", "branch", "commit", "repo", "model", "provider")
NONE = "—"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def rows(root: Path, since_epoch: float | None = None) -> Iterator[dict[str, Any]]:
    """One roll-up row per recorded session, newest folder first."""
    cutoff = time.strftime("%Y%m%dT%H%M%S", time.gmtime(since_epoch)) if since_epoch else ""
    try:
        names = sorted((e.name for e in root.iterdir()), reverse=True)
    except OSError:
        return
    for name in names:
        if cutoff and name[:15] < cutoff and name[:8].isdigit():
            break  # sorted by start time: everything after is older
        folder = root / name
        row = _read(folder / COST)  # the small roll-up row: read instead of session.json
        if row is None:
            record = _read(folder / RECORD)  # ingested before cost.json existed
            if record is None:
                continue
            row = rollup_row(record)
        if since_epoch and isinstance(row.get("started_at_epoch"), (int, float)) and row["started_at_epoch"] < since_epoch:
            continue
        yield row


def _day(row: dict[str, Any]) -> str:
    epoch = row.get("started_at_epoch")
    if isinstance(epoch, (int, float)):
        return time.strftime("%Y-%m-%d", time.gmtime(epoch))
    started = str(row.get("started_at") or "")
    return started[:10] if len(started) >= 10 else NONE


def _week(row: dict[str, Any]) -> str:
    day = _day(row)
    if day == NONE:
        return day
    iso = date.fromisoformat(day).isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def shares(row: dict[str, Any], by: str) -> list[tuple[str, float | None]]:
    """(group, dollars) for one session: the whole, or even parts of it, or per model its own."""
    usd = row.get("usd")
    if by == "model":
        models = row.get("by_model") or {}
        out = [(str(m), v) for m, v in models.items()]
        return out or [(NONE, usd)]
    if by in ("issue", "commit"):
        keys = [f"#{n}" for n in row.get("issues") or []] if by == "issue" else [str(c)[:12] for c in row.get("commits") or []]
        if not keys:
            return [(NONE, usd)]
        return [(k, usd / len(keys) if usd is not None else None) for k in keys]
    if by == "session":
        key = row.get("session_id")
    elif by == "day":
        key = _day(row)
    elif by == "week":
        key = _week(row)
    elif by == "branch":
        key = row.get("branch")
    elif by == "repo":
        key = row.get("repo")
    elif by == "provider":
        key = row.get("provider")
    else:
        raise AitrackError(f"--by {by!r}: use one of {', '.join(BY)}")
    return [(str(key) if key else NONE, usd)]


def group(all_rows: list[dict[str, Any]] | Iterator[dict[str, Any]], by: str) -> dict[str, Any]:
    """{"by", "groups": [{group, sessions, usd, unpriced_sessions, unpriced, reported_usd}], "total"}."""
    if by not in BY:
        raise AitrackError(f"--by {by!r}: use one of {', '.join(BY)}")
    groups: dict[str, dict[str, Any]] = {}
    total: dict[str, Any] = {"sessions": 0, "usd": 0.0, "unpriced_sessions": 0, "unpriced": {}, "reported_usd": 0.0}
    for row in all_rows:
        unpriced = [str(m) for m in row.get("unpriced") or []]
        total["sessions"] += 1
        total["usd"] += row.get("usd") or 0.0
        total["reported_usd"] += row.get("reported_usd") or 0.0
        if row.get("usd") is None or unpriced:
            total["unpriced_sessions"] += 1
        total["unpriced"].update(dict.fromkeys(unpriced))
        for key, usd in shares(row, by):
            g = groups.setdefault(key, {"group": key, "sessions": 0, "usd": 0.0, "unpriced_sessions": 0,
                                        "unpriced": {}, "reported_usd": 0.0})
            g["sessions"] += 1
            g["usd"] += usd or 0.0
            g["reported_usd"] += (row.get("reported_usd") or 0.0) if by != "model" else 0.0
            if usd is None or (unpriced and by != "model"):
                g["unpriced_sessions"] += 1
            if by != "model":
                g["unpriced"].update(dict.fromkeys(unpriced))
            elif key in unpriced:
                g["unpriced"][key] = None
    out = sorted(groups.values(), key=lambda g: (-g["usd"], g["group"]))
    for g in [*out, total]:
        g["unpriced"] = list(g["unpriced"])
        g["usd"] = round(g["usd"], 10)
        g["reported_usd"] = round(g["reported_usd"], 10) or None
    if by in ("day", "week"):
        out.sort(key=lambda g: g["group"], reverse=True)
    return {"by": by, "groups": out, "total": total}
