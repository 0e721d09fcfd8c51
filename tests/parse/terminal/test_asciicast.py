"""output.raw + timing → asciicast v2 (header, "o" events with cumulative times, "r" resizes)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitrack.errors import AitrackError
from aitrack.parse.terminal.asciicast import to_asciicast
from aitrack.parse.terminal.timing import parse_line

CAPTURES = Path(__file__).resolve().parents[2] / "data" / "captures"


def _read(path: Path) -> tuple[dict, list[list]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def test_multistream_timing_with_resize_input_and_header(tmp_path: Path) -> None:
    raw = "héllo ".encode() + b"world\r\n"  # the é is split across the first two records
    (tmp_path / "output.raw").write_bytes(raw)
    (tmp_path / "timing").write_text(
        "H 0.000000 START_TIME Fri Nov 27 03:00:00 2026\n"
        "O 0.100000 2\n"
        "I 0.050000 3\n"  # input bytes live in another file: nothing read from output.raw
        "O 0.250000 5\n"
        "S 1.000000 SIGWINCH ROWS=40 COLS=120\n"
        "garbage line\n"
        f"O 0.500000 {len(raw) - 7}\n")
    n = to_asciicast(tmp_path / "output.raw", tmp_path / "timing", 80, 24, tmp_path / "cast", title="t")
    header, events = _read(tmp_path / "cast")
    assert header == {"version": 2, "width": 80, "height": 24, "title": "t"}
    assert n == len(events) == 4
    assert [e[1] for e in events] == ["o", "o", "r", "o"]
    assert events[0] == [0.1, "o", "h"]
    assert events[1] == [0.4, "o", "éllo "]
    assert events[2] == [1.4, "r", "120x40"]
    assert events[3][0] == pytest.approx(1.9)
    assert "".join(e[2] for e in events if e[1] == "o") == raw.decode()


def test_without_timing_and_with_a_short_timing(tmp_path: Path) -> None:
    (tmp_path / "output.raw").write_bytes(b"abc\x1b[31mdef")
    assert to_asciicast(tmp_path / "output.raw", None, 80, 24, tmp_path / "a.cast") == 1
    (tmp_path / "timing").write_text("O 0.5 3\n")  # the session was killed before the rest was timed
    to_asciicast(tmp_path / "output.raw", tmp_path / "timing", 80, 24, tmp_path / "b.cast")
    _, events = _read(tmp_path / "b.cast")
    assert events == [[0.5, "o", "abc"], [0.5, "o", "\x1b[31mdef"]]


def test_missing_output_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AitrackError, match="no such output file"):
        to_asciicast(tmp_path / "nope.raw", None, 80, 24, tmp_path / "x.cast")


def test_real_capture_round_trips(tmp_path: Path) -> None:
    d = CAPTURES / "gemini"
    if not (d / "timing").is_file():
        pytest.skip("no capture recorded")
    to_asciicast(d / "output.raw", d / "timing", 120, 40, tmp_path / "g.cast")
    _, events = _read(tmp_path / "g.cast")
    times = [e[0] for e in events]
    assert times == sorted(times)
    data = "".join(e[2] for e in events if e[1] == "o")
    assert data == (d / "output.raw").read_bytes().decode("utf-8", "replace")


def test_timing_lines() -> None:
    assert parse_line("O 0.25 10") == ("o", 0.25, 10)
    assert parse_line("0.5 7") == ("o", 0.5, 7)  # classic single-stream form
    assert parse_line("S 0.1 SIGWINCH ROWS=30 COLS=100") == ("r", 0.1, (100, 30))
    assert parse_line("I x y") is None and parse_line("") is None
