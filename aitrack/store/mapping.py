"""A session record (session.json) → what its MLflow run carries: name, tags, params, metrics, note.

Pure (no mlflow import), so the local fallback of `aitrack sessions` filters local records with the
very keys a run would have. Names are the seed's: `tags.provider = "claude_code"`,
`metrics.commands_executed > 10`, `params.procedure_name = "close-issue"` work as written.
"""
from __future__ import annotations

import shlex
import time
from typing import Any

from aitrack.meta import Meta
from aitrack.sessionrecord import Commit, SessionRecord
from aitrack.store.description import summary_markdown

# MLflow silently cuts tag values at 8,000 chars and params at 6,000; cut ourselves, visibly.
TAG_MAX = 7900
PARAM_MAX = 5900
SESSION_TAG = "aitrack.session_id"
COMMIT_TAG_PREFIX = "aitrack.commit."
COMPLETE_TAG = "aitrack.logged"  # set last: a run without it was interrupted while logging

_METRIC_NAMES = (
    "user_prompts", "tool_uses", "commands_executed", "git_operations", "errors_encountered",
    "files_touched", "input_tokens", "output_tokens", "cache_creation_input_tokens",
    "cache_read_input_tokens", "reasoning_output_tokens", "duration_seconds",
    "cost_usd", "total_input_tokens",  # aitrack/cost: API list price; input with cache reads and writes
)


def run_name(record: SessionRecord) -> str:
    """`claude · close-issue 583 · 14:02`: tool, the start of what was asked, local start time."""
    meta = record.meta
    tool = str(meta.tool or record.provider or "session").rsplit("/", 1)[-1]
    if record.type == "procedure" and record.procedure_name:
        tool = str(record.procedure_name)  # `extract-best-frame · ffmpeg -i a.mp4 … · 14:02`
    parts = [tool]
    ask = initial_ask(record)
    if ask:
        words = " ".join(ask.split())
        parts.append(words if len(words) <= 40 else words[:39] + "…")
    epoch = meta.started_at_epoch
    if isinstance(epoch, (int, float)):
        parts.append(time.strftime("%H:%M", time.localtime(epoch)))
    return " · ".join(parts)


def initial_ask(record: SessionRecord) -> str:
    """What the person typed after the tool (`claude "close-issue 583"`), else the first prompt.
    A word right after an option is that option's value (`aider --model gpt-4o`), not an ask;
    aider's own words are file names (its ask is a prompt or `--message`)."""
    meta = record.meta
    if record.type == "procedure":
        return command_argument(meta)  # `ffmpeg -i a.mp4 …`: the command itself, options and all
    typed = "" if _args_are_files(meta) else _asked(meta)
    if typed:
        return typed
    prompts = record.prompts
    return str(prompts[0]).strip() if prompts else ""


def _args_are_files(meta: Meta) -> bool:
    """The agent's module says its command line's words are file names (ARGS_ARE_FILES)."""
    from aitrack.agents import registry

    agent = registry.by_name(_tool(meta))
    return bool(agent and registry.get(agent, "ARGS_ARE_FILES", False))


def _tool(meta: Meta) -> str:
    return str(meta.tool or "").rsplit("/", 1)[-1]


def _asked(meta: Meta) -> str:
    argv = [str(a) for a in meta.argv or []][1:]
    words, after_option = [], False
    for arg in argv:
        if arg == "--":
            after_option = False
            continue
        if arg.startswith("-"):
            after_option = "=" not in arg
            continue
        if not after_option:
            words.append(arg)
        after_option = False
    return " ".join(words).strip()


def command_argument(meta: Meta) -> str:
    argv = [str(a) for a in meta.argv or []]
    args = [a for a in argv[1:] if a != "--" and not a.startswith("-")]
    return " ".join(args).strip()


def tags(record: SessionRecord, tracking_user: str | None = None) -> dict[str, str]:
    meta = record.meta
    commits = [c for c in record.commits if c.sha]
    shas = [str(c.sha) for c in commits]
    detection = record.detection
    out: dict[str, str] = {
        "type": str(record.type or "ai_session"),  # "procedure" for `aitrack track`
        "provider": str(record.provider or meta.provider or "generic"),
        "provider_detection": str(detection.source or "terminal"),
        SESSION_TAG: str(record.session_id or meta.id or ""),
        "aitrack.status": status(record),
        "mlflow.user": str(tracking_user or meta.user or ""),
        "mlflow.source.name": str(meta.tool or "aitrack"),
        "mlflow.source.type": "LOCAL",
        "mlflow.note.content": summary_markdown(record)[:TAG_MAX],
    }
    if detection.evidence:
        out["aitrack.detection_evidence"] = str(detection.evidence)[:TAG_MAX]
    optional = {
        "git.repo": meta.git_root or (commits[-1].repo if commits else None),
        # Where the commits landed (`fix-77`), not where the session started (`main`).
        "git.branch": ",".join(record.git_branches) or meta.git_branch or record.git_branch,
        "git.commits": ",".join(shas)[:TAG_MAX] if shas else None,
        "mlflow.source.git.commit": shas[-1] if shas else meta.git_head,
        "mlflow.source.git.branch": _last_commit_branch(commits) or meta.git_branch or record.git_branch,
        "issues": issues_tag(record),
        "model": ",".join(record.models) or None,
        "aitrack.agent_session_id": record.agent_session_id,
        "aitrack.hostname": meta.hostname,
        # Models genai-prices does not know: cost_usd leaves them out, and says so here, never $0.
        "cost.unpriced": ",".join(record.cost.unpriced if record.cost else []) or None,
        "cost.by_model": _by_model(record),  # {model: dollars}, for the report's cost per model
    }
    out.update({k: str(v)[:TAG_MAX] for k, v in optional.items() if v not in (None, "")})
    if record.alerts:  # rules triggered at ingest (aitrack/alerts.py)
        out["alert"] = " | ".join(str(a) for a in record.alerts)[:TAG_MAX]
    for sha in shas:
        out[COMMIT_TAG_PREFIX + sha] = "1"  # exact-match key: commit → run lookups stay O(index)
    return out


def _last_commit_branch(commits: list[Commit]) -> str | None:
    # The UI shows "Source: <branch> · <commit>": the branch must hold that commit.
    branches = commits[-1].branches if commits else []
    return str(branches[0]) if branches else None


def issues_tag(record: SessionRecord) -> str | None:
    """`77:commit,12:prompt+argument`: each number with where it was named (primary first)."""
    sources = record.issue_sources
    items = [f"{n}:{'+'.join(sources[str(n)])}" if sources.get(str(n)) else str(n)
             for n in record.issue_numbers]
    return ",".join(items) or None


def _by_model(record: SessionRecord) -> str | None:
    import json

    rows = record.cost.by_model if record.cost else {}
    priced = {str(m): row.get("usd") for m, row in rows.items() if isinstance(row, dict) and row.get("usd") is not None}
    text = json.dumps(priced, sort_keys=True) if priced else None
    return text if text is None or len(text) <= TAG_MAX else None


def params(record: SessionRecord) -> dict[str, str]:
    meta = record.meta
    argv = [str(a) for a in meta.argv or []]
    values: dict[str, object] = {
        "procedure_name": record.procedure_name,
        "issue_number": record.issue_number,
        "cwd": meta.cwd or record.cwd,
        "command": shlex.join(argv) if argv else None,
        "tool_version": record.tool_version,
    }
    values.update(record.procedure_params)  # `--param k=v`: one value per key
    return {k: str(v)[:PARAM_MAX] for k, v in values.items() if v not in (None, "")}


def metrics(record: SessionRecord) -> dict[str, float]:
    source = record.metrics.to_json()  # the known counts and any a newer version added
    out = {k: float(source[k]) for k in _METRIC_NAMES if isinstance(source.get(k), (int, float))}
    out["success"] = 1.0 if record.success else 0.0
    if record.exit_code is not None:
        out["exit_code"] = float(record.exit_code)
    out["commits"] = float(len(record.commits))
    if isinstance(record.redactions, dict):  # None before redaction counts were kept
        out["secrets_redacted"] = float(sum(record.redactions.values()))
    m = record.metrics
    if isinstance(m.input_tokens, (int, float)) and isinstance(m.output_tokens, (int, float)):
        out["total_tokens"] = float(m.input_tokens + m.output_tokens)
    last: dict[str, float] = {}  # live procedure metrics: the last value of each
    for point in record.metric_history:
        last[str(point["key"])] = float(point["value"])
    out.update({k: v for k, v in last.items() if k not in _BUILTIN})
    return out


_BUILTIN = frozenset(_METRIC_NAMES) | {"success", "exit_code", "commits", "total_tokens", "secrets_redacted"}


def metric_history(record: SessionRecord) -> list[tuple[str, float, int, int]]:
    """Live procedure metrics as (key, value, timestamp ms, step), in the order logged; keys that
    aitrack computes itself (duration_seconds, success…) are never overwritten by them."""
    return [(str(p["key"]), float(p["value"]), int(p["timestamp"]), int(p.get("step") or 0))
            for p in record.metric_history if str(p["key"]) not in _BUILTIN]


def status(record: SessionRecord) -> str:
    if record.interrupted:
        return "interrupted"
    return "success" if record.success else "failed"


def run_status(record: SessionRecord) -> str:
    """MLflow's run status: KILLED for interrupted sessions, FAILED for a non-zero exit."""
    return {"interrupted": "KILLED", "success": "FINISHED", "failed": "FAILED"}[status(record)]
