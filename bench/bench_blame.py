"""`aitrack blame FILE` against `git blame FILE`, in the same run (issue 16: goal ≤ 1.5×).

    .venv/bin/python bench/bench_blame.py [--lines 3000] [--commits 300] [--runs 7]

Builds a repository whose one file has LINES lines and COMMITS commits, each rewriting a few
lines; every other commit is an agent session's and carries an attribution note written by
aitrack's own code (vcs/attribution.py). Then times fresh processes of:
  git blame FILE            the baseline
  aitrack blame FILE        the same blame plus, per line, the session, model and prompt
  aitrack blame --json      the same as JSON
and, when run inside a git checkout, the same three on its README.md (a real history, no notes:
the fallback path that reads every note). Exits 1 when blame imports click or mlflow.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AITRACK = os.environ.get("AITRACK_BENCH_BIN") or str(Path(sys.executable).with_name("aitrack"))
GOAL = 1.5


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    res = subprocess.run(argv, cwd=cwd, env=env, capture_output=True)
    took = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"{argv} failed: {res.stderr.decode()[-500:]}")
    return took


def build(root: Path, lines: int, commits: int, env: dict[str, str]) -> None:
    from aitrack.parse.edits import line_hash
    from aitrack.vcs.attribution import attribute_commit

    subprocess.run(["git", "init", "-q", str(root)], env=env, check=True)
    rng = random.Random(16)
    text = [f"line {i} = {rng.random()}" for i in range(lines)]
    path = root / "big.py"
    for n in range(commits):
        for i in rng.sample(range(lines), max(1, lines // 100)) if n else range(lines):
            text[i] = f"line {i} v{n} = {rng.random()}"
        path.write_text("\n".join(text) + "\n")
        subprocess.run(["git", "add", "big.py"], cwd=root, env=env, check=True)
        subprocess.run(["git", "commit", "-q", "-m", f"c{n}"], cwd=root, env=env, check=True)
        if n % 2:
            sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, env=env, capture_output=True,
                                 text=True).stdout.strip()
            record = {"session_id": f"s{n}", "provider": "claude_code", "cwd": str(root),
                      "writes": [{"file": "big.py", "lines": [line_hash(t) for t in text], "tool": "Edit",
                                  "prompt": 1, "model": "claude-sonnet-4-5"}]}
            os.environ.update(env)
            attribute_commit(str(root), sha, [record])


def measure(cases: dict[str, list[str]], cwd: Path, env: dict[str, str], runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, argv in cases.items():  # interleaved: load changes hit every case alike
            times[name].append(timed(argv, cwd, env))
    return times


def report(title: str, times: dict[str, list[float]]) -> float:
    base = statistics.median(times["git blame"])
    print(title)
    print(f"  {'case':24} {'median ms':>10} {'min ms':>8} {'vs git blame':>13}")
    worst = 0.0
    for name, values in times.items():
        med = statistics.median(values)
        worst = max(worst, med / base)
        print(f"  {name:24} {med * 1000:10.1f} {min(values) * 1000:8.1f} {med / base:12.2f}×")
    return worst


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=3000)
    ap.add_argument("--commits", type=int, default=300)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="aitrack-bench-blame-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "NO_COLOR": "1"}
        (home / ".gitconfig").write_text("[user]\n\tname = Bench\n\temail = bench@example.com\n")
        root = Path(tmp) / "repo"
        start = time.perf_counter()
        build(root, args.lines, args.commits, env)
        print(f"{args.lines} lines, {args.commits} commits, {args.commits // 2} attribution notes "
              f"(setup {time.perf_counter() - start:.1f} s); median of {args.runs} fresh processes each")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; aitrack: {AITRACK}")
        cases = {"git blame": ["git", "blame", "big.py"], "aitrack blame": [AITRACK, "blame", "big.py"],
                 "aitrack blame --json": [AITRACK, "blame", "--json", "big.py"]}
        worst = report("synthetic repository:", measure(cases, root, env, args.runs))
        if (REPO / ".git").exists() and (REPO / "README.md").is_file():
            real = {"git blame": ["git", "blame", "README.md"], "aitrack blame": [AITRACK, "blame", "README.md"],
                    "aitrack blame --json": [AITRACK, "blame", "--json", "README.md"]}
            report("this checkout's README.md (no notes):", measure(real, REPO, env, args.runs))
        probe = ("import sys; from aitrack.main import main; main(['blame', 'big.py']); print(' '.join("
                 "m for m in ('click', 'mlflow') if m in sys.modules) or 'none', file=sys.stderr)")
        res = subprocess.run([sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True)
        loaded = res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "?"
    print(f"goal: aitrack blame ≤ {GOAL}× git blame (synthetic worst case {worst:.2f}×)")
    print(f"imported of click, mlflow: {loaded}" + ("" if loaded == "none" else "  FAILED: blame must import neither"))
    return 0 if loaded == "none" else 1


if __name__ == "__main__":
    sys.exit(main())
