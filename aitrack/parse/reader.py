"""Read logs defensively: line by line, any bytes, any size, never an exception.

A JSONL log is read one line at a time (memory does not grow with the file); a line longer than
`MAX_LINE` is skipped in chunks without being held; invalid UTF-8 is replaced; a line that is not a
JSON object is counted and skipped. Problems are reported through the `warn` callback.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

MAX_LINE = 64 * 1024 * 1024  # a real Claude line with pasted images reaches a few MB
MAX_DOCUMENT = 256 * 1024 * 1024  # whole-JSON formats (Gemini chats, old Codex) are loaded at once
_CHUNK = 64 * 1024

Warn = Callable[[str], None]


def iter_lines(fh: IO[bytes], warn: Warn, max_line: int | None = None) -> Iterator[bytes]:
    """Lines of a binary stream; over-long lines are drained and reported, never kept."""
    max_line = max_line or MAX_LINE
    number = 0
    while True:
        line = fh.readline(max_line)
        if not line:
            return
        number += 1
        if len(line) >= max_line and not line.endswith(b"\n"):
            skipped = len(line)
            del line
            while True:
                chunk = fh.readline(_CHUNK)
                skipped += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            warn(f"line {number}: {skipped} bytes, over the {max_line}-byte limit; skipped")
            continue
        yield line


def loads(line: bytes | str) -> tuple[Any, str | None]:
    """`(value, None)` or `(None, problem)`; invalid UTF-8 is replaced rather than fatal."""
    try:
        return json.loads(line), None
    except UnicodeDecodeError:
        try:
            text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
            return json.loads(text), "invalid UTF-8 replaced"
        except ValueError:
            return None, "not JSON"
    except (ValueError, RecursionError):
        return None, "not JSON"


def iter_records(lines: Iterable[bytes], warn: Warn) -> Iterator[dict[str, Any]]:
    """JSON objects of a JSONL stream; blank, non-JSON and non-object lines are counted, not fatal."""
    bad = 0
    not_object = 0
    first_bad = 0
    number = 0
    for line in lines:
        number += 1
        try:  # the common case first: one valid object per line
            value = json.loads(line)
        except (ValueError, RecursionError):
            if not line.strip():
                continue
            value, problem = loads(line)
            if problem == "not JSON":
                bad += 1
                first_bad = first_bad or number
                continue
            if problem:
                warn(problem)
        if type(value) is dict:
            yield value
        else:
            not_object += 1
    if bad:
        # The last line of a log still being written is often cut mid-way: say so plainly.
        warn(f"{bad} line(s) not valid JSON skipped (first at line {first_bad}; truncated file?)")
    if not_object:
        warn(f"{not_object} JSON line(s) not an object skipped")


def read_document(fh: IO[bytes], warn: Warn, limit: int = MAX_DOCUMENT) -> Any:
    """A whole-JSON file, or None (with a warning) when too large or not JSON."""
    data = fh.read(limit + 1)
    if len(data) > limit:
        warn(f"whole-JSON document over {limit} bytes; not parsed")
        return None
    value, problem = loads(data)
    if problem == "not JSON":
        warn("document is not valid JSON (truncated?)")
        return None
    if problem:
        warn(problem)
    return value
