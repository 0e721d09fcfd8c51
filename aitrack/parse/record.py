"""The Session record: what one agent session was, whatever tool produced it.

Plain dataclasses serialisable to JSON (`to_dict` / `from_dict`). The parser fills them; the store,
`show` and `parse --json` read them. Field names are the seed's metric names, so MLflow searches
such as `metrics.commands_executed > 10` work as written.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from aitrack.agents import facts

# Every agent's tag (aitrack/agents), then `generic`: a session of no known tool.
PROVIDERS = (*facts.PROVIDERS, "generic")

# The command a person types → the provider tag value.
TOOL_PROVIDERS = dict(facts.TOOL_PROVIDERS)


def provider_for_tool(tool: str) -> str:
    """The command's provider tag (`/usr/bin/X` → X's); anything unknown → `generic`."""
    name = tool.rsplit("/", 1)[-1]
    return TOOL_PROVIDERS.get(name, "generic")


@dataclass(slots=True)
class Metrics:
    user_prompts: int = 0
    tool_uses: int = 0
    commands_executed: int = 0
    git_operations: int = 0
    errors_encountered: int = 0
    files_touched: int = 0
    # None where the source does not say (terminal transcripts, aider without token lines).
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    reasoning_output_tokens: int | None = None
    duration_seconds: float | None = None


@dataclass(slots=True)
class Command:
    """One shell command the AI ran, in order."""

    command: str
    tool: str = ""  # the agent's tool name: Bash, exec_command, run_shell_command, …
    exit_code: int | None = None
    is_error: bool = False
    output: str = ""  # head of the output, for `show` and the trace
    started_at: str | None = None


@dataclass(slots=True)
class ToolCall:
    """One tool call of the agent (shell or not): a span in the MLflow trace."""

    name: str
    input: Any = None
    output: str = ""
    is_error: bool = False
    call_id: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    # Where it happened, for the per-turn traces: the index in `prompts` of the user turn it
    # answers (-1: before any prompt, as in a subagent's own log) and the subagent that ran it.
    turn: int = -1
    agent: str | None = None


@dataclass(slots=True)
class Write:
    """Lines one tool call wrote into one file (parse/edits.py), for line attribution.

    `lines` are content hashes (`edits.line_hash`); None when the shell changed the file and the
    call does not hold the text (ingest fills it from the working tree, see vcs/attribution.py).
    `prompt` is the number of the person's prompt it answered (1 = the first), 0 before any."""

    file: str
    lines: list[str] | None = None
    tool: str = ""
    call_id: str | None = None
    prompt: int = 0
    model: str | None = None
    shell: bool = False


@dataclass(slots=True)
class Usage:
    """The tokens of one API response (or, past `builder.MAX_USAGE`, of several of one model),
    priced with that response's own model: sessions switch models and subagents use others.

    Anthropic's convention: `input_tokens` counts only the uncached input, apart from cache reads
    and writes (OpenAI and Gemini include them: their parsers subtract). `output_tokens` is what is
    billed as output, reasoning included."""

    model: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    responses: int = 1
    # As on ToolCall: the turn it answers, the subagent that made it, and when (the LLM span).
    turn: int = -1
    agent: str | None = None
    at: str | None = None


@dataclass(slots=True)
class Detection:
    source: str = "terminal"  # "structured" | "terminal"
    evidence: str = ""  # e.g. "claude jsonl: ~/.claude/projects/-repo/abc.jsonl"


@dataclass(slots=True)
class Session:
    provider: str = "generic"
    detection: Detection = field(default_factory=Detection)
    metrics: Metrics = field(default_factory=Metrics)
    tool_uses_by_name: dict[str, int] = field(default_factory=dict)
    commands: list[Command] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    prompt_times: list[str | None] = field(default_factory=list)  # when each prompt was sent
    files: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    issue_numbers: list[int] = field(default_factory=list)
    cwd: str | None = None
    git_branch: str | None = None
    started_at: str | None = None  # ISO 8601, UTC where the source says so
    ended_at: str | None = None
    agent_session_id: str | None = None
    tool_version: str | None = None
    source_path: str | None = None
    # The log ends with the agent's own "interrupted" record (Claude's `[Request interrupted by
    # user]`, Codex's `turn_aborted: interrupted`) and nothing after it: the person stopped it.
    interrupted: bool = False
    warnings: list[str] = field(default_factory=list)
    usage: list[Usage] = field(default_factory=list)
    # What the agent itself says it cost (aider's `Cost:` lines, Claude's `costUSD`): kept apart
    # from aitrack's own pricing, never mixed into it.
    reported_cost_usd: float | None = None
    # What the agent wrote, line by line (hashes): the facts `aitrack blame` attributes from.
    writes: list[Write] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in known}
        kw["detection"] = Detection(**data.get("detection") or {})
        kw["metrics"] = _only_known(Metrics, data.get("metrics") or {})
        kw["commands"] = [_only_known(Command, c) for c in data.get("commands") or []]
        kw["tool_calls"] = [_only_known(ToolCall, c) for c in data.get("tool_calls") or []]
        kw["usage"] = [_only_known(Usage, u) for u in data.get("usage") or [] if isinstance(u, dict)]
        kw["writes"] = [_only_known(Write, w) for w in data.get("writes") or [] if isinstance(w, dict) and w.get("file")]
        return cls(**kw)


def _only_known(cls: Any, data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
