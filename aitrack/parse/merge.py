"""Several Session records → one: a file with two sessionIds, a Claude log and its subagent files,
the aider sessions written during one wrapper session."""
from __future__ import annotations

from dataclasses import fields

from aitrack.parse.builder import MAX_FILES, MAX_PROMPTS, MAX_TOOL_CALLS
from aitrack.parse.values import duration
from aitrack.parse.record import Metrics, Session

_SUMMED = ("user_prompts", "tool_uses", "commands_executed", "git_operations", "errors_encountered")


def merge_sessions(sessions: list[Session]) -> Session:
    """One record holding everything; counts add up, lists concatenate in order (capped)."""
    if len(sessions) == 1:
        return sessions[0]
    if not sessions:
        return Session()
    first = sessions[0]
    out = Session(provider=first.provider, detection=first.detection)
    m = out.metrics
    for s in sessions:
        for name in _SUMMED:
            setattr(m, name, getattr(m, name) + getattr(s.metrics, name))
        for f in fields(Metrics):
            if f.name in _SUMMED or f.name in ("files_touched", "duration_seconds"):
                continue
            value = getattr(s.metrics, f.name)
            if value is not None:
                setattr(m, f.name, (getattr(m, f.name) or 0) + value)
        for name, n in s.tool_uses_by_name.items():
            out.tool_uses_by_name[name] = out.tool_uses_by_name.get(name, 0) + n
        out.commands.extend(s.commands[: MAX_TOOL_CALLS - len(out.commands)])
        out.tool_calls.extend(s.tool_calls[: MAX_TOOL_CALLS - len(out.tool_calls)])
        out.prompts.extend(s.prompts[: MAX_PROMPTS - len(out.prompts)])
        for items, target in ((s.files, out.files), (s.models, out.models), (s.issue_numbers, out.issue_numbers)):
            for item in items:
                if item not in target and len(target) < MAX_FILES:
                    target.append(item)  # type: ignore[arg-type]
        for attr in ("cwd", "git_branch", "agent_session_id", "tool_version", "source_path"):
            if getattr(out, attr) is None:
                setattr(out, attr, getattr(s, attr))
        if s.started_at and (out.started_at is None or s.started_at < out.started_at):
            out.started_at = s.started_at
        if s.ended_at and (out.ended_at is None or s.ended_at > out.ended_at):
            out.ended_at = s.ended_at
        out.warnings.extend(w for w in s.warnings if w not in out.warnings)
    m.files_touched = len(out.files)
    m.duration_seconds = duration(out.started_at, out.ended_at)
    ids = {s.agent_session_id for s in sessions if s.agent_session_id}
    if len(ids) > 1:
        out.warnings.append(f"{len(ids)} agent sessions merged into one record")
    return out
