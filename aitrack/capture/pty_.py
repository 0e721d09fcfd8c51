"""The PTY relay: the only module that touches fork, termios and select.

Ideas from util-linux `script` (pty-session.c) and asciinema 2.x (pty_.py), no code from either:
the pty gets the caller's termios and window size before fork; the caller's terminal is raw while
the tool runs and restored on every way out; signals arrive through a wake-up pipe so the loop
never runs Python code inside a signal handler.

Process layout: wrapper W ─ fork → C (session leader of the pty, tiny) ─ fork → T (the tool, in
its own process group, foreground on the pty). C exists because the kernel throws away
SIGTSTP/SIGTTIN/SIGTTOU sent to an orphaned process group: a tool that is itself the session
leader could never be stopped by Ctrl-Z. With C as its parent in the same session, T's group is
not orphaned, so Ctrl-Z and `kill(0, SIGTSTP)` stop it as they would without the wrapper.
"""
from __future__ import annotations

import errno
import fcntl
import os
import select
import signal
import struct
import termios
import time
from collections.abc import Callable
from typing import Protocol

STDIN, STDOUT = 0, 1
READ_SIZE = 65536
DRAIN_QUIET = 0.02  # after the tool exits, stop once the pty has been quiet this long …
DRAIN_MAX = 0.5  # … or after this long at most, when a grandchild keeps writing
FORWARDED = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT)
WATCHED = (*FORWARDED, signal.SIGCHLD, signal.SIGWINCH, signal.SIGCONT)
# Python ignores these; an exec'd tool must get the defaults back (SIGPIPE kills `tool | head`).
RESET_IN_CHILD = (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGTTOU, signal.SIGTTIN, signal.SIGTSTP, *WATCHED)


class Sink(Protocol):
    def output(self, data: bytes) -> None: ...
    def input(self, data: bytes) -> None: ...
    def resize(self, rows: int, cols: int) -> None: ...


class StartError(Exception):
    """The relay could not start; the tool has not run, so the caller may exec it directly."""


def get_winsize(fd: int) -> tuple[int, int] | None:
    try:
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    except OSError:
        return None
    return rows, cols


def _set_winsize(fd: int, size: tuple[int, int]) -> None:
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
    except OSError:
        pass


def _raw(mode: list) -> list:  # type: ignore[type-arg]
    """cfmakeraw(3) on a copy of a tcgetattr() list."""
    new = [*mode[:6], list(mode[6])]
    new[0] &= ~(termios.IGNBRK | termios.BRKINT | termios.PARMRK | termios.ISTRIP | termios.INLCR
                | termios.IGNCR | termios.ICRNL | termios.IXON)
    new[1] &= ~termios.OPOST
    new[2] = (new[2] & ~(termios.CSIZE | termios.PARENB)) | termios.CS8
    new[3] &= ~(termios.ECHO | termios.ECHONL | termios.ICANON | termios.ISIG | termios.IEXTEN)
    new[6][termios.VMIN] = 1
    new[6][termios.VTIME] = 0
    return new


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:  # a terminal left O_NONBLOCK by another program
            select.select([], [fd], [])


def _child_main(slave: int, path: str, argv: list[str], env: dict[str, str]) -> None:
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
    for step in (lambda: os.setpgid(pid, pid), lambda: os.tcsetpgrp(STDIN, pid)):
        try:
            step()  # the same as T does: whichever runs first wins the race
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
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            signal.signal(sig, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [sig])
            os.kill(os.getpid(), sig)
            os._exit(128 + sig)
        os._exit(os.waitstatus_to_exitcode(status))


class Relay:
    """One PTY session: `Relay(...).run()` returns the wait status of the tool."""

    def __init__(self, path: str, argv: list[str], env: dict[str, str], sink: Sink,
                 on_started: Callable[[], None] | None = None) -> None:
        self.path, self.argv, self.env, self.sink = path, argv, env, sink
        self.on_started = on_started
        self.cooked = termios.tcgetattr(STDIN)
        self.size = get_winsize(STDIN)
        self.pid = 0
        self.master = -1
        self.stdout_ok = True
        self.pending = b""  # keystrokes the tool has not read yet

    def _start(self) -> None:
        try:
            master, slave = os.openpty()
            termios.tcsetattr(slave, termios.TCSANOW, self.cooked)
            if self.size:
                _set_winsize(slave, self.size)
            self.wake_r, self.wake_w = os.pipe()
            os.set_blocking(self.wake_w, False)
            os.set_blocking(self.wake_r, False)
        except (OSError, termios.error) as exc:
            raise StartError(str(exc)) from exc
        self.old_handlers = {sig: signal.signal(sig, lambda *_: None) for sig in WATCHED}
        self.old_wakeup = signal.set_wakeup_fd(self.wake_w)
        pid = os.fork()
        if pid == 0:
            try:
                os.close(master)
                _child_main(slave, self.path, self.argv, self.env)
            finally:
                os._exit(127)
        os.close(slave)  # so a read on master says EIO once every holder of the slave is gone
        self.pid, self.master = pid, master
        os.set_blocking(master, False)

    def _raw_on(self) -> None:
        try:
            termios.tcsetattr(STDIN, termios.TCSANOW, _raw(self.cooked))
        except termios.error:
            pass

    def _raw_off(self) -> None:
        try:
            termios.tcsetattr(STDIN, termios.TCSADRAIN, self.cooked)
        except termios.error:
            pass

    def _sync_size(self, force: bool = False) -> None:
        size = get_winsize(STDIN)
        if size and (force or size != self.size):
            self.size = size
            _set_winsize(self.master, size)
            self.sink.resize(*size)

    def _forward(self, sig: int) -> None:
        try:
            os.killpg(os.tcgetpgrp(self.master), sig)
        except OSError:
            try:
                os.kill(self.pid, sig)
            except OSError:
                pass

    def _on_output(self, data: bytes) -> None:
        if self.stdout_ok:
            try:
                _write_all(STDOUT, data)
            except OSError:  # the user's terminal went away: keep recording what is left
                self.stdout_ok = False
        self.sink.output(data)

    def _read_master(self) -> bool:
        """Relay one chunk; False once the pty has no writer left."""
        try:
            data = os.read(self.master, READ_SIZE)
        except BlockingIOError:
            return True
        except OSError:  # EIO: the slave side is closed for good
            return False
        if not data:
            return False
        self._on_output(data)
        return True

    def _drain(self) -> None:
        """The tool is gone: relay what is still buffered, without waiting on a grandchild."""
        deadline = time.monotonic() + DRAIN_MAX
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], DRAIN_QUIET)
            if not ready or not self._read_master():
                return

    def _child_stopped(self) -> None:
        self._raw_off()
        os.kill(os.getpid(), signal.SIGSTOP)  # the shell now shows "Stopped"; `fg` resumes us here
        self._resumed()
        try:
            os.kill(self.pid, signal.SIGCONT)
        except OSError:
            pass

    def _resumed(self) -> None:
        self._raw_on()
        self._sync_size(force=True)  # the terminal may have changed size while we were stopped

    def _signals(self) -> int | None:
        """Handle what the wake-up pipe says; the tool's wait status once it has ended."""
        try:
            sigs = os.read(self.wake_r, 512)
        except BlockingIOError:
            return None
        status = None
        for sig in dict.fromkeys(sigs):
            if sig == signal.SIGWINCH:
                self._sync_size()
            elif sig == signal.SIGCONT:
                self._resumed()
            elif sig in FORWARDED:
                self._forward(sig)
        while True:  # SIGCHLD or not: reaping is cheap and signals may coalesce
            try:
                pid, st = os.waitpid(self.pid, os.WNOHANG | os.WUNTRACED)
            except ChildProcessError:
                return status
            if pid == 0:
                return status
            if os.WIFSTOPPED(st):
                self._child_stopped()
                continue
            return st

    def _loop(self) -> int:
        reading_stdin, master_open = True, True
        while True:
            rlist = [self.wake_r]
            if master_open:
                rlist.append(self.master)
                if reading_stdin:
                    rlist.append(STDIN)
            wlist = [self.master] if self.pending and master_open else []
            ready, writable, _ = select.select(rlist, wlist, [])
            if self.wake_r in ready:
                status = self._signals()
                if status is not None:
                    if master_open:
                        self._drain()
                    return status
            if self.master in ready:
                master_open = self._read_master()
            if STDIN in ready:
                try:
                    data = os.read(STDIN, READ_SIZE)
                except OSError:
                    data = b""
                if data:
                    self.pending += data
                    self.sink.input(data)
                    writable = [self.master]
                else:
                    reading_stdin = False
            if self.pending and self.master in writable:
                try:
                    self.pending = self.pending[os.write(self.master, self.pending):]
                except BlockingIOError:
                    pass
                except OSError:
                    self.pending = b""

    def run(self) -> int:
        self._start()  # raises StartError before anything ran
        try:
            self._raw_on()
            if self.on_started:
                try:
                    self.on_started()
                except Exception:  # never let bookkeeping stop the relay
                    pass
            return self._loop()
        finally:
            self._raw_off()
            signal.set_wakeup_fd(self.old_wakeup)
            for sig, handler in self.old_handlers.items():
                signal.signal(sig, handler)
            for fd in (self.master, self.wake_r, self.wake_w):
                try:
                    os.close(fd)
                except OSError:
                    pass
