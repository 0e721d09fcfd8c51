"""Agent logs read as they grow: only the bytes appended since the last read reach the parser.

The live updater (aitrack/live) keeps one `LiveLog` per log file for the whole session, so the
parser's state (pending tool calls, de-duplicated responses, counts) lives in memory between
reads and nothing is parsed twice. A line still being written (no newline yet) waits for the next
read. JSON-lines formats whose agent module has a `live_feeder` are followed this way; any other
log (a chat rewritten whole, a history, a database…) is parsed again when it changes.
A file that shrank was replaced: it is read again from its start.

What a live view shows is counts, tokens, models and the first prompt: the followed parsers
keep no tool calls, commands, edits or files (their budget starts spent), so the updater's
memory does not grow with the log; the ingest's full parse keeps them.
"""
from __future__ import annotations

import json
import os
from dataclasses import fields
from typing import Any

from aitrack.parse.builder import MAX_FILES, MAX_TOOL_CALLS, MAX_WRITES, Budget
from aitrack.parse.record import Metrics, Session


def _live_feeder(provider: str) -> Any:
    """The agent module's `live_feeder(evidence, path, budget)`: what feeds its records one by one, or None."""
    from aitrack.agents import registry

    agent = registry.by_provider(provider)
    return registry.get(agent, "live_feeder") if agent else None


class LiveLog:
    def __init__(self, path: str, provider: str) -> None:
        self.path, self.provider = path, provider
        self.offset = 0
        self._partial = b""
        self._feeder: Any = None
        self._whole: Session | None = None
        self._stamp: tuple[int, int] | None = None
        self.bytes_read = 0

    def _new_feeder(self) -> Any:
        # The followed parsers keep counts only: their budget starts spent (see the docstring).
        return _live_feeder(self.provider)(f"{self.provider} log (live): {self.path}", self.path, lean_budget())

    def read(self) -> bool:
        """Take in what was appended; True when something new was parsed."""
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        if _live_feeder(self.provider) is None:
            return self._reparse(st)
        if st.st_size < self.offset:  # replaced or truncated: start again
            self.offset, self._partial, self._feeder = 0, b"", None
        if st.st_size == self.offset:
            return False
        if self._feeder is None:
            self._feeder = self._new_feeder()
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        self.offset += len(data)
        self.bytes_read += len(data)
        lines = (self._partial + data).split(b"\n")
        self._partial = lines.pop()  # b"" after a complete line, else the start of one
        fed = False
        for line in lines:
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError):
                continue  # a blank or broken line: the full parse at ingest counts it
            if type(rec) is dict:
                self._feeder.feed(rec)
                fed = True
        return fed

    def _reparse(self, st: os.stat_result) -> bool:
        stamp = (st.st_size, st.st_mtime_ns)
        if stamp == self._stamp:
            return False
        from aitrack.parse import parse_path

        self._stamp = stamp
        self.bytes_read += st.st_size
        self._whole = parse_path(self.path, self.provider)
        return True

    def session(self) -> Session | None:
        """The session so far, without finishing the parser (it goes on reading)."""
        if self._whole is not None:
            return self._whole
        return self._feeder.b.session if self._feeder is not None else None

    def user_prompts(self, s: Session) -> int:
        # An older Codex rollout has no user_message events: its finish() counts the user's
        # messages instead, and so does the live count, without finishing.
        f = self._feeder
        if f is not None and getattr(f, "event_prompts", 1) == 0 and getattr(f, "fallback_count", 0):
            return int(f.fallback_count)
        return s.metrics.user_prompts


def lean_budget() -> Budget:
    """A budget already spent on what the live view never shows: counted, not kept."""
    budget = Budget()
    budget.tool_calls = budget.commands = MAX_TOOL_CALLS
    budget.writes, budget.files = MAX_WRITES, MAX_FILES
    return budget


def snapshot(logs: list[LiveLog]) -> dict[str, Any]:
    """What the logs say so far, as the small record `live.json` and the live run carry: metrics
    (summed over the logs: a Claude session and its subagents' files), models, prompts."""
    total = Metrics()
    names = [f.name for f in fields(Metrics) if f.name != "duration_seconds"]  # the clock is the wrapper's
    models: list[str] = []
    prompts: list[str] = []
    for log in logs:
        s = log.session()
        if s is None:
            continue
        for name in names:
            value = log.user_prompts(s) if name == "user_prompts" else getattr(s.metrics, name)
            if value is not None:
                setattr(total, name, (getattr(total, name) or 0) + value)
        models += [m for m in s.models if m not in models]
        prompts += s.prompts[: max(0, 1 - len(prompts))]  # the first names the run
    metrics = {k: getattr(total, k) for k in names if getattr(total, k) is not None}
    return {"metrics": metrics, "models": models, "prompts": prompts}
