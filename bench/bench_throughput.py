"""Output throughput through the wrapper while recording, against `script` and no wrapper at all.

    .venv/bin/python bench/bench_throughput.py [--mb 200] [--rounds 3]

`cat` of a text file (~200 MB) runs on a pty whose master this script drains as fast as it can
(a fast terminal): directly, under `script -q -B LOG -T TIMING -c …` (recording output and timing),
and under `aitrack run -- cat …` (recording output.raw and timing). Rounds are interleaved and the
best round of each is kept; CPU time (the command and the children it waited for, `cat` included)
is printed too, as the steadier figure on a shared machine. Goal: aitrack / script <= 1.0.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_startup import AITRACK, bench_env, in_pty  # noqa: E402


def make_file(path: Path, size: int) -> None:
    line = b"".join(b"%05d " % i for i in range(16)) + b"the quick brown fox\n"
    block = line * ((1 << 20) // len(line))
    with open(path, "wb") as fh:
        left = size
        while left > 0:
            left -= fh.write(block[:left])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    opts = ap.parse_args()
    size = opts.mb << 20
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "big.txt"
        make_file(data, size)
        env = bench_env(tmp)
        os.chdir(tmp)
        cmds = {
            "direct": ["cat", str(data)],
            "script": ["script", "-q", "-B", f"{tmp}/script.log", "-T", f"{tmp}/script.timing", "-c",
                       f"cat {data}"],
            "aitrack": [AITRACK, "run", "--", "cat", str(data)],
        }
        best: dict[str, float] = {}
        cpu: dict[str, float] = {}
        received: dict[str, int] = {}
        for _ in range(opts.rounds):
            for name, argv in cmds.items():
                got = [0]
                secs, used = in_pty(argv, env, sink=lambda b, got=got: got.__setitem__(0, got[0] + len(b)))
                best[name] = min(best.get(name, secs), secs)
                cpu[name] = min(cpu.get(name, used), used)
                received[name] = got[0]
                for leftover in Path(tmp).glob("script.*"):
                    leftover.unlink()
        recorded = sum(f.stat().st_size for f in Path(tmp, "data", "sessions").glob("*/output.raw"))
    print(f"throughput: {opts.mb} MB of text through a pty, best of {opts.rounds} rounds")
    for name in cmds:
        print(f"  {name:8} {best[name]:7.2f} s  {opts.mb / best[name]:7.1f} MB/s  cpu {cpu[name]:6.2f} s  "
              f"({received[name] >> 20} MB at the terminal)")
    print(f"  aitrack / script = {best['aitrack'] / best['script']:.2f} wall, "
          f"{cpu['aitrack'] / cpu['script']:.2f} cpu   (goal <= 1.0)")
    print(f"  aitrack / direct = {best['aitrack'] / best['direct']:.2f}")
    print(f"  recorded by aitrack: {recorded >> 20} MB in output.raw over {opts.rounds} sessions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
