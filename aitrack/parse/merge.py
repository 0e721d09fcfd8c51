"""Several Session records → one: a file with two sessionIds, a Claude log and its subagent files,
the aider sessions written during one wrapper session. Folds one at a time, so merging the
sessions of a long stream never holds them all."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, replace

from aitrack.parse.builder import MAX_FILES, MAX_PROMPTS, MAX_TOOL_CALLS, MAX_USAGE, MAX_WRITES
from aitrack.parse.record import Metrics, Session
from aitrack.parse.values import duration

_SUMMED = ("user_prompts", "tool_uses", "commands_executed", "git_operations", "errors_encountered")
_OPTIONAL = tuple(f.name for f in fields(Metrics) if f.name not in _SUMMED + ("files_touched", "duration_seconds"))


def merge_sessions(sessions: Iterable[Session]) -> Session:
    """One record holding everything; counts add up, lists concatenate in order (capped)."""
    out: Session | None = None
    first: Session | None = None
    ids: set[str] = set()
    for s in sessions:
        if s.agent_session_id and len(ids) < 10_000:
            ids.add(s.agent_session_id)
        if first is None:
            first = s
            continue
        if out is None:
            out = Session(provider=first.provider, detection=first.detection)
            _add(out, first)
        _add(out, s)
    if out is None:
        return first if first is not None else Session()
    out.metrics.files_touched = len(out.files)
    out.metrics.duration_seconds = duration(out.started_at, out.ended_at)
    if len(ids) > 1:
        out.warnings.append(f"{len(ids)} agent sessions merged into one record")
    return out


def _add(out: Session, s: Session) -> None:
    m = out.metrics
    offset = m.user_prompts  # the prompt numbers of `s`'s writes continue the earlier sessions'
    room_w = max(0, MAX_WRITES - len(out.writes))
    out.writes.extend(replace(w, prompt=w.prompt + offset if w.prompt else 0) for w in s.writes[:room_w])
    for name in _SUMMED:
        setattr(m, name, getattr(m, name) + getattr(s.metrics, name))
    for name in _OPTIONAL:
        value = getattr(s.metrics, name)
        if value is not None:
            setattr(m, name, (getattr(m, name) or 0) + value)
    for name, n in s.tool_uses_by_name.items():
        if name in out.tool_uses_by_name or len(out.tool_uses_by_name) < 500:
            out.tool_uses_by_name[name] = out.tool_uses_by_name.get(name, 0) + n
    out.commands.extend(s.commands[: max(0, MAX_TOOL_CALLS - len(out.commands))])
    # Turn indexes are the merged record's: a later log's turns follow the earlier ones'.
    offset = len(out.prompts)
    for c in s.tool_calls[: max(0, MAX_TOOL_CALLS - len(out.tool_calls))]:
        c.turn = c.turn + offset if c.turn >= 0 else -1
        out.tool_calls.append(c)
    for u in s.usage:
        u.turn = u.turn + offset if u.turn >= 0 else -1
    out.prompts.extend(s.prompts[: max(0, MAX_PROMPTS - len(out.prompts))])
    times = s.prompt_times + [None] * (len(s.prompts) - len(s.prompt_times))
    out.prompt_times.extend(times[: max(0, MAX_PROMPTS - len(out.prompt_times))])
    # Every response is priced (subagents run other models): past the cap, each folds into the
    # last kept one of its model.
    room = max(0, MAX_USAGE - len(out.usage))
    out.usage.extend(s.usage[:room])
    last_of = {k.model: k for k in out.usage} if len(s.usage) > room else {}
    for u in s.usage[room:]:
        last = last_of.get(u.model)
        if last is None:  # a model not seen yet is kept apart: it has its own price
            out.usage.append(u)
            last_of[u.model] = u
            continue
        last.input_tokens += u.input_tokens
        last.output_tokens += u.output_tokens
        last.cache_read_tokens += u.cache_read_tokens
        last.cache_write_tokens += u.cache_write_tokens
        last.responses += u.responses
    if s.reported_cost_usd is not None:
        out.reported_cost_usd = (out.reported_cost_usd or 0.0) + s.reported_cost_usd
    for items, target in ((s.files, out.files), (s.models, out.models), (s.issue_numbers, out.issue_numbers)):
        for item in items:
            if len(target) < MAX_FILES and item not in target:
                target.append(item)  # type: ignore[arg-type]
    for attr in ("cwd", "git_branch", "agent_session_id", "tool_version", "source_path"):
        if getattr(out, attr) is None:
            setattr(out, attr, getattr(s, attr))
    if s.ended_at and (out.ended_at is None or s.ended_at >= out.ended_at):
        out.interrupted = s.interrupted  # the session that ended last says how it ended
    if s.started_at and (out.started_at is None or s.started_at < out.started_at):
        out.started_at = s.started_at
    if s.ended_at and (out.ended_at is None or s.ended_at > out.ended_at):
        out.ended_at = s.ended_at
    for w in s.warnings:
        if w not in out.warnings and len(out.warnings) < 100:
            out.warnings.append(w)
