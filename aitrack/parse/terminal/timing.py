"""util-linux `script` timing files, read as a stream of events next to the raw output.

Multi-stream format (`script --log-timing`, what aitrack's wrapper writes): `O <delay> <nbytes>`
output, `I <delay> <nbytes>` input (bytes live in the input log, not in output.raw),
`S <delay> SIGWINCH ROWS=<n> COLS=<n>` resize, `H <delay> <name> <value>` header. The classic
two-field form `<delay> <nbytes>` is output. Unreadable lines are skipped, not fatal.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator

_WINCH = re.compile(r"ROWS=(\d+)\s+COLS=(\d+)")

# (kind, delay seconds, value): ("o", d, nbytes) ("i", d, nbytes) ("r", d, (cols, rows)) ("h", d, "name value")
Event = tuple[str, float, object]


def read_timing(path: str | os.PathLike[str]) -> Iterator[Event]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            ev = parse_line(line)
            if ev is not None:
                yield ev


def parse_line(line: str) -> Event | None:
    parts = line.split(None, 2)
    if not parts:
        return None
    try:
        if parts[0] in ("O", "I") and len(parts) >= 3:
            return (parts[0].lower(), float(parts[1]), int(parts[2].split()[0]))
        if parts[0] == "S" and len(parts) >= 3:
            m = _WINCH.search(parts[2])
            return ("r", float(parts[1]), (int(m.group(2)), int(m.group(1)))) if m else None
        if parts[0] == "H" and len(parts) >= 2:
            return ("h", float(parts[1]), parts[2].strip() if len(parts) > 2 else "")
        if len(parts) == 2:
            return ("o", float(parts[0]), int(parts[1]))
    except ValueError:
        return None
    return None


class ByteReader:
    """Take exact byte counts from an iterable of chunks of any size."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._it = iter(chunks)
        self._buf = b""
        self._pos = 0

    def read(self, n: int) -> bytes:
        out: list[bytes] = []
        while n > 0:
            if self._pos >= len(self._buf):
                nxt = next(self._it, None)
                if nxt is None:
                    break
                self._buf, self._pos = bytes(nxt), 0
                continue
            piece = self._buf[self._pos:self._pos + n]
            self._pos += len(piece)
            n -= len(piece)
            out.append(piece)
        return b"".join(out)

    def rest(self) -> Iterator[bytes]:
        if self._pos < len(self._buf):
            yield self._buf[self._pos:]
        self._buf, self._pos = b"", 0
        yield from self._it


def iter_file(path: str | os.PathLike[str], size: int = 1 << 16) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(size):
            yield chunk
