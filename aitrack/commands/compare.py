"""`aitrack compare [--by provider|model|procedure|repo] [--since 30d]`: sessions side by side."""
from __future__ import annotations

from aitrack import output


def compare(by: str = "provider", since: str | None = None, filter_string: str = "") -> int:
    from aitrack.report.data import load_runs, parse_since
    from aitrack.report.table import render

    parse_since(since)  # a bad --since fails before the mlflow import
    rows = load_runs(filter_string, since)
    if not rows:
        output.out("no sessions" + (f" in the last {since}" if since else "") + (" match that filter" if filter_string else ""))
        return 0
    output.out(render(rows, by))
    return 0
