"""What aitrack's git hooks cost a commit, against a repository without them, in the same run.

    .venv/bin/python bench/bench_hooks.py [--commits 60]

Three fresh repositories — plain, "floor" (commit-msg and post-commit hooks that only
`exit 0`: what git pays to run any hook at all) and aitrack's hooks — with commits interleaved so
all see the same machine load. Wall time of `git commit --allow-empty`, median and minimum (on a
shared, loaded machine the minimum is the steadier estimate of the intrinsic cost):
  outside a session   aitrack / plain         (goal ≤ 1.10×: the hooks must exit at once)
  inside a session    aitrack − plain, in ms  (goal ≤ +30 ms: trailer + journal)
  foreign hook        outside, with a chained `.legacy` hook (and the same hook in plain/floor)
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def git(cwd: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def timed_commit(cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of git and every process it waited for, hooks included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    git(cwd, "commit", "-q", "--allow-empty", "-m", "bench commit", env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def measure(repos: list[Path], env: dict[str, str], n: int) -> list[list[tuple[float, float]]]:
    times: list[list[tuple[float, float]]] = [[] for _ in repos]
    for _ in range(n):
        for i, repo in enumerate(repos):
            times[i].append(timed_commit(repo, env))
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--commits", type=int, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="aitrack-bench-") as tmp_s:
        tmp = Path(tmp_s)
        cfg = tmp / "gitconfig"
        cfg.write_text("[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AITRACK_", "GIT_"))}
        env.update(GIT_CONFIG_GLOBAL=str(cfg), GIT_CONFIG_NOSYSTEM="1", HOME=str(tmp), XDG_DATA_HOME=str(tmp / "data"))
        os.environ.update(env)
        from aitrack.vcs.hooks import install_repo

        plain, floor, hooked = tmp / "plain", tmp / "floor", tmp / "hooked"
        for repo in (plain, floor, hooked):
            git(tmp, "init", "-q", str(repo), env=env)
            git(repo, "commit", "-q", "--allow-empty", "-m", "root", env=env)
        install_repo(hooked)
        for name in ("commit-msg", "post-commit"):
            hook = floor / ".git" / "hooks" / name
            hook.write_text("#!/bin/sh\nexit 0\n")
            hook.chmod(0o755)
        session_dir = tmp / "data" / "aitrack" / "sessions" / "bench"
        session_dir.mkdir(parents=True)
        inside = {**env, "AITRACK_SESSION_ID": "bench", "AITRACK_SESSION_DIR": str(session_dir)}
        n = args.commits
        repos = [plain, floor, hooked]
        results = [("outside a session", measure(repos, env, n), "ratio", 1.10),
                   ("inside a session", measure(repos, inside, n), "delta", 30.0)]
        foreign = "#!/bin/sh\nexit 0\n"
        for repo in (plain, floor):
            (repo / ".git" / "hooks" / "commit-msg").write_text(foreign)
            (repo / ".git" / "hooks" / "commit-msg").chmod(0o755)
        (hooked / ".git" / "hooks" / "commit-msg.legacy").write_text(foreign)
        (hooked / ".git" / "hooks" / "commit-msg.legacy").chmod(0o755)
        results.append(("outside, foreign hook", measure(repos, env, n), "ratio", 1.10))
        journal = (session_dir / "commits").read_text().count("\n")
    version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.split()[-1]
    print(f"git commit --allow-empty, {n} interleaved runs each, git {version}")
    print("wall = median wall ms; cpu = median CPU ms of git + hooks (steadier under load)")
    print(f"{'case':22} {'plain wall/cpu':>15} {'floor wall/cpu':>15} {'aitrack wall/cpu':>17}   cost wall / cpu   goal")
    for name, runs, kind, goal in results:
        wall = [statistics.median(w for w, _ in r) * 1000 for r in runs]
        cpu = [statistics.median(c for _, c in r) * 1000 for r in runs]
        cells = " ".join(f"{w:8.1f}/{c:5.1f}" for w, c in zip(wall, cpu))
        if kind == "ratio":
            cost = (wall[2] / wall[0], cpu[2] / cpu[0])
            text, ok, goal_text = f"{cost[0]:.2f}× / {cost[1]:.2f}×", cost[0] <= goal, f"≤ {goal:.2f}×"
        else:
            cost = (wall[2] - wall[0], cpu[2] - cpu[0])
            text, ok, goal_text = f"+{cost[0]:.1f} / +{cost[1]:.1f} ms", cost[0] <= goal, f"≤ +{goal:.0f} ms"
        print(f"{name:22} {cells}   {text:17} {goal_text} {'ok' if ok else 'MISSED'}")
    print("floor = what git pays for running any two hooks; aitrack ≈ floor means our scripts add ~nothing.")
    print(f"journal lines written inside the session: {journal} (expected {n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
