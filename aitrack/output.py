"""The only module that writes to the user's terminal (stdout/stderr)."""
from __future__ import annotations

import os
import sys

from aitrack.termsafe import printable

# Every line goes through `printable`: whatever a caller forgot to clean can colour text at most
# (aitrack's own `style()`), never write the clipboard, retitle, clear or query the terminal.


def out(text: str = "") -> None:
    sys.stdout.write(printable(text, keep_sgr=True) + "\n")


def err(text: str) -> None:
    sys.stderr.write(printable(text, keep_sgr=True) + "\n")


def write(text: str) -> None:
    """Text whose lines already end (an export), printable only."""
    sys.stdout.write(printable(text, keep_sgr=True))


def clean(text: object, one_line: bool = True) -> str:
    """An untrusted value (prompt, command, path, subject, run name) as plain printable text."""
    return printable(str(text), one_line=one_line)


def write_bytes(data: bytes) -> None:
    """Raw terminal bytes (a replay: cursor movement, colours) that text lines cannot carry."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def progress(text: str, final: bool = False) -> None:
    """A status line redrawn in place on stderr (a terminal only; callers check `stderr_is_tty`)."""
    sys.stderr.write("\r\033[K" + printable(text, one_line=True) + ("\n" if final else ""))
    sys.stderr.flush()


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def color_enabled(stream: object = None) -> bool:
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


def style(text: str, code: str) -> str:
    """`style("failed", "31")` → red when stdout is a terminal, plain text otherwise."""
    return f"\033[{code}m{text}\033[0m" if color_enabled() else text


def ok(text: str) -> str:
    return style("✔", "32") + " " + text


def bad(text: str) -> str:
    return style("✘", "31") + " " + text
