"""What aitrack's git hooks cost a commit, against a commit without them, in the same run.

    .venv/bin/python bench/bench_hooks.py [--commits 60]

Fresh repositories, commits interleaved so every column sees the same machine load:
  plain      a repository aitrack never touched, and a commit outside any session
  session    the default: a repository sessions ran in (nothing written into it); inside a session
             the wrapper's core.hooksPath points git at the session-hooks folder, which forwards
  installed  hooks installed into the repository (`aitrack hooks install`, the opt-in way)
Wall time of `git commit --allow-empty`, median, and the CPU of git and every process it waited for:
  outside a session      session / plain        (goal ≤ 1.10×: no hook of ours may run)
  inside a session       session − plain, in ms (goal ≤ +30 ms: forwarding, trailer, journal)
  with a foreign hook    the same two, with the repository's own commit-msg hook in every column
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
Env = dict[str, str]


def git(cwd: Path, *args: str, env: Env) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def timed_commit(cwd: Path, env: Env) -> tuple[float, float]:
    """(wall seconds, CPU seconds of git and every process it waited for, hooks included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    git(cwd, "commit", "-q", "--allow-empty", "-m", "bench commit", env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def measure(cases: list[tuple[Path, Env]], n: int) -> list[tuple[float, float]]:
    """Median (wall ms, CPU ms) per case, the cases interleaved run by run."""
    times: list[list[tuple[float, float]]] = [[] for _ in cases]
    for _ in range(n):
        for i, (repo, env) in enumerate(cases):
            times[i].append(timed_commit(repo, env))
    return [(statistics.median(w for w, _ in t) * 1000, statistics.median(c for _, c in t) * 1000) for t in times]


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
        from aitrack.vcs.sessionhooks import session_hooks_env

        plain, session, installed = tmp / "plain", tmp / "session", tmp / "installed"
        for repo in (plain, session, installed):
            git(tmp, "init", "-q", str(repo), env=env)
            git(repo, "commit", "-q", "--allow-empty", "-m", "root", env=env)
        install_repo(installed)
        session_dir = tmp / "data" / "aitrack" / "sessions" / "bench"
        session_dir.mkdir(parents=True)
        inside = {**env, "AITRACK_SESSION_ID": "bench", "AITRACK_SESSION_DIR": str(session_dir)}
        inside_session = {**inside, **session_hooks_env(None)}
        n = args.commits
        rows = [("outside a session", measure([(plain, env), (session, env), (installed, env)], n)),
                ("inside a session", measure([(plain, env), (session, inside_session), (installed, inside)], n))]
        foreign = "#!/bin/sh\nexit 0\n"
        for hook in (plain / ".git/hooks/commit-msg", session / ".git/hooks/commit-msg",
                     installed / ".git/hooks/commit-msg.legacy"):
            hook.write_text(foreign)
            hook.chmod(0o755)
        rows += [("outside, foreign hook", measure([(plain, env), (session, env), (installed, env)], n)),
                 ("inside, foreign hook", measure([(plain, env), (session, inside_session), (installed, inside)], n))]
        journal = (session_dir / "commits").read_text().count("\n")
    version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.split()[-1]
    print(f"git commit --allow-empty, {n} interleaved runs each, git {version}")
    print("median wall ms / CPU ms of git + hooks; session = the default, installed = `aitrack hooks install`")
    print(f"{'case':22} {'plain':>14} {'session':>14} {'installed':>14}   {'session cost':>14} "
          f"{'installed cost':>15}   goal")
    for name, cells in rows:
        (pw, pc), (sw, _sc), (iw, _ic) = cells
        text = " ".join(f"{w:7.1f}/{c:5.1f}" for w, c in cells)
        if name.startswith("outside"):
            costs, goal, ok = f"{sw / pw:.2f}×", "≤ 1.10×", sw / pw <= 1.10
            icost = f"{iw / pw:.2f}×"
        else:
            costs, goal, ok = f"+{sw - pw:.1f} ms", "≤ +30 ms", sw - pw <= 30
            icost = f"+{iw - pw:.1f} ms"
        print(f"{name:22} {text}   {costs:>14} {icost:>15}   {goal} {'ok' if ok else 'MISSED'}")
    print(f"journal lines written inside the session: {journal} (expected {4 * n}: two columns, two cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
