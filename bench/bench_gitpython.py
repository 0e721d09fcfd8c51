"""Whether GitPython would serve aitrack's git reads, measured against what vcs/git.py does, same run.

    .venv/bin/python bench/bench_gitpython.py [--commits 200] [--runs 9]

In a scratch repository of N commits: (1) the import, in a fresh interpreter, against `python -c
pass`; (2) ingest's history read — the last 50 commits' sha, subject and full message — as one
`git log` (vcs.git.out) and as GitPython's `Repo.iter_commits`; (3) attribution's diff of one
commit — `git diff-tree -p -U0` (vcs.git.run_quick) and GitPython's `Commit.diff(create_patch=True)`.
Prints medians and ratios (GitPython / ours). The README's dependency section quotes the result.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aitrack.vcs import git  # noqa: E402


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def _repo(root: Path, commits: int) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@x"}
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for i in range(commits):
        (root / f"f{i % 20}.py").write_text("".join(f"line {j} of {i}\n" for j in range(i % 40 + 5)))
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", str(root), "commit", "-qm", f"change {i}\n\nbody of #{i}"], check=True, env=env)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    py = [sys.executable, "-c"]
    imp_git = _median(lambda: subprocess.run([*py, "import git"], check=True), args.runs)
    imp_none = _median(lambda: subprocess.run([*py, "pass"], check=True), args.runs)
    import git as gitpython  # noqa: E402  (GitPython; mlflow already depends on it)

    with tempfile.TemporaryDirectory(prefix="aitrack-bench-gp-") as tmp:
        root = Path(tmp)
        _repo(root, args.commits)
        repo = gitpython.Repo(root)

        def ours_log() -> object:
            return git.out(["log", "-50", "--format=%H%x00%s%x00%B%x01"], root).split("\x01")

        def gp_log() -> object:
            return [(c.hexsha, c.summary, c.message) for c in repo.iter_commits("HEAD", max_count=50)]

        head = git.out(["rev-parse", "HEAD"], root).strip()

        def ours_diff() -> object:
            return git.run_quick(["diff-tree", "-p", "-U0", "-M", "--root", "-r", head], root)[1]

        def gp_diff() -> object:
            c = repo.commit(head)
            return [d.diff for d in c.parents[0].diff(c, create_patch=True, unified=0)]

        rows = [("import (fresh interpreter)", imp_none, imp_git, "python -c pass"),
                ("history: 50 commits' sha/subject/message", _median(ours_log, args.runs), _median(gp_log, args.runs), "one git log"),
                ("attribution: one commit's -U0 diff", _median(ours_diff, args.runs), _median(gp_diff, args.runs), "git diff-tree")]
    print(f"GitPython {gitpython.__version__} against aitrack's git calls, median of {args.runs} (ms), "
          f"{args.commits} commits, load {os.getloadavg()[0]:.1f}")
    for name, ours, theirs, base in rows:
        print(f"  {name:42s} ours ({base}) {ours:7.1f}   GitPython {theirs:7.1f}   ratio {theirs / ours:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
