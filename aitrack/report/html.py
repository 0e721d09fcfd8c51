"""`aitrack report`: one self-contained HTML file — inline CSS and SVG, no script, no external
request (a Content-Security-Policy forbids any), readable offline and attachable to an issue."""
from __future__ import annotations

import statistics
import time
from html import escape
from typing import Any, Callable

from aitrack import __version__
from aitrack.report import costs, svg
from aitrack.cost.fmt import usd
from aitrack.report.data import grouped, issues_of, metric, tokens_of
from aitrack.report.table import fmt_count, fmt_duration

CSS = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222;max-width:1000px}
h1{font-size:22px;margin:0 0 4px} .sub{color:#666;margin-bottom:20px}
svg.plot{display:block;margin:18px 0;background:#fafafa;border:1px solid #e4e4e4;border-radius:6px}
svg text{font:11px system-ui,sans-serif;fill:#444} svg text.title{font-size:13px;font-weight:600;fill:#222}
.grid{stroke:#e6e6e6} .axis{stroke:#999} table{border-collapse:collapse;margin:12px 0}
th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:right} th:first-child,td:first-child{text-align:left}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def bucket_size(rows: list[dict[str, Any]]) -> float:
    times = [float(r.get("start_time") or 0) for r in rows]
    span = max(times) - min(times) if times else 0
    return 86400.0 if span <= 60 * 86400 else 7 * 86400.0


def over_time(rows: list[dict[str, Any]], value: Any, agg: str) -> svg.Series:
    """provider → [(bucket start, aggregate of value(row))]."""
    size = bucket_size(rows)
    cells: dict[str, dict[float, list[float]]] = {}
    for row in rows:
        v = value(row)
        if v is None:
            continue
        start = float(row.get("start_time") or 0)
        key = (start // size) * size
        name = str((row.get("tags") or {}).get("provider") or row.get("provider") or "?")
        cells.setdefault(name, {}).setdefault(key, []).append(float(v))
    aggregates: dict[str, Callable[[list[float]], float]] = {
        "mean": statistics.fmean, "median": statistics.median, "sum": lambda vs: float(sum(vs))}
    fn = aggregates[agg]
    return {name: [(x, fn(vs)) for x, vs in sorted(b.items())] for name, b in cells.items()}


def sessions_per_issue(rows: list[dict[str, Any]]) -> list[tuple[str, float]]:
    counts: dict[str, float] = {}
    for row in rows:
        for n in issues_of(row):
            counts[f"#{n}"] = counts.get(f"#{n}", 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def render(rows: list[dict[str, Any]], title: str = "aitrack report", now: float | None = None) -> str:
    now = time.time() if now is None else now
    pct = lambda v: f"{v * 100:.0f}%"
    names = sorted({str((r.get("tags") or {}).get("provider") or r.get("provider") or "?") for r in rows})
    colors = {name: svg.color(i) for i, name in enumerate(names)}
    plots = [
        svg.line_chart("success-rate", "Success rate by provider", over_time(rows, lambda r: metric(r, "success"), "mean"),
                       pct, y_max=1.0, colors=colors),
        svg.line_chart("duration", "Median duration by provider",
                       over_time(rows, lambda r: metric(r, "duration_seconds"), "median"), fmt_duration, colors=colors),
        svg.line_chart("tokens", "Token use by provider", over_time(rows, tokens_of, "sum"), fmt_count, colors=colors),
        svg.line_chart("errors", "Errors by provider", over_time(rows, lambda r: metric(r, "errors_encountered"), "sum"),
                       fmt_count, colors=colors),
        svg.bar_chart("issues", "Sessions per issue", sessions_per_issue(rows), lambda v: f"{v:.0f}"),
        svg.line_chart("cost", f"Cost per {'day' if bucket_size(rows) == 86400.0 else 'week'} by provider (API list prices)",
                       over_time(rows, lambda r: metric(r, "cost_usd"), "sum"), usd, colors=colors),
        svg.bar_chart("cost-issues", "Cost per issue", costs.per_issue(rows), usd),
        svg.bar_chart("cost-models", "Cost per model", costs.per_model(rows), usd),
    ]
    first = min((float(r.get("start_time") or now) for r in rows), default=now)
    when = f"{time.strftime('%Y-%m-%d', time.gmtime(first))} – {time.strftime('%Y-%m-%d', time.gmtime(now))}"
    return "".join([
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1><div class=\"sub\">{len(rows)} runs · {when} · aitrack {__version__}</div>",
        _table(rows), *plots, "</body></html>\n",
    ])


def _table(rows: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("provider", "sessions", "success", "median duration", "commands",
                                             "errors", "tokens", "cost", "commits/session"))
    body = []
    for name, s in grouped(rows, "provider"):
        rate = "?" if s["success_rate"] is None else f"{s['success_rate'] * 100:.0f}%"
        cells = [escape(name), str(s["sessions"]), rate, fmt_duration(s["median_duration"]), fmt_count(s["commands"]),
                 fmt_count(s["errors"]), fmt_count(s["tokens"]),
                 "?" if s.get("cost_usd") is None else usd(s["cost_usd"]), f"{s['commits_per_session']:.2f}"]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table id="summary"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
