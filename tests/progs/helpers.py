"""Shared by the capture, shell and install tests: the test tool on PATH and a clean environment."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

PROGS = Path(__file__).resolve().parent
REPO = PROGS.parent.parent
VENV_BIN = Path(sys.executable).parent
AITRACK = str(VENV_BIN / "aitrack")


def make_tool(bin_dir: Path, name: str = "kbd") -> Path:
    """`name` on PATH running tests/progs/kbd.py with this interpreter (no pyenv shim lookup)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    tool = bin_dir / name
    tool.write_text(f"#!/bin/sh\nexec {sys.executable} {PROGS / 'kbd.py'} \"$@\"\n")
    tool.chmod(0o755)
    return tool


def wrapper_env(bin_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(PATH=f"{bin_dir}:{VENV_BIN}:{os.environ['PATH']}", AITRACK_INGEST="0",
               AITRACK_HOOKS_AUTO="0", TERM="xterm", PYTHONDONTWRITEBYTECODE="1")
    for key in ("AITRACK_SESSION_ID", "AITRACK_SESSION_DIR", "AITRACK_DISABLE", "AITRACK_RECORD_INPUT"):
        env.pop(key, None)
    env.update(extra)
    return env


def sessions(data_dir: Path) -> list[Path]:
    root = data_dir / "sessions"
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def proc_state(pid: int) -> str:
    """The one-letter state in /proc/<pid>/stat: R, S, T (stopped), Z…"""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2]


def wait_for(pred, timeout: float = 5.0, what: str = "condition") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")
