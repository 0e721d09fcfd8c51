"""`aitrack report [--out report.html] [--since 90d]`: one self-contained HTML file with plots."""
from __future__ import annotations

from aitrack import output
from aitrack.fileio import write_user_file


def report(out: str = "aitrack-report.html", since: str | None = None) -> int:
    from aitrack.report.data import load_runs, parse_since
    from aitrack.report.html import render

    parse_since(since)
    rows = load_runs("", since, local_first=True)
    path = write_user_file(out, render(rows))
    output.out(f"wrote {path} ({len(rows)} runs)")
    return 0
