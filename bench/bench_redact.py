"""Redaction throughput on realistic session text, against a plain copy of the same data.

The shared fixtures (real and synthetic agent logs, aider chats, TUI renderings) are repeated to
about --mb megabytes, with fake secrets planted every ~64 KB; the same run times a plain copy
(`bytes(...)` / `"".join(...)`) so the ratio means something on any machine.

    .venv/bin/python bench/bench_redact.py [--mb 100] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from aitrack.redact import Redactor, StreamRedactor  # noqa: E402
from redact.corpus import SECRETS, tui_bytes  # noqa: E402

FIXTURES = Path(os.environ.get("AITRACK_TEST_FIXTURES") or REPO.parent / "shared" / "fixtures")  # as tests/support.py


def corpus() -> list[Path]:
    """The shared fixtures (session text nobody planted secrets in); in a clone made elsewhere,
    which has none, this repository's own captures and sources, so the benchmark still runs."""
    files = [p for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.name != "SOURCES.md"]
    if files:
        return files
    print(f"note: no fixtures at {FIXTURES}; the filler text is this repository's captures and code")
    return [p for pattern in ("tests/data/captures/**/*", "aitrack/**/*.py")
            for p in sorted(REPO.glob(pattern)) if p.is_file()]


def build(mb: int) -> tuple[str, int]:
    files = [p.read_text("utf-8", "replace") for p in corpus()]
    base = "\n".join(files)
    if not base:  # nothing to repeat would never reach the target size
        raise SystemExit("bench_redact: no filler text found")
    parts: list[str] = []
    size = planted = 0
    target = mb * 1_000_000
    i = 0
    while size < target:
        for off in range(0, len(base), 65536):
            piece = base[off:off + 65536]
            parts.append(piece)
            secret = SECRETS[i % len(SECRETS)]
            parts.append("\n" + secret.line + "\n")
            size += len(piece) + len(secret.line) + 2
            planted += 1
            i += 1
            if size >= target:
                break
    return "".join(parts), planted


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    text, planted = build(args.mb)
    data = text.encode("utf-8", "surrogateescape")
    raw = b"".join(tui_bytes(s) for s in SECRETS) * max(1, len(data) // 400_000)
    raw = (data[: len(data) // 2] + raw)[: len(data)]
    mb = len(data) / 1e6
    r = Redactor()
    r.redact_text("warm up")
    chunks = [text[i:i + 65536] for i in range(0, len(text), 65536)]

    found: Counter[str] = Counter()
    copy_s = best(lambda: "".join(chunks), args.repeat)
    copy_b = best(lambda: bytes(bytearray(data)), args.repeat)
    text_s = best(lambda: r.redact_text(text), args.repeat)
    r.redact_text(text, found)

    def stream() -> None:
        s = StreamRedactor(r)
        for c in chunks:
            s.feed(c)
        s.close()

    from aitrack.redact.terminal import redact_raw

    stream_s = best(stream, 1)
    raw_s = best(lambda: redact_raw(r, raw), 1)
    print(f"data: {mb:.1f} MB of fixture text, {planted} planted secrets, {sum(found.values())} redactions")
    print(f"plain copy (str join)   {mb / copy_s:9.0f} MB/s")
    print(f"plain copy (bytes)      {mb / copy_b:9.0f} MB/s")
    print(f"redact_text             {mb / text_s:9.1f} MB/s   ratio to str copy: {text_s / copy_s:7.1f}x slower")
    print(f"StreamRedactor (64 KB)  {mb / stream_s:9.1f} MB/s   ratio to str copy: {stream_s / copy_s:7.1f}x slower")
    print(f"redact_bytes (TUI raw)  {mb / raw_s:9.1f} MB/s   ratio to bytes copy: {raw_s / copy_b:7.1f}x slower")
    missing = planted - sum(found.values())
    if missing > 0:
        print(f"WARNING: {missing} planted secrets not found")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
