"""The renderer's rules behind issue 18's transcript fixes, each on the smallest stream that shows
it (the real captures are in test_capture_moves.py)."""
from __future__ import annotations

from pathlib import Path

from aitrack.parse.terminal import render_transcript


def _timed(tmp_path: Path, *events: tuple[str, bytes | tuple[int, int]]) -> tuple[bytes, Path]:
    """Output and a `script` timing file: ("o", bytes) writes, ("S", (cols, rows)) resizes."""
    raw, timing = b"", []
    for kind, value in events:
        if kind == "o":
            assert isinstance(value, bytes)
            raw += value
            timing.append(f"O 0.100000 {len(value)}")
        else:
            assert isinstance(value, tuple)
            timing.append(f"S 0.100000 SIGWINCH ROWS={value[1]} COLS={value[0]}")
    path = tmp_path / "timing"
    path.write_text("\n".join(timing) + "\n")
    return raw, path


def _box(text: str) -> bytes:
    return f"\x1b[2K\r> {text}".encode()


def test_a_draft_deleted_key_by_key_leaves_nothing(tmp_path: Path) -> None:
    draft, prompt = "fix the flaky test", "commit it"
    keys = [draft[:n] for n in range(1, len(draft) + 1)] + [draft[:n] for n in range(len(draft) - 1, -1, -1)]
    keys += [prompt[:n] for n in range(1, len(prompt) + 1)]
    raw, timing = _timed(tmp_path, *[("o", _box(k)) for k in keys], ("o", b"\r\nok\r\n"))
    text = render_transcript(raw, 40, 6, timing=timing)
    assert "flaky" not in text and "> fix" not in text, text
    assert "> commit it\nok\n" in text


def test_a_line_cleared_at_once_is_kept(tmp_path: Path) -> None:
    # A submitted prompt empties the box in one step: it left, it was not being edited.
    raw, timing = _timed(tmp_path, ("o", _box("commit it")), ("o", _box("")), ("o", b"\r\nok\r\n"))
    assert "> commit it" in render_transcript(raw, 40, 6, timing=timing)


def test_resize_repaint_rewrapped_is_not_new_content(tmp_path: Path) -> None:
    # Drawn at 20 columns the command takes two rows; at 40 the tool repaints it on one.
    raw, timing = _timed(
        tmp_path,
        ("o", b"\x1b[2J\x1b[H$ git commit -m\r\n  'add the file'\r\n"),
        ("S", (40, 6)),
        ("o", b"\x1b[2J\x1b[H$ git commit -m 'add the file'\r\n"),
    )
    text = render_transcript(raw, 20, 6, timing=timing)
    assert text == "$ git commit -m 'add the file'\n", text


def test_resize_repaint_of_a_border_is_kept_once(tmp_path: Path) -> None:
    raw, timing = _timed(
        tmp_path,
        ("o", b"\x1b[2J\x1b[H" + "╭".encode() + "─".encode() * 18 + "╮\r\n".encode()),
        ("S", (30, 6)),
        ("o", b"\x1b[2J\x1b[H" + "╭".encode() + "─".encode() * 28 + "╮\r\n".encode()),
    )
    text = render_transcript(raw, 20, 6, timing=timing)
    assert text == "╭" + "─" * 28 + "╮\n", text


def test_a_resize_long_ago_does_not_hide_new_lines(tmp_path: Path) -> None:
    # A second after the resize, a line that leaves is content again, even if its words show.
    first, later = b"\x1b[2J\x1b[Hdone: one\r\n", b"\x1b[2J\x1b[Hsaid done: one twice\r\n"
    timing = tmp_path / "timing"
    timing.write_text(f"O 0.1 {len(first)}\nS 0.1 SIGWINCH ROWS=6 COLS=40\nO 1.5 {len(later)}\n")
    text = render_transcript(first + later, 20, 6, timing=timing)
    assert text.splitlines()[0] == "done: one", text


def test_fg_after_ctrl_z_does_not_repeat_the_alternate_screen() -> None:
    screen = b"\x1b[?1049h\x1b[H\x1b[2J> fix it\r\n\r\nDone: fixed.\r\n"
    raw = screen + b"\x1b[?1049lTool is suspended. Run `fg` to bring it back.\r\n" + screen + b"\x1b[?1049l"
    text = render_transcript(raw, 50, 8)
    assert text.count("Done: fixed.") == 1, text
    assert text.index("Done: fixed.") < text.index("Tool is suspended")
