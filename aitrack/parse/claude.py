"""Claude Code session logs: `~/.claude/projects/<cwd slug>/<session>.jsonl` (+ `subagents/agent-*.jsonl`).

One JSON object a line. `user` and `assistant` entries carry the conversation; every other kind
(summary, system, attachment, progress, queue-operation, file-history-snapshot, titles, links, …) is
metadata and only moves the clock. Conventions (../shared/fixtures/SOURCES.md):
- a human prompt is a `user` entry whose content is text, not a tool_result, not `isMeta`, not a
  compaction summary, not an interrupt marker and not a slash-command / local-command wrapper;
- tool uses are `tool_use` blocks; errors are `tool_result.is_error`;
- tokens are summed once per API response: one response is split over several lines carrying the
  same usage, so they are de-duplicated by (message.id, requestId).
"""
from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from aitrack.parse.builder import MAX_SESSIONS, Budget, Builder
from aitrack.parse.values import text_of
from aitrack.parse.record import Session

PROVIDER = "claude_code"
SHELL_TOOLS = {"Bash", "bash"}
# Tools whose input names a file the agent read or wrote.
FILE_KEYS = ("file_path", "notebook_path")
_WRAPPERS = re.compile(
    r"^\s*(?:Caveat:|\[Request interrupted|<(?:command-name|command-message|command-args|local-command-stdout|"
    r"local-command-stderr|bash-input|bash-stdout|bash-stderr|local-command-caveat)>)"
)
_EXIT = re.compile(r"^Exit code (-?\d+)")
_DEDUP_WINDOW = 512  # copies of one response sit on consecutive lines


def parse_records(records: Iterable[dict[str, Any]], evidence: str, path: str | None,
                  split: bool) -> Iterator[Session]:
    """Sessions of one file: one per `sessionId` when `split`, else the whole file as one."""
    builders: dict[str, _Claude] = {}
    budget = Budget()
    current: _Claude | None = None
    for rec in records:
        sid = rec.get("sessionId")
        key = sid if split and isinstance(sid, str) else ""
        if current is not None and current.key == "" and key and key not in builders:
            # Records before the first sessionId (a leading summary) belong to that session.
            builders[key] = builders.pop("")
            current.key = key
        elif current is None or (key and current.key != key):
            found = builders.get(key)
            if found is None and current is not None and len(builders) >= MAX_SESSIONS:
                current.b.warn(f"more than {MAX_SESSIONS} session ids; the rest are counted in one")
                found = current
            elif found is None:
                found = builders[key] = _Claude(key, evidence, path, budget)
            current = found
        assert current is not None
        current.feed(rec)
    if not builders:
        builders[""] = _Claude("", evidence, path, budget)
    for b in builders.values():
        yield b.finish()


class _Claude:
    def __init__(self, key: str, evidence: str, path: str | None, budget: Budget) -> None:
        self.key = key
        self.b = Builder(PROVIDER, evidence, path, budget)
        self._usage_seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._described = False
        self._seen_described = 0

    def feed(self, rec: dict[str, Any]) -> None:
        b = self.b
        b.seen(rec.get("timestamp"))
        # A subagent's records (inline or in subagents/agent-*.jsonl) nest under its own AGENT span.
        if rec.get("isSidechain") is True:
            agent = rec.get("agentId")
            b.agent = agent if agent.__class__ is str and agent else "subagent"
        else:
            b.agent = None
        if not self._described:
            self._describe(rec)
        kind = rec.get("type")  # compared with ==, never hashed: it may be any JSON value
        if kind == "assistant" or kind == "user" or kind is None:
            message = rec.get("message")
            if message.__class__ is not dict:
                return
            if kind == "assistant" or (kind is None and message.get("role") == "assistant"):
                self._assistant(rec, message)
            elif kind == "user":
                self._user(rec, message)

    def _describe(self, rec: dict[str, Any]) -> None:
        # Session facts come from the first records that carry them; later ones are not read.
        s = self.b.session
        if s.agent_session_id is None and isinstance(rec.get("sessionId"), str):
            s.agent_session_id = rec["sessionId"]
        if s.cwd is None and isinstance(rec.get("cwd"), str):
            s.cwd = rec["cwd"]
        if not s.git_branch and isinstance(rec.get("gitBranch"), str) and rec["gitBranch"]:
            s.git_branch = rec["gitBranch"]
        if s.tool_version is None and isinstance(rec.get("version"), str):
            s.tool_version = rec["version"]
        self._seen_described += rec.get("message").__class__ is dict
        self._described = self._seen_described >= 20 or None not in (s.agent_session_id, s.cwd, s.git_branch, s.tool_version)

    def _assistant(self, rec: dict[str, Any], message: dict[str, Any]) -> None:
        b = self.b
        b.session.interrupted = False
        b.model(message.get("model"))
        usage = message.get("usage")
        if isinstance(usage, dict) and self._first_copy(message.get("id"), rec.get("requestId")):
            b.tokens(
                input_tokens=usage.get("input_tokens"),
                output_tokens=usage.get("output_tokens"),
                cache_creation_input_tokens=usage.get("cache_creation_input_tokens"),
                cache_read_input_tokens=usage.get("cache_read_input_tokens"),
            )
            # Priced per response with its own model (subagents and /model switches use others).
            b.usage(message.get("model"), usage.get("input_tokens"), usage.get("output_tokens"),
                    usage.get("cache_read_input_tokens"), usage.get("cache_creation_input_tokens"))
            b.reported_cost(rec.get("costUSD"))  # older Claude Code wrote its own estimate
        content = message.get("content")
        if not isinstance(content, list):
            return
        for block in content:
            if isinstance(block, dict) and block.get("type") == "tool_use":
                self._tool_use(block, rec.get("timestamp"))

    def _first_copy(self, msg_id: Any, request_id: Any) -> bool:
        if not isinstance(msg_id, str):
            return True
        key = (msg_id, request_id if isinstance(request_id, str) else "")
        if key in self._usage_seen:
            return False
        self._usage_seen[key] = None
        if len(self._usage_seen) > _DEDUP_WINDOW:
            self._usage_seen.popitem(last=False)
        return True

    def _tool_use(self, block: dict[str, Any], timestamp: Any) -> None:
        raw_name = block.get("name")
        name = raw_name if isinstance(raw_name, str) else "unknown"
        tool_input = block.get("input")
        command = None
        if isinstance(tool_input, dict):
            if name in SHELL_TOOLS and isinstance(tool_input.get("command"), str):
                command = tool_input["command"]
            for key in FILE_KEYS:
                self.b.file(tool_input.get(key))
        self.b.tool_call(name, tool_input, block.get("id"), timestamp, command)

    def _user(self, rec: dict[str, Any], message: dict[str, Any]) -> None:
        content = message.get("content")
        if isinstance(content, list):
            texts = []
            has_result = False
            for block in content:
                if not isinstance(block, dict):
                    continue
                btype = block.get("type")
                if btype == "tool_result":
                    has_result = True
                    self._tool_result(block, rec.get("timestamp"))
                elif btype == "text" and isinstance(block.get("text"), str):
                    texts.append(block["text"])
            if has_result:
                return
            text = "\n".join(texts)
        elif isinstance(content, str):
            text = content
        else:
            return
        if text.lstrip().startswith("[Request interrupted by user"):
            self.b.session.interrupted = True
        elif self._is_prompt(rec, text):
            self.b.session.interrupted = False  # the person went on
            self.b.prompt(text)

    @staticmethod
    def _is_prompt(rec: dict[str, Any], text: str) -> bool:
        if not text.strip() or rec.get("isMeta") or rec.get("isCompactSummary") or rec.get("isVisibleInTranscriptOnly"):
            return False
        if rec.get("isSidechain"):
            # Inside a sidechain the "user" is the parent agent handing over a task, unless the
            # entry says a person typed it.
            origin = rec.get("origin")
            if not (isinstance(origin, dict) and origin.get("kind") == "human"):
                return False
        return not _WRAPPERS.match(text)

    def _tool_result(self, block: dict[str, Any], timestamp: Any) -> None:
        output = text_of(block.get("content"))
        is_error = block.get("is_error") is True
        exit_code = None
        if is_error:
            m = _EXIT.match(output)
            exit_code = int(m.group(1)) if m else None
        self.b.result(block.get("tool_use_id"), output, is_error, exit_code, timestamp)

    def finish(self) -> Session:
        return self.b.finish()


def looks_like(record: dict[str, Any]) -> bool:
    """A first record that only Claude Code writes."""
    if "payload" in record:
        return False
    if "sessionId" in record and ("uuid" in record or "parentUuid" in record or "leafUuid" in record):
        return True
    kind = _str(record.get("type"))
    if kind in {"summary", "file-history-snapshot", "queue-operation", "permission-mode", "last-prompt",
                "custom-title", "ai-title", "agent-name"}:
        return True
    message = record.get("message")
    return isinstance(message, dict) and "requestId" in record and "sessionId" in record


def _str(value: Any) -> str | None:
    # Field values are untrusted: a list where a string belongs must not reach a set lookup.
    return value if isinstance(value, str) else None
