"""`aitrack sessions` and `aitrack report` from the local records, against the same commands asking
the embedded MLflow store (the path before: mlflow imported, SQLite searched), in the same run.

    .venv/bin/python bench/bench_local.py [--sessions 30] [--runs 5]

A tmp data dir with N recorded sessions logged by `aitrack sync`. Each command runs as a fresh
process (what a person types), interleaved run by run; AITRACK_LOCAL_ROWS=0 forces the store.
`aitrack doctor` is timed too and reports whether it imported mlflow (it must not).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def timed(args: list[str], env: dict[str, str], cwd: str) -> float:
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "aitrack", *args], env=env, cwd=cwd, capture_output=True,
                         text=True, timeout=300)
    if res.returncode != 0:
        raise SystemExit(f"aitrack {' '.join(args)}: exit {res.returncode}: {res.stderr.strip()[-500:]}")
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="aitrack-bench-") as tmp:
        # The tests' store template stays (tests/conftest.py): the store's creation is not what is timed.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AITRACK_", "MLFLOW_TRACKING")) or k == "AITRACK_STORE_TEMPLATE"}
        env.update(HOME=tmp, AITRACK_HOME=f"{tmp}/data", MLFLOW_DISABLE_TELEMETRY="true",
                   XDG_CONFIG_HOME=f"{tmp}/.config", GIT_CONFIG_NOSYSTEM="1")
        os.environ.update(AITRACK_HOME=env["AITRACK_HOME"])
        from ingest.kit import make_session

        for i in range(args.sessions):
            make_session(tool="claude" if i % 2 else "codex", argv=["claude", f"close-issue {i}"],
                         raw=f"working on {i}\r\n".encode(), exit_code=i % 3 == 0)
        subprocess.run([sys.executable, "-m", "aitrack", "sync"], env=env, check=True, capture_output=True,
                       timeout=900)
        store_env = {**env, "AITRACK_LOCAL_ROWS": "0"}
        cases = {
            "sessions": (["sessions"], env, store_env),
            "sessions --filter": (["sessions", "--filter", "metrics.success = 1"], env, store_env),
            "report": (["report", "--out", f"{tmp}/r.html"], env, store_env),
        }
        times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in cases}
        for _ in range(args.runs):
            for name, (argv, local, store) in cases.items():
                times[name][0].append(timed(argv, local, tmp))
                times[name][1].append(timed(argv, store, tmp))
        for name, (local_t, store_t) in times.items():
            lo, st = statistics.median(local_t) * 1000, statistics.median(store_t) * 1000
            print(f"{name:18s} local records {lo:7.0f} ms   store {st:7.0f} ms   {lo / st:.2f}× ({args.sessions} sessions)")
        doctor = statistics.median(_doctor(env, tmp) for _ in range(args.runs))
        print(f"{'doctor':18s} {doctor * 1000:7.0f} ms, mlflow imported: {_doctor_imports_mlflow(env, tmp)}")
    return 0


def _doctor(env: dict[str, str], cwd: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "aitrack", "doctor"], env=env, cwd=cwd, capture_output=True, timeout=300)
    return time.perf_counter() - t  # its exit status says what is not set up here, not whether it ran


def _doctor_imports_mlflow(env: dict[str, str], cwd: str) -> bool:
    code = "import sys; from aitrack.cli import main; main(['doctor']); print('mlflow' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    return res.stdout.strip().splitlines()[-1] == "True"


if __name__ == "__main__":
    sys.exit(main())
