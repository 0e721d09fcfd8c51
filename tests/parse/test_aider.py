"""aider's `.aider.chat.history.md`: the fixtures' values (SOURCES.md) and time-window selection."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from aitrack.parse import iter_sessions, parse_path, parse_text

# file: (sessions, free-text prompts, applied edits, files, commits, commands run)
EXPECTED = {
    # 34 inputs = 22 slash commands + 12 free text; slash commands are not prompts (aider logs an
    # `/ask` question again as a plain input, so it is still counted once).
    # 11 `> Running` lines + the person's `/run python -m unittest …` (issue 18: /run is a command)
    "aider-repo-chat-history-EXCERPT.md": (31, 12, 10, 5, 17, 12),
    "aider-website-example-hello-world-flask.md": (1, 4, 4, 1, 4, 0),
    "aider-website-example-add-test.md": (1, 1, 2, 1, 3, 2),  # 3 inputs: 1 prompt + 2 `/run pytest …`
    "aider-website-example-complex-change.md": (1, 9, 15, 3, 7, 0),  # 10 inputs incl. 1 `/add`
}


def test_every_fixture_is_listed(fixtures_dir: Path) -> None:
    assert sorted(p.name for p in (fixtures_dir / "aider").iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_values(fixtures_dir: Path, name: str) -> None:
    sessions, prompts, edits, files, commits, commands = EXPECTED[name]
    path = fixtures_dir / "aider" / name
    assert len(list(iter_sessions(path))) == sessions
    s = parse_path(path)
    assert s.provider == "aider" and s.detection.source == "structured"
    assert s.metrics.user_prompts == prompts
    assert s.tool_uses_by_name.get("edit", 0) == edits
    assert s.metrics.files_touched == files
    assert s.metrics.git_operations == commits  # aider's own commits (no shell git commands here)
    assert s.metrics.commands_executed == commands


def test_excerpt_details(fixtures_dir: Path) -> None:
    s = parse_path(fixtures_dir / "aider" / "aider-repo-chat-history-EXCERPT.md")
    assert [c.command for c in s.commands] == [
        "ls", "date", "date", "date", "echo $RANDOM", "python", "emacs -nw", "emacs -nw",
        "date && exit 1", "date && exit 1", "python -m unittest tests/basic/test_main.py",
        "python -m unittest tests/basic/test_main.py"]  # aider's suggestion ran, then the person's /run
    assert [c.exit_code for c in s.commands if c.is_error] == [1, 1] and s.metrics.errors_encountered == 2
    answers = [c.output for c in s.tool_calls if c.name == "run_shell_command"]
    assert len(answers) == 11 and answers.count("approved") == 9 and answers.count("declined") == 2
    assert s.models == ["claude-3-5-sonnet-20240620"] and s.tool_version == "0.51.2-dev"
    assert s.metrics.input_tokens == 94400 and s.metrics.output_tokens == 5312  # 12 "Tokens:" lines
    first = next(iter(iter_sessions(fixtures_dir / "aider" / "aider-repo-chat-history-EXCERPT.md")))
    assert first.started_at == "2024-08-21T15:14:00"


def test_token_line_with_cache_and_cost() -> None:
    text = ("# aider chat started at 2025-01-02 10:00:00\n\n#### fix it\n\n"
            "> Tokens: 2.4k sent, 1.1k cache write, 8.9k cache hit, 191 received. Cost: $0.0071 message, $0.02 session.\n")
    m = parse_text(text).metrics
    assert (m.input_tokens, m.cache_creation_input_tokens, m.cache_read_input_tokens, m.output_tokens) == (
        2400, 1100, 8900, 191)


def test_window_keeps_only_the_runs_of_this_session(tmp_path: Path) -> None:
    history = tmp_path / ".aider.chat.history.md"
    history.write_text(
        "# aider chat started at 2025-03-01 09:00:00\n\n#### old prompt\n\n"
        "# aider chat started at 2025-03-01 10:00:00\n\n#### new prompt\n\n> Running make\n"
    )
    start = time.mktime(time.strptime("2025-03-01 09:59:59", "%Y-%m-%d %H:%M:%S"))
    s = parse_path(history, window=(start, start + 60))
    assert s.prompts == ["new prompt"] and s.metrics.commands_executed == 1


def test_run_commands_count_and_a_failed_one_is_an_error(fixtures_dir: Path) -> None:
    """`/run pytest …` twice: the first run's quoted output says `1 failed`, the second `1 passed`."""
    s = parse_path(fixtures_dir / "aider" / "aider-website-example-add-test.md")
    runs = [c for c in s.commands if c.tool == "/run"]
    assert [c.command for c in runs] == ["pytest tests/test_commands.py"] * 2
    assert [c.is_error for c in runs] == [True, False] and s.metrics.errors_encountered == 1
    assert "1 failed" in runs[0].output


# As aider 0.86.2 writes it (run by hand against the real CLI): `/run` leaves no output and no
# exit status in the history; the terminal shows the output before aider's question.
AIDER_086 = """
# aider chat started at 2026-12-02 22:39:07

> /opt/aitrack-e2e/bin/aider --model openai/scripted  
> Aider v0.86.2  
> Model: openai/scripted with whole edit format  

#### /run ls nope-missing  
> Add 0.0k tokens of command output to the chat? (Y)es/(N)o [Yes]: n  

#### !echo ok  
> Add 0.0k tokens of command output to the chat? (Y)es/(N)o [Yes]: n  

#### /exit  
"""
SCREEN_086 = """Aider v0.86.2
> /run ls nope-missing
ls: cannot access 'nope-missing': No such file or directory
Add 0.0k tokens of command output to the chat? (Y)es/(N)o [Yes]: n
> !echo ok
ok
Add 0.0k tokens of command output to the chat? (Y)es/(N)o [Yes]: n
> /exit
"""


def test_run_in_aider_086_fails_by_what_the_terminal_showed() -> None:
    from aitrack.parse.aider import run_results

    s = parse_text(AIDER_086, provider="aider")
    assert [(c.command, c.tool) for c in s.commands] == [("ls nope-missing", "/run"), ("echo ok", "/run")]
    assert s.metrics.commands_executed == 2 and s.metrics.user_prompts == 0
    run_results(s, SCREEN_086)
    assert [c.is_error for c in s.commands] == [True, False] and s.metrics.errors_encountered == 1
    assert s.commands[0].output == "ls: cannot access 'nope-missing': No such file or directory"
    assert s.commands[1].output == "ok"
