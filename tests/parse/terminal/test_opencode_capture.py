"""OpenCode's TUI recorded through `aitrack run opencode` (tests/data/agents/opencode/tui): the
screen patterns name the provider and read its `┃  $ cmd` rows."""
from __future__ import annotations

from pathlib import Path

from aitrack.parse.terminal import parse_session_dir

TUI = Path(__file__).resolve().parents[2] / "data" / "agents" / "opencode" / "tui"


def test_detects_opencode_from_its_screen() -> None:
    s = parse_session_dir(TUI, provider=None)
    assert s.provider == "opencode" and s.detection.source == "terminal"
    assert "┃ $ command" in s.detection.evidence and "▣ Build · model" in s.detection.evidence
    commands = [c.command for c in s.commands]
    # The transcript shows these rows (`git status --short` was overwritten on screen before it
    # scrolled: the database has all four).
    for cmd in ("git add notes.txt && git commit -m 'Add notes #42'", "ls tests-that-do-not-exist",
                "git log --oneline -2"):
        assert cmd in commands
    assert s.files == ["notes.txt"]
    assert s.metrics.git_operations == sum(2 if "&&" in c else 1 for c in commands if c.startswith("git"))
