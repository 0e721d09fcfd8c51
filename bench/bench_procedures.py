"""Costs of procedures, reports and exports, each against a baseline measured in the same run.

    .venv/bin/python bench/bench_procedures.py [--runs 10] [--rows 5000]

  start-up   `true` directly  vs  `aitrack run -- true`  vs  `aitrack track x -- true` (no tty:
             the tee path), and `python -c pass` vs `import aitrack` vs `aitrack.procedure` loaded
  rendering  report.render / export CSV of N synthetic runs  vs  json.dumps of the same rows
Ratios, not thresholds: the machine is shared.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AITRACK = str(Path(sys.executable).with_name("aitrack"))


def median_time(argv: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rows(n: int) -> list[dict[str, object]]:
    rnd = random.Random(7)
    now = time.time()
    providers = ["claude_code", "openai_codex", "gemini_cli", "aider", "generic"]
    return [{
        "run_id": f"{i:032x}", "session_id": f"s{i}", "run_name": f"run {i}", "provider": providers[i % 5],
        "start_time": now - rnd.random() * 90 * 86400, "end_time": now, "status": "success",
        "tags": {"provider": providers[i % 5], "type": "ai_session", "issues": str(rnd.randint(1, 40))},
        "params": {"procedure_name": f"p{i % 7}", "cwd": "/tmp"},
        "metrics": {"success": float(rnd.random() > 0.2), "duration_seconds": rnd.random() * 3000,
                    "errors_encountered": float(rnd.randint(0, 5)), "input_tokens": 1000.0, "output_tokens": 300.0,
                    "commands_executed": 7.0, "commits": 1.0},
    } for i in range(n)]


def timed(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--rows", type=int, default=5000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, AITRACK_HOME=tmp, AITRACK_INGEST="0", AITRACK_HOOKS_AUTO="0")
        base = median_time(["true"], env, args.runs)
        run = median_time([AITRACK, "run", "--", "true"], env, args.runs)
        track = median_time([AITRACK, "track", "bench", "--", "true"], env, args.runs)
        print(f"true {base * 1000:.1f} ms | aitrack run {run * 1000:.1f} ms ({run / base:.0f}x) | "
              f"aitrack track {track * 1000:.1f} ms ({track / run:.2f}x run)")
        py = median_time([sys.executable, "-c", "pass"], env, args.runs)
        imp = median_time([sys.executable, "-c", "import aitrack"], env, args.runs)
        api = median_time([sys.executable, "-c", "import aitrack; aitrack.procedure"], env, args.runs)
        print(f"python {py * 1000:.1f} ms | import aitrack {imp * 1000:.1f} ms ({imp / py:.2f}x) | "
              f"+ aitrack.procedure {api * 1000:.1f} ms ({api / py:.2f}x)")
    from aitrack.export.rows import to_text
    from aitrack.report.html import render

    data = rows(args.rows)
    dump = timed(lambda: json.dumps(data), 5)
    html = timed(lambda: render(data), 5)
    csv = timed(lambda: to_text(data, "csv"), 5)
    print(f"{args.rows} runs: json.dumps {dump * 1000:.0f} ms | report.render {html * 1000:.0f} ms "
          f"({html / dump:.1f}x) | CSV {csv * 1000:.0f} ms ({csv / dump:.1f}x)")


if __name__ == "__main__":
    main()
