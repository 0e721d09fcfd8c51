"""Helpers for tests in any folder. A module of its own, not conftest: test folders that are not
packages have conftest modules of their own, and `from conftest import …` then finds the wrong one."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def require_program(name: str) -> str:
    """Path of `name`, or skip the test — except under CI, where a missing program is a failure."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed; .ci/run must install it")
    pytest.skip(f"{name} is not installed")


def git(cwd: str | os.PathLike[str], *args: str, env: dict[str, str] | None = None) -> str:
    """`git ARGS` in `cwd` (the test's own environment, `env` added): its stdout stripped, or the
    test fails with git's message."""
    res = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert res.returncode == 0, f"git {' '.join(args)} failed ({res.returncode}): {res.stderr}"
    return res.stdout.strip()


AITRACK = [sys.executable, "-m", "aitrack"]  # the CLI as a subprocess, from the interpreter under test


def run_aitrack(*args: str, cwd: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None,
                input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The CLI as a subprocess in the test's environment (`env` added), output captured as text."""
    return subprocess.run([*AITRACK, *args], cwd=cwd, env={**os.environ, **(env or {})}, text=True,
                          capture_output=True, input=input, timeout=timeout)


def free_port() -> int:
    """A port free on 127.0.0.1 now, for a server a test starts (others run tests concurrently)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The public agent logs beside the repository (the project's workspace); a clone made anywhere else
# has none, and the tests that read them skip with this one reason.
# AITRACK_TEST_FIXTURES points elsewhere (a git worktree whose ../shared is not the project's).
FIXTURES = Path(os.environ.get("AITRACK_TEST_FIXTURES") or Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures")
NO_FIXTURES = f"needs the shared agent-log fixtures at {FIXTURES} (absent in a clone made elsewhere)"
without_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason=NO_FIXTURES)


def require_fixtures() -> Path:
    """The shared fixtures folder, or skip the test."""
    if not FIXTURES.is_dir():
        pytest.skip(NO_FIXTURES)
    return FIXTURES
