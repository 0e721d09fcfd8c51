"""The shared terminal renderings (screen text) give the counts in fixtures/SOURCES.md, both read as
text and fed through the renderer as CRLF bytes (whole, and in small chunks)."""
from __future__ import annotations

from pathlib import Path

import pytest

from aitrack.parse.record import Session
from aitrack.parse.terminal import parse_text, parse_transcript

# file → (provider, tool uses by name, shell commands, git ops, errors, prompts or None)
EXPECTED: dict[str, tuple[str, dict[str, int], int, int, int, int | None]] = {
    "aircher-claude-conversation.md": ("claude_code", {"Update": 2, "Bash": 1}, 1, 0, 0, 1),
    "aircher-claude-conversation2.md": ("claude_code", {"Update": 1, "Search": 2, "Bash": 1}, 1, 0, 0, 1),
    "aircher-claude-conversation3.md": ("claude_code", {"List": 2}, 0, 0, 0, 2),
    "aircher-claude-perm-cmd-modal.md": ("claude_code", {"Search": 2, "Bash": 2, "Write": 1}, 2, 0, 0, 0),
    "aircher-claude-perm-modal.md": ("claude_code", {"Update Todos": 1, "Write": 1, "Bash": 1}, 1, 0, 0, 0),
    "aircher-claude-perm-modal2.md": ("claude_code", {"Bash": 2}, 2, 2, 0, 0),
    "aircher-claude-startup.md": ("claude_code", {}, 0, 0, 0, None),
    "aircher-claude-help.md": ("claude_code", {}, 0, 0, 0, 0),
    "aircher-claude-fuzzy.md": ("claude_code", {}, 0, 0, 0, 0),
    "issue-anthropics-claude-code-12115-linux-bullet.txt": ("claude_code", {"Bash": 2}, 2, 0, 2, 0),
    "issue-openai-codex-6940-ran-blocks.txt": ("openai_codex", {"shell": 7}, 7, 3, 0, 0),
    "issue-openai-codex-13708-ran-explored-ps.txt": ("openai_codex", {"shell": 2, "Read": 1}, 2, 1, 0, 0),
    "issue-openai-codex-15032-ran-backticks.txt": ("openai_codex", {"shell": 1}, 1, 0, 0, None),
    "codex-tui-snap-binary_size_ideal_response.snap": ("openai_codex", {"shell": 1, "List": 1, "Read": 2}, 1, 0, 0, 0),
    "codex-tui-snap-chatwidget_exec_and_status_layout_vt100_snapshot.snap":
        ("openai_codex", {"Search": 1, "Read": 1}, 0, 0, 0, 0),
    "codex-tui-snap-coalesces_reads_across_multiple_calls.snap": ("openai_codex", {"Search": 1, "Read": 1}, 0, 0, 0, 0),
    "codex-tui-snap-interrupt_exec_marks_failed.snap": ("openai_codex", {"shell": 1}, 1, 0, 0, 0),
    "codex-tui-snap-multiline_command_both_lines_wrap_with_correct_prefixes.snap":
        ("openai_codex", {"shell": 1}, 1, 0, 0, 0),
    "codex-tui-snap-exec_approval_history_decision_approved_short.snap": ("openai_codex", {}, 0, 0, 0, 0),
}
# Gemini snapshots: tool rows by status glyph (✓, x, o, -, ⊶) — SOURCES.md: ✓ 20/3, x 2/1, o 2/0, - 1/1, ⊶ 1/7.
GEMINI = {"gemini-cli-ToolGroupMessage.test.tsx.snap": (26, 2), "gemini-cli-ShellToolMessage.test.tsx.snap": (12, 1)}


def _check(s: Session, expected: tuple[str, dict[str, int], int, int, int, int | None]) -> None:
    provider, tools, commands, git_ops, errors, prompts = expected
    assert s.provider == provider
    assert s.detection.source == "terminal" and provider in s.detection.evidence
    assert s.tool_uses_by_name == tools
    assert s.metrics.tool_uses == sum(tools.values())
    assert s.metrics.commands_executed == commands == len(s.commands)
    assert s.metrics.git_operations == git_ops
    assert s.metrics.errors_encountered == errors
    if prompts is not None:
        assert s.metrics.user_prompts == prompts


def _as_raw(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rendering_text(fixtures_dir: Path, name: str) -> None:
    _check(parse_text((fixtures_dir / "terminal" / name).read_text(encoding="utf-8")), EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED) + sorted(GEMINI))
def test_rendering_through_the_emulator(fixtures_dir: Path, name: str) -> None:
    text = (fixtures_dir / "terminal" / name).read_text(encoding="utf-8")
    direct = parse_text(text)
    raw = _as_raw(text)
    for data in (raw, [raw[i:i + 5] for i in range(0, len(raw), 5)]):
        # Wide enough for the 141-column Claude boxes; 24 rows, so most of it scrolls through.
        rendered = parse_transcript(data, cols=200, rows=24)
        assert rendered.to_dict() | {"detection": None} == direct.to_dict() | {"detection": None}
        assert rendered.detection.source == "terminal"


@pytest.mark.parametrize("name", sorted(GEMINI))
def test_gemini_tool_rows(fixtures_dir: Path, name: str) -> None:
    s = parse_text((fixtures_dir / "terminal" / name).read_text(encoding="utf-8"))
    rows, errors = GEMINI[name]
    assert s.provider == "gemini_cli"
    assert s.metrics.tool_uses == rows
    assert s.metrics.errors_encountered == errors


def test_details(fixtures_dir: Path) -> None:
    d = fixtures_dir / "terminal"
    s = parse_text((d / "issue-anthropics-claude-code-12115-linux-bullet.txt").read_text())
    assert [(c.command, c.exit_code, c.is_error) for c in s.commands] == [
        ('echo "Hello from Bash"', 1, True), ("pwd", 1, True)]
    s = parse_text((d / "aircher-claude-perm-modal2.md").read_text())
    assert [c.command.split(" -m")[0] for c in s.commands] == [
        "git add benchmarks/LATEST_RESULTS.md CLAUDE.md optimization_summary.md", "git commit"]
    s = parse_text((d / "aircher-claude-conversation.md").read_text())
    assert s.prompts == [("i think our current status bar is good. think if we should make any changes. round the "
                          "corners of the text entry box if possible. do you need me to copy and paste how claude "
                          "handles user messages vs llm thinking vs llm tool use vs llm output?")]
    assert s.files == ["src/ui/autocomplete.rs"]
    s = parse_text((d / "issue-openai-codex-13708-ran-explored-ps.txt").read_text())
    assert s.files == ["form-settings-sheet.tsx", "form-editor-shell.tsx", "form-editor-shell.i18n.ts",
                       "bottom-sheet.tsx"]
    s = parse_text((d / "issue-openai-codex-15032-ran-backticks.txt").read_text())
    assert [c.command for c in s.commands] == ["Get-ChildItem -Force"]
    s = parse_text((d / "codex-tui-snap-interrupt_exec_marks_failed.snap").read_text())
    assert [c.command for c in s.commands] == ["sleep 1"]
