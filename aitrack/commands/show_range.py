"""`aitrack show A..B`: what a range of commits (a pull request) cost — the sessions behind its
commits, each listed and summed once however many of the commits it made."""
from __future__ import annotations

import json
from typing import Any

from aitrack import output
from aitrack.cost.fmt import cost_text, count, input_total, tokens_line
from aitrack.vcs.commit import CommitInfo

_SUMMED = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


def range_view(commits: list[CommitInfo]) -> dict[str, Any]:
    from aitrack.commands.show import redacted, session_view
    from aitrack.vcs.index import sessions_for_commit

    order: dict[str, tuple[str, CommitInfo]] = {}
    shas: dict[str, list[str]] = {}
    for info in reversed(commits):  # oldest first: a session is listed where it began
        found = info.session_ids() or [(sid, "journal") for sid in sessions_for_commit(info.sha)]
        for sid, how in found:
            order.setdefault(sid, (how, info))
            shas.setdefault(sid, []).append(info.sha)
    views = []
    for sid, (how, info) in order.items():
        view = session_view(sid, how, info.note_for(sid))
        view["range_commits"] = shas[sid]
        views.append(view)
    return {"commits": [{"sha": c.sha, "subject": redacted(c.subject)} for c in commits], "sessions": views,
            "total": total(views)}


def total(views: list[dict[str, Any]]) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    money: float | None = None
    unpriced: dict[str, None] = {}
    reported: float | None = None
    for v in views:
        m = v.get("metrics") or {}
        for key in _SUMMED:
            if isinstance(m.get(key), (int, float)):
                metrics[key] = (metrics.get(key) or 0) + m[key]
        inp = input_total(m)
        if inp is not None:
            metrics["total_input_tokens"] = (metrics.get("total_input_tokens") or 0) + inp
        cost = v.get("cost") or {}
        if cost.get("usd") is not None:
            money = (money or 0.0) + cost["usd"]
        if cost.get("reported_usd") is not None:
            reported = (reported or 0.0) + cost["reported_usd"]
        unpriced.update(dict.fromkeys(cost.get("unpriced") or []))
        if not cost and (inp or m.get("output_tokens")):
            unpriced["(sessions recorded before pricing)"] = None
    return {"sessions": len(views), "metrics": metrics,
            "cost": {"usd": money, "unpriced": list(unpriced), "reported_usd": reported}}


def render(spec: str, view: dict[str, Any]) -> list[str]:
    from aitrack.commands.show import cleaned

    view = cleaned(view)  # subjects, models and ids come from whoever wrote them: printable only
    commits, views, tot = view["commits"], view["sessions"], view["total"]
    lines = [f"range {output.clean(spec)}: {len(commits)} commit(s), {len(views)} session(s) behind them"]
    for v in views:
        m = v.get("metrics") or {}
        money = cost_text(v.get("cost")) or "no cost recorded"
        lines.append("")
        lines.append(output.style(f"session {v['session_id']}", "1") + f"  {v.get('provider') or 'unknown'}"
                     f"  {', '.join(v.get('models') or []) or '?'}")
        lines.append(f"  {v.get('started_at') or '?'} · in {count(input_total(m) or 0)} / out "
                     f"{count(m.get('output_tokens') or 0)} · {money}")
        subjects = {c["sha"]: c["subject"] for c in commits}
        for i, sha in enumerate(v["range_commits"]):
            lines.append(("  commits   " if i == 0 else "            ") + f"{sha[:12]} {subjects.get(sha, '')}")
    lines += ["", f"total     {len(views)} session(s), each once · " + tokens_line(tot["metrics"], tot["cost"])]
    return lines


def show_range(spec: str, repo: str = ".", as_json: bool = False) -> int:
    from aitrack.vcs.revrange import resolve_range

    commits = resolve_range(spec, repo)
    view = range_view(commits)
    if as_json:
        output.out(json.dumps({"range": spec, **view}, indent=1, default=str))
    else:
        for line in render(spec, view):
            output.out(line)
    return 0 if view["sessions"] else 1
