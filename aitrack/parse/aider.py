"""aider's `.aider.chat.history.md`: one Markdown file appended by every aider run in a repo.

Sessions start at `# aider chat started at YYYY-MM-DD HH:MM:SS` (local time). The person's inputs
are `#### ` lines (consecutive ones form one multi-line input); aider's own notes are `> ` lines:
`Applied edit to F`, `Commit <hash> <msg>`, `Tokens: 6.5k sent, 492 received.`, `Running <cmd>`
(a shell command aider ran: `commands_executed`), `Command '<cmd>' exited with status N`, and the
`Run shell command(s)? [Y/n] <answer>` confirmations. Conventions (SOURCES.md): slash commands
(`/add`, `/ask`, `/run`, …) are inputs, not prompts (aider logs the `/ask` question again as a
plain input); aider's own commits count as git operations.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from aitrack.parse.builder import Budget, Builder
from aitrack.parse.record import Session

PROVIDER = "aider"
HEADER = "# aider chat started at "
_HEADER = re.compile(r"^# aider chat started at (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)")
_TOKENS = re.compile(r"([\d.]+)(k|M)? (sent|received|cache write|cache hit)")
_COST = re.compile(r"Cost: \$(\d+(?:\.\d+)?) message")
_COMMIT = re.compile(r"^Commit ([0-9a-f]{7,40})\b")
_CONFIRM = re.compile(r"^Run shell commands?(?:\(s\))?\? \[Y/n\] ?(.*)$")
_EXITED = re.compile(r"^Command '(.*)' exited with status (-?\d+)")
_SLASH = re.compile(r"^/[A-Za-z][\w-]*(?:\s|$)")


def parse_lines(lines: Iterable[str], evidence: str, path: str | None) -> Iterator[Session]:
    """Each `# aider chat started at` section is one session (text before the first is one too)."""
    a: _Aider | None = None
    budget = Budget()
    for line in lines:
        line = line.rstrip("\r\n")
        m = _HEADER.match(line) if line.startswith(HEADER) else None
        if m:
            if a is not None and a.used:
                yield a.finish()
            a = _Aider(evidence, path, f"{m.group(1)}T{m.group(2)}", budget)
            continue
        if a is None:
            a = _Aider(evidence, path, None, budget)
        a.feed(line)
    if a is not None and (a.used or a.b.session.started_at):
        yield a.finish()


class _Aider:
    def __init__(self, evidence: str, path: str | None, started: str | None, budget: Budget) -> None:
        self.b = Builder(PROVIDER, evidence, path, budget)
        self.b.session.started_at = started
        self.used = started is not None
        self.input: list[str] | None = None  # the input being read, line by line
        self.last_command: str | None = None
        self.current_model: str | None = None

    def feed(self, line: str) -> None:
        if line.startswith("####"):
            text = line[4:].removeprefix(" ").rstrip()
            if self.input is None:
                self.input = [text]
            else:
                self.input.append(text)
            return
        if self.input is not None:
            self._end_input()
        if line.startswith(">"):
            self._note(line[1:].strip())

    def _end_input(self) -> None:
        text = "\n".join(self.input or []).strip("\n")
        self.input = None
        self.used = True
        if text.strip() and not _SLASH.match(text):
            self.b.prompt(text)

    def _note(self, note: str) -> None:
        b = self.b
        if note.startswith("Applied edit to "):
            file = note[len("Applied edit to "):].strip()
            b.tool_call("edit", {"file": file})
            b.file(file)
        elif note.startswith("Commit "):
            m = _COMMIT.match(note)
            if m:
                b.session.metrics.git_operations += 1
        elif note.startswith("Running "):
            self.last_command = note[len("Running "):]
            b.command(self.last_command, "run_shell_command")
        elif note.startswith("Command '"):
            m = _EXITED.match(note)
            if m and b.session.commands and b.session.commands[-1].command == m.group(1):
                cmd = b.session.commands[-1]
                cmd.exit_code = int(m.group(2))
                cmd.is_error = cmd.exit_code != 0
                b.session.metrics.errors_encountered += int(cmd.is_error)
        elif note.startswith("Run shell command"):
            m = _CONFIRM.match(note)
            if m:
                answer = m.group(1).strip().lower()
                call = b.tool_call("run_shell_command", {"answer": answer})
                if call is not None:
                    call.output = "declined" if answer.startswith("n") else "approved"
        elif note.startswith("Tokens: "):
            self._tokens(note)
        elif note.startswith(("Main model: ", "Model: ")):
            self.current_model = note.split(": ", 1)[1].split(" with ", 1)[0].strip()
            b.model(self.current_model)
        elif note.startswith("Aider v") and b.session.tool_version is None:
            b.session.tool_version = note[len("Aider v"):].split()[0] if len(note) > 7 else None

    def _tokens(self, note: str) -> None:
        names = {"sent": "input_tokens", "received": "output_tokens", "cache write": "cache_creation_input_tokens",
                 "cache hit": "cache_read_input_tokens"}
        counts: dict[str, int] = {}
        for number, unit, what in _TOKENS.findall(note.split(" Cost:", 1)[0]):
            try:
                value = float(number) * {"k": 1e3, "M": 1e6}.get(unit, 1)
            except ValueError:
                continue
            counts[names[what]] = int(round(value))
        self.b.tokens(**counts)
        # aider's "sent" leaves Anthropic's cache reads/writes out (it prices them apart, like Anthropic).
        self.b.usage(self.current_model, counts.get("input_tokens"), counts.get("output_tokens"),
                     counts.get("cache_read_input_tokens"), counts.get("cache_creation_input_tokens"))
        cost = _COST.search(note)
        if cost:
            self.b.reported_cost(float(cost.group(1)))  # aider's own estimate, kept apart from ours

    def finish(self) -> Session:
        if self.input is not None:
            self._end_input()
        return self.b.finish()


def looks_like(head: str) -> bool:
    """aider's history: its header, or `#### ` inputs next to aider's own notes."""
    if HEADER in head:
        return True
    return bool(re.search(r"^#### ", head, re.M)) and bool(
        re.search(r"^> (?:Applied edit to |Commit [0-9a-f]{7}|Tokens: |Aider v)", head, re.M))
