"""Which format is this? Sniff the first records of a stream, then hand it to the right parser.

Structured logs are recognised by record shapes only their tool writes (see each module's
`looks_like`); anything else that is not JSON goes to the terminal-transcript parser.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any

from aitrack.parse import aider, claude, codex, gemini
from aitrack.parse.reader import MAX_LINE, iter_lines, iter_records, loads, read_document
from aitrack.parse.record import Detection, Session

STRUCTURED = ("claude_code", "openai_codex", "gemini_cli", "aider")
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
        if start in (b"{", b"["):
            return _sniff_json(fh)
        text = head.decode("utf-8", "replace")
        return "aider" if aider.looks_like(text) else "terminal"
    finally:
        fh.seek(0)


def _sniff_json(fh: IO[bytes]) -> str:
    seen = 0
    while seen < _SNIFF_RECORDS:
        line = fh.readline(_SNIFF_LINE)
        if not line:
            break
        if not line.strip():
            continue
        seen += 1
        value, problem = loads(line)
        if seen == 1 and problem == "not JSON":
            return "document"  # pretty-printed JSON: the first line alone is not a value
        if isinstance(value, list) and seen == 1:
            return "gemini_doc" if gemini.looks_like_document(value) else "document"
        if isinstance(value, dict):
            if codex.looks_like_document(value):
                return "codex_doc"
            for name, mod in (("openai_codex", codex), ("gemini_cli", gemini), ("claude_code", claude)):
                if mod.looks_like(value):
                    return name
    return "json"


def sessions_from_stream(fh: IO[bytes], name: str, provider: str | None, split: bool,
                         warnings: list[str]) -> Iterator[Session]:
    """Sessions in a binary stream; `provider` forces a parser instead of sniffing."""
    warn = warnings.append
    kind = sniff(fh)
    if provider in STRUCTURED:
        kind = _forced(kind, provider)
    elif provider is not None and kind != "terminal":
        kind = "terminal"  # gpt / generic: only the terminal parser knows them
    path = name if not name.startswith("<") else None
    if kind == "claude_code":
        yield from claude.parse_records(iter_records(iter_lines(fh, warn), warn), f"claude jsonl: {name}", path, split)
    elif kind == "openai_codex":
        yield from codex.parse_records(iter_records(iter_lines(fh, warn), warn), f"codex rollout: {name}", path)
    elif kind == "gemini_cli":
        yield from gemini.parse_records(iter_records(iter_lines(fh, warn), warn), f"gemini chat jsonl: {name}", path)
    elif kind == "aider":
        text = (line.decode("utf-8", "replace") for line in iter_lines(fh, warn))
        yield from aider.parse_lines(text, f"aider chat history: {name}", path)
    elif kind in ("document", "codex_doc", "gemini_doc"):
        yield from _document(read_document(fh, warn), name, path, provider)
    elif kind == "terminal":
        yield _terminal(fh, name, provider, warn)
    else:
        yield unknown(name, "JSON lines of no known agent log (claude, codex, gemini)")


def _forced(kind: str, provider: str) -> str:
    if provider == "openai_codex" and kind in ("document", "codex_doc"):
        return "codex_doc"
    if provider == "gemini_cli" and kind in ("document", "gemini_doc"):
        return "gemini_doc"
    return provider


def _document(doc: Any, name: str, path: str | None, provider: str | None) -> Iterator[Session]:
    if codex.looks_like_document(doc) and provider in (None, "openai_codex"):
        yield from codex.parse_document(doc, f"codex rollout (single JSON): {name}", path)
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
    raw = fh.read(MAX_LINE * 16)  # 1 GB: a terminal capture is rendered whole by the emulator
    try:
        from aitrack.parse.terminal import parse_transcript
    except ImportError:  # aitrack/parse/terminal is another engineer's; absent until it lands
        s = Session(provider=provider or "generic", detection=Detection("terminal", f"raw bytes: {name}"))
        s.warnings.append("terminal transcript parser not available")
        return s
    try:
        s = parse_transcript(raw, provider=provider)
    except Exception as exc:  # a bug there must not lose the session: keep what we know
        s = Session(provider=provider or "generic", detection=Detection("terminal", f"raw bytes: {name}"))
        s.warnings.append(f"terminal parser failed: {exc!r}")
    if s.source_path is None and not name.startswith("<"):
        s.source_path = name
    return s


def open_bytes(data: bytes) -> IO[bytes]:
    return io.BytesIO(data)
