"""Start-up cost of the wrapper, compared in the same run with `script` and with nothing.

    .venv/bin/python bench/bench_startup.py [--runs 40]

Each command runs with a fresh pty as its controlling terminal (as when typed in a shell):
`true`, `script -qc true /dev/null`, `python -c pass` (the interpreter aitrack runs on: the floor)
and `aitrack run -- true` (PTY path, recording a session; AITRACK_INGEST=0 so the detached worker
does not compete for the CPU with the next run), outside any repository and inside a git work
tree (session hooks checked, HEAD read). Prints the median wall and CPU time of each and the
ratios. Goal: aitrack ≤ 2.0 × script.

Then the import check, which FAILS the bench (exit 1): every module the wrapper imports before
the child runs (`-X importtime` up to the child's first output) must be one the interpreter
imports anyway (`python -c pass`), one the console script's launcher imports (pip's imports
`re`), or on ALLOWED below. A new import on that path is start-up time every session pays.
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
GOAL = 2.0
MARKER = "aitrack-bench-child-started"
# What the wrapper may import before the child runs, beyond the interpreter's and launcher's own.
ALLOWED = {
    "__future__", "errno", "fcntl", "pwd", "select", "struct", "_struct", "termios", "_json",
    "aitrack", "aitrack.main", "aitrack.capture", "aitrack.sessiondir",
    "aitrack.capture.proc", "aitrack.capture.resolve", "aitrack.capture.run", "aitrack.capture.session",
    "aitrack.capture.live",
    "aitrack.capture.sig", "aitrack.capture.pty_", "aitrack.capture.pty_.child", "aitrack.capture.pty_.relay",
    "aitrack.capture.pty_.term", "aitrack.vcs", "aitrack.vcs.hooknames", "aitrack.vcs.gitdir", "aitrack.vcs.sessionhooks",
    "aitrack.agents", "aitrack.agents.facts",  # the generated agent table (stdlib data), no agent module
}


def _take_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # a controlling terminal, as in a shell


def in_pty(argv: list[str], env: dict[str, str], sink: Callable[[bytes], None] | None = None,
           cwd: str | None = None) -> tuple[float, float]:
    """Run `argv` on a new pty (its controlling tty), drain the output until it exits.

    Returns (wall seconds, CPU seconds of the process and the children it waited for): on a
    shared machine the CPU time is the steadier of the two."""
    master, slave = os.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                            preexec_fn=_take_tty, cwd=cwd)
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


def imported(stderr_text: str) -> set[str]:
    """Module names in `-X importtime` output."""
    names = set()
    for line in stderr_text.splitlines():
        if line.startswith("import time:") and line.count("|") == 2 and "cumulative" not in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def interpreter(command: str) -> list[str]:
    """What the command's #! line runs: [python, its flags] (`-S` for install.sh's command files)."""
    with open(command, encoding="utf-8") as fh:
        return fh.readline()[2:].split()


def imports_before_child(python: str, env: dict[str, str], cwd: str) -> tuple[set[str], set[str]]:
    """(modules the wrapper imported before its child's first output, modules it may import)."""
    out = bytearray()
    child = [python, "-c", f"print('{MARKER}')"]
    in_pty([*interpreter(AITRACK), "-X", "importtime", AITRACK, "run", "--", *child], env, out.extend, cwd)
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    if MARKER not in text:
        raise SystemExit(f"the child never started:\n{text[-2000:]}")
    before = imported(text.split(MARKER, 1)[0])
    # What any start of this interpreter imports (with site: `-S` leaves os and the like to aitrack).
    floor = subprocess.run([python, "-X", "importtime", "-c", "pass"], env=env, capture_output=True, text=True).stderr
    with open(AITRACK, encoding="utf-8") as fh:  # the launcher's own imports (pip's: re)
        launcher = [line.split()[1] for line in fh if line.startswith("import ")]
    lib = subprocess.run([python, "-X", "importtime", "-c", "; ".join(f"import {m}" for m in launcher) or "pass"],
                         env=env, capture_output=True, text=True).stderr
    return before, imported(floor) | imported(lib) | ALLOWED


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
        os.chdir(tmp)  # not a git repository: no hook check in the timing of "aitrack"
        work_tree = os.path.join(tmp, "repo")
        subprocess.run(["git", "init", "-q", work_tree], check=True)
        subprocess.run(["git", "-C", work_tree, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q",
                        "--allow-empty", "-m", "x"], check=True)
        python = interpreter(AITRACK)[0]  # the interpreter aitrack runs on: the floor
        cmds = {"true": ["true"], "script": ["script", "-qc", "true", "/dev/null"],
                "python": [python, "-c", "pass"], "aitrack": [AITRACK, "run", "--", "true"],
                "aitrack-wt": [AITRACK, "run", "--", "true"]}
        wall: dict[str, list[float]] = {name: [] for name in cmds}
        cpu: dict[str, list[float]] = {name: [] for name in cmds}
        for name, argv in cmds.items():
            in_pty(argv, env, cwd=work_tree if name == "aitrack-wt" else None)  # warm the page cache (and write the session-hooks folder once)
        for _ in range(opts.runs):
            for name, argv in cmds.items():  # interleaved: load changes hit all alike
                w, c = in_pty(argv, env, cwd=work_tree if name == "aitrack-wt" else None)
                wall[name].append(w)
                cpu[name].append(c)
        sessions = len(os.listdir(os.path.join(tmp, "data", "sessions")))
        before, allowed = imports_before_child(python, env, work_tree)
    med = {name: statistics.median(ts) * 1000 for name, ts in wall.items()}
    mcpu = {name: statistics.median(ts) * 1000 for name, ts in cpu.items()}
    print(f"start-up in a pty, median of {opts.runs} runs (ms)   wall     cpu")
    for name in cmds:
        print(f"  {name:8}                              {med[name]:7.2f} {mcpu[name]:7.2f}")
    ratio, ratio_wt = med["aitrack"] / med["script"], med["aitrack-wt"] / med["script"]
    print(f"  aitrack / script = {ratio:.2f} wall, "
          f"{mcpu['aitrack'] / mcpu['script']:.2f} cpu   (goal <= {GOAL})")
    print(f"  aitrack in a work tree / script = {ratio_wt:.2f} wall, {mcpu['aitrack-wt'] / mcpu['script']:.2f} cpu")
    print(f"  aitrack / true   = {med['aitrack'] / med['true']:.2f} wall")
    print(f"  aitrack - python -c pass = {med['aitrack'] - med['python']:.2f} ms wall, "
          f"{mcpu['aitrack'] - mcpu['python']:.2f} ms cpu (what aitrack adds to its interpreter)")
    print(f"  sessions recorded: {sessions}  (aitrack: {AITRACK}); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    extra = sorted(before - allowed)
    print(f"  imported before the child runs (in a work tree): {len(before)} modules, "
          + (f"NOT ALLOWED: {' '.join(extra)}" if extra else "all allowed"))
    print(f"  goal: aitrack / script <= {GOAL} → {ratio:.2f} (work tree {ratio_wt:.2f}) "
          f"{'ok' if max(ratio, ratio_wt) <= GOAL else 'MISSED'}")
    return 1 if extra else 0


if __name__ == "__main__":
    sys.exit(main())
