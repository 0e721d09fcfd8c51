"""Rendered transcript lines → a Session, with the provider picked by score.

Every provider's rules (see `providers/base.py`) run over the same lines at once, each into its
own bounded `Builder`; the provider whose patterns scored highest wins, so the text is read once
and never held whole. `provider=` skips the contest.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from wcwidth import wcswidth

from aitrack.parse.builder import Builder
from aitrack.parse.record import Detection, Session
from aitrack.parse.shellcmd import git_operations
from aitrack.parse.terminal.providers import BY_NAME, PROVIDERS, Provider, Rule

MIN_SCORE = 1.0  # below this nothing looked like an agent: the generic patterns decide
STRONG = 2.0  # weight of a distinctive pattern; a provider needs one to be chosen
RULE_CAP = 100  # matches of one rule that count towards the score
OUTPUT_LINES = 40
_QUOTED_OP = re.compile(r"'(&&|\|\||;|\|)'")


class _Call:
    __slots__ = ("arg", "by_arg", "code", "error", "name", "open", "out", "running", "tentative")

    def __init__(self, name: str, arg: str, tentative: bool, open_: bool, error: bool, running: bool) -> None:
        self.name, self.arg, self.tentative, self.open, self.error = name, arg, tentative, open_, error
        self.running = running
        self.by_arg = False  # tentative until an `arg` line, not a result, confirms it
        self.out: list[str] = []
        self.code: int | None = None


class Extractor:
    """One provider's pass over the lines."""

    def __init__(self, provider: Provider, source_path: str | None = None, cols: int = 0) -> None:
        self.p = provider
        self.cols = cols  # the terminal's width, 0 if unknown: tells a wrapped row from a line break
        self._last = ""  # the line before this one
        self.b = Builder(provider.name, "", source_path)
        self.call: _Call | None = None
        self.group = False
        self.prompt: list[str] | None = None
        self.hits: Counter[str] = Counter()
        self.score = 0.0
        self.strong = False  # a pattern only this tool draws matched (not just a `>` prompt)
        self._ids = 0
        self._running: list[_Call] = []
        self._last_prompt_calls = -1  # tool calls recorded when the last prompt was

    def _applies(self, r: Rule) -> bool:
        w, c = r.when, self.call
        if w == "any":
            return True
        if w == "call":
            return c is not None
        if w == "noarg":
            return c is not None and not c.arg and not c.out
        if w == "open":
            return c is not None and c.open and not c.out
        if w == "group":
            return self.group
        return self.prompt is not None  # "prompt"

    def line(self, line: str) -> None:
        for r in self.p.rules:
            if not self._applies(r):
                continue
            m = r.pattern.search(line) if r.kind == "mark" else r.pattern.match(line)
            if m is None:
                continue
            if r.weight and self.hits[r.label or r.kind] < RULE_CAP:
                self.hits[r.label or r.kind] += 1
                self.score += r.weight
                self.strong = self.strong or r.weight >= STRONG
            self._apply(r, m.groupdict(), self._joint(line, m.start("arg")) if r.kind == "more" else "\n")
            self._last = line
            return
        self._unmatched(line)
        self._last = line

    def _joint(self, line: str, start: int) -> str:
        """How one more row of an argument joins it: "" when the row above ran to the right margin
        in the middle of a word too long to have fit on one row (the tool broke the word there, as
        Codex does with a long command: a wrap, not a line of its own), else a newline."""
        prev, cols = self._last, self.cols
        if not cols or len(prev) < cols // 2 or _width(prev) < cols:
            return "\n"
        tail = prev.rsplit(" ", 1)[-1]
        head = line[start:].split(" ", 1)[0]
        if head.startswith("…"):  # `… +3 lines`: the tool elided lines here, it did not wrap a word
            return "\n"
        return "" if _width(tail + head) > cols - start else "\n"

    def _apply(self, r: Rule, g: dict[str, str | None], joint: str = "\n") -> None:
        kind = r.kind
        if kind == "mark":
            return
        if kind not in ("more", "result", "arg", "sub", "prompt_more"):
            self._end_call()
            self.group = False
        if kind != "prompt_more" and kind != "prompt":
            self._end_prompt()
        if kind == "tool":
            arg = (g.get("arg") or "").strip()
            open_ = "close" in g and g["close"] is None and bool(arg)
            self.call = _Call(self.p.aliases.get(g.get("name") or r.name, g.get("name") or r.name), arg,
                              r.tentative, open_, r.error, r.running)
            self.call.by_arg = r.by_arg
        elif kind == "arg" and self.call is not None:
            self.call.arg, self.call.open = (g.get("arg") or "").strip(), r.open
            self.call.tentative = False
        elif kind == "more" and self.call is not None:
            self.call.arg = (self.call.arg + joint + (g.get("arg") or "").strip()).strip("\n")
            if g.get("close") is not None:
                self.call.open = False
        elif kind == "result" and self.call is not None:
            if self.call.tentative and self.call.by_arg:
                self.call = None  # a line that only looked like a header: its `⎿` is another's output
                return
            self.call.tentative = False
            self.call.open = False
            self.call.out.append(g.get("out") or "")
            if r.error:
                self.call.error = True
                code = g.get("code")
                if code and code.isdigit():
                    self.call.code = int(code)
        elif kind == "group":
            self.group = True
        elif kind == "sub":
            self._record(g.get("name") or r.name, (g.get("arg") or "").strip())
        elif kind == "prompt":
            self._end_prompt()
            self.prompt = [(g.get("text") or "").strip()]
        elif kind == "prompt_more" and self.prompt is not None:
            self.prompt.append((g.get("text") or "").strip())
        elif kind == "error":
            self.b.result(None, g.get("out") or "", is_error=True)
        elif kind == "file":
            self._record(r.name or "edit", (g.get("arg") or "").strip(), file=True)

    def _unmatched(self, line: str) -> None:
        self._end_prompt()
        if not line.strip():
            self.group = False
            return
        c = self.call
        if c is None:
            return
        if c.tentative:
            self.call = None  # a look-alike header with no result under it: not a tool call
        elif c.out and len(c.out) < OUTPUT_LINES:
            c.out.append(line.strip())

    def _end_prompt(self) -> None:
        if self.prompt is None:
            return
        text = " ".join(t for t in self.prompt if t)
        self.prompt = None
        prompts = self.b.session.prompts
        # The same prompt again right away is one prompt seen twice (composer, then history).
        if text and not (prompts and prompts[-1] == text and self._last_prompt_calls == self._ids):
            self.b.prompt(text)
            self._last_prompt_calls = self._ids

    def _end_call(self) -> None:
        c, self.call = self.call, None
        if c is None or c.tentative:
            return
        if c.running:  # shown while it runs; the finished call (same command) replaces it
            if len(self._running) < 50:
                self._running.append(c)
            return
        for i, r in enumerate(self._running):
            if r.name == c.name and r.arg == c.arg:
                del self._running[i]
                break
        self._record(c.name, c.arg, out="\n".join(c.out), error=c.error, code=c.code, has_result=bool(c.out))

    def _record(self, name: str, arg: str, out: str = "", error: bool = False, code: int | None = None,
                has_result: bool = False, file: bool = False) -> None:
        p = self.p
        if p.strip_arg:
            arg = arg.strip(p.strip_arg)
        self._ids += 1
        cid = f"t{self._ids}"
        is_shell = name in p.shell_tools or name.lower() in p.shell_tools
        self.b.tool_call(name, arg, call_id=cid, command=arg if is_shell and arg else None)
        if is_shell and "'" in arg and "git" in arg:
            # Codex shows argv-joined commands with quoted operators (`cd x '&&' git log`): each side
            # is still its own command for counting git operations.
            self.b.session.metrics.git_operations += git_operations(_QUOTED_OP.sub(r"\1", arg)) - git_operations(arg)
        if has_result or error:
            self.b.result(cid, out, is_error=error, exit_code=code)
        if file or name in p.file_tools:
            parts = arg.split(", ") if name in p.multi_file_tools else [arg]
            for part in parts:
                path = part.split(" · ", 1)[0].split(", ", 1)[0].strip().strip("`'\"")
                if path and " " not in path and len(path) < 1024:
                    self.b.file(path)

    def finish(self) -> Session:
        self._end_call()
        self._end_prompt()
        for c in self._running:  # never seen finishing (interrupted, or the screen moved on)
            self._record(c.name, c.arg, out="\n".join(c.out), error=c.error, code=c.code, has_result=bool(c.out))
        s = self.b.finish()
        shown = ", ".join(f"{k} ×{n}" for k, n in self.hits.most_common(4))
        s.detection = Detection("terminal", f"terminal patterns: {self.p.name}" + (f" ({shown})" if shown else ""))
        return s


def _width(text: str) -> int:
    """Columns `text` takes on a terminal (wide characters take two)."""
    return len(text) if text.isascii() else max(wcswidth(text), len(text))


def extract(lines: Iterable[str], provider: str | None = None, source_path: str | None = None,
            cols: int = 0) -> Session:
    """Run the provider patterns over rendered lines; `provider` forces one (else: best score).
    `cols`, the width the lines were rendered at, lets wrapped rows of a command join back."""
    if provider is not None and provider not in BY_NAME:
        from aitrack.errors import AitrackError

        raise AitrackError(f"unknown provider {provider!r}; use one of: {', '.join(BY_NAME)}")
    chosen = [BY_NAME[provider]] if provider else list(PROVIDERS)
    runs = [Extractor(p, source_path, cols) for p in chosen]
    for line in lines:
        line = line.rstrip()
        for run in runs:
            run.line(line)
    best = runs[0] if provider else _winner(runs)
    return best.finish()


def _winner(runs: list[Extractor]) -> Extractor:
    # ties: the earlier provider in PROVIDERS; prompts alone (a shell with a `❯` prompt) do not count
    best = max(runs, key=lambda r: r.score if r.strong else 0.0)
    if best.score < MIN_SCORE or not best.strong:
        return runs[-1]  # generic
    return best


def detect(lines: Iterable[str]) -> tuple[str, float]:
    """The provider whose patterns fit the text best, and its score."""
    runs = [Extractor(p) for p in PROVIDERS]
    for line in lines:
        for run in runs:
            run.line(line.rstrip())
    best = _winner(runs)
    return best.p.name, best.score
