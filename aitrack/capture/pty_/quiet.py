"""The terminal's input kept away from the shell while `aitrack show --replay` plays a recording.

A recording holds what a TUI sent its terminal, queries included (DA, DSR, window size, colours);
replayed, the viewer's terminal answers them by typing into the tty, and the shell then reads
`^[[?1;2c…` as the start of the next command. The replay filters those queries out; this makes
sure nothing reaches the shell even so: input is not echoed while the recording plays, and
before returning one Primary Device Attributes request (`CSI c`, answered by every VT100
descendant, in order) shows that every answer the terminal owed has arrived; then the tty's
input queue is discarded and its settings restored.
"""
from __future__ import annotations

import os
import select
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager

_SYNC_WAIT = 0.5  # a terminal that never answers DA costs this once, at the end of a replay


@contextmanager
def quiet_input(fd_in: int, fd_out: int) -> Iterator[None]:
    """No echo, no line editing while the body runs; the input queue drained and discarded after."""
    if fd_in < 0 or fd_out < 0 or not (os.isatty(fd_in) and os.isatty(fd_out)):
        yield
        return
    old = termios.tcgetattr(fd_in)
    new = termios.tcgetattr(fd_in)
    new[3] &= ~(termios.ECHO | termios.ICANON)
    new[6][termios.VMIN], new[6][termios.VTIME] = 0, 0
    termios.tcsetattr(fd_in, termios.TCSANOW, new)
    try:
        yield
    finally:
        try:
            _sync(fd_in, fd_out)
            termios.tcflush(fd_in, termios.TCIFLUSH)
        finally:
            termios.tcsetattr(fd_in, termios.TCSAFLUSH, old)


def _sync(fd_in: int, fd_out: int) -> None:
    """Ask for DA1 and read (discarding) until its answer, `ESC [ ? … c`, or `_SYNC_WAIT`."""
    os.write(fd_out, b"\x1b[c")
    seen = b""
    deadline = time.monotonic() + _SYNC_WAIT
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd_in], [], [], left)
        if not ready:
            return
        chunk = os.read(fd_in, 4096)
        if not chunk:
            return
        seen = (seen + chunk)[-256:]
        start = seen.rfind(b"\x1b[?")
        if start >= 0 and seen.find(b"c", start) > 0:
            return
