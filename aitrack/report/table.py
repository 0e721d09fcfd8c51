"""The `aitrack compare` table: plain text, aligned, one line per group and a total."""
from __future__ import annotations

from typing import Any

from aitrack.cost.fmt import usd
from aitrack.report.data import grouped, summarize

COLUMNS = ("sessions", "success", "median dur", "commands", "errors", "tokens", "cost", "commits/session")


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    if seconds < 90:
        return f"{seconds:.0f}s"
    if seconds < 5400:
        return f"{seconds / 60:.1f}m"
    return f"{seconds / 3600:.1f}h"


def fmt_count(value: float | None) -> str:
    if value is None:
        return "?"
    if value >= 1e6:
        return f"{value / 1e6:.1f}M"
    if value >= 1e4:
        return f"{value / 1e3:.0f}k"
    if value < 10 and not float(value).is_integer():
        return f"{value:.1f}"  # an axis tick of 0.5 errors
    return f"{value:.0f}"


def _cells(summary: dict[str, Any]) -> list[str]:
    rate = summary["success_rate"]
    return [
        str(summary["sessions"]), "?" if rate is None else f"{rate * 100:.0f}%",
        fmt_duration(summary["median_duration"]), fmt_count(summary["commands"]),
        fmt_count(summary["errors"]), fmt_count(summary["tokens"]), usd(summary.get("cost_usd")),
        f"{summary['commits_per_session']:.2f}",
    ]


def render(rows: list[dict[str, Any]], by: str) -> str:
    lines = [[by, *COLUMNS]]
    lines += [[name, *_cells(s)] for name, s in grouped(rows, by)]
    lines.append(["total", *_cells(summarize(rows))])
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]

    def join(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([join(lines[0]), rule, *(join(x) for x in lines[1:-1]), rule, join(lines[-1])])
