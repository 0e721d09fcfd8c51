"""What a provider's patterns look like: ordered line rules, as data.

Each rule is tried in order on every line of the rendered transcript; the first one that applies
(its `when` state holds and its regex matches) decides what the line is. The engine in
`terminal/extract.py` gives the kinds their meaning:

- ``tool``: a tool call starts; groups `name` (else `Rule.name`), `arg`, and `close` (absent when
  the argument goes on over the next lines). `tentative` calls count only once a result follows.
- ``arg``: the argument of a call whose header had none (Codex `• Ran` / `└ cmd`; Claude 2.x
  `● Committing` / `⎿  $ cmd`); it confirms a tentative call.
- ``more``: one more line of the current call's argument (wrapped or multi-line commands), in
  group `arg`: joined with a newline, or with nothing where the row above broke a word at the
  terminal's right margin (when the width is known).
- ``result``: output of the current call; `error` rules mark it failed; group `code` = exit code.
- ``group`` / ``sub``: a header gathering several calls (`• Explored`) and its items.
- ``prompt`` / ``prompt_more``: a human prompt and its wrapped continuation lines.
- ``error``: an error shown outside any call.
- ``file``: a file the tool changed (aider `Applied edit to`), counted as an edit call.
- ``mark``: evidence only (banners, spinners), for detection.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    weight: float = 1.0  # detection score per match (capped per rule)
    when: str = "any"  # any | call | noarg | open | group | prompt
    name: str = ""
    error: bool = False
    tentative: bool = False
    label: str = ""  # for detection evidence
    open: bool = False  # `arg`: the lines after it may continue the argument (`more` rules with when="open")
    running: bool = False  # `tool`: an in-progress call that a finished one with the same argument replaces
    by_arg: bool = False  # `tool`, tentative: only an `arg` line confirms it (a result line does not)


@dataclass(frozen=True)
class Provider:
    name: str
    rules: tuple[Rule, ...]
    shell_tools: frozenset[str] = frozenset()
    file_tools: frozenset[str] = frozenset()
    # Tool names whose argument lists files separated by ", " (Codex `Read a.rs, b.rs`).
    multi_file_tools: frozenset[str] = frozenset()
    strip_arg: str = ""  # characters stripped around an argument (Codex wraps commands in backticks)
    aliases: dict[str, str] = field(default_factory=dict)


def rule(kind: str, pattern: str, **kw: object) -> Rule:
    return Rule(kind, re.compile(pattern), **kw)  # type: ignore[arg-type]


SHELL_NAMES = frozenset({"bash", "shell", "sh", "zsh", "terminal", "run", "exec", "execute", "command",
                         "run_shell_command", "shell_command", "exec_command", "local_shell", "run_command"})
