"""The PTY relay: the only code that touches fork, termios and select (a package: relay, child, term).

Process layout: wrapper W ─ fork → C (session leader of the pty, tiny) ─ fork → T (the tool, in
its own process group, foreground on the pty). Why C exists: see child.py.
"""
from __future__ import annotations

from aitrack.capture.pty_.relay import Relay, StartError
from aitrack.capture.pty_.term import get_winsize

__all__ = ["Relay", "StartError", "get_winsize"]
