"""Attribution notes as Git AI Standard v3.0.0 authorship logs (refs/notes/ai; the spec:
https://github.com/git-ai-project/git-ai/blob/main/specs/git_ai_standard_v3.0.0.md).

Pure: the commit and its note runs in, the log text out. Each aitrack session is a `s_` session
(`"s_" + sha256("<tool>:<conversation id>")[:14]`, the conversation id being the aitrack session
id), each of its tool calls a `t_` trace (`"t_" + sha256(session, call)[:14]`: one per call, the
same on every export). The lines aitrack gives a person are left untracked: the standard's `h_`
keys mean "seen typed in an IDE", which aitrack does not see.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from aitrack.agents import registry

SCHEMA = "authorship/3.0.0"
NOTES_REF = "refs/notes/ai"
# The standard's agent names (§1.2.4 Agent ID Object).
_TOOL = {m.PROVIDER: m.GITAI for m in registry.modules() if registry.get(m, "GITAI")}


def _hex14(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:14]


def tool_name(provider: str | None) -> str:
    return str(_TOOL.get(str(provider), provider or "unknown"))


def ranges(lines: Iterable[int]) -> str:
    """[1, 2, 3, 7] → "1-3,7" (sorted, consecutive lines as ranges)."""
    out: list[str] = []
    nums = sorted(set(lines))
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ",".join(out)


def _path(path: str) -> str:
    return f'"{path}"' if any(c in path for c in " \t\n") else path


def authorship_log(sha: str, runs: Iterable[Mapping[str, Any]]) -> str | None:
    """The authorship log of commit `sha`, or None when no line of it is an agent's."""
    files: dict[str, dict[str, list[int]]] = {}
    sessions: dict[str, dict[str, Any]] = {}
    for run in runs:
        if run.get("by") != "ai" or not run.get("session_id"):
            continue
        sid, tool = str(run["session_id"]), tool_name(run.get("provider"))
        skey = "s_" + _hex14(f"{tool}:{sid}")
        call = str(run.get("call_id") or run.get("tool") or "")
        key = f"{skey}::t_{_hex14(sid + ':' + call)}"
        start = int(run["start"])
        files.setdefault(str(run["file"]), {}).setdefault(key, []).extend(
            range(start, start + len(run.get("h") or [1])))
        if skey not in sessions:
            agent = {"tool": tool, "id": sid, "model": str(run.get("model") or "unknown")}
            sessions[skey] = {"agent_id": agent, "custom_attributes": {"aitrack_session_id": sid}}
    if not files:
        return None
    lines = []
    for path in sorted(files):
        lines.append(_path(path))
        for key, nums in sorted(files[path].items(), key=lambda kv: min(kv[1])):
            lines.append(f"  {key} {ranges(nums)}")
    meta = {"schema_version": SCHEMA, "base_commit_sha": sha, "prompts": {}, "sessions": sessions}
    return "\n".join(lines) + "\n---\n" + json.dumps(meta, indent=2, sort_keys=True) + "\n"
