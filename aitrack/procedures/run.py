"""`aitrack track NAME … -- COMMAND…`: run a command as a tracked procedure.

The same capture entry as `aitrack run` (aitrack.capture.run.begin/end: session folder, hooks
linking commits through AITRACK_SESSION_ID, detached ingest afterwards; the PTY relay when on a
terminal), with three differences:
the folder gets `procedure.json` before the command starts (so a crash still leaves a procedure),
the output is recorded even without a terminal (tee'd to output.raw: procedures run in CI and
pipes), and a nested call is recorded too (a procedure run by an agent is worth its own run).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from aitrack.capture import proc
from aitrack.capture.run import begin, end
from aitrack.capture.session import Recorder
from aitrack.errors import AitrackError
from aitrack.procedures import files
from aitrack.sessiondir import OUTPUT


def track(name: str, params: dict[str, str], artifacts: list[str], cmd: list[str],
          warn: object = None) -> tuple[int, Path | None]:
    """Run `cmd`; (its exit status as the shell shows it, the session folder)."""
    from aitrack.capture.resolve import resolve

    files.check_key(name, "procedure name")
    path = resolve(cmd[0])
    if path is None:
        raise AitrackError(f"{cmd[0]}: command not found")
    pty = os.isatty(0) and os.isatty(1)
    parent = os.environ.get("AITRACK_SESSION_ID")
    try:
        session, session_env = begin(cmd, path, "generic", pty)
    except OSError as exc:
        raise AitrackError(f"cannot create the session folder: {exc.strerror or exc}") from exc
    folder = Path(session.dir)  # a str since the capture dropped pathlib from its start-up
    files.write_procedure(folder, {
        "name": name, "params": params, "artifacts": [], "command": cmd, "parent_session": parent,
    })
    env = {**os.environ, **session_env, "AITRACK_PROCEDURE": name}
    if pty:
        from aitrack.capture.pty_ import Relay

        code, sig = proc.exit_code(Relay(path, cmd, env, session).run())
    else:
        code, sig = run_tee(path, cmd, env, folder / OUTPUT)
    finish(session, code, sig, artifacts, warn)
    return code, folder


def finish(session: Recorder, code: int, sig: int | None, artifacts: list[str], warn: object = None) -> None:
    """Copy the artifacts, then end the session as the wrapper does (meta.json, detached ingest)."""
    folder = Path(session.dir)
    if artifacts:
        names, warnings = files.copy_artifacts(folder, artifacts)
        data = files.read_procedure(folder) or {}
        data["artifacts"] = names
        files.write_procedure(folder, data)
        for w in warnings:
            if callable(warn):
                warn(w)
    end(session, code, sig)


def run_tee(path: str, cmd: list[str], env: dict[str, str], out_path: Path) -> tuple[int, int | None]:
    """Run without a terminal, copying stdout and stderr to ours and both to `out_path`."""
    try:
        child = subprocess.Popen(cmd, executable=path, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, restore_signals=True)
    except OSError as exc:
        raise AitrackError(f"{cmd[0]}: cannot start: {exc.strerror or exc}") from exc
    previous = {s: signal.signal(s, lambda n, _f: _forward(child, n)) for s in (signal.SIGTERM, signal.SIGHUP)}
    lock = threading.Lock()
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    assert child.stdout is not None and child.stderr is not None
    pumps = [threading.Thread(target=_pump, args=(src, dst, fd, lock), daemon=True)
             for src, dst in ((child.stdout, 1), (child.stderr, 2))]
    for t in pumps:
        t.start()
    try:
        status = child.wait()
        for t in pumps:
            t.join()
    finally:
        os.close(fd)
        for s, h in previous.items():
            signal.signal(s, h)
    if status < 0:
        return 128 - status, -status
    return status, None


def _forward(child: subprocess.Popen[bytes], sig: int) -> None:
    try:
        child.send_signal(sig)
    except OSError:
        pass


def _pump(src: IO[bytes], dst: int, record: int, lock: threading.Lock) -> None:
    reader = src.fileno()
    broken = False  # our stdout closed (`| head`): keep recording, stop relaying
    while True:
        chunk = os.read(reader, 65536)
        if not chunk:
            return
        with lock:
            try:
                os.write(record, chunk)
            except OSError:
                pass
        if not broken:
            try:
                view = memoryview(chunk)
                while view:
                    view = view[os.write(dst, view):]
            except OSError:
                broken = True
