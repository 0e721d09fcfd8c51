"""Redaction of an agent's own log file (JSON Lines, one JSON document, or plain text) as a stream.

A JSON log must be redacted on its *decoded* strings: in the file a tool result reads
`"…printed below:\\nghp_…"`, so the token's word boundary is the letter `n` of an escape, and an
INI line (`\\ntoken = dapi…`), a JSON document inside a tool's output (`{\\"client_secret\\": …}`) or
a PEM key with escaped line breaks hide the same way. Each JSON line is decoded, walked with
`redact_obj` (keys and values, a secret-named key's value whole) and re-serialised; lines that are
not JSON go through the text `StreamRedactor` (a PEM block over several plain lines stays whole).
Memory: one line, or one document for a whole-file JSON log (Gemini's chat files).
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from aitrack.redact.engine import Redactor
from aitrack.redact.objects import redact_obj_with
from aitrack.redact.stream import StreamRedactor

_WHOLE_MAX = 256 << 20  # a whole-file JSON log bigger than this is redacted line by line


def redact_json_log(fin: IO[str], fout: IO[str], redactor: Redactor, findings: Counter[str] | None = None,
                    *, whole: bool = False) -> None:
    """Copy `fin` to `fout` redacted; `whole=True` first tries the file as one JSON document."""
    if whole:
        text = fin.read(_WHOLE_MAX + 1)
        doc = _loads(text) if len(text) <= _WHOLE_MAX else _NOT_JSON
        if doc is not _NOT_JSON:
            fout.write(json.dumps(redact_obj_with(redactor, doc, findings), ensure_ascii=False, indent=2) + "\n")
            return
        lines: Iterator[str] = _chain(text.splitlines(keepends=True), fin)
    else:
        lines = iter(fin)
    text_part: StreamRedactor | None = None
    for line in lines:
        body = line.rstrip("\r\n")
        doc = _loads(body) if body.lstrip()[:1] in ("{", "[") else _NOT_JSON
        if doc is _NOT_JSON:
            if text_part is None:
                text_part = StreamRedactor(redactor)
            fout.write(str(text_part.feed(line)))
            continue
        if text_part is not None:
            fout.write(str(text_part.close()))
            _count(text_part, findings)
            text_part = None
        clean = redact_obj_with(redactor, doc, findings)
        fout.write(json.dumps(clean, ensure_ascii=False, separators=(",", ":")) + line[len(body):])
    if text_part is not None:
        fout.write(str(text_part.close()))
        _count(text_part, findings)


_NOT_JSON: Any = object()


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return _NOT_JSON


def _chain(first: list[str], rest: IO[str]) -> Iterator[str]:
    # The read-ahead may end inside a line: glue its tail to the first line still in the file.
    tail = first.pop() if first and not first[-1].endswith("\n") else ""
    yield from first
    for line in rest:
        yield tail + line
        tail = ""
    if tail:
        yield tail


def _count(stream: StreamRedactor, findings: Counter[str] | None) -> None:
    if findings is not None:
        findings.update(stream.findings)
