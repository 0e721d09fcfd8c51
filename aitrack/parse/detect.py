"""Which format is this? Sniff the first records of a stream, then hand it to the right parser.

The parsers are the agent modules' (aitrack/agents: `PARSER`, its `LOG_FORMATS` and `SNIFF_RANK`).
Structured logs are recognised by record shapes only their tool writes (each parser's
`looks_like` / `looks_like_document`, asked in `SNIFF_RANK` order: the loosest shape last); anything
else that is not JSON goes to a text-log parser that recognises it, else to the terminal parser.
"""
from __future__ import annotations

import importlib
import io
import time
from pathlib import Path
from collections.abc import Iterator
from types import ModuleType
from typing import IO, Any, NamedTuple

from aitrack.agents import registry
from aitrack.parse import reader
from aitrack.parse.reader import iter_lines, iter_records, loads, read_document
from aitrack.parse.values import parse_time
from aitrack.parse.record import Detection, Session

Window = tuple[float, float]
# Agents stamp a record when it is written; the wrapper's clock starts a little before the agent's.
SLACK_BEFORE = 2.0
SLACK_AFTER = 5.0

STREAMED = {"records", "document", "text"}  # formats read from a stream (an SQLite log is opened by path)
_SNIFF_RECORDS = 20
_SNIFF_LINE = 16 * 1024 * 1024
_HEAD = 64 * 1024


class Format(NamedTuple):
    """One agent's log format: its provider tag, its parser module and what it reads."""

    provider: str
    parser: ModuleType
    formats: dict[str, str]  # "records" | "document" | "text" | "sqlite" → the label its evidence starts with
    sniff_document: bool  # its looks_like_document is asked of a first line that is a JSON object
    forced_document: str  # "dict" / "any": a forced parse reads such a document even when it does not look like one
    side_document: str  # the parser's predicate for a document kept beside its log (not a session)
    split: bool  # its parse_records takes `split` (one Session per session id)


_formats: tuple[Format, ...] = ()


def formats() -> tuple[Format, ...]:
    """The agents' log formats, in sniffing order (loaded once)."""
    global _formats
    if not _formats:
        found = []
        for m in sorted(registry.modules(), key=lambda m: registry.get(m, "SNIFF_RANK", 50)):
            if m.PARSER and registry.get(m, "LOG_FORMATS"):
                found.append(Format(m.PROVIDER, importlib.import_module(f"aitrack.parse.{m.PARSER}"),
                                    dict(m.LOG_FORMATS), bool(registry.get(m, "SNIFF_DOCUMENT", False)),
                                    str(registry.get(m, "FORCED_DOCUMENT", "")), str(registry.get(m, "SIDE_DOCUMENT", "")),
                                    bool(registry.get(m, "SPLIT", False))))
        _formats = tuple(found)
    return _formats


def _format(provider: str | None) -> Format | None:
    return next((f for f in formats() if f.provider == provider), None)


def sniff(fh: IO[bytes]) -> str:
    """A provider (its records or text log), `document` (whole JSON), `json` (JSON of no known
    agent) or `terminal`. Leaves the stream at its start."""
    head = fh.read(_HEAD)
    fh.seek(0)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    try:
        # A raw ESC is never in JSON (encoders escape it): a capture whose first row begins with `[`
        # (some TUIs print `[name] …` before drawing) is a terminal, not a JSON document.
        if start in (b"{", b"[") and b"\x1b" not in head:
            return _sniff_json(fh)
        text = head.decode("utf-8", "replace")
        found = next((f.provider for f in formats() if "text" in f.formats and f.parser.looks_like(text)), None)
        return found or "terminal"
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
            return "document"
        if isinstance(value, dict):
            if any(f.sniff_document and f.parser.looks_like_document(value) for f in formats()):
                return "document"
            for f in formats():
                if "records" in f.formats and f.parser.looks_like(value):
                    return f.provider
    return "document" if first_bad else "json"


def sessions_from_stream(fh: IO[bytes], name: str, provider: str | None, split: bool,
                         warnings: list[str], window: Window | None = None) -> Iterator[Session]:
    """Sessions in a binary stream; `provider` forces a parser instead of sniffing; `window`
    (epoch start, end) keeps only what was written then (a resumed log holds earlier sessions)."""
    warn = warnings.append
    kind = sniff(fh)
    forced = _format(provider)
    if forced is not None and forced.formats.keys() & STREAMED:
        kind = _forced(kind, forced)
    elif provider is not None and kind != "terminal":
        kind = "terminal"  # gpt / generic, a database's agent: only the terminal parser reads their stream
    path = name if not name.startswith("<") else None
    own = _format(kind)
    if own is not None and "records" in own.formats:
        records = in_window(iter_records(iter_lines(fh, warn), warn), window)
        label = f"{own.formats['records']}: {name}"
        if own.split:
            yield from own.parser.parse_records(records, label, path, split)
        else:
            yield from own.parser.parse_records(records, label, path)
    elif own is not None and "text" in own.formats:
        text = (line.decode("utf-8", "replace") for line in iter_lines(fh, warn))
        for session in own.parser.parse_lines(text, f"{own.formats['text']}: {name}", path):
            if window is None or _local_in_window(session.started_at, window):
                yield session
    elif kind == "document":
        doc = read_document(fh, warn)
        if window is not None and isinstance(doc, dict) and isinstance(doc.get("messages"), list):
            doc["messages"] = list(in_window(iter(doc["messages"]), window))
        yield from _document(doc, name, path, provider)
    elif kind == "terminal":
        yield _terminal(fh, name, provider, warn)
    else:
        known = ", ".join(f.provider for f in formats() if "records" in f.formats)
        yield unknown(name, f"JSON lines of no known agent log ({known})")


def in_window(records: Iterator[Any], window: Window | None) -> Iterator[Any]:
    """Records timestamped inside `window` (with slack), and every record without a timestamp."""
    if window is None:
        return records
    start, end = window[0] - SLACK_BEFORE, window[1] + SLACK_AFTER
    return (r for r in records if not isinstance(r, dict) or _inside(r.get("timestamp"), start, end))


def _inside(stamp: Any, start: float, end: float) -> bool:
    when = parse_time(stamp) if isinstance(stamp, str) else None
    return when is None or start <= when.timestamp() <= end


def _local_in_window(started: str | None, window: Window) -> bool:
    # A text log's session header is local wall-clock time without a zone.
    try:
        when = time.mktime(time.strptime(started or "", "%Y-%m-%dT%H:%M:%S"))
    except (ValueError, OverflowError):
        return False
    return window[0] - SLACK_BEFORE - 1 <= when <= window[1] + SLACK_AFTER


def _forced(kind: str, forced: Format) -> str:
    """What a forced parser reads: its text log whatever the sniff said; its JSON document; its TUI's
    capture through the terminal parser (with its screen patterns); else its records."""
    if "text" in forced.formats:
        return forced.provider
    if kind == "terminal":
        return "terminal"
    if "document" in forced.formats and (kind == "document" or (kind == "json" and "records" not in forced.formats)):
        return "document"
    return forced.provider


def _document(doc: Any, name: str, path: str | None, provider: str | None) -> Iterator[Session]:
    for f in formats():
        if "document" not in f.formats:
            continue
        if f.parser.looks_like_document(doc) and provider in (None, f.provider):
            yield from f.parser.parse_document(doc, f"{f.formats['document']}: {name}", path)
            return
        if f.side_document and getattr(f.parser, f.side_document)(doc):
            return  # a file the agent keeps beside its log (metadata, an index): read with it, not a session
    forced = _format(provider)
    if forced is not None and "document" in forced.formats and (
            forced.forced_document == "any" or (forced.forced_document == "dict" and isinstance(doc, dict))):
        yield from forced.parser.parse_document(doc, f"{forced.formats['document']}: {name}", path)
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
