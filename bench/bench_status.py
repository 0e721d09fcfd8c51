"""`aitrack status` against `python -c pass`, in the same run: what a prompt or Claude Code's
statusLine pays for it.

    .venv/bin/python bench/bench_status.py [--sessions 2000] [--runs 21]

A data dir with N finished sessions and one running (meta.json + live.json), then fresh processes of:
  python -c pass                the interpreter aitrack runs on, started and stopped
  aitrack status (in session)   AITRACK_SESSION_DIR set, as inside a wrapped agent; goal ≤ 30 ms
  aitrack status --last         outside a session: the newest of N session folders
  aitrack status (no session)   outside a session: prints nothing
AITRACK_BENCH_BIN=/path/to/aitrack measures another install. Exits 1 when status imports click or
mlflow (an import, not a timing: timings only print; on a noisy machine people read them).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AITRACK = os.environ.get("AITRACK_BENCH_BIN") or str(Path(sys.executable).with_name("aitrack"))
GOAL_MS = 30.0


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    res = subprocess.run(argv, env=env, capture_output=True)
    took = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"{argv} failed: {res.stderr.decode()[-500:]}")
    return took


def build(sessions: Path, n: int) -> Path:
    sessions.mkdir(parents=True)
    for i in range(n):
        sid = f"20261101T{i // 3600 % 24:02d}{i // 60 % 60:02d}{i % 60:02d}000Z-{i:06x}"
        folder = sessions / sid
        folder.mkdir()
        meta = {"id": sid, "tool": "claude", "started_at_epoch": 1.0 + i, "ended_at_epoch": 2.0 + i, "ended_at": "x"}
        (folder / "meta.json").write_text(json.dumps(meta))
        (folder / "session.json").write_text(json.dumps({"metrics": {"user_prompts": 3, "output_tokens": 10},
                                                         "commands": [{"command": "pytest"}] * 200}))
    live = sessions / "20261231T235959000Z-ffffff"
    live.mkdir()
    (live / "meta.json").write_text(json.dumps({"id": live.name, "tool": "claude", "started_at_epoch": time.time()}))
    (live / "live.json").write_text(json.dumps({"metrics": {"user_prompts": 3, "commands_executed": 12,
                                                            "errors_encountered": 1, "input_tokens": 5000,
                                                            "output_tokens": 300}, "cost": {"usd": 0.19}}))
    return live


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="aitrack-bench-") as tmp_s:
        tmp = Path(tmp_s)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AITRACK_", "MLFLOW_"))}
        env.update(HOME=str(tmp), XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"))
        live = build(tmp / "data" / "aitrack" / "sessions", args.sessions)
        inside = dict(env, AITRACK_SESSION_DIR=str(live), AITRACK_SESSION_ID=live.name)
        with open(AITRACK, encoding="utf-8") as fh:
            python = fh.readline()[2:].split()[0]
        cases = [
            ("python -c pass", [python, "-c", "pass"], env),
            ("aitrack status (in session)", [AITRACK, "status"], inside),
            ("aitrack status --last", [AITRACK, "status", "--last"], env),
            ("aitrack status (no session)", [AITRACK, "status"], env),
        ]
        timed([AITRACK, "status"], inside)  # warm the OS cache once
        results: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _ in range(args.runs):
            for name, argv, case_env in cases:
                results[name].append(timed(argv, case_env))
        shown = subprocess.run([AITRACK, "status"], env=inside, capture_output=True, text=True).stdout.strip()
        probe = ("import sys; from aitrack.main import main; main(['status']); print(' '.join("
                 "m for m in ('click', 'mlflow') if m in sys.modules) or 'none', file=sys.stderr)")
        loaded = subprocess.run([python, "-c", probe], env=inside, capture_output=True,
                                text=True).stderr.strip().splitlines()[-1]
    med = {name: statistics.median(times) * 1000 for name, times in results.items()}
    base = med["python -c pass"]
    print(f"{args.sessions} sessions on disk; median of {args.runs} fresh processes each")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; aitrack: {AITRACK}")
    print(f"{'case':30} {'median ms':>10} {'min ms':>8} {'vs python':>10} {'+ms':>7}")
    for name, times in results.items():
        print(f"{name:30} {med[name]:10.1f} {min(times) * 1000:8.1f} {med[name] / base:9.2f}× {med[name] - base:7.1f}")
    print(f"line: {shown}")
    ours = med["aitrack status (in session)"]
    print(f"status in a session: {ours:.1f} ms (goal ≤ {GOAL_MS:.0f} ms: {'met' if ours <= GOAL_MS else 'NOT met'})")
    print(f"heavy modules imported by status: {loaded}")
    return 1 if loaded != "none" else 0


if __name__ == "__main__":
    sys.exit(main())
