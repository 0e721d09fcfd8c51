"""Accumulate one Session from a stream of records, with bounded memory.

Every format parser feeds a `Builder`; metrics count everything, but the stored lists (tool calls,
commands, prompts, files) and every stored text are capped, so memory stays flat however long the
log is (a 1 GB log must not need 1 GB of RAM). What was dropped is said in `warnings`.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Collection, Iterable
from typing import Any

from aitrack.parse.record import Command, Detection, Session, ToolCall, Usage, Write
from aitrack.parse.shellcmd import git_operations
from aitrack.parse.values import INPUT_CHARS, OUTPUT_CHARS, cap, cap_obj, duration, is_time

MAX_TOOL_CALLS = 5000
MAX_PROMPTS = 1000
MAX_FILES = 5000
MAX_USAGE = 20_000  # responses kept one by one; past it, folded per model (priced as one)
MAX_WRITES = 5000  # edit tool calls kept for line attribution (each a list of line hashes)
MAX_WRITTEN_LINES = 500_000  # line hashes over all of them: 16 hex characters each
MAX_SESSIONS = 1000  # sessions kept apart in one stream; more are folded into the last one


class Budget:
    """What one stream may keep, shared by all the sessions it holds: a file with thousands of
    session ids must not multiply the caps."""

    __slots__ = ("tool_calls", "commands", "prompts", "files", "usage", "writes", "written")

    def __init__(self) -> None:
        self.tool_calls = self.commands = self.prompts = self.files = self.usage = 0
        self.writes = self.written = 0  # edit calls and their line hashes kept for attribution
PROMPT_CHARS = 8000
PENDING = 2048  # calls waiting for their result; results arrive within a few records


class Builder:
    """Collects one session; `finish()` returns the `Session`."""

    def __init__(self, provider: str, evidence: str, source_path: str | None = None,
                 budget: Budget | None = None) -> None:
        self.budget = budget or Budget()
        self.session = Session(provider=provider, detection=Detection("structured", evidence), source_path=source_path)
        self._pending: OrderedDict[str, tuple[ToolCall | None, Command | None]] = OrderedDict()
        self._done: OrderedDict[str, tuple[ToolCall | None, Command | None]] = OrderedDict()
        self._hints: OrderedDict[str, int] = OrderedDict()
        self._files: dict[str, None] = {}
        self._warned: dict[str, int] = {}
        self._folded: dict[str | None, Usage] = {}
        self._model: str | None = None  # the model of the latest response: the one that made a call
        # The person's prompt the agent is answering, for the writes' prompt numbers: a parser that
        # learns of prompts only at the end (Codex without user_message events) moves it as it reads.
        self.turn = 0
        self._write_calls: OrderedDict[str, list[Write]] = OrderedDict()  # until their result says ok
        # The clock and the speaker, for the per-turn traces: the last valid timestamp seen, the
        # subagent whose record is being read (the parser sets it; None: the main agent).
        self.at: str | None = None
        self.agent: str | None = None

    # -- facts -------------------------------------------------------------------------------
    def seen(self, timestamp: Any) -> None:
        # Called for every record: the shape check is inlined (see values.is_time).
        if timestamp.__class__ is not str or len(timestamp) < 19 or timestamp[4] != "-" or timestamp[10] not in "T ":
            return
        self.at = timestamp
        s = self.session
        if s.started_at is None or timestamp < s.started_at:
            s.started_at = timestamp
        if s.ended_at is None or timestamp > s.ended_at:
            s.ended_at = timestamp

    def prompt(self, text: str) -> None:
        self.session.metrics.user_prompts += 1
        if self.budget.prompts < MAX_PROMPTS:
            self.budget.prompts += 1
            self.session.prompts.append(cap(text, PROMPT_CHARS))
            self.session.prompt_times.append(self.at)
        else:
            self.warn(f"prompts beyond {MAX_PROMPTS} counted but not kept")

    def model(self, name: Any) -> None:
        if isinstance(name, str) and name and not name.startswith("<"):
            self._model = name[:200]
        if isinstance(name, str) and name and not name.startswith("<") and name not in self.session.models:
            if len(self.session.models) < 100:
                self.session.models.append(name)

    def file(self, path: Any) -> None:
        if not isinstance(path, str) or not path or len(path) > 4096 or path in self._files:
            return
        if self.budget.files < MAX_FILES:
            self.budget.files += 1
            self._files[path] = None
        else:
            self.warn(f"files beyond {MAX_FILES} not kept")

    def tokens(self, **counts: Any) -> None:
        """Add token counts (Claude, Gemini: one usage per API response)."""
        m = self.session.metrics
        for name, value in counts.items():
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                setattr(m, name, (getattr(m, name) or 0) + value)

    def usage(self, model: Any, input_tokens: Any = 0, output_tokens: Any = 0, cache_read: Any = 0,
              cache_write: Any = 0) -> None:
        """One API response's tokens, Anthropic's convention (input without cache reads/writes):
        what it cost is priced later from these, with this response's own model."""
        counts = [_count(v) for v in (input_tokens, output_tokens, cache_read, cache_write)]
        if not any(counts):
            return
        name = model[:200] if isinstance(model, str) and model and not model.startswith("<") else None
        kept = self.session.usage
        if self.budget.usage < MAX_USAGE:
            self.budget.usage += 1
            kept.append(Usage(name, counts[0], counts[1], counts[2], counts[3], turn=self._turn(), agent=self.agent,
                             at=self.at))
            return
        self.warn(f"API responses beyond {MAX_USAGE} priced together per model")
        into = self._folded.get(name)
        if into is None:
            into = self._folded[name] = Usage(name, responses=0, turn=self._turn(), at=self.at)
            kept.append(into)
        into.input_tokens += counts[0]
        into.output_tokens += counts[1]
        into.cache_read_tokens += counts[2]
        into.cache_write_tokens += counts[3]
        into.responses += 1

    def reported_cost(self, usd: Any) -> None:
        """What the agent says a response cost (kept apart from aitrack's pricing)."""
        if isinstance(usd, (int, float)) and not isinstance(usd, bool) and 0 <= usd < 1e9:
            s = self.session
            s.reported_cost_usd = (s.reported_cost_usd or 0.0) + float(usd)

    def set_tokens(self, **counts: Any) -> None:
        """Replace token counts (Codex: cumulative totals, the last one wins)."""
        m = self.session.metrics
        for name, value in counts.items():
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                setattr(m, name, value)

    def shell_and_files(self, name: str, args: Any, shell: Collection[str], file_keys: Iterable[str],
                        no_files: Collection[str]) -> str | None:
        """A call whose arguments are a dict: notes the files it names (unless the tool only reads or
        searches: `no_files`) and returns its shell command when it is a shell tool."""
        if not isinstance(args, dict):
            return None
        if name not in no_files:
            for key in file_keys:
                self.file(args.get(key))
        command = args.get("command")
        return command if name in shell and isinstance(command, str) else None

    def tool_call(self, name: str, input: Any, call_id: Any = None, timestamp: Any = None,
                  command: str | None = None) -> ToolCall | None:
        """One tool call; `command` when it is a shell command (counted and kept in order).

        Returns the stored call, or None once the cap is reached."""
        s = self.session
        name = name if isinstance(name, str) and name else "unknown"
        s.metrics.tool_uses += 1
        if len(s.tool_uses_by_name) < 500 or name in s.tool_uses_by_name:
            s.tool_uses_by_name[name] = s.tool_uses_by_name.get(name, 0) + 1
        started = timestamp if is_time(timestamp) else None
        call: ToolCall | None = None
        cmd: Command | None = None
        if self.budget.tool_calls < MAX_TOOL_CALLS:
            self.budget.tool_calls += 1
            call = ToolCall(name=name, input=cap_obj(input), call_id=call_id if isinstance(call_id, str) else None,
                            started_at=started, turn=self._turn(), agent=self.agent)
            s.tool_calls.append(call)
        else:
            self.warn(f"tool calls beyond {MAX_TOOL_CALLS} counted but not kept")
        self._writes(name, input, call_id, command)
        if command is not None:
            s.metrics.commands_executed += 1
            s.metrics.git_operations += git_operations(command)
            if self.budget.commands < MAX_TOOL_CALLS:
                self.budget.commands += 1
                cmd = Command(command=cap(command, INPUT_CHARS), tool=name, started_at=started)
                s.commands.append(cmd)
        if isinstance(call_id, str) and call_id:
            self._pending[call_id] = (call, cmd)
            if len(self._pending) > PENDING:
                self._pending.popitem(last=False)
        return call

    def _writes(self, name: str, input: Any, call_id: Any, command: str | None) -> None:
        """The lines this call wrote (parse/edits.py), read from the whole input, not the capped copy."""
        from aitrack.parse.edits import writes_of

        s, budget = self.session, self.budget
        # Never more writes than tool calls are kept: memory stays flat past the caps.
        most = min(MAX_WRITES, MAX_TOOL_CALLS)
        try:
            found = writes_of(name, input, command)
        except Exception as exc:  # a shape no parser foresaw costs the attribution, never the session
            self.warn(f"edits of a {name} call not read: {type(exc).__name__}")
            return
        for path, lines in found:
            if budget.writes >= most or budget.written + len(lines or ()) > MAX_WRITTEN_LINES:
                self.warn(f"edits beyond {most} calls or {MAX_WRITTEN_LINES} lines not attributed")
                return
            budget.writes += 1
            budget.written += len(lines or ())
            write = Write(file=path, lines=lines, tool=name, call_id=call_id if isinstance(call_id, str) else None,
                          prompt=max(s.metrics.user_prompts, self.turn), model=self._model, shell=command is not None)
            s.writes.append(write)
            if write.call_id:
                self._write_calls.setdefault(write.call_id, []).append(write)
                if len(self._write_calls) > PENDING:
                    self._write_calls.popitem(last=False)

    def command(self, command: str, tool: str, exit_code: int | None = None, output: str = "",
                timestamp: Any = None) -> None:
        """A shell command known only from its run (aider's `> Running …`), not from a tool call."""
        s = self.session
        s.metrics.commands_executed += 1
        s.metrics.git_operations += git_operations(command)
        if self.budget.commands < MAX_TOOL_CALLS:
            self.budget.commands += 1
            s.commands.append(Command(command=cap(command, INPUT_CHARS), tool=tool, exit_code=exit_code,
                                      output=cap(output, OUTPUT_CHARS), started_at=timestamp if is_time(timestamp) else None))

    def awaits_command(self, call_id: Any) -> bool:
        """Whether the pending tool call `call_id` ran a shell command (its output may need unwrapping)."""
        entry = self._pending.get(call_id) if isinstance(call_id, str) else None
        return entry is not None and entry[1] is not None

    def result(self, call_id: Any, output: str, is_error: bool = False, exit_code: int | None = None,
               timestamp: Any = None, count_unmatched: bool = True) -> None:
        """The result of a tool call; an error (flag or non-zero exit) counts once."""
        if exit_code is None and isinstance(call_id, str):
            exit_code = self._hints.pop(call_id, None)
        if exit_code is not None and exit_code != 0:
            is_error = True
        entry = self._pending.pop(call_id, None) if isinstance(call_id, str) else None
        if entry is None and not count_unmatched:
            return
        if is_error:
            self.session.metrics.errors_encountered += 1
        failed = self._write_calls.pop(call_id, None) if isinstance(call_id, str) else None
        if failed and is_error:  # an edit that failed wrote nothing (a shell command may have: kept)
            gone = {id(w) for w in failed if not w.shell}
            self.session.writes = [w for w in self.session.writes if id(w) not in gone]
        if entry is None:
            return
        call, cmd = entry
        self._done[call_id] = entry
        if len(self._done) > 256:
            self._done.popitem(last=False)
        head = cap(output, OUTPUT_CHARS)
        if call is not None:
            call.output, call.is_error = head, is_error
            call.ended_at = timestamp if is_time(timestamp) else None
        if cmd is not None:
            cmd.output, cmd.is_error = head, is_error
            cmd.exit_code = exit_code if exit_code is not None else (None if is_error else 0)

    def exit_hint(self, call_id: Any, exit_code: Any) -> None:
        """An exit code reported apart from the output (Codex `exec_command_end`), before or after it."""
        if not isinstance(exit_code, int) or isinstance(exit_code, bool) or not isinstance(call_id, str):
            return
        done = self._done.get(call_id)
        if done is None:
            self._hints[call_id] = exit_code
            if len(self._hints) > PENDING:
                self._hints.popitem(last=False)
            return
        call, cmd = done
        if cmd is not None and cmd.exit_code in (None, 0) and exit_code != 0:
            if not cmd.is_error:
                self.session.metrics.errors_encountered += 1
            cmd.is_error = True
            if call is not None:
                call.is_error = True
        if cmd is not None:
            cmd.exit_code = exit_code

    def abort_pending(self, reason: str) -> None:
        """Calls that never got a result because the turn was aborted: marked, not counted as errors."""
        for call, cmd in self._pending.values():
            if call is not None and not call.output:
                call.output = f"[no result: turn aborted ({reason})]"
            if cmd is not None and not cmd.output:
                cmd.output = f"[no result: turn aborted ({reason})]"
        self._pending.clear()

    def _turn(self) -> int:
        # The index of the current prompt among the kept ones (past the cap: the last kept).
        return len(self.session.prompts) - 1

    def warn(self, message: str) -> None:
        if message in self._warned:
            self._warned[message] += 1
            return
        if len(self._warned) < 50:
            self._warned[message] = 1

    # -- result ------------------------------------------------------------------------------
    def finish(self) -> Session:
        s = self.session
        s.files = [_relative(p, s.cwd) for p in self._files]
        s.metrics.files_touched = len(s.files)
        s.metrics.duration_seconds = duration(s.started_at, s.ended_at)
        s.warnings.extend(f"{msg} (×{n})" if n > 1 else msg for msg, n in self._warned.items())
        s.issue_numbers = issue_numbers(s.prompts, s.git_branch)
        return s


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 53 else 0


def _relative(path: str, cwd: str | None) -> str:
    if cwd and os.path.isabs(path) and path.startswith(cwd.rstrip("/") + "/"):
        return path[len(cwd.rstrip("/")) + 1 :]
    return path


def issue_numbers(prompts: list[str], branch: str | None) -> list[int]:
    """Issue numbers named in the prompts or the branch."""
    from aitrack.parse.issues import find_issue_numbers

    found: dict[int, None] = {}
    try:
        for text in prompts:
            for n in find_issue_numbers(text, "prompt"):
                found[n] = None
        if branch:
            for n in find_issue_numbers(branch, "branch"):
                found[n] = None
    except Exception:  # never let a helper's bug lose the session
        return []
    return list(found)
