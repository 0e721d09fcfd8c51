"""The report's cost plots: API list price per day (or week), per issue and per model, from the
runs' `cost_usd` metric and `cost.by_model` tag. A run naming two issues is split evenly."""
from __future__ import annotations

import json
from typing import Any

from aitrack.report.data import issues_of, metric


def per_issue(rows: list[dict[str, Any]]) -> list[tuple[str, float]]:
    out: dict[str, float] = {}
    for row in rows:
        usd = metric(row, "cost_usd")
        issues = issues_of(row)
        if usd is None or not issues:
            continue
        for n in issues:
            out[f"#{n}"] = out.get(f"#{n}", 0.0) + usd / len(issues)
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))


def per_model(rows: list[dict[str, Any]]) -> list[tuple[str, float]]:
    out: dict[str, float] = {}
    for row in rows:
        try:
            models = json.loads((row.get("tags") or {}).get("cost.by_model") or "{}")
        except ValueError:
            continue
        for name, usd in models.items() if isinstance(models, dict) else []:
            if isinstance(usd, (int, float)):
                out[str(name)] = out.get(str(name), 0.0) + float(usd)
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))
