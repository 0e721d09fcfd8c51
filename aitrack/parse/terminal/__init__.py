"""Terminal transcripts: raw PTY output → the cleaned text a person saw → a `Session`.

For tools that write no log of their own (and as the replayable record of every session), the
wrapper's `output.raw` (or a `script` typescript) is rendered through a terminal emulator (pyte),
never by stripping escape codes: agent TUIs draw with cursor movement on the alternate screen.
Provider patterns (one module per provider under `providers/`) then find prompts, tool calls,
shell commands, git operations, errors and files in the rendered text::

    from aitrack.parse.terminal import parse_transcript, render_transcript
    text = render_transcript(open("output.raw", "rb").read(), cols=120, rows=40)
    session = parse_transcript(Path("output.raw"), cols=120, rows=40)
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from aitrack.errors import AitrackError
from aitrack.parse.record import Session
from aitrack.parse.terminal.extract import detect, extract
from aitrack.parse.terminal.providers import BY_NAME
from aitrack.parse.terminal.render import iter_lines
from aitrack.parse.terminal.timing import ByteReader, iter_file, read_timing
from aitrack.sessiondir import META, OUTPUT, TIMING, read_json

__all__ = ["detect", "extract", "iter_transcript", "parse_session_dir", "parse_text", "parse_transcript",
           "render_session_dir", "render_transcript"]

Raw = bytes | bytearray | Iterable[bytes] | os.PathLike[str]
# A pause this long between two writes means the program finished drawing a frame.
FRAME_PAUSE = 0.02
_HEAD = 1 << 18


def _chunks(raw: Raw) -> Iterable[bytes]:
    if isinstance(raw, (bytes, bytearray, memoryview)):
        return [bytes(raw)]
    if isinstance(raw, os.PathLike):
        if not Path(raw).is_file():
            raise AitrackError(f"{os.fspath(raw)}: not a readable file (for a session folder use parse_session_dir)")
        return iter_file(raw)
    if isinstance(raw, str):
        raise TypeError("raw terminal output is bytes (or a path as pathlib.Path), not str")
    return raw


def _events(raw: Raw, timing: str | os.PathLike[str] | None) -> Iterator[tuple[str, object]]:
    if timing is None:
        for chunk in _chunks(raw):
            yield ("o", chunk)
        return
    reader = ByteReader(_chunks(raw))
    for kind, delay, value in read_timing(timing):
        if delay >= FRAME_PAUSE:
            yield ("pause", delay)
        if kind == "o":
            yield ("o", reader.read(cast(int, value)))
        elif kind == "r":
            yield ("resize", value)
    for chunk in reader.rest():  # the timing file ended early (session killed): keep the bytes
        yield ("o", chunk)


def _defaults(raw: Raw, cols: int | None, rows: int | None,
              timing: str | os.PathLike[str] | None) -> tuple[int, int, str | os.PathLike[str] | None]:
    """A session's output.raw knows its terminal: meta.json's size and the timing file next to it."""
    if isinstance(raw, os.PathLike) and (cols is None or rows is None or timing is None):
        here = Path(raw).parent
        if (here / META).is_file():
            _, meta, found = _session_files(here)
            cols = _size(meta, "term_cols", 80) if cols is None else cols
            rows = _size(meta, "term_rows", 24) if rows is None else rows
            timing = found if timing is None and Path(raw).name == OUTPUT else timing
    if cols is None or rows is None:
        seen_cols, seen_rows = _guess_size(raw)
        cols = max(80, seen_cols) if cols is None else cols
        rows = max(24, seen_rows) if rows is None else rows
    return cols, rows, timing


_CUP = re.compile(rb"\x1b\[(\d{1,4});(\d{1,4})[Hf]")
_CHA = re.compile(rb"\x1b\[(\d{1,4})G")
_ESC = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[ -/]*[0-~])")
_RUN = re.compile(r"[^\x00-\x1f\x7f-\x9f]{81,}")


def _guess_size(raw: Raw) -> tuple[int, int]:
    """Size unknown: the farthest cursor address in the first bytes tells a lower bound, so a
    120-column TUI is not squeezed into 80 columns (wrapping would garble every line)."""
    if isinstance(raw, (bytes, bytearray)):
        head = bytes(raw[:_HEAD])
    elif isinstance(raw, os.PathLike) and Path(raw).is_file():
        with open(raw, "rb") as fh:
            head = fh.read(_HEAD)
    else:
        return 0, 0
    rows = max((int(m.group(1)) for m in _CUP.finditer(head)), default=0)
    cols = max((int(m.group(2)) for m in _CUP.finditer(head)), default=0)
    cols = max(cols, max((int(m.group(1)) for m in _CHA.finditer(head)), default=0))
    # Inline TUIs (Ink) move relatively but draw full-width rules and boxes: the longest run of
    # text between two control characters is a lower bound too.
    text = _ESC.sub("", head.decode("utf-8", "replace"))
    cols = max(cols, max((len(run) for run in _RUN.findall(text)), default=0))
    return min(cols, 1000), min(rows, 500)


def iter_transcript(raw: Raw, cols: int | None = None, rows: int | None = None,
                    timing: str | os.PathLike[str] | None = None) -> Iterator[str]:
    """The cleaned transcript line by line, in constant memory (see `render_transcript`)."""
    cols, rows, timing = _defaults(raw, cols, rows, timing)
    return iter_lines(_events(raw, timing), cols, rows)


def render_transcript(raw: Raw, cols: int | None = None, rows: int | None = None,
                      timing: str | os.PathLike[str] | None = None) -> str:
    """Render raw terminal output to the text a person saw, scrollback style.

    `raw` is bytes, an iterable of byte chunks, or a `Path` to `output.raw`; `cols`/`rows` are the
    terminal size at the start (default: meta.json's term_cols/term_rows next to a Path, else
    80×24); `timing` is the session's timing file (default: the one next to `output.raw`): its
    pauses mark frames and its SIGWINCH lines resize the screen. Lines are kept once, in
    order, with trailing spaces stripped and runs of blank lines collapsed. Never raises on bad bytes.
    """
    text = "\n".join(iter_transcript(raw, cols, rows, timing))
    return text + "\n" if text else ""


def parse_text(text: str, provider: str | None = None, source_path: str | None = None) -> Session:
    """A Session from already-rendered screen text (a cleaned transcript, a copied terminal)."""
    return extract(text.splitlines(), provider=provider, source_path=source_path)


def parse_transcript(raw: Raw, provider: str | None = None, cols: int | None = None, rows: int | None = None,
                     timing: str | os.PathLike[str] | None = None) -> Session:
    """Render `raw` (see `render_transcript`) and extract a Session; `provider` forces the patterns.

    `detection.source` is "terminal"; `detection.evidence` names the patterns that matched.
    """
    source = str(raw) if isinstance(raw, (os.PathLike, Path)) else None
    cols, rows, timing = _defaults(raw, cols, rows, timing)
    return extract(iter_lines(_events(raw, timing), cols, rows), provider=provider, source_path=source, cols=cols)


def _session_files(session_dir: str | os.PathLike[str]) -> tuple[Path, dict[str, Any], Path | None]:
    d = Path(session_dir)
    meta = read_json(d / META) or {}
    timing = d / TIMING
    return d / OUTPUT, meta, timing if timing.is_file() else None


def _size(meta: dict[str, Any], key: str, default: int) -> int:
    value = meta.get(key)
    return value if isinstance(value, int) and 2 <= value <= 10000 else default


def render_session_dir(session_dir: str | os.PathLike[str]) -> str:
    """The cleaned transcript of an aitrack session folder (output.raw, timing, meta.json's size)."""
    raw, meta, timing = _session_files(session_dir)
    return render_transcript(raw, _size(meta, "term_cols", 80), _size(meta, "term_rows", 24), timing=timing)



def parse_session_dir(session_dir: str | os.PathLike[str], provider: str | None = None) -> Session:
    """`parse_transcript` of a session folder; the provider defaults to meta.json's."""
    raw, meta, timing = _session_files(session_dir)
    forced = provider or (meta.get("provider") if meta.get("provider") in BY_NAME else None)
    return parse_transcript(raw, forced, _size(meta, "term_cols", 80), _size(meta, "term_rows", 24), timing=timing)
