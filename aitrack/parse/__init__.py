"""aitrack's parser core: agents' session logs and terminal transcripts → `Session` records.

Pure: imports nothing from mlflow, git or click, so it can be used alone::

    from aitrack.parse import parse_path
    session = parse_path("~/.claude/projects/-home-me-repo/0b1c….jsonl")
    print(session.metrics.commands_executed, session.commands[0].command)

Formats are auto-detected from the first records: Claude Code JSONL, Codex rollouts (all three
shapes), Gemini CLI chats (JSON, JSONL, logs.json), aider's `.aider.chat.history.md`; anything else
is treated as a raw terminal capture (`aitrack.parse.terminal`). Bad input never raises: the
Session says in `warnings` what was skipped and why. Only an unreadable path raises `AitrackError`.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from aitrack.errors import AitrackError
from aitrack.parse import sqlite_log
from aitrack.parse.detect import open_bytes, sessions_from_stream, unknown
from aitrack.parse.merge import merge_sessions
from aitrack.parse.record import (
    PROVIDERS,
    TOOL_PROVIDERS,
    Command,
    Detection,
    Metrics,
    Session,
    ToolCall,
    provider_for_tool,
)

INTERNAL_ERROR = "internal parser error"

__all__ = [
    "Command", "Detection", "Metrics", "Session", "ToolCall", "iter_sessions", "merge_sessions",
    "parse_bytes", "parse_path", "parse_text", "provider_for_tool",
]


def parse_path(path: str | os.PathLike[str], provider: str | None = None, *,
               window: tuple[float, float] | None = None) -> Session:
    """Parse one log file into one Session (several sessions in the file are merged).

    `provider` (`claude_code`, `openai_codex`, `gemini_cli`, `aider`, `gpt`, `generic`, or a tool
    name such as `claude`) forces the parser instead of auto-detecting. Raises AitrackError only
    when the path cannot be read; bad content gives a Session with warnings. `window` (epoch
    seconds start, end) keeps only what was written in that span, for logs that several sessions
    append to (aider's history, a resumed Claude or Codex session).
    """
    return _one(iter_sessions(path, provider, window=window), str(path), provider)


def iter_sessions(path: str | os.PathLike[str], provider: str | None = None, *,
                  window: tuple[float, float] | None = None) -> Iterator[Session]:
    """Each session in a file (aider history: one per run; Claude: one per sessionId), or in every
    file under a directory. Streams: memory does not grow with the size of the file."""
    p = Path(os.path.expanduser(os.fspath(path)))
    forced = _provider(provider)
    if p.is_dir():
        for child in sorted(c for c in p.rglob("*") if c.is_file() and not c.name.startswith(".")):
            if not sqlite_log.is_side_file(child) and not _is_log_side_file(child):
                yield from iter_sessions(child, forced, window=window)
        return
    try:
        # A FIFO blocks the open and /dev/zero never ends: only regular files are logs (checked
        # before anything opens it, the SQLite sniff included).
        if not stat.S_ISREG(os.stat(p).st_mode):
            raise AitrackError(f"cannot read {path}: not a regular file (a device, FIFO or socket)")
    except OSError as exc:
        raise AitrackError(f"cannot read {path}: {exc.strerror or exc}") from None
    if sqlite_log.is_sqlite(p):  # one database for all sessions: the agent's module whose format it is
        from aitrack.parse.detect import formats

        parser = next((f.parser for f in formats() if "sqlite" in f.formats), None)
        if parser is not None:
            yield from parser.parse_db(p, window)
            return
    try:
        fh = open(p, "rb")
    except OSError as exc:
        raise AitrackError(f"cannot read {path}: {exc.strerror or exc}") from None
    with fh:
        yield from _sessions(fh, str(p), forced, split=True, window=window)


def _is_log_side_file(path: Path) -> bool:
    """A file an agent keeps beside its log and that its log's parser reads (an agent module's
    `side_file`), or an empty file: no session of its own in a folder walk."""
    from aitrack.agents import registry

    try:
        if path.stat().st_size == 0:
            return True
    except OSError:
        return False
    return any(m.side_file(path) for m in registry.modules() if registry.get(m, "side_file"))


def parse_bytes(data: bytes, provider: str | None = None, name: str = "<bytes>") -> Session:
    """Parse a log or terminal capture held in memory."""
    forced = _provider(provider)
    return _one(_sessions(open_bytes(data), name, forced, split=True), name, forced)


def parse_text(text: str, provider: str | None = None, name: str = "<text>") -> Session:
    """Parse a log held as text (JSONL, JSON or aider Markdown)."""
    return parse_bytes(text.encode("utf-8", "surrogatepass"), provider, name)


def _sessions(fh: IO[bytes], name: str, provider: str | None, split: bool,
              window: tuple[float, float] | None = None) -> Iterator[Session]:
    warnings: list[str] = []
    try:
        for session in sessions_from_stream(fh, name, provider, split, warnings, window):
            session.warnings.extend(w for w in warnings if w not in session.warnings)
            warnings.clear()
            yield session
    except OSError as exc:  # e.g. EIO half-way through: keep what was read
        yield _read_error(name, exc, warnings)
    except (MemoryError, RecursionError, ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        # A parser bug must not lose the session or crash ingest; the fuzz tests fail on this warning.
        s = unknown(name, f"{INTERNAL_ERROR}: {exc!r}")
        s.warnings.extend(warnings)
        yield s


def _read_error(name: str, exc: OSError, warnings: list[str]) -> Session:
    s = unknown(name, f"read error: {exc.strerror or exc}")
    s.warnings.extend(warnings)
    return s


def _one(sessions: Iterator[Session], name: str, provider: str | None) -> Session:
    merged = merge_sessions(sessions)
    if merged.detection.evidence == "" and merged.metrics == Metrics():  # nothing came out
        return unknown(name, "no session found", provider or "generic")
    return merged


def _provider(provider: str | None) -> str | None:
    if provider is None or provider in PROVIDERS:
        return provider
    if provider in TOOL_PROVIDERS:
        return TOOL_PROVIDERS[provider]
    raise AitrackError(f"unknown provider {provider!r}; use one of: {', '.join(PROVIDERS)}")
