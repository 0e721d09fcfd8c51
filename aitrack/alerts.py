"""Alert rules, evaluated at ingest on what a run carries (its tags, params and metrics).

    [alerts]
    rules = ["errors_encountered > 5", "duration_seconds > 3600", "success = 0 and type = procedure"]
    command = "notify-send aitrack"           # optional: run with the alert as JSON on stdin
    webhook = "https://hooks.example/aitrack"  # optional: POSTed the same JSON

A rule is `KEY OP VALUE` clauses joined by `and`; OP is one of = != > >= < <=; a bare KEY is looked
up among metrics, then params, then tags (`type`, `provider`, `model`…), or named as in an MLflow
search (`tags.provider`, `params.issue_number`). A key the run lacks never matches.

A triggered rule tags the run `alert=<rule>` (rules joined by ` | `), appends one line to
`<data dir>/alerts.pending`, which the shell integration prints once at the next prompt (never
while a tool runs), and runs the command / posts to the webhook. Notification failures are kept
in the session folder's ingest.json; they never stop a run from being logged.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

from aitrack import config
from aitrack.errors import AitrackError
from aitrack.paths import data_dir, ensure_private_dir
from aitrack.sessionrecord import SessionRecord

PENDING = "alerts.pending"
_CLAUSE = re.compile(
    r"""\s*(?:(?P<kind>tags|params|metrics)\.)?(?:`(?P<qkey>[^`]+)`|(?P<key>[\w.\-/:]+))
        \s*(?P<op>!=|>=|<=|==|=|>|<)\s*
        (?P<value>"[^"]*"|'[^']*'|[^\s"']+)\s*""", re.VERBOSE | re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def parse_rule(rule: str) -> list[tuple[str | None, str, str, Any]]:
    """`"success = 0 and type = procedure"` → [(kind or None, key, op, value), …]."""
    clauses = []
    for part in _AND.split(rule.strip()):
        m = _CLAUSE.fullmatch(part)
        if not m:
            raise AitrackError(f"alert rule {rule!r}: cannot read {part.strip()!r} (use e.g. errors_encountered > 5)")
        raw = m["value"]
        value: Any = raw[1:-1] if raw[0] in "\"'" else _number(raw)
        clauses.append((m["kind"].lower() if m["kind"] else None, m["qkey"] or m["key"],
                        "=" if m["op"] == "==" else m["op"], value))
    return clauses


def _number(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text


def configured_rules() -> list[str]:
    rules = config.get("alerts.rules", []) or []
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise AitrackError("config [alerts] rules must be a list of strings")
    return rules


def evaluate(rules: list[str], record: SessionRecord) -> list[str]:
    """The rules this session record triggers, in config order."""
    from aitrack.store.localsearch import fields_of

    fields = fields_of(record)
    return [rule for rule in rules if _matches(parse_rule(rule), fields)]


def _matches(clauses: list[tuple[str | None, str, str, Any]], fields: dict[str, dict[str, Any]]) -> bool:
    for kind, key, op, want in clauses:
        kinds = [kind] if kind else ["metrics", "params", "tags"]
        have = next((fields[k][key] for k in kinds if key in fields.get(k, {})), None)
        if have is None or not _compare(have, op, want):
            return False
    return True


def _compare(have: Any, op: str, want: Any) -> bool:
    a: Any
    b: Any
    if isinstance(want, float):
        try:
            a, b = float(have), want
        except (TypeError, ValueError):
            return False
    else:
        a, b = str(have), str(want)
    return bool({"=": a == b, "!=": a != b, ">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op])


def pending_file() -> Path:
    return data_dir() / PENDING


def notify(record: SessionRecord, run: dict[str, Any], triggered: list[str]) -> list[str]:
    """Pending line, command, webhook; returns what failed (never raises)."""
    from aitrack.store.mapping import run_name

    payload = {
        "rules": triggered, "session_id": record.session_id, "run_id": run.get("run_id"),
        "run_url": run.get("run_url"), "run_name": run_name(record), "provider": record.provider,
        "type": record.type or "ai_session", "procedure_name": record.procedure_name,
    }
    line = f"aitrack alert: {' | '.join(triggered)} — {payload['run_name']} ({payload['session_id']})"
    text = line + (f" {run['run_url']}" if run.get("run_url") else "")
    payload["text"] = text
    problems: list[str] = []
    try:
        ensure_private_dir(data_dir())
        fd = os.open(pending_file(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, (text + "\n").encode())
        finally:
            os.close(fd)
    except OSError as exc:
        problems.append(f"pending alert not written: {exc}")
    command = config.get("alerts.command")
    if command:
        problems += _run_command(str(command), payload)
    webhook = config.get("alerts.webhook")
    if webhook:
        problems += _post(str(webhook), payload)
    return problems


def _run_command(command: str, payload: dict[str, Any]) -> list[str]:
    env = dict(os.environ, AITRACK_ALERT_RULES=" | ".join(payload["rules"]),
               AITRACK_ALERT_SESSION=str(payload["session_id"]), AITRACK_ALERT_RUN_URL=str(payload["run_url"] or ""))
    try:
        res = subprocess.run(shlex.split(command), input=json.dumps(payload), text=True, env=env,
                             capture_output=True, timeout=30)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        return [f"alert command {command!r} failed: {exc}"]
    return [] if res.returncode == 0 else [f"alert command {command!r} exited {res.returncode}: {res.stderr.strip()[:300]}"]


def _post(url: str, payload: dict[str, Any]) -> list[str]:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "User-Agent": "aitrack"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            resp.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return [f"alert webhook {url} failed: {exc}"]
    return []
