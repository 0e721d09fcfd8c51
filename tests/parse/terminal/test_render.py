"""Raw bytes → transcript: synthetic captures (tests/data/terminal, see generate.py there), escape
sequences cut at every byte, TUI protocols pyte lacks, and bounded memory."""
from __future__ import annotations

import re
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitrack.parse.terminal import iter_transcript, render_transcript
from aitrack.parse.terminal.render import Renderer

DATA = Path(__file__).resolve().parents[2] / "data" / "terminal"
# name → (cols, rows) the capture was drawn for
CAPTURES = {"claude_inline": (80, 12), "codex_alt": (80, 10), "progress": (20, 6), "resize": (20, 5)}
ESCAPE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[P^_X].*?\x1b\\|[ -/]*[0-~])", re.DOTALL)


def _render(raw: bytes | list[bytes], name: str) -> str:
    cols, rows = CAPTURES[name]
    timing = DATA / f"{name}.timing"
    return render_transcript(raw, cols, rows, timing=timing if timing.exists() else None)


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_capture_renders_to_expected_text(name: str) -> None:
    raw = (DATA / f"{name}.raw").read_bytes()
    assert _render(raw, name) == (DATA / f"{name}.expected.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["claude_inline", "codex_alt"])
def test_split_at_every_byte_of_every_escape_sequence(name: str) -> None:
    raw = (DATA / f"{name}.raw").read_bytes()
    expected = (DATA / f"{name}.expected.txt").read_text(encoding="utf-8")
    cuts = sorted({i for m in ESCAPE.finditer(raw) for i in range(m.start() + 1, m.end())})
    # UTF-8 characters cut in half too (box drawing, bullets)
    cuts += [i for i in range(1, len(raw)) if 0x80 <= raw[i] < 0xC0][:200]
    assert len(cuts) > 200
    for cut in cuts:
        assert _render([raw[:cut], raw[cut:]], name) == expected, f"cut at byte {cut}: {raw[cut - 8:cut + 8]!r}"


def test_byte_by_byte() -> None:
    raw = (DATA / "codex_alt.raw").read_bytes()
    assert _render([raw[i:i + 1] for i in range(len(raw))], "codex_alt") == (DATA / "codex_alt.expected.txt").read_text()


def test_protocols_pyte_lacks_draw_nothing() -> None:
    seqs = [
        b"\x1b[>1u", b"\x1b[>15u", b"\x1b[<u", b"\x1b[<3u", b"\x1b[?u", b"\x1b[=5;1u",  # kitty keyboard
        b"\x1b[?2026h", b"\x1b[?2026l", b"\x1b[?2004h", b"\x1b[200~", b"\x1b[201~",  # sync, bracketed paste
        b"\x1b[?1000h\x1b[?1002h\x1b[?1006h\x1b[?1004h", b"\x1b[<0;10;5M",  # mouse, focus
        b"\x1b]0;title\x07", b"\x1b]8;id=1;https://x.y/\x1b\\", b"\x1b]8;;\x1b\\", b"\x1b]52;c;aGk=\x07",  # OSC
        b"\x1bP+q544e\x1b\\", b"\x1b_Ga=T,f=100;AAAA\x1b\\", b"\x1b[>4;1m", b"\x1b[>c", b"\x1b[2 q",  # DCS/APC
        b"\x1b[38:2::255:0:0m", b"\x1b[4:3m", b"\x1b(B", b"\x1b=", b"\x1b[!p", b"\x1b[?12l",
    ]
    raw = b"before " + b"".join(seqs) + b"after\r\n"
    assert render_transcript(raw) == "before after\n"
    assert render_transcript([bytes([b]) for b in raw]) == "before after\n"


def test_alternate_screen_is_kept_and_main_screen_restored() -> None:
    raw = (b"$ tool\r\n\x1b[?1049h\x1b[2J\x1b[H" + b"".join(b"\x1b[%d;1Hrow %d" % (i, i) for i in range(1, 6))
           + b"\x1b[3;1H\x1b[2Krow 3 changed\x1b[?1049l$ done\r\n")
    assert render_transcript(raw, 40, 8) == "$ tool\nrow 1\nrow 2\nrow 3 changed\nrow 4\nrow 5\n$ done\n"
    for mode in (b"47", b"1047"):
        alt = raw.replace(b"1049", mode)
        assert render_transcript(alt, 40, 8) == "$ tool\nrow 1\nrow 2\nrow 3 changed\nrow 4\nrow 5\n$ done\n"


def test_scrolled_and_cleared_lines_are_kept_once_in_order() -> None:
    raw = b"".join(b"line %d\r\n" % i for i in range(30)) + b"\x1b[H\x1b[2Jafter clear\r\n"
    assert render_transcript(raw, 20, 5) == "".join(f"line {i}\n" for i in range(30)) + "after clear\n"


def test_scroll_region_and_su_sd() -> None:
    # A fixed header and footer; history scrolls in the region between (how inline TUIs insert lines).
    raw = b"\x1b[1;1Hheader\x1b[5;1Hfooter\x1b[2;4r\x1b[4;1H"
    raw += b"".join(b"\r\nmsg %d" % i for i in range(6)) + b"\x1b[S\x1b[r"
    text = render_transcript(raw, 20, 5)
    # The region ends with an empty row (SU scrolled msg 3 out), as on the screen.
    assert text.splitlines() == ["header", "msg 0", "msg 1", "msg 2", "msg 3", "msg 4", "msg 5", "", "footer"]


def test_wide_and_combining_characters() -> None:
    raw = "日本語 ok\r\ne\u0301 cafe\u0301\r\n👍 done\r\n".encode()
    assert render_transcript(raw, 20, 5) == "日本語 ok\né café\n👍 done\n"


def test_bad_bytes_and_cut_sequences_do_not_raise() -> None:
    assert render_transcript(b"\xff\xfeok\xc3") == "\ufffd\ufffdok\ufffd\n"
    assert render_transcript(b"text\x1b[12") == "text\n"  # stream ended inside a CSI
    assert render_transcript(b"text\x1b]0;never ends") == "text\n"
    assert render_transcript(b"") == ""
    assert render_transcript([b"a\x1b", b"[31mb\x1b[", b"0mc"]) == "abc\n"


def test_extra_csi_parameters_are_ignored() -> None:
    # As a terminal does: CSI 1;5;9A is CUU 1, CSI 1;2;3f is CUP 1;2 (they used to raise TypeError).
    assert render_transcript(b"one\r\ntwo\x1b[1;5;9Ax\r\n", 20, 5) == "onex\ntwo\n"
    assert render_transcript(b"one\x1b[2;2;7fx\r\n", 20, 5) == "one\n x\n"
    for final in "@ABCDEFGHJKLMPSTXadefgr`":
        render_transcript(f"text\x1b[1;2;3;4;5{final}more\r\n".encode(), 20, 5)


def test_endless_osc_is_dropped_with_bounded_memory() -> None:
    chunks: Iterator[bytes] = iter([b"x\x1b]0;"] + [b"A" * 65536] * 40 + [b"\x07visible\r\n"])
    assert render_transcript(chunks) == "xvisible\n"


def test_lines_stream_out_before_the_end() -> None:
    def chunks() -> Iterator[bytes]:
        for i in range(200):
            yield b"line %d\r\n" % i

    it = iter_transcript(chunks(), 20, 5)
    assert next(it) == "line 0"


def test_memory_stays_flat(tmp_path: Path) -> None:
    unit = (DATA / "claude_inline.raw").read_bytes()

    def peak(n: int) -> int:
        tracemalloc.start()
        for _ in iter_transcript((unit for _ in range(n)), 80, 12):
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak(10), peak(60)
    assert large < small * 2 + 200_000, (small, large)


def test_renderer_frames_by_hand() -> None:
    r = Renderer(20, 4)
    r.feed(b"\x1b[?2026hspinner 1s\x1b[?2026l")
    r.feed(b"\x1b[?2026h\r\x1b[2Kspinner 2s\x1b[?2026l")
    r.feed(b"\x1b[?2026h\r\x1b[2Kanswer\x1b[?2026l")
    r.finish()
    assert r.lines() == ["spinner 2s", "answer"]


def test_pauses_end_frames_and_a_stuck_synchronized_update(tmp_path: Path) -> None:
    # A spinner redrawn in place after pauses: one line kept; then a sync block never closed, and
    # its content replaced after a long pause: what it showed is still kept.
    raw = b"working 1s" + b"\rworking 2s" + b"\x1b[?2026h\r\x1b[2Kshown" + b"\r\x1b[2Kreplaced\r\n"
    timing = tmp_path / "timing"
    timing.write_text("O 0.0 10\nO 0.5 11\nO 0.5 17\nO 2.0 13\n")
    assert render_transcript(raw, 20, 3, timing=timing) == "working 2s\nshown\nreplaced\n"


# A line longer than the screen is wide wraps onto the next row. With a timing file the frames
# read only the rows drawn to since the last frame; the row a wrap leaves was once not among them,
# so everything but the line's last row was lost (found with the real Gemini CLI).
def _timed(tmp_path: Path, raw: bytes, cols: int, rows: int, sizes: list[int]) -> str:
    timing = tmp_path / "timing"
    timing.write_text("".join(f"O 0.1 {n}\n" for n in sizes))
    return render_transcript(raw, cols, rows, timing=timing)


def _wrapped(line: str, cols: int) -> str:
    return "".join(line[i:i + cols] + "\n" for i in range(0, len(line), cols))


@pytest.mark.parametrize("cols", [120, 80])
@pytest.mark.parametrize("length", [130, 250, 400])  # one, two and three wraps (at 120 columns)
def test_a_wrapped_line_keeps_every_row(tmp_path: Path, cols: int, length: int) -> None:
    raw = b"A" * length + b"\r\n"
    expected = _wrapped("A" * length, cols)
    assert render_transcript(raw, cols, 40) == expected
    assert _timed(tmp_path, raw, cols, 40, [len(raw)]) == expected


@pytest.mark.parametrize("cut", [1, 60, 119, 120, 121, 129, 131])
def test_a_wrapped_line_split_across_timing_chunks(tmp_path: Path, cut: int) -> None:
    # Cut before, at and after the wrap (cursor parked past the last column at 120), and inside the CRLF.
    line = "".join(chr(ord("a") + i % 26) for i in range(130))
    raw = line.encode() + b"\r\n"
    assert _timed(tmp_path, raw, 120, 40, [cut, len(raw) - cut]) == _wrapped(line, 120)


def test_wrapped_lines_scrolling_off_with_timing(tmp_path: Path) -> None:
    # Wrapped lines that fill the screen and scroll away, written a few bytes per timing chunk.
    lines = [f"line {i} " + "x" * (15 + 7 * i) for i in range(12)]
    raw = b"".join(line.encode() + b"\r\n" for line in lines)
    expected = "".join(_wrapped(line, 20) for line in lines)
    assert render_transcript(raw, 20, 5) == expected
    assert _timed(tmp_path, raw, 20, 5, [13] * (len(raw) // 13) + [len(raw) % 13]) == expected



def test_a_wrapped_line_of_wide_characters(tmp_path: Path) -> None:
    # Wide characters take pyte's own drawing loop: its wraps must mark the rows they leave too.
    line = "漢字" * 40  # 160 cells: two rows of 120 and 40 cells at 120 columns
    raw = line.encode() + b"\r\n"
    expected = line[:60] + "\n" + line[60:] + "\n"
    assert render_transcript(raw, 120, 40) == expected
    assert _timed(tmp_path, raw, 120, 40, [len(raw)]) == expected


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.integers(1, 70), min_size=1, max_size=12), st.lists(st.integers(1, 40), max_size=20))
def test_plain_text_renders_the_same_however_timing_cuts_it(lengths: list[int], cuts: list[int]) -> None:
    # Text appended line by line (no cursor movement): every frame boundary a timing file can put
    # in it, wrapped rows included, must leave the transcript as the same text rendered whole.
    # The screen is tall enough that nothing scrolls (see the test below for scrolling).
    lines = [f"{chr(ord('a') + i)}{i}" + "x" * n for i, n in enumerate(lengths)]
    assert _timed_anyhow(lines, cuts, 40) == render_transcript(_crlf(lines), 20, 40) == \
        "".join(_wrapped(line, 20) for line in lines)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.integers(1, 30), min_size=1, max_size=12), st.lists(st.integers(1, 40), max_size=20))
def test_scrolling_text_renders_the_same_however_timing_cuts_it(lengths: list[int], cuts: list[int]) -> None:
    # The same on a 5-row screen: a row can move up by a scroll *and* be written further between
    # two frames; its earlier state must not stay as a line of its own. (Each line's rows differ:
    # two identical rows are ambiguous to any diff.)
    lines = [chr(ord("a") + i) + str(i) + chr(ord("a") + i) * n for i, n in enumerate(lengths)]
    assert _timed_anyhow(lines, cuts, 5) == "".join(_wrapped(line, 20) for line in lines)


def _crlf(lines: list[str]) -> bytes:
    return b"".join(line.encode() + b"\r\n" for line in lines)


def _timed_anyhow(lines: list[str], cuts: list[int], rows: int) -> str:
    """`lines` rendered at 20 columns, `rows` rows, with a timing file cutting them after every `cuts`."""
    raw = _crlf(lines)
    sizes, pos = [], 0
    for c in cuts:
        if pos + c >= len(raw):
            break
        sizes.append(c)
        pos += c
    sizes.append(len(raw) - pos)
    with tempfile.TemporaryDirectory() as d:
        timing = Path(d) / "timing"
        timing.write_text("".join(f"O 0.1 {n}\n" for n in sizes))
        return render_transcript(raw, 20, rows, timing=timing)


def test_a_line_finished_after_a_pause_then_scrolled_off(tmp_path: Path) -> None:
    # The last frame showed "ab"; "abcdef" then scrolled off before the next frame: "ab" left
    # with it (it is the same row, complete now) and must not come back as a line of its own.
    raw = b"ab" + b"cdef\r\nl2\r\nl3\r\nl4\r\n"
    assert _timed(tmp_path, raw, 20, 3, [2, len(raw) - 2]) == "abcdef\nl2\nl3\nl4\n"
    # the same with a wrapped line: its first row was cut at the pause
    raw = b"A" * 10 + b"A" * 120 + b"\r\nl2\r\nl3\r\nl4\r\n"
    assert _timed(tmp_path, raw, 120, 3, [10, len(raw) - 10]) == "A" * 120 + "\nAAAAAAAAAA\nl2\nl3\nl4\n"


def test_a_line_written_further_while_it_scrolls_up(tmp_path: Path) -> None:
    # The last frame showed "Running tes" on the bottom row; then "ts", more lines, a scroll: the
    # row is one higher and longer. It is one line, kept once, in its last state.
    shown = b"one\r\ntwo\r\nRunning tes"
    raw = shown + b"ts\r\nok\r\n"
    assert _timed(tmp_path, raw, 20, 3, [len(shown), len(raw) - len(shown)]) == "one\ntwo\nRunning tests\nok\n"


def _ink(frames: list[tuple[list[str], list[str]]]) -> bytes:
    """Ink-style output (see tests/data/terminal/generate.py): each frame erases the live area
    drawn before, prints its static lines (history) once, then draws the live area anew."""
    out, live = "", 0
    for static, area in frames:
        s = "\x1b[2K" + "\x1b[1A\x1b[2K" * live + "\x1b[G" if live else ""
        out += "\x1b[?2026h" + s + "".join(line + "\r\n" for line in static + area) + "\x1b[?2026l"
        live = len(area)
    return out.encode()


def test_an_earlier_state_of_a_live_line_is_dropped_when_a_later_one_leaves_too() -> None:
    # A spinner and a footer under the history, redrawn with more words each time (a token count,
    # a branch column): once the later state leaves as well, the earlier one is not content (the
    # later one holds all its words). Found with Claude Code (`✶ Billowing…`) and Gemini CLI (its
    # footer before and after the branch showed up, left between the prompt and the tool box).
    raw = _ink([(["> fix it"], ["✶ Thinking…", "repo  sandbox"]),
                (["● Reading the file"], ["✻ Thinking… (3s · 120 tokens)", "repo  main  sandbox"]),
                (["● Done"], ["repo  main  sandbox"]),
                ([], [])])
    assert render_transcript(raw, 40, 10) == \
        "> fix it\n● Reading the file\n✻ Thinking… (3s · 120 tokens)\n● Done\nrepo  main  sandbox\n"


def test_lines_that_leave_together_are_not_states_of_each_other() -> None:
    # A menu's options leave in one frame: "2. Yes, and don't ask again" holds every word of
    # "1. Yes" but is another line, shown at the same time.
    raw = _ink([(["> commit it"], ["Proceed?", "❯ 1. Yes", "  2. Yes, and don't ask again", "  3. No"]),
                (["● Committed"], [])])
    assert render_transcript(raw, 40, 10) == \
        "> commit it\nProceed?\n❯ 1. Yes\n  2. Yes, and don't ask again\n  3. No\n● Committed\n"
