"""The only module that writes to the user's terminal (stdout/stderr)."""
from __future__ import annotations

import os
import sys


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


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
