"""The session record (session.json) as a typed, frozen value: what ingest saved, read by attribute.

The local stage (aitrack/ingest/local.py) builds the record as a dict and writes it; everything
after it (mapping, the run's description, the trace, local search, alerts, `show`, the exports)
reads a `SessionRecord`. The JSON on disk does not change: `from_json(d).to_json() == d` for any
record any version wrote. A field a record lacks reads as its default and is not written back; a
field this version does not know, or one whose value has an unexpected shape, is kept as it was
(`extra`) and written back unchanged, so reading and saving a record never loses anything.

Built of aitrack.jsonvalue's plain `__slots__` classes: `aitrack show` reads records on its hot path
(aitrack/hot.py), where a `typing` or `dataclasses` import costs milliseconds.
"""
from __future__ import annotations

TYPE_CHECKING = False  # mypy reads the block; at run time `typing` is not imported
if TYPE_CHECKING:
    from typing import Any

from aitrack.jsonvalue import EMPTY_DICT, EMPTY_LIST, Value
from aitrack.meta import Meta


class Detection(Value):
    """How the provider was told: from the agent's own log ("structured") or the screen."""

    __slots__ = ("source", "evidence")
    _FIELDS = (("source", "terminal"), ("evidence", ""))
    source: str
    evidence: str


class Metrics(Value):
    """The session's counts and tokens (None where the source does not say), cost and duration."""

    __slots__ = ("user_prompts", "tool_uses", "commands_executed", "git_operations", "errors_encountered",
                 "files_touched", "input_tokens", "output_tokens", "cache_creation_input_tokens",
                 "cache_read_input_tokens", "reasoning_output_tokens", "duration_seconds", "cost_usd",
                 "total_input_tokens")
    _FIELDS = (("user_prompts", 0), ("tool_uses", 0), ("commands_executed", 0), ("git_operations", 0),
               ("errors_encountered", 0), ("files_touched", 0), ("input_tokens", None),
               ("output_tokens", None), ("cache_creation_input_tokens", None),
               ("cache_read_input_tokens", None), ("reasoning_output_tokens", None),
               ("duration_seconds", None), ("cost_usd", None), ("total_input_tokens", None))
    user_prompts: int
    tool_uses: int
    commands_executed: int
    git_operations: int
    errors_encountered: int
    files_touched: int
    input_tokens: int | None
    output_tokens: int | None
    cache_creation_input_tokens: int | None
    cache_read_input_tokens: int | None
    reasoning_output_tokens: int | None
    duration_seconds: float | None
    cost_usd: float | None  # aitrack/cost: API list price, None when nothing could be priced
    total_input_tokens: int | None  # input with cache reads and writes


class Command(Value):
    """One shell command the AI ran, in order."""

    __slots__ = ("command", "tool", "exit_code", "is_error", "output", "started_at")
    _FIELDS = (("command", ""), ("tool", ""), ("exit_code", None), ("is_error", False), ("output", ""),
               ("started_at", None))
    command: str
    tool: str
    exit_code: int | None
    is_error: bool
    output: str
    started_at: str | None


class Commit(Value):
    """A commit the session made (aitrack/vcs/link.py), with the branches it landed on."""

    __slots__ = ("sha", "repo", "subject", "message", "time", "source", "branches", "amended_from")
    _FIELDS = (("sha", ""), ("repo", None), ("subject", ""), ("message", ""), ("time", None),
               ("source", None), ("branches", EMPTY_LIST), ("amended_from", None))
    sha: str
    repo: str | None
    subject: str
    message: str
    time: str | None
    source: str | None  # how it was linked: "journal", "trailer", "reflog"
    branches: list[str]
    amended_from: str | None


class Cost(Value):
    """What the session cost at API list prices (aitrack/cost/price.py)."""

    __slots__ = ("usd", "unpriced", "by_model")
    _FIELDS = (("usd", None), ("unpriced", EMPTY_LIST), ("by_model", EMPTY_DICT))
    usd: float | None
    unpriced: list[str]  # models genai-prices does not know
    by_model: dict[str, dict[str, Any]]  # {model: {"usd": …, tokens…}}


class SessionRecord(Value):
    """session.json. `meta` is the session folder's meta.json as ingest saw it (an aitrack.meta.Meta); `tool_calls`,
    `usage` and `writes` stay JSON (the trace and attribution read them through parse's types)."""

    __slots__ = ("session_id", "type", "provider", "detection", "metrics", "meta", "tool_uses_by_name",
                 "commands", "tool_calls", "prompts", "prompt_times", "files", "models", "issue_numbers",
                 "issue_sources", "issue_number", "cwd", "git_branch", "git_branches", "started_at",
                 "ended_at", "agent_session_id", "tool_version", "source_path", "interrupted", "success",
                 "exit_code", "warnings", "usage", "reported_cost_usd", "writes", "commits", "cost",
                 "procedure_name", "procedure_params", "procedure_artifacts", "parent_session",
                 "metric_history", "agent_logs", "transcript", "aitrack_version", "redactions", "alerts")
    _FIELDS = (
        ("session_id", ""), ("type", None), ("provider", "generic"), ("detection", Detection.from_json({})),
        ("metrics", Metrics.from_json({})), ("meta", Meta.from_json({})), ("tool_uses_by_name", EMPTY_DICT),
        ("commands", EMPTY_LIST), ("tool_calls", EMPTY_LIST), ("prompts", EMPTY_LIST),
        ("prompt_times", EMPTY_LIST), ("files", EMPTY_LIST), ("models", EMPTY_LIST),
        ("issue_numbers", EMPTY_LIST), ("issue_sources", EMPTY_DICT), ("issue_number", None),
        ("cwd", None), ("git_branch", None), ("git_branches", EMPTY_LIST), ("started_at", None),
        ("ended_at", None), ("agent_session_id", None), ("tool_version", None), ("source_path", None),
        ("interrupted", False), ("success", False), ("exit_code", None), ("warnings", EMPTY_LIST),
        ("usage", EMPTY_LIST), ("reported_cost_usd", None), ("writes", EMPTY_LIST),
        ("commits", EMPTY_LIST), ("cost", None), ("procedure_name", None),
        ("procedure_params", EMPTY_DICT), ("procedure_artifacts", EMPTY_LIST), ("parent_session", None),
        ("metric_history", EMPTY_LIST), ("agent_logs", EMPTY_LIST), ("transcript", None),
        ("aitrack_version", None), ("redactions", None), ("alerts", EMPTY_LIST),
    )
    _NESTED = {"detection": (Detection, False), "metrics": (Metrics, False), "meta": (Meta, False), "commands": (Command, True),
               "commits": (Commit, True), "cost": (Cost, False)}
    session_id: str
    type: str | None  # "procedure" for `aitrack track`; None: an AI session
    provider: str
    detection: Detection
    metrics: Metrics
    meta: Meta
    tool_uses_by_name: dict[str, int]
    commands: list[Command]
    tool_calls: list[dict[str, Any]]
    prompts: list[str]
    prompt_times: list[str | None]
    files: list[str]
    models: list[str]
    issue_numbers: list[int]
    issue_sources: dict[str, list[str]]  # {"77": ["commit", "prompt"]}
    issue_number: int | None
    cwd: str | None
    git_branch: str | None
    git_branches: list[str]
    started_at: str | None
    ended_at: str | None
    agent_session_id: str | None
    tool_version: str | None
    source_path: str | None
    interrupted: bool
    success: bool
    exit_code: int | None
    warnings: list[str]
    usage: list[dict[str, Any]]
    reported_cost_usd: float | None
    writes: list[dict[str, Any]]
    commits: list[Commit]
    cost: Cost | None
    procedure_name: str | None
    procedure_params: dict[str, str]
    procedure_artifacts: list[str]
    parent_session: str | None
    metric_history: list[dict[str, Any]]  # live procedure metrics: {key, value, timestamp, step}
    agent_logs: list[str]
    transcript: str | None
    aitrack_version: str | None
    redactions: dict[str, int] | None  # counts by rule, never the values
    alerts: list[str]


def read_record(path: str) -> SessionRecord | None:
    """session.json at `path`, None when there is none, it is half-written or it is not a record."""
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return SessionRecord.from_json(data) if isinstance(data, dict) and data.get("session_id") else None
