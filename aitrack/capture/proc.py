"""Starting processes without a pty: exec in place, a plain child, a detached worker.

posix_spawn, not fork: nothing here needs Python code between fork and exec, and it is cheaper.
"""
from __future__ import annotations

import os
import sys

from aitrack.capture.sig import signal

# Annotation-only imports: `typing` costs milliseconds on the wrapper's start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

# Python ignores these at start-up; an exec'd tool must get the defaults back, or `tool | head`
# would see EPIPE instead of dying quietly of SIGPIPE.
_PY_IGNORED = (signal.SIGPIPE, signal.SIGXFSZ)


def exec_direct(path: str, argv: list[str], env: dict[str, str] | None = None) -> NoReturn:
    """Become the tool (nested session, AITRACK_DISABLE=1, or aitrack itself failed)."""
    for sig in _PY_IGNORED:
        signal.signal(sig, signal.SIG_DFL)
    if env is None:
        os.execv(path, argv)
    os.execve(path, argv, env)


def exit_code(status: int) -> tuple[int, int | None]:
    """(what the shell would show, the signal that killed it or None): 128+n for a signal."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return 128 + sig, sig
    return os.waitstatus_to_exitcode(status), None


def run_plain(path: str, argv: list[str], env: dict[str, str]) -> int:
    """Run the tool as a child with our stdio (no pty) and return its wait status.

    SIGTERM and SIGHUP are forwarded. SIGINT/SIGQUIT are forwarded only when stdin is not a
    terminal: when it is, Ctrl-C already reaches the child through the shared process group and a
    forwarded copy would deliver it twice. Ctrl-Z stops both of us together, as for any pipeline.
    """
    pid = os.posix_spawn(path, argv, env, setsigdef=_PY_IGNORED)
    forwarded = [signal.SIGTERM, signal.SIGHUP]
    if not os.isatty(0):
        forwarded += [signal.SIGINT, signal.SIGQUIT]
    else:
        for sig in (signal.SIGINT, signal.SIGQUIT):
            signal.signal(sig, signal.SIG_IGN)

    def forward(sig: int, _frame: object) -> None:
        try:
            os.kill(pid, sig)
        except OSError:
            pass

    for sig in forwarded:
        signal.signal(sig, forward)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            return status
        except ChildProcessError:
            return 127 << 8


# aitrack's background children, as `python_m` arguments (aitrack/workers.py finds them by these).
LIVE_UPDATER, LIVE_PUSHER, INGEST_WORKER = ("aitrack.live.worker",), ("aitrack.live.push",), ("aitrack", "ingest", "--worker")


def python_m(module: str, *args: str) -> list[str]:
    """`python -m module args…` with this interpreter, for aitrack's own children. -P: the cwd (the
    agent's checkout, which may hold an aitrack/ of its own) is not put first on sys.path."""
    return [sys.executable, "-P", "-m", module, *args]


def spawn_detached(argv: list[str]) -> None:
    """Start `argv` in its own session with stdio on /dev/null and do not wait for it."""
    actions = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AITRACK_SESSION_")}
    os.posix_spawn(argv[0], argv, env, file_actions=actions, setsid=True, setsigdef=_PY_IGNORED)


def start_ticks(pid: int) -> int | None:
    """When process `pid` started (clock ticks since boot, /proc/<pid>/stat field 22), or None
    where there is no /proc. With the pid it names one process: pids are reused, start times not."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        return int(stat[stat.rindex(b")") + 2:].split()[19])  # after the command name, which may hold spaces
    except (OSError, ValueError, IndexError):
        return None
