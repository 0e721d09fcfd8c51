"""`aitrack uninstall` ends the background processes that run from the environment it removes,
and only those: real processes with the command lines the wrapper gives its workers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from aitrack.workers import running, stop

SLEEP = """import signal, sys, time
if sys.argv[1:2] == ['stubborn']:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
print('ready', flush=True)
time.sleep(120)"""


def _python_in(prefix: Path) -> str:
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / "python").symlink_to(sys.executable)  # argv[0] under prefix, as a venv's python
    return str(prefix / "bin" / "python")


def _start(python: str, *argv: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([python, "-c", SLEEP, *argv], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"  # its signal set-up done
    return proc


def test_stop_ends_the_workers_of_one_environment(tmp_path: Path) -> None:
    mine, other = _python_in(tmp_path / "venv"), _python_in(tmp_path / "venv2")
    procs = {
        "updater": _start(mine, "-", "-m", "aitrack.live.worker", "/s/1"),
        "push": _start(mine, "-", "-m", "aitrack.live.push", "/s/1"),
        "ingest": _start(mine, "-", "-m", "aitrack", "ingest", "--worker"),
        "stubborn": _start(mine, "stubborn", "-m", "aitrack.live.worker", "/s/2"),
        "not ours": _start(mine, "-", "-m", "aitrack", "show"),  # a user's command, not a worker
        "other install": _start(other, "-", "-m", "aitrack.live.worker", "/s/3"),
    }
    try:
        assert sorted(running(str(tmp_path / "venv"))) == sorted(p.pid for k, p in procs.items()
                                                                 if k not in ("not ours", "other install"))
        assert stop(str(tmp_path / "venv"), grace=1.0) == 4
        for name in ("updater", "push", "ingest", "stubborn"):
            assert procs[name].wait(timeout=10) < 0, name  # ended by a signal (the stubborn one by SIGKILL)
        assert procs["stubborn"].returncode == -9
        assert procs["not ours"].poll() is None and procs["other install"].poll() is None
        assert running(str(tmp_path / "venv")) == [] and stop(str(tmp_path / "venv")) == 0
    finally:
        for p in procs.values():
            p.kill()
            p.wait()


def test_a_prefix_is_a_folder_not_a_string_start(tmp_path: Path) -> None:
    """/x/venv2/bin/python is not under /x/venv."""
    proc = _start(_python_in(tmp_path / "venv2"), "-", "-m", "aitrack.live.worker", "/s")
    try:
        assert running(str(tmp_path / "venv")) == []
        assert os.path.exists(f"/proc/{proc.pid}")
    finally:
        proc.kill()
        proc.wait()
