"""`aitrack cost --by issue` on 10,000 recorded sessions, against reading their session.json files
(what a roll-up without cost.json would have to do), in the same run.

    .venv/bin/python bench/bench_cost.py [--sessions 10000]

The records are one real ingested Claude session (shared fixture) copied N times with their own
ids, start times and issue numbers. Columns: median of 3 warm runs (page cache warm for both).
  baseline   json.load of every session.json, nothing else
  rollup     aitrack.cost.rollup: every cost.json read and grouped by issue
  command    `python -m aitrack cost --by issue` end to end (interpreter, click, output)
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FIXTURES = Path(os.environ.get("AITRACK_TEST_FIXTURES") or REPO.parent / "shared" / "fixtures")  # as tests/support.py
FIXTURE = FIXTURES / "claude" / "drmaciver-python-to-rust-port.jsonl"


def populate(home: Path, n: int) -> None:
    os.environ["AITRACK_HOME"] = str(home)
    from aitrack.sessiondir import COST as ROW, write_meta
    from aitrack.cost.record import rollup_row
    from aitrack.ingest.local import build_record
    from aitrack.paths import ensure_private_dir, sessions_dir

    seed = ensure_private_dir(sessions_dir() / "seed")
    now = time.time()
    write_meta(seed, {"id": "seed", "argv": ["claude"], "tool": "claude", "provider": "claude_code", "cwd": "/tmp",
                      "started_at_epoch": now - 100, "ended_at_epoch": now - 50, "exit_code": 0,
                      "started_at": "2026-11-27T03:00:00.000Z", "ended_at": "2026-11-27T03:01:00.000Z"})
    if not FIXTURE.is_file():
        raise SystemExit(f"{FIXTURE} not found: set AITRACK_TEST_FIXTURES to the fixtures folder")
    base = build_record(seed, agent_logs=[FIXTURE])
    assert base.get("cost", {}).get("usd"), "the seed session was not priced"
    for i in range(n):
        started = now - i * 600
        sid = time.strftime("%Y%m%dT%H%M%S", time.gmtime(started)) + f"{i % 1000:03d}Z-{i:06x}"
        folder = ensure_private_dir(sessions_dir() / sid)
        rec = dict(base, session_id=sid, issue_numbers=[100 + i % 50, 200 + i % 7] if i % 3 == 0 else [100 + i % 50],
                   meta=dict(base["meta"], id=sid, started_at_epoch=started))
        (folder / "session.json").write_text(json.dumps(rec, indent=1, sort_keys=True))
        (folder / ROW).write_text(json.dumps(rollup_row(rec)))
    import shutil

    shutil.rmtree(seed)


def timed(fn: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="aitrack-bench-cost-") as tmp:
        home = Path(tmp)
        populate(home, args.sessions)
        from aitrack.cost.rollup import group, rows
        from aitrack.paths import sessions_dir

        root = sessions_dir()
        size = sum(f.stat().st_size for f in root.glob("*/session.json")) / args.sessions

        def baseline() -> None:
            for folder in root.iterdir():
                with open(folder / "session.json", encoding="utf-8") as fh:
                    json.load(fh)

        def rollup() -> None:
            group(rows(root), "issue")

        def command() -> None:
            subprocess.run([sys.executable, "-m", "aitrack", "cost", "--by", "issue"], check=True,
                           capture_output=True, env=dict(os.environ, AITRACK_HOME=str(home)))

        b, r, c = timed(baseline), timed(rollup), timed(command)
        print(f"{args.sessions} sessions, session.json {size / 1024:.0f} KB each")
        print(f"baseline  read every session.json  {b * 1000:8.0f} ms")
        print(f"rollup    cost.json, by issue      {r * 1000:8.0f} ms   {r / b:.2f}x baseline")
        print(f"command   aitrack cost --by issue  {c * 1000:8.0f} ms   {c / b:.2f}x baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
