"""Provider patterns on rendered text: detection by score, forcing a provider, each provider's forms."""
from __future__ import annotations

import pytest

from aitrack.errors import AitrackError
from aitrack.parse.terminal import detect, parse_text, parse_transcript
from aitrack.parse.terminal.providers import PROVIDERS


def test_every_provider_has_a_module_and_rules() -> None:
    assert [p.name for p in PROVIDERS] == ["claude_code", "openai_codex", "gemini_cli", "aider", "opencode",
                                         "copilot_cli", "qwen_code", "kilo_code", "cline", "continue_cli", "mistral_vibe", "kimi_cli", "openhands", "gpt",
                                         "generic"]
    assert all(p.rules for p in PROVIDERS)


def test_gpt_seed_forms() -> None:
    text = ">>> bash: git status && git add -A\n>>> read_file: src/app.py\nFunction: shell(git commit -m 'x')\n" \
           "Function: search(pattern='TODO')\nError: command failed\n"
    s = parse_text(text)
    assert s.provider == "gpt"
    assert s.tool_uses_by_name == {"bash": 1, "read_file": 1, "shell": 1, "search": 1}
    assert [c.command for c in s.commands] == ["git status && git add -A", "git commit -m 'x'"]
    assert s.metrics.git_operations == 3
    assert s.metrics.errors_encountered == 1


def test_generic_shell_prompts() -> None:
    s = parse_text("$ git status\nOn branch main\nuser@box:~/repo$ git log -1\nbash: foo: command not found\n")
    assert s.provider == "generic"
    assert [c.command for c in s.commands] == ["git status", "git log -1"]
    assert s.metrics.git_operations == 2
    assert s.metrics.errors_encountered == 1


def test_prompts_alone_do_not_make_an_agent() -> None:
    s = parse_text("❯ git status\nOn branch main\n❯ ls\n> quoted\n❯ make test\n")
    assert s.provider == "generic"


def test_aider_terminal_lines() -> None:
    text = ("Aider v0.86.2\nMain model: gpt-4o\n> add a hello file\n\nApplied edit to hello.py\n"
            "Commit 1a2b3c4 feat: add hello\n> /run pytest\nRunning pytest -q\n> /exit\n")
    s = parse_text(text)
    assert s.provider == "aider"
    assert s.prompts == ["add a hello file"]  # slash commands are not prompts
    assert s.files == ["hello.py"]
    assert [c.command for c in s.commands] == ["pytest -q"]
    assert s.tool_uses_by_name == {"edit": 1, "run": 1}


def test_claude_wrapped_header_and_2x_description_form() -> None:
    text = ("❯ commit it\n\n⏺ Bash(git add -A && git commit -m \"a long message that\n"
            "      wraps\")\n  ⎿  [main 1234567] a long message\n\n● Committing\n  ⎿  $ git push\n")
    s = parse_text(text)
    assert s.provider == "claude_code"
    assert [c.command for c in s.commands] == ['git add -A && git commit -m "a long message that\nwraps"', "git push"]
    assert s.metrics.git_operations == 3
    assert s.prompts == ["commit it"]


def test_claude_look_alike_without_result_is_not_a_call() -> None:
    s = parse_text("⏺ Sure.\n  Result(of thinking)\nplain text\n", provider="claude_code")
    assert s.metrics.tool_uses == 0


def test_codex_running_then_ran_is_one_call() -> None:
    text = "› do it\n\n• Running git status\n\n• Ran git status\n  └ On branch main\n\n› Ask Codex to do anything\n"
    s = parse_text(text)
    assert s.provider == "openai_codex"
    assert [c.command for c in s.commands] == ["git status"]
    assert s.prompts == ["do it"]
    interrupted = parse_text("• Running sleep 100\n")
    assert [c.command for c in interrupted.commands] == ["sleep 100"]


def test_provider_forced_and_unknown() -> None:
    text = "• Ran ls\n  └ a\n"
    assert parse_text(text).provider == "openai_codex"
    forced = parse_text(text, provider="claude_code")
    assert forced.provider == "claude_code" and forced.metrics.tool_uses == 0
    with pytest.raises(AitrackError, match="unknown provider"):
        parse_text(text, provider="nope")


def test_detect_and_evidence() -> None:
    name, score = detect(["╭─╮", "│ ✓  Shell ls -la │", "╰─╯", "✦ Done."])
    assert name == "gemini_cli" and score > 1
    s = parse_transcript(b"plain output\r\nnothing agent-like\r\n")
    assert s.provider == "generic" and s.detection.source == "terminal"
    assert s.metrics.tool_uses == 0 and s.warnings == []
    with pytest.raises(TypeError):
        parse_transcript("text is not bytes")  # type: ignore[arg-type]


def test_missing_file_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AitrackError, match="not a readable file"):
        parse_transcript(tmp_path / "missing.raw")
    with pytest.raises(AitrackError, match="parse_session_dir"):
        parse_transcript(tmp_path)


def _codex_rows(*rows: str) -> bytes:
    return "".join(row + "\r\n" for row in rows).encode()


def test_codex_command_wrapped_mid_word_joins_back() -> None:
    # Codex breaks a word too long for a row at the right margin (its snapshot
    # multiline_command_both_lines_wrap_with_correct_prefixes, 28 columns): the break is a wrap,
    # not a newline of the command; the command's real line break and the `… +1 lines` elision stay.
    raw = _codex_rows("• Ran first_token_is_long_en", "  │ ough_to_wrap", "  │ second_token_is_also_lon",
                      "  │ … +1 lines", "  └ (no output)")
    s = parse_transcript(raw, cols=28, rows=10)
    assert [c.command for c in s.commands] == ["first_token_is_long_enough_to_wrap\nsecond_token_is_also_lon\n… +1 lines"]
    # A long path at 40 columns, its rows in the middle of a session.
    path = "/srv/app/" + "deep/" * 12 + "file.txt"
    text = "• Ran cat " + path  # 87 columns: rows of 40, then `  │ ` and 36 more each
    rows = [text[:40]] + ["  │ " + text[i:i + 36] for i in range(40, len(text), 36)]
    raw = _codex_rows("› show the file", "", *rows, "  └ hello")
    assert [c.command for c in parse_transcript(raw, cols=40, rows=10).commands] == ["cat " + path]


def test_codex_command_rows_that_do_not_break_a_word_keep_their_newline() -> None:
    # A row short of the margin, or full but ending where a word that fits a row ends: a line break.
    raw = _codex_rows("• Ran echo one", "  │ echo two", "  └ one")
    assert [c.command for c in parse_transcript(raw, cols=14, rows=10).commands] == ["echo one\necho two"]
    raw = _codex_rows("• Ran echo alpha", "  │ echo beta", "  └ alpha")
    assert [c.command for c in parse_transcript(raw, cols=16, rows=10).commands] == ["echo alpha\necho beta"]
    # Without the width (text already rendered) nothing is joined.
    text = "• Ran first_token_is_long_en\n  │ ough_to_wrap\n  └ (no output)\n"
    assert [c.command for c in parse_text(text).commands] == ["first_token_is_long_en\nough_to_wrap"]


def test_claude_description_caught_with_its_bullet_off() -> None:
    # Claude Code 2.x blinks the `●` of a running call: the header may be caught without it.
    s = parse_text("● I will commit it.\n  Committing\n  ⎿  $ git add -A && git commit -m x\n",
                   provider="claude_code")
    assert [c.command for c in s.commands] == ["git add -A && git commit -m x"]
    # a two-space text line over a result is not a call: only the `⎿  $ cmd` line confirms one
    s = parse_text("● Read 2 files\n  Then more text\n  ⎿  some output\n", provider="claude_code")
    assert s.commands == [] and [c.name for c in s.tool_calls] == []
