"""Real CLI captures (tests/data/captures, recorded by the end-to-end tests with aitrack's wrapper):
output.raw + timing rendered and parsed give what the agent's own log says (see the README there)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitrack.parse.terminal import (
    parse_session_dir,
    parse_transcript,
    render_session_dir,
    render_transcript,
)

CAPTURES = Path(__file__).resolve().parents[2] / "data" / "captures"
# dir → (provider, shell command, git operations)
EXPECTED = {
    "claude": ("claude_code", 'git add -A && git commit -m "Add hello #42"', 2),
    "codex": ("openai_codex", 'git add -A && git commit -m "Add hello #42"', 2),
    "gemini": ("gemini_cli", 'git add -A && git commit -m "Add hello #42"', 2),
    "aider": ("aider", "git log --oneline -1", 1),
}


def _capture(name: str) -> tuple[Path, dict]:
    d = CAPTURES / name
    if not (d / "output.raw").is_file():
        pytest.skip(f"no capture recorded in {d}")
    return d, json.loads((d / "meta.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_capture_parses_like_the_agent_log(name: str) -> None:
    d, meta = _capture(name)
    s = parse_transcript(d / "output.raw", cols=meta["term_cols"], rows=meta["term_rows"], timing=d / "timing")
    provider, command, git_ops = EXPECTED[name]
    assert s.provider == provider, s.detection.evidence
    assert s.detection.source == "terminal"
    assert [c.command for c in s.commands] == [command]
    assert s.metrics.commands_executed == 1
    assert s.metrics.git_operations == git_ops
    assert s.metrics.errors_encountered == 0
    prompt = "Create hello.txt for issue #42" if name == "aider" else "Commit hello.txt for issue #42"
    assert s.prompts == [prompt]
    assert s.source_path == str(d / "output.raw")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_transcript_holds_what_the_screen_showed(name: str) -> None:
    d, meta = _capture(name)
    text = render_transcript(d / "output.raw", meta["term_cols"], meta["term_rows"], timing=d / "timing")
    lines = text.splitlines()
    assert all(line == line.rstrip() for line in lines)
    assert "\x1b" not in text
    # Every non-blank line tmux showed (before and after exit) is in the transcript (tmux pads
    # differently); wrapped lines included (a wrap's first row was once lost with timing).
    seen = {line.strip() for line in lines}
    screen = [line for f in sorted(d.glob("screen-*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    # A line typed further later (`diff>` → `diff> /exit`) is kept in its last state.
    missing = [line for line in screen if line.strip() and line.strip() not in seen
               and not any(s.startswith(line.strip()) for s in seen)
               and not line.startswith("bash-")]  # the shell's own prompt is not the tool's output
    assert not missing, missing
    # and lines are kept once: nothing of the final answer repeats
    answer = [line for line in lines if "Done: committed the change." in line]
    assert len(answer) <= 1 or name == "aider"


def test_chunking_does_not_change_the_transcript() -> None:
    d, meta = _capture("gemini")
    raw = (d / "output.raw").read_bytes()
    whole = render_transcript(raw, meta["term_cols"], meta["term_rows"])
    assert render_transcript([raw[i:i + 7] for i in range(0, len(raw), 7)], meta["term_cols"], meta["term_rows"]) == whole


def test_session_folder_helpers(tmp_path: Path) -> None:
    d, _ = _capture("codex")
    s = parse_session_dir(d)
    assert s.provider == "openai_codex" and s.metrics.commands_executed == 1
    assert render_session_dir(d) == render_transcript(d / "output.raw", 120, 40, timing=d / "timing")
    # a folder with a broken meta.json and no timing still renders (80×24 assumed)
    (tmp_path / "output.raw").write_bytes(b"$ git status\r\n")
    (tmp_path / "meta.json").write_text("{not json")
    assert render_session_dir(tmp_path) == "$ git status\n"
    assert parse_session_dir(tmp_path).metrics.git_operations == 1


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bare_output_without_size_or_timing(tmp_path: Path, name: str) -> None:
    # Only the bytes: the size is guessed from cursor addresses and full-width rules.
    d, _ = _capture(name)
    raw = tmp_path / "capture.raw"
    raw.write_bytes((d / "output.raw").read_bytes())
    s = parse_transcript(raw)
    assert s.provider == EXPECTED[name][0]
    assert [c.command for c in s.commands] == [EXPECTED[name][1]]
