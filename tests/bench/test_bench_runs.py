"""Every benchmark still runs (at a tiny size): a benchmark nobody can run measures nothing.

No timing is asserted here — these machines are noisy; the ratios are read by people (README)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support import FIXTURES, NO_FIXTURES

BENCH = Path(__file__).resolve().parents[2] / "bench"

TINY = {
    "bench_agent_hooks.py": ["--runs", "2"],
    "bench_blame.py": ["--lines", "50", "--commits", "4", "--runs", "1"],
    "bench_cost.py": ["--sessions", "20"],
    "bench_gitpython.py": ["--commits", "3", "--runs", "1"],
    "bench_hooks.py": ["--commits", "2"],
    "bench_local.py": ["--sessions", "2", "--runs", "1"],
    "bench_shellstart.py": ["--runs", "2"],
    "bench_startup.py": ["--runs", "2"],
    "bench_show.py": ["--sessions", "10", "--runs", "2"],
    "bench_ui.py": ["--rounds", "1"],
    "bench_throughput.py": ["--mb", "1", "--rounds", "1"],
    "bench_ingest.py": ["--rounds", "1"],
    "bench_live.py": ["--mb", "1", "--appends", "10", "--agent-mb", "1", "--rounds", "1", "--pause-ms", "1", "--rss-mb", "1"],
    "bench_status.py": ["--sessions", "10", "--runs", "2"],
    "bench_parse.py": ["--sizes", "1", "--repeat", "1"],
    "bench_redact.py": ["--mb", "1", "--repeat", "1"],
    "bench_terminal.py": ["--mb", "0.5"],
    "bench_procedures.py": ["--runs", "1", "--rows", "20"],
    "bench_team.py": ["--sessions", "1", "--shows", "1"],
}


def test_every_benchmark_is_listed() -> None:
    assert sorted(p.name for p in BENCH.glob("bench_*.py")) == sorted(TINY)


NEEDS_FIXTURES = ("bench_cost.py", "bench_live.py", "bench_parse.py")  # they repeat the shared public logs
# PostgreSQL and `mlflow server` (bench_team), the MLflow UI's server (bench_ui): marked `server`,
# out of the inner loop.
SERVER = ("bench_team.py", "bench_ui.py")


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.server) if n in SERVER else n for n in sorted(TINY)])
@pytest.mark.timeout(600)
def test_benchmark_runs_at_a_tiny_size(name: str, tmp_path: Path) -> None:
    if name in NEEDS_FIXTURES and not FIXTURES.is_dir():
        pytest.skip(NO_FIXTURES)
    res = subprocess.run([sys.executable, str(BENCH / name), *TINY[name]], capture_output=True, text=True,
                         cwd=tmp_path, timeout=580)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert res.stdout.strip(), res.stderr[-3000:]
