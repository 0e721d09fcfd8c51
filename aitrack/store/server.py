"""Running `mlflow server` on 127.0.0.1 for the embedded store (`aitrack ui`), and telling where it is.

Standard library only: the server is a subprocess, this process never imports mlflow for it.
State of a background UI lives in `<data dir>/ui.json` ({pid, port, url, tracking_uri}).
`show` reads that state for a run's URL: what only starting and stopping need (subprocess,
signal, pathlib, typing) is imported where used.
"""
from __future__ import annotations

import os
import sys
import time

from aitrack.jsonread import read  # not json: `show` asks for the UI's port, json costs it `re`
from aitrack.paths import data_dir, data_root, ensure_private_dir
from aitrack.sessiondir import write_bytes_atomic

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from pathlib import Path
    from typing import Any

DEFAULT_PORT = 5000
HOST = "127.0.0.1"


def state_file() -> Path:
    return data_dir() / "ui.json"


def read_state() -> dict[str, Any] | None:
    try:
        state = read(os.path.join(data_root(), "ui.json"))  # state_file(), no pathlib
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or not pid_alive(state.get("pid")):
        return None
    return state if _is_mlflow(state["pid"]) else None  # a recycled pid is someone else's process


def _is_mlflow(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"mlflow" in fh.read()
    except OSError:
        return True  # no /proc (macOS): trust the pid file


def write_state(state: dict[str, Any]) -> None:
    import json

    ensure_private_dir(data_dir())
    write_bytes_atomic(state_file(), (json.dumps(state) + "\n").encode("utf-8"), 0o644)


def clear_state() -> None:
    state_file().unlink(missing_ok=True)


def ui_base_url() -> str:
    state = read_state()
    port = state.get("port") if state else DEFAULT_PORT
    return f"http://{HOST}:{port}"


def pid_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def server_command(backend_uri: str, artifact_root: str | None, port: int, workers: int = 1,
                   extra: list[str] | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "mlflow", "server", "--backend-store-uri", backend_uri,
           "--host", HOST, "--port", str(port), "--workers", str(workers)]
    if artifact_root:
        from pathlib import Path

        # Runs keep their own file artifact URIs; this root only serves new experiments.
        cmd += ["--default-artifact-root", Path(artifact_root).resolve().as_uri()]
    return cmd + list(extra or [])


# What the UI of aitrack's runs needs from `mlflow server`: one uvicorn worker, and no job
# execution. The jobs (GenAI judges, prompt optimisation, periodic trace roll-ups) start huey
# consumers and their workers: 10 processes and 2.7 GB in all, and seconds more to start.
UI_ENV = {"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}


def start(backend_uri: str, artifact_root: str | None, port: int, *, log: Path | None = None,
          workers: int = 1, extra: list[str] | None = None,
          env_extra: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start `mlflow server` in its own process group (so stop() reaches its workers too)."""
    import subprocess

    env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", **(env_extra or {}))
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    try:
        return subprocess.Popen(
            server_command(backend_uri, artifact_root, port, workers, extra), stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
    finally:
        if log:
            out.close()  # type: ignore[union-attr]


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        import urllib.request  # here: `aitrack show` reads the UI's port through this module

        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


def wait_healthy(url: str, proc: subprocess.Popen[bytes] | None, timeout: float = 90.0) -> bool:
    """Poll /health until it answers, the process dies, or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(url, timeout=1.0):
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.25)
    return False


def stop(pid: int, timeout: float = 15.0) -> None:
    """SIGTERM the server's process group, SIGKILL what is left after `timeout`."""
    import signal

    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _group_alive(pid):
                return
            time.sleep(0.1)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie leader still counts as "in the group" until reaped: reap it if it is our child.
    try:
        waited, _ = os.waitpid(pgid, os.WNOHANG)
    except ChildProcessError:
        waited = 0
    return waited == 0 or _group_has_members(pgid)


def _group_has_members(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
