"""The pty side: C, the session leader holding the pty, and T, the tool, in its own group.

C exists because the kernel throws away SIGTSTP/SIGTTIN/SIGTTOU sent to an orphaned process group:
a tool that is itself the session leader (its parent, the wrapper, lives in another session)
could never be stopped by Ctrl-Z. With C as its parent in the same session, T's group is not
orphaned, so Ctrl-Z and `kill(0, SIGTSTP)` stop it as they would without the wrapper.
"""
from __future__ import annotations

import errno
import os

from aitrack.capture.sig import signal

STDIN = 0
FORWARDED = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT)
WATCHED = (*FORWARDED, signal.SIGCHLD, signal.SIGWINCH, signal.SIGCONT)
# Python ignores these; an exec'd tool must get the defaults back (SIGPIPE kills `tool | head`).
RESET_IN_CHILD = (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGTTOU, signal.SIGTTIN, signal.SIGTSTP, *WATCHED)


def child_main(slave: int, path: str, argv: list[str], env: dict[str, str]) -> None:
    """Runs in C: take the pty as controlling tty, start T in its own group, mirror its fate."""
    signal.set_wakeup_fd(-1)
    for sig in RESET_IN_CHILD:
        signal.signal(sig, signal.SIG_DFL)
    os.login_tty(slave)  # setsid + TIOCSCTTY + stdio
    for sig in (signal.SIGTTOU, signal.SIGTTIN, signal.SIGTSTP):
        signal.signal(sig, signal.SIG_IGN)  # C itself must never be stopped by job control
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        try:
            os.tcsetpgrp(STDIN, os.getpid())
        except OSError:
            pass
        for sig in RESET_IN_CHILD:
            signal.signal(sig, signal.SIG_DFL)
        try:
            os.execve(path, argv, env)
        except OSError as exc:
            os.write(2, f"aitrack: cannot run {path}: {exc.strerror}\r\n".encode())
            os._exit(126 if exc.errno == errno.EACCES else 127)
    # The same as T does: whichever runs first wins the race.
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    try:
        os.tcsetpgrp(STDIN, pid)
    except OSError:
        pass

    def forward(sig: int, _frame: object) -> None:
        try:
            os.killpg(pid, sig)
        except OSError:
            pass

    for sig in FORWARDED:
        signal.signal(sig, forward)
    while True:
        _, status = os.waitpid(pid, os.WUNTRACED)
        if os.WIFSTOPPED(status):
            os.kill(os.getpid(), signal.SIGSTOP)  # the wrapper sees us stop and stops itself
            try:  # … and on `fg` it sends us SIGCONT: hand the terminal back to T and wake it
                os.tcsetpgrp(STDIN, pid)
            except OSError:
                pass
            forward(signal.SIGCONT, None)
            continue
        if os.WIFSIGNALED(status):  # die of the same signal, so the wrapper sees what the shell would
            killed = os.WTERMSIG(status)
            signal.signal(killed, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [killed])
            os.kill(os.getpid(), killed)
            os._exit(128 + killed)
        os._exit(os.waitstatus_to_exitcode(status))
