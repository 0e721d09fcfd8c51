"""`aitrack show HEAD` against `python -c pass` + `git log -1`, in the same run, with many sessions on disk.

    .venv/bin/python bench/bench_show.py [--sessions 2000] [--runs 15]

Builds a data dir with N finished sessions (meta.json, a journal, a session.json each) and a
repository whose HEAD carries the trailer of one of them, then times fresh processes of:
  python -c pass                the interpreter aitrack runs on, started and stopped
  git log -1                    what any "which commit is this" costs
  aitrack show HEAD             trailer → local session.json; goal ≤ 60 ms and ≤ 1.4× the floor
                                (python -c pass + git log -1), no click and no mlflow import
  aitrack show HEAD (journal)   a --no-verify commit: found through the cached journal index
  aitrack show (index cold)     the same with the index deleted first (rebuilt from N journals)
AITRACK_BENCH_BIN=/path/to/aitrack measures another install (the goal is for a non-editable one,
through the command file install.sh writes into ~/.local/bin: `python -S`, no site; an editable
install's import hook costs every start a few ms). Exits 1 when show imports click, mlflow or one
of the modules its path avoids (json, re, enum, functools, collections…) beyond what the command's
interpreter and its own lines import: an import, not a timing (timings only print, on a noisy
machine they are read by people).
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
AITRACK = os.environ.get("AITRACK_BENCH_BIN") or str(Path(sys.executable).with_name("aitrack"))
GOAL_MS, GOAL_RATIO = 60.0, 1.4
AVOIDED = ("click", "mlflow", "typing", "pathlib", "subprocess", "dataclasses", "json", "re", "enum", "functools",
           "collections")


def interpreter(command: str) -> list[str]:
    """What the command's #! line runs: [python, its flags]."""
    with open(command, encoding="utf-8") as fh:
        return fh.readline()[2:].split()


def imported(importtime: str) -> set[str]:
    """Module names in `-X importtime` output."""
    return {line.rsplit("|", 1)[1].strip() for line in importtime.splitlines()
            if line.startswith("import time:") and "cumulative" not in line}


def timed(argv: list[str], cwd: Path, env: dict[str, str], before: object = None) -> float:
    if callable(before):
        before()
    start = time.perf_counter()
    res = subprocess.run(argv, cwd=cwd, env=env, capture_output=True)
    took = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"{argv} failed: {res.stderr.decode()[-500:]}")
    return took


def build(tmp: Path, n: int, env: dict[str, str]) -> tuple[Path, str]:
    from aitrack.vcs.hooks import install_repo

    repo = tmp / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], env=env, check=True)
    install_repo(repo)
    sessions = tmp / "data" / "aitrack" / "sessions"
    sessions.mkdir(parents=True)
    for i in range(n):
        sid = f"20261101T{i // 3600 % 24:02d}{i // 60 % 60:02d}{i % 60:02d}000Z-{i:06x}"
        folder = sessions / sid
        folder.mkdir()
        fake_sha = f"{i:040x}"
        meta = {"id": sid, "provider": "claude_code", "started_at_epoch": 1.0 + i, "ended_at_epoch": 2.0 + i,
                "ended_at": "x", "git_root": str(repo)}
        (folder / "meta.json").write_text(json.dumps(meta))
        (folder / "commits").write_text(f"commit\t{fake_sha}\t{i}\t{repo}\n")
        record = {"session_id": sid, "provider": "claude_code", "meta": meta, "prompts": ["close-issue 583"],
                  "commands": [{"command": "pytest", "is_error": i % 2 == 0, "exit_code": i % 2}] * 20,
                  "metrics": {"input_tokens": 1000, "output_tokens": 100, "duration_seconds": 60.0},
                  "commits": [{"sha": fake_sha, "repo": str(repo), "subject": "x"}], "issue_numbers": [583]}
        (folder / "session.json").write_text(json.dumps(record))
    last = sorted(sessions.iterdir())[-1]
    # Logged to the embedded store, as a session is once ingest has run: show links the run in the UI.
    (last / "run.json").write_text(json.dumps({"run_id": "abc123", "experiment_id": "1",
                                                "tracking_uri": f"sqlite:///{tmp}/store.db"}))
    for i, flag in enumerate(([], ["--no-verify"])):
        subprocess.run(["git", "commit", "-q", "--allow-empty", *flag, "-m", f"commit {i}"], cwd=repo, env={
            **env, "AITRACK_SESSION_ID": last.name, "AITRACK_SESSION_DIR": str(last)}, check=True)
    return repo, last.name


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="aitrack-bench-") as tmp_s:
        tmp = Path(tmp_s)
        cfg = tmp / "gitconfig"
        cfg.write_text("[user]\n\tname = Bench\n\temail = bench@example.com\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AITRACK_", "GIT_", "MLFLOW_"))}
        env.update(GIT_CONFIG_GLOBAL=str(cfg), GIT_CONFIG_NOSYSTEM="1", HOME=str(tmp),
                   XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"))
        t0 = time.perf_counter()
        os.environ.update(env)
        sys.path.insert(0, str(REPO))
        repo, _ = build(tmp, args.sessions, env)
        setup = time.perf_counter() - t0
        index = tmp / "data" / "aitrack" / "cache" / "commit-index.json"
        drop_index = lambda: index.unlink(missing_ok=True)  # noqa: E731
        python, *flags = interpreter(AITRACK)  # the interpreter aitrack runs on
        cases = [
            ("python -c pass", [python, "-c", "pass"], None),
            ("git log -1", ["git", "log", "-1"], None),
            ("aitrack show HEAD", [AITRACK, "show", "HEAD~1"], None),
            ("aitrack show (journal)", [AITRACK, "show", "HEAD"], None),
            ("aitrack show (index cold)", [AITRACK, "show", "HEAD"], drop_index),
        ]
        timed([AITRACK, "show", "HEAD"], repo, env)  # warm the OS cache and build the index once
        results = {name: [] for name, _, _ in cases}
        for _ in range(args.runs):
            for name, argv, before in cases:
                results[name].append(timed(argv, repo, env, before))
        # The command itself, as run: what it imports beyond its interpreter's start and its own lines.
        show = subprocess.run([python, *flags, "-X", "importtime", AITRACK, "show", "HEAD~1"], cwd=repo, env=env,
                              capture_output=True, text=True).stderr
        with open(AITRACK, encoding="utf-8") as fh:
            own = [line.split()[1] for line in fh if line.startswith("import ")]
        floor_imports = subprocess.run([python, *flags, "-X", "importtime", "-c", "; ".join(
            f"import {m}" for m in own) or "pass"], env=env, capture_output=True, text=True).stderr
        loaded = " ".join(m for m in AVOIDED if m in imported(show) - imported(floor_imports)) or "none"
    med = {name: statistics.median(times) * 1000 for name, times in results.items()}
    floor = med["python -c pass"] + med["git log -1"]
    print(f"{args.sessions} sessions on disk (setup {setup:.1f} s); median of {args.runs} fresh processes each")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; aitrack: {AITRACK}")
    print(f"{'case':28} {'median ms':>10} {'min ms':>8} {'vs floor':>9}")
    for name, times in results.items():
        print(f"{name:28} {med[name]:10.1f} {min(times) * 1000:8.1f} {med[name] / floor:8.2f}×")
    show = med["aitrack show HEAD"]
    ok = show <= GOAL_MS and show / floor <= GOAL_RATIO
    print(f"goal: aitrack show HEAD ≤ {GOAL_MS:.0f} ms and ≤ {GOAL_RATIO}× (python -c pass + git log -1 = "
          f"{floor:.1f} ms) → {show:.1f} ms, {show / floor:.2f}× {'ok' if ok else 'MISSED'}")
    print(f"the command runs: {' '.join([python, *flags])}")
    print(f"imported of {', '.join(AVOIDED)}: {loaded}" + ("" if loaded == "none" else "  FAILED: show must import none"))
    return 0 if loaded == "none" else 1


if __name__ == "__main__":
    sys.exit(main())
