"""A session folder's meta.json as a typed, frozen value: what was run, where, when, how it ended.

Written by capture (and the agent hook, backfill) as a plain dict, at the start without `ended_at`
and completed at the end (aitrack.sessiondir.write_meta: atomic); read as a `Meta` by everything
after it (`sessiondir.read_meta`, and `SessionRecord.meta`). A session whose meta has no `ended_at`
was interrupted (wrapper killed, machine down). A session killed by a signal has exit_code 128+n
and signal n, as the shell reports it. The fields are listed in docs/internals.md; unknown ones are
kept (`extra`), so a meta.json any version wrote reads and writes back unchanged.

Scalars are typed as capture writes them but not checked on reading (an old or hand-edited file
may hold a string where a number belongs): readers that compute with one check its type.
"""
from __future__ import annotations

from aitrack.jsonvalue import EMPTY_LIST, Value

_NAMES = (
    "id", "argv", "tool", "tool_path", "provider", "mode", "cwd", "git_root", "git_head", "git_branch",
    "git_reflog_bytes", "started_at", "started_at_epoch", "ended_at", "ended_at_epoch", "last_output_epoch",
    "exit_code", "signal", "term_cols", "term_rows", "recording_complete", "aitrack_version", "pid",
    "pid_start", "hostname", "user", "imported_from", "import_key", "captured_by", "hook_agent",
    "agent_session_id", "transcript_path", "end_reason", "turn_ended_at", "turn_ended_at_epoch",
)


class Meta(Value):
    """meta.json. Every field but `argv` defaults to None: a field the file lacks reads as None."""

    __slots__ = _NAMES
    _FIELDS = tuple((name, EMPTY_LIST if name == "argv" else None) for name in _NAMES)
    id: str | None
    argv: list[str]
    tool: str | None  # the command's base name: "claude"
    tool_path: str | None
    provider: str | None
    mode: str | None  # "pty" | "exec" | "import" (backfill) | "hook" (the agent's own hook)
    cwd: str | None
    git_root: str | None
    git_head: str | None
    git_branch: str | None
    git_reflog_bytes: int | None  # HEAD's reflog length at start (vcs.link never links a commit it named)
    started_at: str | None  # ISO 8601 UTC
    started_at_epoch: float | None
    ended_at: str | None
    ended_at_epoch: float | None
    last_output_epoch: float | None  # ingest: an interrupted session's last byte of output
    exit_code: int | None
    signal: int | None
    term_cols: int | None
    term_rows: int | None
    recording_complete: bool | None  # false when a write failed mid-session (a full disk)
    aitrack_version: str | None
    pid: int | None  # the wrapper's (or, mode "hook", the agent's) process
    pid_start: int | None  # its start time in /proc ticks (pids are reused)
    hostname: str | None
    user: str | None
    imported_from: str | None
    import_key: str | None
    captured_by: str | None
    hook_agent: str | None
    agent_session_id: str | None
    transcript_path: str | None
    end_reason: str | None
    turn_ended_at: str | None  # ISO: a turn completed (Codex, Qwen)
    turn_ended_at_epoch: float | None

    @property
    def interrupted(self) -> bool:
        """No `ended_at`: the wrapper (or the agent) died before the session ended."""
        return self.ended_at is None
