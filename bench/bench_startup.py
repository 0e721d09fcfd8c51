"""Start-up cost of the wrapper, compared in the same run with `script` and with nothing.

    .venv/bin/python bench/bench_startup.py [--runs 40]

Each command runs with a fresh pty as its controlling terminal (as when typed in a shell):
`true`, `script -qc true /dev/null`, `python -c pass` (the interpreter aitrack runs on: the floor)
and `aitrack run -- true` (PTY path, recording a session;
AITRACK_INGEST=0 so the detached worker does not compete for the CPU with the next run).
Prints the median wall and CPU time of each and the ratios. Goal: aitrack ≤ 2.5 × script.
AITRACK_BENCH_BIN=/path/to/aitrack measures another install (e.g. a non-editable venv).
"""
from __future__ import annotations

import argparse
import fcntl
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

AITRACK = os.environ.get("AITRACK_BENCH_BIN") or str(Path(sys.executable).parent / "aitrack")


def _take_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # a controlling terminal, as in a shell


def in_pty(argv: list[str], env: dict[str, str], sink: Callable[[bytes], None] | None = None) -> tuple[float, float]:
    """Run `argv` on a new pty (its controlling tty), drain the output until it exits.

    Returns (wall seconds, CPU seconds of the process and the children it waited for): on a
    shared machine the CPU time is the steadier of the two."""
    master, slave = os.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                            preexec_fn=_take_tty)
    os.close(slave)
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 1 << 16)
            except OSError:
                break
            if not data:
                break
            if sink:
                sink(data)
        elif proc.poll() is not None:
            break
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    os.close(master)
    if proc.returncode != 0:
        raise SystemExit(f"{argv} exited {proc.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime


def bench_env(tmp: str) -> dict[str, str]:
    return dict(os.environ, AITRACK_HOME=os.path.join(tmp, "data"), AITRACK_INGEST="0", AITRACK_HOOKS_AUTO="0",
                TERM="xterm")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40)
    opts = ap.parse_args()
    if not shutil.which("script"):
        raise SystemExit("util-linux `script` is needed for the baseline")
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(tmp)
        os.chdir(tmp)  # not a git repository: no hook check in the timing
        with open(AITRACK, encoding="utf-8") as fh:  # the interpreter aitrack runs on: the floor
            python = fh.readline()[2:].split()[0]
        cmds = {"true": ["true"], "script": ["script", "-qc", "true", "/dev/null"],
                "python": [python, "-c", "pass"], "aitrack": [AITRACK, "run", "--", "true"]}
        wall: dict[str, list[float]] = {name: [] for name in cmds}
        cpu: dict[str, list[float]] = {name: [] for name in cmds}
        for name, argv in cmds.items():
            in_pty(argv, env)  # warm the page cache
        for _ in range(opts.runs):
            for name, argv in cmds.items():  # interleaved: load changes hit all three alike
                w, c = in_pty(argv, env)
                wall[name].append(w)
                cpu[name].append(c)
        sessions = len(os.listdir(os.path.join(tmp, "data", "sessions")))
    med = {name: statistics.median(ts) * 1000 for name, ts in wall.items()}
    mcpu = {name: statistics.median(ts) * 1000 for name, ts in cpu.items()}
    print(f"start-up in a pty, median of {opts.runs} runs (ms)   wall     cpu")
    for name in cmds:
        print(f"  {name:8}                              {med[name]:7.2f} {mcpu[name]:7.2f}")
    print(f"  aitrack / script = {med['aitrack'] / med['script']:.2f} wall, "
          f"{mcpu['aitrack'] / mcpu['script']:.2f} cpu   (goal <= 2.5)")
    print(f"  aitrack / true   = {med['aitrack'] / med['true']:.2f} wall")
    print(f"  aitrack - python -c pass = {med['aitrack'] - med['python']:.2f} ms wall, "
          f"{mcpu['aitrack'] - mcpu['python']:.2f} ms cpu (what aitrack adds to its interpreter)")
    print(f"  sessions recorded: {sessions}  (aitrack: {AITRACK})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
