"""The Markdown summary shown as the run's Description in the MLflow UI (`mlflow.note.content`).

Pure. Built from the redacted record only, and kept short: MLflow cuts tag values at 8,000 chars,
so each section is capped and says how much it left out.
"""
from __future__ import annotations

import shlex
from typing import Any

from aitrack.sessionrecord import Command, Commit, SessionRecord

_MAX_PROMPTS = 5
_MAX_COMMANDS = 25
_MAX_ERRORS = 10
_MAX_COMMITS = 20


def summary_markdown(record: SessionRecord) -> str:
    meta = record.meta
    m = record.metrics
    state = "interrupted" if record.interrupted else ("succeeded" if record.success else "failed")
    exit_code = record.exit_code
    lines = [
        f"**{meta.tool or record.provider or 'session'}** session "
        f"`{record.session_id or meta.id or '?'}` {state}"
        + (f" (exit {exit_code})" if exit_code is not None else ""),
        "",
        f"{_num(m.duration_seconds)} s · {m.user_prompts} prompts · "
        f"{m.tool_uses} tool uses · {m.commands_executed} commands · "
        f"{m.errors_encountered} errors",
    ]
    cost = record.cost.to_json() if record.cost is not None else None
    if m.total_input_tokens is not None or cost:
        from aitrack.cost.fmt import tokens_line  # the run's description says what it cost, as show does

        lines += ["", _one_line(tokens_line(m.to_json(), cost), 500) + " (API list prices)"]
    argv = [str(a) for a in meta.argv or []]
    if argv:
        lines += ["", f"Command: `{_one_line(shlex.join(argv), 300).replace('`', chr(39))}` in `{meta.cwd or '?'}`"]
    if record.procedure_name or record.issue_numbers:
        issues = ", ".join(f"#{n}" for n in record.issue_numbers)
        lines += ["", f"Procedure: `{record.procedure_name or '-'}` · issues: {issues or '-'}"]
    lines += _section("Prompts", [_quote(p) for p in record.prompts], _MAX_PROMPTS)
    commands = record.commands
    lines += _section("Commands", [_command(c) for c in commands], _MAX_COMMANDS)
    errors = [_error(c.command, c.output) for c in commands if c.is_error]
    errors += [_error(t.get("name"), t.get("output")) for t in record.tool_calls
               if isinstance(t, dict) and t.get("is_error") and t.get("name") not in _SHELL]
    lines += _section("Errors", errors, _MAX_ERRORS)
    lines += _section("Commits", [_commit(c) for c in record.commits], _MAX_COMMITS)
    if record.warnings:
        lines += _section("Warnings", [f"- {w}" for w in record.warnings], 5)
    return "\n".join(lines) + "\n"


_SHELL = {"Bash", "shell", "shell_command", "exec_command", "local_shell", "run_shell_command"}


def _section(title: str, items: list[str], limit: int) -> list[str]:
    if not items:
        return []
    out = ["", f"### {title}", *items[:limit]]
    if len(items) > limit:
        out.append(f"- … {len(items) - limit} more")
    return out


def _one_line(text: Any, width: int) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _quote(prompt: str) -> str:
    return "> " + _one_line(prompt, 300).replace("`", "'")


def _command(c: Command) -> str:
    mark = "✗" if c.is_error else "·"
    return f"- {mark} `{_one_line(c.command, 160).replace('`', chr(39))}`"


def _error(what: Any, output: Any) -> str:
    """A failed command (its command line) or tool call (its name), and the head of its output."""
    detail = _one_line(output, 160)
    return f"- `{_one_line(what or '?', 100).replace('`', chr(39))}`" + (f": {detail}" if detail else "")


def _commit(c: Commit) -> str:
    return f"- `{str(c.sha or '')[:12]}` {_one_line(c.subject, 120)}"


def _num(value: Any) -> str:
    return f"{value:.0f}" if isinstance(value, (int, float)) else "?"
