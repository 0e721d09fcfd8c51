"""`aitrack stats [RANGE] [--json]`: the share of added lines an agent wrote, per commit, author,
provider and model, over a range (a pull request's `main..HEAD`; default: HEAD's history)."""
from __future__ import annotations

import json
from typing import Any

from aitrack import output


def stats_view(commits: list[dict[str, Any]]) -> dict[str, Any]:
    authors: dict[str, list[int]] = {}
    providers: dict[str, int] = {}
    models: dict[str, int] = {}
    sessions: dict[str, int] = {}
    for c in commits:
        pair = authors.setdefault(c["author"], [0, 0])
        pair[0] += c["added"]
        pair[1] += c["ai"]
        for (sid, provider, model), n in c["by_session"].items():
            providers[provider or "unknown"] = providers.get(provider or "unknown", 0) + n
            models[model or "unknown"] = models.get(model or "unknown", 0) + n
            sessions[sid] = sessions.get(sid, 0) + n
    added = sum(c["added"] for c in commits)
    ai = sum(c["ai"] for c in commits)
    return {
        "commits": [{"sha": c["sha"], "subject": c["subject"], "author": c["author"], "added": c["added"],
                     "ai": c["ai"], "ai_pct": _pct(c["ai"], c["added"])} for c in commits],
        "authors": [{"author": a, "added": n, "ai": k, "ai_pct": _pct(k, n)} for a, (n, k) in authors.items()],
        "providers": [{"provider": p, "ai": n, "ai_pct": _pct(n, added)} for p, n in providers.items()],
        "models": [{"model": m, "ai": n, "ai_pct": _pct(n, added)} for m, n in models.items()],
        "sessions": [{"session_id": s, "ai": n} for s, n in sessions.items()],
        "total": {"commits": len(commits), "added": added, "ai": ai, "ai_pct": _pct(ai, added)},
    }


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def stats(spec: str = "HEAD", as_json: bool = False, repo: str = ".") -> int:
    from aitrack.vcs.stats import range_commits

    view = stats_view(range_commits(spec, repo))
    if as_json:
        output.write(json.dumps(view, indent=1) + "\n")
        return 0
    t = view["total"]
    output.out(f"{t['ai']} of {t['added']} added lines by AI ({t['ai_pct']}%) in {t['commits']} commit(s) of {spec}")
    for title, rows, key in (("by author", view["authors"], "author"), ("by provider", view["providers"], "provider"),
                             ("by model", view["models"], "model")):
        if rows:
            output.out(f"{title}:")
            for r in rows:
                extra = f" of {r['added']}" if "added" in r else ""
                output.out(f"  {output.clean(r[key]):<40} {r['ai']:>7}{extra} lines  {r['ai_pct']:>5}%")
    output.out("by commit:")
    for c in view["commits"]:
        output.out(f"  {c['sha'][:8]} {c['ai']:>5}/{c['added']:<5} {c['ai_pct']:>5}%  {output.clean(c['subject'])}")
    return 0
