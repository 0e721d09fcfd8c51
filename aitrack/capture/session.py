"""A session folder being written (`Recorder`): meta.json, output.raw, timing (and input.raw when asked).

`output.raw` is written with one `os.write` per chunk read from the pty (no Python buffering), so
a SIGKILLed wrapper leaves it complete up to the last read. `timing` follows util-linux `script`'s
multi-stream format so `scriptreplay -T timing -O output.raw` plays a session back:

    H 0.000000 START_TIME 2026-11-27 03:27:25+00:00      header lines, as script writes them
    O 0.010208 4                                         4 bytes of output, 10 ms after the last event
    I 0.250000 1                                         1 keystroke (only with input recording)
    S 1.500000 SIGWINCH ROWS=40 COLS=120                 the terminal was resized
    H 0.000000 DURATION 12.345678                        written at the end
    H 0.000000 EXIT_CODE 0
"""
from __future__ import annotations

import os
import time

from aitrack import __version__
from aitrack.capture.proc import start_ticks
from aitrack.sessiondir import INPUT, OUTPUT, TIMING, iso, new_session_id, sessions_root, write_meta

# Annotation-only imports: `typing` costs milliseconds on the wrapper's start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TIMING_BATCH = 16384  # bytes of timing lines held back at most while output floods in


def _private_dir(path: str) -> None:
    os.makedirs(path, mode=0o700, exist_ok=True)
    os.chmod(path, 0o700)  # an unwritable data dir fails here, before the tool starts


def _user() -> str | None:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return os.environ.get("USER")


def new_meta(session_id: str, argv: list[str], tool_path: str, provider: str, mode: str,
             size: tuple[int, int] | None, now: float) -> dict[str, Any]:
    return {
        "id": session_id, "argv": argv, "tool": os.path.basename(argv[0]), "tool_path": tool_path,
        "provider": provider, "mode": mode, "cwd": os.getcwd(),
        "git_root": None, "git_head": None, "git_branch": None,
        "started_at": iso(now), "started_at_epoch": now, "ended_at": None, "ended_at_epoch": None,
        "exit_code": None, "signal": None,
        "term_rows": size[0] if size else None, "term_cols": size[1] if size else None,
        "aitrack_version": __version__, "pid": os.getpid(), "pid_start": start_ticks(os.getpid()),
        "hostname": os.uname().nodename,
        "user": _user(),
    }


def _open(path: str) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)


def _write(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Recorder:
    """What records one session into its folder (not the parser's `Session`, the record of what
    happened): create with `Recorder.create(...)` — or `aitrack.capture.run.begin`, the one entry
    `aitrack run`, `aitrack track` and `aitrack.procedure()` share; hand it to the relay as its
    sink; `finish()` at the end. meta.json stays a plain dict here: the wrapper imports no more."""

    dir: str
    meta: dict[str, Any]
    out_fd: int
    timing_fd: int
    in_fd: int
    start: float
    last: float
    pending: bytearray
    broken: bool

    def __init__(self, directory: str, meta: dict[str, Any], record_input: bool, pty: bool) -> None:
        self.dir, self.meta = directory, meta
        self.out_fd = _open(os.path.join(directory, OUTPUT)) if pty else -1
        self.timing_fd = _open(os.path.join(directory, TIMING)) if pty else -1
        self.in_fd = _open(os.path.join(directory, INPUT)) if pty and record_input else -1
        self.start = self.last = time.monotonic()
        self.pending = bytearray()  # timing lines not written yet (see idle)
        self.broken = False  # a write failed (disk full…): stop recording, keep relaying

    @classmethod
    def create(cls, argv: list[str], tool_path: str, provider: str, mode: str,
               size: tuple[int, int] | None, record_input: bool = False,
               extra: dict[str, Any] | None = None) -> Recorder:
        """`extra` (the git facts) goes into the first meta.json: one write less before the tool starts."""
        now = time.time()
        sid = new_session_id(now)
        root = sessions_root()
        _private_dir(os.path.dirname(root))
        _private_dir(root)
        directory = os.path.join(root, sid)
        os.mkdir(directory, 0o700)
        meta = new_meta(sid, argv, tool_path, provider, mode, size, now)
        meta.update(extra or {})
        write_meta(directory, meta)
        recorder = cls(directory, meta, record_input, mode == "pty")
        if mode == "pty":
            recorder._header(argv, size, record_input, now)
        return recorder

    @property
    def id(self) -> str:
        return str(self.meta["id"])

    def _header(self, argv: list[str], size: tuple[int, int] | None, record_input: bool, now: float) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(now))
        try:
            tty = os.ttyname(0)
        except OSError:
            tty = ""
        lines = [("START_TIME", stamp), ("TERM", os.environ.get("TERM", "")), ("TTY", tty),
                 ("COLUMNS", str(size[1] if size else -1)), ("LINES", str(size[0] if size else -1)),
                 ("COMMAND", " ".join(argv)), ("TIMING_LOG", os.path.join(self.dir, TIMING)),
                 ("OUTPUT_LOG", os.path.join(self.dir, OUTPUT))]
        if record_input:
            lines.append(("INPUT_LOG", os.path.join(self.dir, INPUT)))
        self._timing("".join(f"H 0.000000 {k} {v}\n" for k, v in lines))

    def _delay(self) -> float:
        now = time.monotonic()
        delay, self.last = now - self.last, now
        return delay

    def _timing(self, text: str) -> None:
        self.pending += text.encode()
        self.idle()

    def idle(self) -> None:
        """Write the buffered timing lines; the relay calls this once output pauses.

        Timing lines are batched (output.raw is not): under a flood of output this saves a
        write per chunk, and soon after the tool pauses the file is complete again.
        """
        if not self.pending or self.broken or self.timing_fd < 0:
            return
        try:
            _write(self.timing_fd, self.pending)
        except OSError:
            self.broken = True
        self.pending = bytearray()

    # The relay's sink: called once per chunk read.
    def output(self, data: bytes) -> None:
        if self.broken:
            return
        try:
            _write(self.out_fd, data)
        except OSError:
            self.broken = True
            return
        self.pending += b"O %.6f %d\n" % (self._delay(), len(data))
        if len(self.pending) > TIMING_BATCH:
            self.idle()

    def input(self, data: bytes) -> None:
        if self.in_fd < 0 or self.broken:
            return
        try:
            _write(self.in_fd, data)
        except OSError:
            self.broken = True
            return
        self.pending += b"I %.6f %d\n" % (self._delay(), len(data))

    def resize(self, rows: int, cols: int) -> None:
        self._timing(f"S {self._delay():.6f} SIGWINCH ROWS={rows} COLS={cols}\n")

    def update(self, **fields: Any) -> None:
        self.meta.update(fields)
        try:
            write_meta(self.dir, self.meta)
        except OSError:
            pass

    def finish(self, exit_code: int | None, sig: int | None) -> None:
        """Complete meta.json (ended_at, exit_code or signal) and the timing trailer."""
        now = time.time()
        self._timing(f"H 0.000000 DURATION {time.monotonic() - self.start:.6f}\n"
                     f"H 0.000000 EXIT_CODE {exit_code if exit_code is not None else 128 + (sig or 0)}\n")
        for fd in (self.out_fd, self.timing_fd, self.in_fd):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.update(ended_at=iso(now), ended_at_epoch=now, exit_code=exit_code, signal=sig,
                    recording_complete=not self.broken)


__all__ = ["Recorder", "new_meta"]
