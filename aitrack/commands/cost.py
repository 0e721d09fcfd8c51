"""`aitrack cost [--by session|day|week|issue|branch|commit|repo|model|provider] [--since 30d]
[--json|--csv]`: what the recorded sessions cost at API list prices, from the local records."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from aitrack import output
from aitrack.cost.fmt import usd
from aitrack.cost.rollup import group, rows
from aitrack.errors import AitrackError
from aitrack.paths import sessions_dir

CSV_FIELDS = ("group", "sessions", "usd", "unpriced_sessions", "unpriced", "reported_usd")


def cost(by: str = "issue", since: str | None = None, as_json: bool = False, as_csv: bool = False) -> int:
    if as_json and as_csv:
        raise AitrackError("--json and --csv: choose one")
    from aitrack.report.data import parse_since  # standard library only

    table = group(rows(sessions_dir(), parse_since(since)), by)
    if as_json:
        output.out(json.dumps(table, indent=1))
    elif as_csv:
        output.write(to_csv(table))
    else:
        for line in render(table, since):
            output.out(line)
    return 0


def to_csv(table: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for g in [*table["groups"], {**table["total"], "group": "total"}]:
        writer.writerow({**g, "unpriced": " ".join(g["unpriced"]), "reported_usd": g["reported_usd"] or ""})
    return buf.getvalue()


def render(table: dict[str, Any], since: str | None = None) -> list[str]:
    total = table["total"]
    if not total["sessions"]:
        return ["no sessions recorded" + (f" in the last {since}" if since else "")]
    width = min(max([len(table["by"])] + [len(g["group"]) for g in table["groups"]]), 40)
    lines = [f"{table['by']:<{width}}  {'sessions':>8}  {'cost':>10}  notes"]
    for g in [*table["groups"], {**total, "group": "total"}]:
        name = output.clean(g["group"])  # branch and model names come from logs and repositories
        name = name if len(name) <= width else name[: width - 1] + "…"
        notes = []
        if g["unpriced"]:
            notes.append("unpriced: " + ", ".join(g["unpriced"]))
        elif g["unpriced_sessions"]:
            notes.append(f"{g['unpriced_sessions']} without a cost (no token counts)")
        if g["reported_usd"]:
            notes.append(f"agents reported {usd(g['reported_usd'])}")
        lines.append(f"{name:<{width}}  {g['sessions']:>8}  {usd(g['usd']):>10}  {output.clean('; '.join(notes))}".rstrip())
    lines.append("API list prices (genai-prices); a session shared by several issues or commits is split evenly")
    return lines
