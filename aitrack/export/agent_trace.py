"""Attribution notes as Agent Trace records (https://github.com/cursor/agent-trace, spec 0.1.0):
one trace record per commit, each file's ranges grouped by conversation (an aitrack session and
model, or the person).

Pure: takes the commit and its note runs (aitrack/attribution/note.py), returns the record.
`content_hash` is `aitrack-lines-sha256:` + sha256 over the range's line hashes joined by newlines
(each line: sha256 of its text without trailing whitespace, 16 hex), so anyone can recompute it.
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from aitrack import __version__
from aitrack.agents import registry

VERSION = "0.1.0"
# models.dev names models `<vendor>/<model>`; the agent says which vendor it talks to.
_VENDOR = {m.PROVIDER: m.AGENT_TRACE for m in registry.modules() if registry.get(m, "AGENT_TRACE")}


def model_id(provider: str | None, model: str | None) -> str | None:
    if not model:
        return None
    if "/" in model or provider not in _VENDOR:
        return model[:250]
    return f"{_VENDOR[str(provider)]}/{model}"[:250]


def content_hash(hashes: Iterable[str]) -> str:
    return "aitrack-lines-sha256:" + hashlib.sha256("\n".join(hashes).encode()).hexdigest()[:32]


def record(sha: str, committed_at: str, runs: Iterable[Mapping[str, Any]],
           run_urls: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The trace record of commit `sha` (committed at `committed_at`, RFC 3339)."""
    files: dict[str, dict[tuple[str, str | None], dict[str, Any]]] = {}
    sessions: dict[str, dict[str, Any]] = {}
    for run in runs:
        ai = run.get("by") == "ai"
        sid = str(run.get("session_id") or "") if ai else ""
        key = (sid, run.get("model") if ai else None)
        convs = files.setdefault(str(run["file"]), {})
        conv = convs.get(key)
        if conv is None:
            contributor: dict[str, Any] = {"type": "ai" if ai else "human"}
            mid = model_id(run.get("provider"), run.get("model")) if ai else None
            if mid:
                contributor["model_id"] = mid
            conv = convs[key] = {"contributor": contributor, "ranges": []}
            if ai and sid:
                url = (run_urls or {}).get(sid)
                if url:
                    conv["url"] = url
                conv["related"] = [{"type": "session", "url": f"urn:aitrack:session:{sid}"}]
        start = int(run["start"])
        hashes = [str(h) for h in run.get("h") or []]
        conv["ranges"].append({"start_line": start, "end_line": start + max(len(hashes), 1) - 1,
                               "content_hash": content_hash(hashes)})
        if ai and sid:
            entry = sessions.setdefault(sid, {"provider": run.get("provider"), "prompts": []})
            if run.get("prompt") and run["prompt"] not in entry["prompts"]:
                entry["prompts"].append(run["prompt"])
    out: dict[str, Any] = {
        "version": VERSION,
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:aitrack:commit:{sha}")),  # the same commit, the same id
        "timestamp": committed_at,
        "vcs": {"type": "git", "revision": sha},
        "tool": {"name": "aitrack", "version": __version__},
        "files": [{"path": path, "conversations": list(convs.values())} for path, convs in files.items()],
    }
    if sessions:
        out["metadata"] = {"dev.aitrack": {"sessions": sessions}}
    return out
