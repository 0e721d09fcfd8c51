"""The session record (session.json) as a typed, frozen value: what ingest saved, read by attribute.

The local stage (aitrack/ingest/local.py) builds the record as a dict and writes it; everything
after it (mapping, the run's description, the trace, local search, alerts, `show`, the exports)
reads a `SessionRecord`. The JSON on disk does not change: `from_json(d).to_json() == d` for any
record any version wrote. A field a record lacks reads as its default and is not written back; a
field this version does not know, or one whose value has an unexpected shape, is kept as it was
(`extra`) and written back unchanged, so reading and saving a record never loses anything.

Plain classes with `__slots__` and no `dataclasses`/`typing` import: `aitrack show` reads records
on its hot path (aitrack/hot.py), where each of those imports costs milliseconds.
"""
from __future__ import annotations

TYPE_CHECKING = False  # mypy reads the block; at run time `typing` is not imported
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _V = TypeVar("_V", bound="Value")

# Defaults by shape, copied on use, never handed out. A nested default (an empty Metrics) is
# shared: values are frozen.
_EMPTY_LIST: list[Any] = []
_EMPTY_DICT: dict[str, Any] = {}


class Value:
    """A frozen JSON object with named fields. Subclasses list `_FIELDS` ((name, default), …) and
    `_NESTED` ({name: (class, is_list)}) for fields holding other values."""

    __slots__ = ("extra", "_given")
    _FIELDS: tuple[tuple[str, Any], ...] = ()
    _NESTED: dict[str, tuple[type[Value], bool]] = {}
    extra: dict[str, Any]
    _given: frozenset[str]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: use .replace({name}=…)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    @classmethod
    def from_json(cls: type[_V], data: dict[str, Any]) -> _V:
        self = object.__new__(cls)
        put = object.__setattr__
        extra = {k: v for k, v in data.items() if k not in cls._NAMES}
        for name, default in cls._FIELDS:
            if name not in data:
                value = _fresh(default)
            else:
                value = _typed(cls._NESTED.get(name), default, data[name])
                if value is _ODD:  # kept as it was, the attribute keeps its default
                    extra[name], value = data[name], _fresh(default)
            put(self, name, value)
        put(self, "extra", extra)
        put(self, "_given", frozenset(k for k in data if k in cls._NAMES and k not in extra))
        return self

    def to_json(self) -> dict[str, Any]:
        """The JSON object this value was read from (or built as), fields changed since included."""
        out: dict[str, Any] = {}
        for name, default in type(self)._FIELDS:
            value = getattr(self, name)
            if name in self._given or value != default:
                out[name] = _plain(value)
        out.update(self.extra)
        return out

    def has(self, name: str) -> bool:
        """Whether the field was in the JSON (or set since): a default is not a recorded value."""
        return name in self._given

    def replace(self: _V, **changes: Any) -> _V:
        """A copy with `changes` (typed values: a Commit, not its dict); the rest as it was."""
        unknown = set(changes) - type(self)._NAMES
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        new = object.__new__(type(self))
        for name, _ in type(self)._FIELDS:
            object.__setattr__(new, name, changes[name] if name in changes else getattr(self, name))
        object.__setattr__(new, "extra", {k: v for k, v in self.extra.items() if k not in changes})
        object.__setattr__(new, "_given", self._given | set(changes))
        return new

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value) and type(other) is type(self) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  # fields hold lists and dicts

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()!r})"

    _NAMES: frozenset[str] = frozenset()

    def __init_subclass__(cls) -> None:
        cls._NAMES = frozenset(name for name, _ in cls._FIELDS)


_ODD = object()  # a value whose shape is not the field's


def _fresh(default: Any) -> Any:
    if default is _EMPTY_LIST:
        return []
    if default is _EMPTY_DICT:
        return {}
    return default


def _typed(nested: tuple[type[Value], bool] | None, default: Any, value: Any) -> Any:
    if nested is not None:
        cls, many = nested
        if many:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                return _ODD
            return [cls.from_json(v) for v in value]
        if value is None and default is None:
            return None
        return cls.from_json(value) if isinstance(value, dict) else _ODD
    if default is _EMPTY_LIST:
        return value if isinstance(value, list) else _ODD
    if default is _EMPTY_DICT:
        return value if isinstance(value, dict) else _ODD
    if isinstance(default, bool):
        return value if isinstance(value, bool) else _ODD
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Value):
        return value.to_json()
    if isinstance(value, list) and value and isinstance(value[0], Value):
        return [v.to_json() for v in value]
    return value


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
               ("source", None), ("branches", _EMPTY_LIST), ("amended_from", None))
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
    _FIELDS = (("usd", None), ("unpriced", _EMPTY_LIST), ("by_model", _EMPTY_DICT))
    usd: float | None
    unpriced: list[str]  # models genai-prices does not know
    by_model: dict[str, dict[str, Any]]  # {model: {"usd": …, tokens…}}


class SessionRecord(Value):
    """session.json. `meta` is the session folder's meta.json as ingest saw it; `tool_calls`,
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
        ("metrics", Metrics.from_json({})), ("meta", _EMPTY_DICT), ("tool_uses_by_name", _EMPTY_DICT),
        ("commands", _EMPTY_LIST), ("tool_calls", _EMPTY_LIST), ("prompts", _EMPTY_LIST),
        ("prompt_times", _EMPTY_LIST), ("files", _EMPTY_LIST), ("models", _EMPTY_LIST),
        ("issue_numbers", _EMPTY_LIST), ("issue_sources", _EMPTY_DICT), ("issue_number", None),
        ("cwd", None), ("git_branch", None), ("git_branches", _EMPTY_LIST), ("started_at", None),
        ("ended_at", None), ("agent_session_id", None), ("tool_version", None), ("source_path", None),
        ("interrupted", False), ("success", False), ("exit_code", None), ("warnings", _EMPTY_LIST),
        ("usage", _EMPTY_LIST), ("reported_cost_usd", None), ("writes", _EMPTY_LIST),
        ("commits", _EMPTY_LIST), ("cost", None), ("procedure_name", None),
        ("procedure_params", _EMPTY_DICT), ("procedure_artifacts", _EMPTY_LIST), ("parent_session", None),
        ("metric_history", _EMPTY_LIST), ("agent_logs", _EMPTY_LIST), ("transcript", None),
        ("aitrack_version", None), ("redactions", None), ("alerts", _EMPTY_LIST),
    )
    _NESTED = {"detection": (Detection, False), "metrics": (Metrics, False), "commands": (Command, True),
               "commits": (Commit, True), "cost": (Cost, False)}
    session_id: str
    type: str | None  # "procedure" for `aitrack track`; None: an AI session
    provider: str
    detection: Detection
    metrics: Metrics
    meta: dict[str, Any]
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
