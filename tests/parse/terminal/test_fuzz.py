"""Never raises, whatever the bytes: arbitrary data, and escape-sequence fragments in any order and
cut anywhere. AITRACK_FUZZ_EXAMPLES=100000 runs the long version (see bench/bench_terminal.py)."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitrack.parse.terminal import parse_transcript, render_transcript

EXAMPLES = int(os.environ.get("AITRACK_FUZZ_EXAMPLES", "300"))
PIECES = [
    b"\x1b", b"[", b"]", b"?", b"1049", b"2026", b"47", b"h", b"l", b";", b"u", b">", b"<", b"=", b"m", b"H",
    b"J", b"K", b"A", b"r", b"S", b"T", b"M", b"P", b"\\", b"\x07", b"\r\n", b"\n", b"\r", b"\b", b"\t",
    b"\x9b", b"\xc3", b"\xa9", "⏺ Bash(git status)".encode(), "  ⎿  out".encode(), b"\xe2\x94", b"9999",
    b"0", b"_", b"^", b"X", b"c", b"7", b"8", b"D", b"E", b"(", b"#", b"@", b"L", b"d", b"G", b"X", b"text ",
]
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(st.binary(max_size=512), st.integers(min_value=1, max_value=64), st.integers(2, 100), st.integers(2, 50))
def test_arbitrary_bytes(data: bytes, chunk: int, cols: int, rows: int) -> None:
    out = render_transcript([data[i:i + chunk] for i in range(0, len(data), chunk)], cols, rows)
    assert isinstance(out, str) and "\x1b" not in out


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=80), st.integers(min_value=1, max_value=16))
def test_sequence_fragments(pieces: list[bytes], chunk: int) -> None:
    data = b"".join(pieces)
    whole = render_transcript(data, 30, 6)
    assert render_transcript([data[i:i + chunk] for i in range(0, len(data), chunk)], 30, 6) == whole
    s = parse_transcript(data, cols=30, rows=6)
    assert s.detection.source == "terminal"


# Inputs the fuzzer once broke on, kept as a regression corpus: (data, chunk size).
REGRESSIONS = [
    (b"\x1b\x1b>[", 1),  # ESC ESC: the first one is cancelled; ESC > must not swallow the "["
    (b"\x1b]0;ti\x1b[0mtle\x07after", 1),  # an ESC inside an unfinished OSC
    (b"\x1b(\x1b[0mB", 1),
]


def test_regressions() -> None:
    for data, chunk in REGRESSIONS:
        whole = render_transcript(data, 30, 6)
        assert render_transcript([data[i:i + chunk] for i in range(0, len(data), chunk)], 30, 6) == whole, data
