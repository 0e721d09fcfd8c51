"""`aitrack parse [--provider P] [--json] PATH…`: what a log or transcript holds, for people and scripts.

With `--json`: one JSON object when the paths hold one session, a JSON list when they hold several.
A directory or a glob parses every session in every file inside. An unreadable or missing path is
an AitrackError (one line, exit 1).
"""
from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterator
from pathlib import Path

from aitrack import output
from aitrack.errors import AitrackError
from aitrack.parse import Session, iter_sessions
from aitrack.redact import redact_obj, redact_text

_MAX_COMMANDS_SHOWN = 20


def parse(paths: list[str], provider: str | None = None, as_json: bool = False) -> int:
    sessions = [s for path in _expand(paths) for s in iter_sessions(path, provider)]
    if as_json:
        data = [redact_obj(s.to_dict()) for s in sessions]
        output.out(json.dumps(data[0] if len(data) == 1 else data, indent=1, ensure_ascii=False, default=str))
    else:
        output.out(redact_text("\n\n".join(summary(s) for s in sessions)))
    return 0


def _expand(paths: list[str]) -> Iterator[Path]:
    for raw in paths:
        path = os.path.expanduser(raw)
        if os.path.lexists(path) or not glob.has_magic(path):
            if not os.path.exists(path):
                raise AitrackError(f"cannot read {raw}: no such file or directory")
            if not os.access(path, os.R_OK):
                raise AitrackError(f"cannot read {raw}: permission denied")
            yield Path(path)
            continue
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            raise AitrackError(f"no files match {raw}")
        yield from (Path(m) for m in matches)


def summary(s: Session) -> str:
    """A few readable lines about one session."""
    m = s.metrics
    c = output.clean  # everything from the log is untrusted: printable text only
    lines = [f"{s.provider}  {c(s.source_path or '')}  ({s.detection.source})".replace("    ", "  ")]
    where = [f"session {c(s.agent_session_id)}" if s.agent_session_id else "", f"cwd {c(s.cwd)}" if s.cwd else "",
             f"branch {c(s.git_branch)}" if s.git_branch else ""]
    if any(where):
        lines.append("  " + "  ".join(w for w in where if w))
    if s.started_at:
        took = f" ({m.duration_seconds:.1f} s)" if m.duration_seconds is not None else ""
        lines.append(f"  time     {c(s.started_at)} → {c(s.ended_at or '?')}{took}")
    if s.models:
        lines.append(f"  models   {c(', '.join(s.models))}")
    by_name = ", ".join(f"{c(k)} {v}" for k, v in sorted(s.tool_uses_by_name.items(), key=lambda kv: -kv[1]))
    lines.append(f"  prompts {m.user_prompts} · tool uses {m.tool_uses}" + (f" ({by_name})" if by_name else "")
                 + f" · commands {m.commands_executed} · git ops {m.git_operations}"
                 + f" · errors {m.errors_encountered} · files {m.files_touched}")
    tokens = [(label, getattr(m, name)) for label, name in (
        ("in", "input_tokens"), ("out", "output_tokens"), ("cache write", "cache_creation_input_tokens"),
        ("cache read", "cache_read_input_tokens"), ("reasoning", "reasoning_output_tokens"))]
    if any(v is not None for _, v in tokens):
        lines.append("  tokens   " + " · ".join(f"{label} {v}" for label, v in tokens if v is not None))
    if s.issue_numbers:
        lines.append("  issues   " + ", ".join(f"#{n}" for n in s.issue_numbers))
    for p in s.prompts[:3]:
        lines.append("  prompt   " + _one_line(p))
    for cmd in s.commands[:_MAX_COMMANDS_SHOWN]:
        mark = output.bad(_one_line(cmd.command)) if cmd.is_error else output.ok(_one_line(cmd.command))
        lines.append(f"    {mark}" + (f"  (exit {cmd.exit_code})" if cmd.exit_code not in (None, 0) else ""))
    if len(s.commands) > _MAX_COMMANDS_SHOWN:
        lines.append(f"    … {len(s.commands) - _MAX_COMMANDS_SHOWN} more commands")
    for w in s.warnings:
        lines.append(f"  warning  {c(w)}")
    return "\n".join(lines)


def _one_line(text: str, width: int = 100) -> str:
    first = " ".join(output.clean(text).split())
    return first if len(first) <= width else first[: width - 1] + "…"
