"""What `aitrack ui` starts, against MLflow's default `mlflow server` on the same store, same run.

    .venv/bin/python bench/bench_ui.py [--rounds 2]

A fresh embedded store, `mlflow server --workers 1` on a free 127.0.0.1 port:
  default    MLflow's defaults (job execution on: huey consumers and their workers)
  aitrack    what `aitrack ui` starts (aitrack.store.server.UI_ENV: job execution off)
For each: seconds until /health answers, then (after 5 s, when job runners are up) the processes in
its group and their summed PSS (/proc/<pid>/smaps_rollup). Rounds alternate the two.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aitrack.store import server  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind((server.HOST, 0))
        return int(s.getsockname()[1])


def group(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == pgid:
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


def pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def one(db: str, artifacts: str, env_extra: dict[str, str], log: Path) -> tuple[float, int, float]:
    port = free_port()
    t0 = time.perf_counter()
    proc = server.start(db, artifacts, port, log=log, env_extra=env_extra)
    try:
        if not server.wait_healthy(f"http://{server.HOST}:{port}", proc, 180):
            raise SystemExit(f"server did not start; see {log}")
        took = time.perf_counter() - t0
        time.sleep(5)  # job runners start after the server answers
        pids = group(proc.pid)
        return took, len(pids), pss_mb(pids)
    finally:
        server.stop(proc.pid)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    cases = {"default": {}, "aitrack": server.UI_ENV}
    with tempfile.TemporaryDirectory(prefix="aitrack-bench-") as tmp:
        db, artifacts = f"sqlite:///{tmp}/mlflow.db", f"{tmp}/artifacts"
        results: dict[str, list[tuple[float, int, float]]] = {k: [] for k in cases}
        for _ in range(args.rounds):
            for name, extra in cases.items():
                results[name].append(one(db, artifacts, extra, Path(tmp) / f"{name}.log"))
    med = {k: tuple(statistics.median(r[i] for r in v) for i in range(3)) for k, v in results.items()}
    for name, (took, procs, mem) in med.items():
        print(f"{name:8s} ready in {took:5.1f} s, {procs:3.0f} processes, {mem:7.0f} MB PSS")
    d, a = med["default"], med["aitrack"]
    print(f"aitrack/default: time {a[0] / d[0]:.2f}×, processes {a[1]:.0f}/{d[1]:.0f}, memory {a[2] / d[2]:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
