"""What aitrack's rc block adds to starting a new interactive bash and zsh, in the same run.

    .venv/bin/python bench/bench_shellstart.py [--runs 40]

A tmp HOME with the integration installed by install.sh; `SHELL -i -c exit`, interleaved run by run:
  none       the same rc file without the aitrack block (the baseline)
  cached     the block as installed: it sources the code `aitrack init` wrote (no process)
  init       the block when the cache is bypassed (AITRACK_TOOLS set): `eval "$(aitrack init …)"`,
             what every new shell paid before the cache
Median wall ms; the goal is cached − none ≤ 5 ms.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RC = {"bash": ".bashrc", "zsh": ".zshrc"}


def start(shell: str, env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run([shell, "-i", "-c", "exit"], env=env, stdin=subprocess.DEVNULL, capture_output=True, check=True)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args()
    shells = [s for s in RC if shutil.which(s)]
    with tempfile.TemporaryDirectory(prefix="aitrack-bench-") as tmp_s:
        home = Path(tmp_s)
        env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ZDOTDIR": str(home),
               "TERM": "dumb", "SHELL": "/bin/bash", "XDG_DATA_HOME": str(home / ".local/share"),
               "XDG_CONFIG_HOME": str(home / ".config")}
        for shell in shells:
            (home / RC[shell]).write_text("PS1='$ '\n")
        subprocess.run([str(REPO / "install.sh"), "--python", sys.executable, "--shells", ",".join(shells)],
                       env=env, check=True, capture_output=True)
        plain = home / "plain"
        plain.mkdir()
        for shell in shells:
            (plain / RC[shell]).write_text("PS1='$ '\n")
        cases = {"none": {**env, "HOME": str(plain), "ZDOTDIR": str(plain)}, "cached": env,
                 "init": {**env, "AITRACK_TOOLS": "claude codex gemini aider"}}
        for shell in shells:
            times: dict[str, list[float]] = {k: [] for k in cases}
            for name, case in cases.items():
                start(shell, case)  # warm the page cache
            for _ in range(args.runs):
                for name, case in cases.items():
                    times[name].append(start(shell, case))
            med = {k: statistics.median(v) * 1000 for k, v in times.items()}
            print(f"{shell}: none {med['none']:.1f} ms; cached block {med['cached']:.1f} ms "
                  f"(+{med['cached'] - med['none']:.1f} ms, {med['cached'] / med['none']:.2f}×); "
                  f"eval of aitrack init {med['init']:.1f} ms (+{med['init'] - med['none']:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
