"""After the tool exits the wrapper starts the ingest worker fully detached and returns at once."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from progs.helpers import AITRACK, make_tool, wrapper_env


def _workers(data_dir: Path) -> list[int]:
    """Pids of `aitrack ingest --worker` processes whose environment names this data dir."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--worker" in cmd and b"ingest" in cmd and f"AITRACK_HOME={data_dir}".encode() in env:
            found.append(int(pid))
    return found


def test_worker_is_detached_from_the_terminal_and_the_wrappers_stdio(tmp_path: Path) -> None:
    make_tool(tmp_path / "bin")
    data = tmp_path / "data"
    env = wrapper_env(tmp_path / "bin", AITRACK_HOME=str(data), AITRACK_INGEST="1")
    proc = subprocess.Popen([AITRACK, "run", "kbd", "--say", "done"], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    out, _ = proc.communicate(timeout=60)  # EOF on both pipes: the worker holds neither
    assert proc.returncode == 0 and b"done" in out
    pids = []
    deadline = time.monotonic() + 5
    while not pids and time.monotonic() < deadline:  # it was spawned just before the wrapper exited
        pids = _workers(data)
        time.sleep(0.01)
    try:
        if not pids:  # it already finished: then it must have written the local record
            assert list(data.glob("sessions/*/session.json")), "no worker ran"
            return
        pid = pids[0]
        assert os.getsid(pid) != os.getsid(0), "the worker has its own session"
        for fd in (0, 1, 2):
            assert os.readlink(f"/proc/{pid}/fd/{fd}") == "/dev/null"
        assert not any(k.startswith(b"AITRACK_SESSION_ID=") for k in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"))
    finally:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def test_a_checkout_holding_an_aitrack_package_does_not_run_in_our_workers(tmp_path: Path) -> None:
    """The agent works in a checkout, maybe aitrack's own: the worker the wrapper starts there runs
    the installed aitrack, not the cwd's aitrack/ (python -P), and the session is logged."""
    make_tool(tmp_path / "bin")
    work = tmp_path / "checkout"
    (work / "aitrack").mkdir(parents=True)
    marker = tmp_path / "shadow-ran"
    for name in ("__init__.py", "__main__.py"):
        (work / "aitrack" / name).write_text(f"open({str(marker)!r}, 'a').write({name!r})\n")
    data = tmp_path / "data"
    env = wrapper_env(tmp_path / "bin", AITRACK_HOME=str(data), AITRACK_INGEST="1", AITRACK_LIVE="1",
                      AITRACK_LIVE_INTERVAL="0.2", MLFLOW_DISABLE_TELEMETRY="true")
    env.pop("MLFLOW_TRACKING_URI", None)
    res = subprocess.run([AITRACK, "run", "kbd", "--say", "done"], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, timeout=60, cwd=work)
    assert res.returncode == 0
    deadline = time.monotonic() + 120
    while not list(data.glob("sessions/*/run.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    while _workers(data) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not marker.exists(), marker.read_text()
    assert list(data.glob("sessions/*/run.json")), "the ingest worker did not log the session"
