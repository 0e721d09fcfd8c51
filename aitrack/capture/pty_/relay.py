"""The relay loop in the wrapper: terminal ⇄ pty master, recording through a sink.

Ideas from util-linux `script` (pty-session.c) and asciinema 2.x (pty_.py), no code from either:
the pty gets the caller's termios and window size before fork; the caller's terminal is raw while
the tool runs and restored on every way out; signals arrive through a wake-up pipe so the loop
never runs Python code inside a signal handler. Process layout: see child.py.
"""
from __future__ import annotations

import os
import select
import termios
import time

from aitrack.capture.pty_.child import FORWARDED, WATCHED, child_main
from aitrack.capture.pty_.term import get_winsize, raw, set_winsize, write_all
from aitrack.capture.sig import signal

STDIN, STDOUT = 0, 1
READ_SIZE = 65536
DRAIN_QUIET = 0.02  # after the tool exits, stop once the pty has been quiet this long …
DRAIN_MAX = 0.5  # … or after this long at most, when a grandchild keeps writing
IDLE_FLUSH = 0.2  # the recorder's buffered timing lines are written after this long without output

# Annotation-only imports: `typing` costs milliseconds on the wrapper's start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class Sink(Protocol):
        """What the relay records into (aitrack.capture.session.Recorder): a call per chunk or event."""

        def output(self, data: bytes) -> None: ...
        def input(self, data: bytes) -> None: ...
        def resize(self, rows: int, cols: int) -> None: ...
        def idle(self) -> None: ...

        pending: bytearray


class StartError(Exception):
    """The relay could not start; the tool has not run, so the caller may exec it directly."""


class Relay:
    """One PTY session: `Relay(...).run()` returns the wait status of the tool."""

    def __init__(self, path: str, argv: list[str], env: dict[str, str], sink: Sink) -> None:
        self.path, self.argv, self.env, self.sink = path, argv, env, sink
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
                set_winsize(slave, self.size)
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
                child_main(slave, self.path, self.argv, self.env)
            finally:
                os._exit(127)
        os.close(slave)  # so a read on master says EIO once every holder of the slave is gone
        self.pid, self.master = pid, master
        os.set_blocking(master, False)

    def _raw_on(self) -> None:
        try:
            termios.tcsetattr(STDIN, termios.TCSANOW, raw(self.cooked))
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
            set_winsize(self.master, size)
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
        # The file first: a wrapper SIGKILLed between the two writes must not lose a chunk the
        # person already saw (4/20 kills did when the terminal came first).
        self.sink.output(data)
        if self.stdout_ok:
            try:
                write_all(STDOUT, data)
            except OSError:  # the user's terminal went away: keep recording what is left
                self.stdout_ok = False

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
            # While the recorder holds timing lines back, wait at most IDLE_FLUSH for more output.
            ready, writable, _ = select.select(rlist, wlist, [], IDLE_FLUSH if self.sink.pending else None)
            if not ready and not writable:
                self.sink.idle()
                continue
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
