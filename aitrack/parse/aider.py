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
from aitrack.parse.values import OUTPUT_CHARS, cap

PROVIDER = "aider"
HEADER = "# aider chat started at "
_HEADER = re.compile(r"^# aider chat started at (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)")
_TOKENS = re.compile(r"([\d.]+)(k|M)? (sent|received|cache write|cache hit)")
_COST = re.compile(r"Cost: \$(\d+(?:\.\d+)?) message")
_COMMIT = re.compile(r"^Commit ([0-9a-f]{7,40})\b")
_CONFIRM = re.compile(r"^Run shell commands?(?:\(s\))?\? \[Y/n\] ?(.*)$")
_EXITED = re.compile(r"^Command '(.*)' exited with status (-?\d+)")
_SLASH = re.compile(r"^/[A-Za-z][\w-]*(?:\s|$)")
# `/run CMD`, `/test CMD`, `!CMD`: the person has aider run a shell command. aider logs no exit
# status for them (0.86 not even the output): see `run_results` for what the terminal shows.
_RUN = re.compile(r"^(?:/(run|test)\s+|(!))(\S.*)$", re.S)
# What a failed command prints, as the only evidence there is: the shell's own complaints, a
# Python traceback, test runners' failure summaries, `error:`/`fatal:` lines (gcc, git, cargo).
_FAILED = re.compile(
    r"command not found|No such file or directory|Permission denied|Traceback \(most recent call last\)"
    r"|^(?:error|fatal|Error|ERROR|FAILED|FAIL)\b[:\s]|\b\d+ failed\b|^make: \*\*\*", re.M)
_ADDED = re.compile(r"^Added \d+ lines? of output to the chat\.")


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
        self.run: tuple[str, bool] | None = None  # the `/run`/`/test` command whose output may follow
        self.run_output: list[str] = []
        self.run_failed = False
        self.collecting = False
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
            note = line[1:].strip()
            if self.collecting and not _ADDED.match(note) and not note.startswith("Add "):
                self.run_output.append(note)  # older aider quoted the command's output
            self._note(note)
        elif line.strip():
            self.collecting = False  # the model's answer: the command's output is over

    def _end_input(self) -> None:
        text = "\n".join(self.input or []).strip("\n")
        self.input = None
        self.used = True
        self._end_run()
        run = _RUN.match(text.strip())
        if run:
            command = run.group(3).strip()
            self.b.command(command, "/" + (run.group(1) or "run"))
            self.run, self.collecting = (command, run.group(1) == "test"), True
        elif text.strip() and not _SLASH.match(text):
            self.b.prompt(text)

    def _end_run(self) -> None:
        if self.run is not None and self.b.session.commands and self.b.session.commands[-1].command == self.run[0]:
            cmd = self.b.session.commands[-1]
            if self.run_output and not cmd.output:
                cmd.output = cap("\n".join(self.run_output), OUTPUT_CHARS)
            if not cmd.is_error and (_FAILED.search(cmd.output) or self.run_failed):
                cmd.is_error = True
                self.b.session.metrics.errors_encountered += 1
        self.run, self.run_output, self.run_failed, self.collecting = None, [], False, False

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
            if self.run is not None and self.run[0] == self.last_command:
                return  # older aider echoed `/run CMD` as `Running CMD`: one command, not two
            self._end_run()
            b.command(self.last_command, "run_shell_command")
        elif self.run is not None and self.run[1] and _ADDED.match(note):
            self.run_failed = True  # `/test` adds the output to the chat only when it exited non-zero
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
        self._end_run()
        return self.b.finish()


def run_results(session: Session, transcript: str) -> None:
    """Fill in what aider's history leaves out of `/run` commands from the terminal transcript:
    each one's output (between its echo and aider's "Add …k tokens of command output" question),
    and an error when that output is a failure's (aider records no exit status anywhere)."""
    lines = transcript.splitlines()
    pos = 0
    for cmd in session.commands:
        if cmd.tool not in ("/run", "/test") or cmd.output:
            continue
        start = next((i for i in range(pos, len(lines)) if lines[i].rstrip().endswith(cmd.command)), None)
        if start is None:
            continue
        end = start + 1
        while end < len(lines) and "tokens of command output" not in lines[end] and not lines[end].startswith("> "):
            end += 1
        cmd.output = cap("\n".join(line.rstrip() for line in lines[start + 1:end]).strip("\n"), OUTPUT_CHARS)
        pos = end
        if not cmd.is_error and _FAILED.search(cmd.output):
            cmd.is_error = True
            session.metrics.errors_encountered += 1


def looks_like(head: str) -> bool:
    """aider's history: its header, or `#### ` inputs next to aider's own notes."""
    if HEADER in head:
        return True
    return bool(re.search(r"^#### ", head, re.M)) and bool(
        re.search(r"^> (?:Applied edit to |Commit [0-9a-f]{7}|Tokens: |Aider v)", head, re.M))
