"""Which format is this? Sniff the first records of a stream, then hand it to the right parser.

Structured logs are recognised by record shapes only their tool writes (see each module's
`looks_like`); anything else that is not JSON goes to the terminal-transcript parser.
"""
from __future__ import annotations

import io
import time
from pathlib import Path
from collections.abc import Iterator
from typing import IO, Any

from aitrack.parse import (aider, claude, cline, codex, continue_cli, copilot, droid, gemini, kimi, openhands, qwen,
                           reader, vibe)
from aitrack.parse.reader import iter_lines, iter_records, loads, read_document
from aitrack.parse.values import parse_time
from aitrack.parse.record import Detection, Session

Window = tuple[float, float]
# Agents stamp a record when it is written; the wrapper's clock starts a little before the agent's.
SLACK_BEFORE = 2.0
SLACK_AFTER = 5.0

STRUCTURED = ("claude_code", "openai_codex", "gemini_cli", "aider", "copilot_cli", "qwen_code", "cline", "continue_cli",
              "factory_droid", "mistral_vibe", "kimi_cli", "openhands")
_SNIFF_RECORDS = 20
_SNIFF_LINE = 16 * 1024 * 1024
_HEAD = 64 * 1024


def sniff(fh: IO[bytes]) -> str:
    """One of claude_code / openai_codex / gemini_cli / aider (records), `*_doc` (whole JSON),
    `json` (JSON of no known agent) or `terminal`. Leaves the stream at its start."""
    head = fh.read(_HEAD)
    fh.seek(0)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    try:
        # A raw ESC is never in JSON (encoders escape it): a capture whose first row begins with `[`
        # (Cline prints `[cline] Node 20…` before its TUI) is a terminal, not a JSON document.
        if start in (b"{", b"[") and b"\x1b" not in head:
            return _sniff_json(fh)
        text = head.decode("utf-8", "replace")
        return "aider" if aider.looks_like(text) else "terminal"
    finally:
        fh.seek(0)


def _sniff_json(fh: IO[bytes]) -> str:
    seen = 0
    first_bad = False
    for line in iter_lines(fh, lambda _: None, min(_SNIFF_LINE, reader.MAX_LINE)):
        if seen >= _SNIFF_RECORDS:
            break
        if not line.strip():
            continue
        seen += 1
        value, problem = loads(line)
        if seen == 1 and problem == "not JSON":
            # Pretty-printed JSON (the first line alone is not a value) — or JSON Lines whose
            # first line was damaged: the records after it decide (the parser warns about it).
            first_bad = True
            continue
        if isinstance(value, list) and seen == 1:
            return "gemini_doc" if gemini.looks_like_document(value) else "document"
        if isinstance(value, dict):
            if codex.looks_like_document(value):
                return "codex_doc"
            if (cline.looks_like_document(value) or continue_cli.looks_like_document(value)
                    or openhands.looks_like_state(value)):
                return "document"
            for name, mod in (("openai_codex", codex), ("copilot_cli", copilot), ("gemini_cli", gemini),
                              ("qwen_code", qwen), ("factory_droid", droid), ("mistral_vibe", vibe),
                              ("kimi_cli", kimi), ("claude_code", claude)):
                if mod.looks_like(value):
                    return name
    return "document" if first_bad else "json"


def sessions_from_stream(fh: IO[bytes], name: str, provider: str | None, split: bool,
                         warnings: list[str], window: Window | None = None) -> Iterator[Session]:
    """Sessions in a binary stream; `provider` forces a parser instead of sniffing; `window`
    (epoch start, end) keeps only what was written then (a resumed log holds earlier sessions)."""
    warn = warnings.append
    kind = sniff(fh)
    if provider in STRUCTURED:
        kind = _forced(kind, provider)
    elif provider is not None and kind != "terminal":
        kind = "terminal"  # gpt / generic: only the terminal parser knows them
    path = name if not name.startswith("<") else None
    records = in_window(iter_records(iter_lines(fh, warn), warn), window)
    if kind == "claude_code":
        yield from claude.parse_records(records, f"claude jsonl: {name}", path, split)
    elif kind == "openai_codex":
        yield from codex.parse_records(records, f"codex rollout: {name}", path)
    elif kind == "gemini_cli":
        yield from gemini.parse_records(records, f"gemini chat jsonl: {name}", path)
    elif kind == "copilot_cli":
        yield from copilot.parse_records(records, f"copilot events jsonl: {name}", path)
    elif kind == "qwen_code":
        yield from qwen.parse_records(records, f"qwen chat jsonl: {name}", path)
    elif kind == "factory_droid":
        yield from droid.parse_records(records, f"droid session jsonl: {name}", path)
    elif kind == "mistral_vibe":
        yield from vibe.parse_records(records, f"vibe journal jsonl: {name}", path)
    elif kind == "kimi_cli":
        yield from kimi.parse_records(records, f"kimi wire jsonl: {name}", path)
    elif kind == "aider":
        text = (line.decode("utf-8", "replace") for line in iter_lines(fh, warn))
        for session in aider.parse_lines(text, f"aider chat history: {name}", path):
            if window is None or _local_in_window(session.started_at, window):
                yield session
    elif kind in ("document", "codex_doc", "gemini_doc"):
        doc = read_document(fh, warn)
        if window is not None and isinstance(doc, dict) and isinstance(doc.get("messages"), list):
            doc["messages"] = list(in_window(iter(doc["messages"]), window))
        yield from _document(doc, name, path, provider, window)
    elif kind == "terminal":
        yield _terminal(fh, name, provider, warn)
    else:
        yield unknown(name, "JSON lines of no known agent log (claude, codex, gemini)")


def in_window(records: Iterator[Any], window: Window | None) -> Iterator[Any]:
    """Records timestamped inside `window` (with slack), and every record without a timestamp."""
    if window is None:
        return records
    start, end = window[0] - SLACK_BEFORE, window[1] + SLACK_AFTER
    return (r for r in records if not isinstance(r, dict) or _inside(r.get("timestamp"), start, end))


def _inside(stamp: Any, start: float, end: float) -> bool:
    if isinstance(stamp, (int, float)) and not isinstance(stamp, bool):  # epoch seconds (Kimi's wire)
        return start <= stamp <= end
    when = parse_time(stamp) if isinstance(stamp, str) else None
    return when is None or start <= when.timestamp() <= end


def _local_in_window(started: str | None, window: Window) -> bool:
    # aider's header is local wall-clock time without a zone.
    try:
        when = time.mktime(time.strptime(started or "", "%Y-%m-%dT%H:%M:%S"))
    except (ValueError, OverflowError):
        return False
    return window[0] - SLACK_BEFORE - 1 <= when <= window[1] + SLACK_AFTER


def _forced(kind: str, provider: str) -> str:
    if provider == "openai_codex" and kind in ("document", "codex_doc"):
        return "codex_doc"
    if provider == "gemini_cli" and kind in ("document", "gemini_doc"):
        return "gemini_doc"
    if provider in ("cline", "continue_cli", "openhands"):  # their one JSON document, or their TUI's capture
        return "document" if kind in ("document", "json") else "terminal" if kind == "terminal" else provider
    if provider in ("factory_droid", "mistral_vibe", "kimi_cli") and kind == "terminal":  # their TUI's capture
        return "terminal"
    return provider


def _document(doc: Any, name: str, path: str | None, provider: str | None,
              window: Window | None = None) -> Iterator[Session]:
    if codex.looks_like_document(doc) and provider in (None, "openai_codex"):
        yield from codex.parse_document(doc, f"codex rollout (single JSON): {name}", path)
    elif cline.looks_like_document(doc) and provider in (None, "cline"):
        yield from cline.parse_document(doc, f"cline messages json: {name}", path)
    elif cline.is_metadata(doc):
        return  # `<id>.json` beside Cline's messages file: read with it, not a session of its own
    elif continue_cli.looks_like_document(doc) and provider in (None, "continue_cli"):
        yield from continue_cli.parse_document(doc, f"continue session json: {name}", path)
    elif openhands.looks_like_state(doc) and provider in (None, "openhands"):
        span = (window[0] - SLACK_BEFORE, window[1] + SLACK_AFTER) if window else None
        yield from openhands.parse_state(doc, f"openhands base_state json: {name}", path, span)
    elif continue_cli.is_index(doc):
        return  # Continue's sessions.json: an index of the session files, each parsed on its own
    elif gemini.looks_like_document(doc) or provider == "gemini_cli":
        yield from gemini.parse_document(doc, f"gemini chat json: {name}", path)
    elif isinstance(doc, dict) and provider == "openai_codex":
        yield from codex.parse_document(doc, f"codex rollout (single JSON): {name}", path)
    else:
        yield unknown(name, "JSON document of no known agent log")


def unknown(name: str, why: str, provider: str = "generic") -> Session:
    s = Session(provider=provider, detection=Detection("structured", f"{why}: {name}"))
    s.warnings.append(f"{name}: {why}")
    return s


def _terminal(fh: IO[bytes], name: str, provider: str | None, warn: Any) -> Session:
    from aitrack.parse import terminal

    path = None if name.startswith("<") else name
    head = fh.read(_HEAD)
    fh.seek(0)
    try:
        if b"\x1b" not in head and b"\r" not in head:
            # Screen text (a copied terminal, a cleaned transcript): nothing to render.
            text = (line.decode("utf-8", "replace") for line in iter_lines(fh, warn))
            s = terminal.extract(text, provider=provider, source_path=path)
        else:
            # The emulator streams a file itself; bytes in memory go as they are.
            s = terminal.parse_transcript(Path(path) if path else fh.read(), provider=provider)
    except Exception as exc:  # a bug there must not lose the session: keep what we know
        s = Session(provider=provider or "generic", detection=Detection("terminal", f"raw bytes: {name}"))
        s.warnings.append(f"terminal parser failed: {exc!r}")
    if s.source_path is None and path:
        s.source_path = path
    return s


def open_bytes(data: bytes) -> IO[bytes]:
    return io.BytesIO(data)
