"""The Markdown summary shown as the run's Description in the MLflow UI (`mlflow.note.content`).

Pure. Built from the redacted record only, and kept short: MLflow cuts tag values at 8,000 chars,
so each section is capped and says how much it left out.
"""
from __future__ import annotations

import shlex
from typing import Any

_MAX_PROMPTS = 5
_MAX_COMMANDS = 25
_MAX_ERRORS = 10
_MAX_COMMITS = 20


def summary_markdown(record: dict[str, Any]) -> str:
    meta = record.get("meta") or {}
    m = record.get("metrics") or {}
    state = "interrupted" if record.get("interrupted") else ("succeeded" if record.get("success") else "failed")
    exit_code = record.get("exit_code")
    lines = [
        f"**{meta.get('tool') or record.get('provider') or 'session'}** session "
        f"`{record.get('session_id') or meta.get('id') or '?'}` {state}"
        + (f" (exit {exit_code})" if exit_code is not None else ""),
        "",
        f"{_num(m.get('duration_seconds'))} s · {m.get('user_prompts', 0)} prompts · "
        f"{m.get('tool_uses', 0)} tool uses · {m.get('commands_executed', 0)} commands · "
        f"{m.get('errors_encountered', 0)} errors",
    ]
    if m.get("total_input_tokens") is not None or record.get("cost"):
        from aitrack.cost.fmt import tokens_line  # the run's description says what it cost, as show does

        lines += ["", _one_line(tokens_line(m, record.get("cost")), 500) + " (API list prices)"]
    argv = [str(a) for a in meta.get("argv") or []]
    if argv:
        lines += ["", f"Command: `{_one_line(shlex.join(argv), 300).replace('`', chr(39))}` in `{meta.get('cwd') or '?'}`"]
    if record.get("procedure_name") or record.get("issue_numbers"):
        issues = ", ".join(f"#{n}" for n in record.get("issue_numbers") or [])
        lines += ["", f"Procedure: `{record.get('procedure_name') or '-'}` · issues: {issues or '-'}"]
    lines += _section("Prompts", [_quote(p) for p in record.get("prompts") or []], _MAX_PROMPTS)
    commands = record.get("commands") or []
    lines += _section("Commands", [_command(c) for c in commands], _MAX_COMMANDS)
    errors = [c for c in commands if c.get("is_error")]
    errors += [t for t in record.get("tool_calls") or [] if t.get("is_error") and t.get("name") not in _SHELL]
    lines += _section("Errors", [_error(e) for e in errors], _MAX_ERRORS)
    lines += _section("Commits", [_commit(c) for c in record.get("commits") or []], _MAX_COMMITS)
    if record.get("warnings"):
        lines += _section("Warnings", [f"- {w}" for w in record["warnings"]], 5)
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


def _command(c: dict[str, Any]) -> str:
    mark = "✗" if c.get("is_error") else "·"
    return f"- {mark} `{_one_line(c.get('command'), 160).replace('`', chr(39))}`"


def _error(e: dict[str, Any]) -> str:
    what = e.get("command") or e.get("name") or "?"
    detail = _one_line(e.get("output"), 160)
    return f"- `{_one_line(what, 100).replace('`', chr(39))}`" + (f": {detail}" if detail else "")


def _commit(c: dict[str, Any]) -> str:
    return f"- `{str(c.get('sha') or '')[:12]}` {_one_line(c.get('subject'), 120)}"


def _num(value: Any) -> str:
    return f"{value:.0f}" if isinstance(value, (int, float)) else "?"
