"""A session's `output.raw` + `timing` → an asciicast v2 file, for `asciinema play` and web players.

Header line, then one `[time, "o", data]` event per output record and `[time, "r", "COLSxROWS"]`
for each SIGWINCH line of the timing file. Bytes are decoded incrementally, so a UTF-8 character
split across two records is never mangled; input (`I`) records are not part of output.raw.
"""
from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import cast

from aitrack.errors import AitrackError
from aitrack.parse.terminal.timing import ByteReader, iter_file, read_timing


def to_asciicast(output_raw_path: str | os.PathLike[str], timing_path: str | os.PathLike[str] | None,
                 cols: int, rows: int, out_path: str | os.PathLike[str], title: str | None = None,
                 timestamp: int | None = None) -> int:
    """Write the asciicast; returns the number of events. Without a timing file all output is one event."""
    raw = Path(output_raw_path)
    if not raw.is_file():
        raise AitrackError(f"{raw}: no such output file; is this a session folder?")
    header: dict[str, object] = {"version": 2, "width": int(cols), "height": int(rows)}
    if timestamp is not None:
        header["timestamp"] = int(timestamp)
    if title:
        header["title"] = title
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    reader = ByteReader(iter_file(raw))
    events = 0
    t = 0.0
    tmp = Path(str(out_path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(json.dumps(header) + "\n")

        def event(kind: str, data: str) -> None:
            nonlocal events
            out.write(json.dumps([round(t, 6), kind, data], ensure_ascii=False) + "\n")
            events += 1

        if timing_path is not None and Path(timing_path).is_file():
            for kind, delay, value in read_timing(timing_path):
                t += max(delay, 0.0)
                if kind == "o":
                    text = decoder.decode(reader.read(cast(int, value)))
                    if text:
                        event("o", text)
                elif kind == "r":
                    c, r = cast("tuple[int, int]", value)
                    event("r", f"{c}x{r}")
        for chunk in reader.rest():  # no timing, or it ended early: the rest at the last time
            text = decoder.decode(chunk)
            if text:
                event("o", text)
        tail = decoder.decode(b"", True)
        if tail:
            event("o", tail)
    os.replace(tmp, out_path)
    return events
