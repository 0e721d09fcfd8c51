"""OpenCode's and Copilot CLI's TUIs recorded through `aitrack run` (tests/data/agents/<agent>/tui):
the screen patterns alone (no provider given) name the agent and read its rows."""
from __future__ import annotations

from pathlib import Path

from aitrack.parse.terminal import parse_session_dir, parse_transcript

DATA = Path(__file__).resolve().parents[2] / "data" / "agents"


def test_detects_opencode_from_its_screen() -> None:
    s = parse_transcript(DATA / "opencode" / "tui" / "output.raw")
    assert s.provider == "opencode" and s.detection.source == "terminal"
    assert "┃ $ command" in s.detection.evidence and "▣ Build · model" in s.detection.evidence
    commands = [c.command for c in s.commands]
    # The transcript shows these rows (`git status --short` was overwritten on screen before it
    # scrolled: the database has all four).
    for cmd in ("git add notes.txt && git commit -m 'Add notes #42'", "ls tests-that-do-not-exist",
                "git log --oneline -2"):
        assert cmd in commands
    assert s.files == ["notes.txt"]
    assert parse_session_dir(DATA / "opencode" / "tui").provider == "opencode"  # meta.json says so too


def test_detects_copilot_from_its_screen() -> None:
    s = parse_transcript(DATA / "copilot" / "tui" / "output.raw")
    assert s.provider == "copilot_cli" and s.detection.source == "terminal"
    assert s.prompts == ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                         "Show the last two commits"]
    # Copilot folds the later calls' rows away once answered: the first turn's two shell rows show.
    assert [c.command for c in s.commands] == ["git status --short",
                                               "git add notes.txt && git commit -m 'Add notes #42'"]
    assert s.files == ["notes.txt"] and s.metrics.git_operations == 3


def test_detects_qwen_from_its_screen() -> None:
    s = parse_transcript(DATA / "qwen" / "tui" / "output.raw")
    assert s.provider == "qwen_code" and s.detection.source == "terminal"
    # The rendered transcript repeats the first turn's rows once (a redraw), hence sets here; the
    # chat JSONL has the exact counts (tests/parse/test_qwen.py). Slash-menu rows are not prompts.
    assert set(s.prompts) == {"Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                              "Show the last two commits"}
    assert {c.command for c in s.commands} == {"git status --short", "git add notes.txt && git commit -m 'Add notes #42'",
                                               "ls tests-that-do-not-exist", "git log --oneline -2"}
    assert {c.command for c in s.commands if c.is_error} == {"ls tests-that-do-not-exist"}
    assert s.files == ["notes.txt"]


def test_detects_kilo_from_its_screen() -> None:
    """Kilo draws OpenCode's rows; its own banner rows tell it apart (OpenCode's capture stays OpenCode)."""
    s = parse_transcript(DATA / "kilo" / "tui" / "output.raw")
    assert s.provider == "kilo_code" and s.detection.source == "terminal"
    assert "kilo banner" in s.detection.evidence
    assert [c.command for c in s.commands] == ["git status --short", "git add notes.txt && git commit -m 'Add notes #42'",
                                               "ls tests-that-do-not-exist", "git log --oneline -2"]
    assert s.metrics.git_operations == 4
    assert parse_session_dir(DATA / "kilo" / "tui").provider == "kilo_code"
    assert parse_transcript(DATA / "opencode" / "tui" / "output.raw").provider == "opencode"


def test_detects_cline_from_its_screen() -> None:
    """Cline prints `[cline] Node 20…` before its TUI: a capture starting with `[` is still a terminal."""
    from aitrack.parse import parse_path

    s = parse_transcript(DATA / "cline" / "tui" / "output.raw")
    assert s.provider == "cline" and s.detection.source == "terminal"
    assert s.prompts == ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                         "Show the last two commits"]
    assert [(c.command, c.is_error) for c in s.commands] == [
        ("git status --short", False), ("git add notes.txt && git commit -m 'Add notes #42'", False),
        ("ls tests-that-do-not-exist", True), ("git log --oneline -2", False)]
    assert s.files == ["notes.txt"] and s.metrics.git_operations == 4
    assert parse_path(DATA / "cline" / "tui" / "output.raw").provider == "cline"
    assert parse_session_dir(DATA / "cline" / "tui").provider == "cline"


def test_detects_continue_from_its_screen() -> None:
    """Continue draws Claude-like `● Bash(cmd)` / `⎿` rows; its own banner rows tell it apart."""
    s = parse_transcript(DATA / "cn" / "tui" / "output.raw")
    assert s.provider == "continue_cli" and s.detection.source == "terminal"
    assert s.prompts == ["Write notes.txt with a line about issue #42 and commit it", "Run the test suite",
                         "Show the last two commits"]
    assert [(c.command, c.is_error, c.exit_code) for c in s.commands] == [
        ("git status --short", False, 0), ("git add notes.txt && git commit -m 'Add notes #42'", False, 0),
        ("ls tests-that-do-not-exist", True, 2), ("git log --oneline -2", False, 0)]
    assert s.files == ["notes.txt"] and s.metrics.git_operations == 4
    assert parse_session_dir(DATA / "cn" / "tui").provider == "continue_cli"


def test_forcing_cline_or_continue_on_their_capture_reads_the_screen() -> None:
    """`aitrack parse --provider cline output.raw` (their logs are JSON, their captures are not)."""
    from aitrack.parse import parse_path

    for agent, provider in (("cline", "cline"), ("cn", "continue_cli")):
        s = parse_path(DATA / agent / "tui" / "output.raw", provider)
        assert (s.provider, s.detection.source, s.metrics.commands_executed) == (provider, "terminal", 4)
