"""Benchmark: rendering raw TUI output to a transcript (aitrack.parse.terminal).

Builds a ≥ 50 MB capture by repeating a realistic full-screen TUI session (alternate screen,
synchronized-output frames, cursor addressing, truecolour SGR on every word, a spinner ticking,
the input box being typed into, history repainted as it grows) and streams it through the renderer
in 64 KiB chunks. Reports MB/s (CPU time) and peak memory, next to two baselines measured in the
same run: a bare decode + regex tokenizing pass (the floor for any parser) and pyte's own
ByteStream + Screen (the naive way) on a slice. Memory flatness: peak traced memory for a 4 MB and
a 16 MB run. Real captures from tests/data/captures are reported too when present.

    .venv/bin/python bench/bench_terminal.py [--mb 50]
Goal (issue 3): ≥ 5 MB/s for raw TUI captures, flat memory.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pyte

from aitrack.parse.terminal import iter_transcript
from aitrack.parse.terminal.tokens import _IGNORED, TOKEN

ROOT = Path(__file__).resolve().parent.parent
COLS, ROWS = 120, 40
WORDS = ["the", "parser", "renders", "each", "frame", "of", "the", "terminal", "into", "text", "and", "keeps", "what", "scrolled", "away"]


def _colour(i: int) -> str:
    return f"\x1b[38;2;{(i * 37) % 256};{(i * 91) % 256};{(i * 53) % 256}m"


def tui_session(turns: int = 12) -> bytes:
    """One synthetic agent session, drawn like a full-screen TUI."""
    out = ["\x1b[?1049h\x1b[>1u\x1b[?2004h\x1b[?1004h\x1b[?1000h\x1b[?1006h\x1b[?25l\x1b[H\x1b[2J"]
    history: list[str] = []
    for turn in range(turns):
        prompt = f"turn {turn}: please fix the failing test in module {turn}"
        for n in range(0, len(prompt) + 1, 3):  # typing: the input box row is repainted per keystroke
            out.append(f"\x1b[?2026h\x1b[{ROWS - 2};1H\x1b[38;5;244m│\x1b[0m > {prompt[:n]}\x1b[K"
                       f"\x1b[{ROWS - 2};{COLS}H\x1b[38;5;244m│\x1b[0m\x1b[?2026l")
        history += [f"> {prompt}", ""]
        for tick in range(20):  # spinner with a timer
            glyph = "✻✢✳✶✽"[tick % 5]
            out.append(f"\x1b[?2026h\x1b[{ROWS - 4};1H\x1b[38;2;215;119;87m{glyph}\x1b[0m Pondering… "
                       f"({tick // 4}s · ↓ {tick * 13} tokens · esc to interrupt)\x1b[K\x1b[?2026l")
        for k in range(6):  # the agent's output arrives: tool call, result, reply
            history += [f"⏺ Bash(git status && pytest -q tests/test_{turn}_{k}.py)",
                        f"  ⎿  {k + 3} passed in 0.{k}s",
                        "  " + " ".join(WORDS[(turn + k + i) % len(WORDS)] for i in range(14)), ""]
            view = history[-(ROWS - 6):]
            frame = ["\x1b[?2026h"]
            for y, line in enumerate(view):  # repaint the history area, colour per word
                words = line.split(" ")
                painted = " ".join(f"{_colour(i + y)}{w}\x1b[39m" for i, w in enumerate(words))
                frame.append(f"\x1b[{y + 1};1H{painted}\x1b[K")
            frame.append(f"\x1b[{ROWS};1H\x1b[2m  ⏵⏵ accept edits on · {len(history)} lines\x1b[22m\x1b[K\x1b[?2026l")
            out.append("".join(frame))
    out.append("\x1b[?1006l\x1b[?1000l\x1b[?1004l\x1b[?2004l\x1b[<u\x1b[?25h\x1b[?1049l")
    return "".join(out).replace("\n", "\r\n").encode()


def chunks(unit: bytes, total: int, size: int = 1 << 16) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        for i in range(0, len(unit), size):
            yield unit[i:i + size]
        sent += len(unit)


def render(unit: bytes, total: int, cols: int = COLS, rows: int = ROWS) -> tuple[float, int]:
    t = time.process_time()
    n = sum(1 for _ in iter_transcript(chunks(unit, total), cols, rows))
    return time.process_time() - t, n


def baseline_tokenize(unit: bytes, total: int) -> float:
    t = time.process_time()
    for chunk in chunks(unit, total):
        text = _IGNORED.sub("", chunk.decode("utf-8", "replace"))
        for _ in TOKEN.finditer(text):
            pass
    return time.process_time() - t


def baseline_pyte(unit: bytes, total: int) -> float:
    screen = pyte.Screen(COLS, ROWS)
    stream = pyte.ByteStream(screen)
    t = time.process_time()
    for chunk in chunks(unit, total):
        stream.feed(chunk)
    _ = screen.display  # rendering the screen is part of what pyte costs
    return time.process_time() - t


def peak_memory(unit: bytes, total: int) -> int:
    tracemalloc.start()
    for _ in iter_transcript(chunks(unit, total), COLS, ROWS):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50.0, help="size of the capture to render (MB)")
    args = ap.parse_args(argv)
    unit = tui_session()
    total = int(args.mb * 1e6)
    total = (total + len(unit) - 1) // len(unit) * len(unit)
    mb = total / 1e6
    print(f"capture: {mb:.1f} MB ({len(unit) / 1e6:.2f} MB session × {total // len(unit)})")
    secs, lines = render(unit, total)
    tok = baseline_tokenize(unit, total)
    # The baselines and the real captures at most as large as the capture asked for (a tiny run stays tiny).
    slice_ = max(len(unit), int(min(4e6, total)) // len(unit) * len(unit))
    naive = baseline_pyte(unit, slice_)
    print(f"aitrack render : {mb / secs:6.2f} MB/s  ({secs:.1f} s CPU, {lines} transcript lines)")
    print(f"tokenize only  : {mb / tok:6.2f} MB/s  (render/tokenize = {tok / secs:.2f}×)")
    print(f"pyte ByteStream: {slice_ / 1e6 / naive:6.2f} MB/s  on {slice_ / 1e6:.1f} MB "
          f"(render is {(mb / secs) / (slice_ / 1e6 / naive):.1f}× pyte)")
    few, many = (4, 16) if total >= 16 * len(unit) else (1, 4)
    small, large = peak_memory(unit, few * len(unit)), peak_memory(unit, many * len(unit))
    print(f"peak memory    : {small / 1e6:.2f} MB for {few * len(unit) / 1e6:.1f} MB input, "
          f"{large / 1e6:.2f} MB for {many * len(unit) / 1e6:.1f} MB input (ratio {large / small:.2f})")
    rates = {"synthetic": mb / secs}
    for d in sorted((ROOT / "tests" / "data" / "captures").glob("*/")):  # every real capture
        name = d.name
        if (d / "output.raw").is_file():
            raw = (d / "output.raw").read_bytes()
            meta = json.loads((d / "meta.json").read_text())
            reps = max(1, int(min(5e6, total)) // len(raw))
            s, _ = render(raw, reps * len(raw), meta["term_cols"], meta["term_rows"])
            rates[name] = reps * len(raw) / 1e6 / s
            print(f"real {name:14s}: {rates[name]:6.2f} MB/s  ({len(raw)} B capture × {reps})")
    slowest = min(rates, key=rates.__getitem__)
    print(f"goal ≥ 5 MB/s for every capture: {'met' if rates[slowest] >= 5.0 else 'NOT met'} "
          f"(slowest: {slowest}, {rates[slowest]:.2f} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
