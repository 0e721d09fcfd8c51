"""The local stage: a session folder → redacted session.json + transcript.txt. No mlflow here."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aitrack.ingest.local import build_record, procedure_name
from aitrack.meta import Meta
from ingest.kit import dead_pid, make_session, pty_capture

SECRET = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def test_claude_log_is_preferred_and_everything_is_redacted(fixtures_dir: Path) -> None:
    raw = pty_capture(f"printf 'working on it\\n'; printf 'export GITHUB_TOKEN={SECRET}\\n'; printf '\\033[1mdone\\033[0m\\n'")
    folder = make_session(argv=["claude", "close-issue 123"], duration=95.5, raw=raw)
    log = fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl"
    record = build_record(folder, agent_logs=[log])

    assert record["provider"] == "claude_code"
    assert record["detection"]["source"] == "structured"
    m = record["metrics"]
    # SOURCES.md: 13 tool uses, 5 Bash commands, 6 git ops, 1 error; tokens 9/158
    assert (m["tool_uses"], m["commands_executed"], m["git_operations"], m["errors_encountered"]) == (13, 5, 6, 1)
    assert (m["input_tokens"], m["output_tokens"]) == (9, 158)
    assert m["duration_seconds"] == pytest.approx(95.5, abs=0.01)  # the wrapper's clock, not the log's
    assert record["success"] is True and record["exit_code"] == 0 and record["interrupted"] is False
    assert record["procedure_name"] == "close-issue"
    assert record["issue_number"] == 123 and record["issue_numbers"][0] == 123
    assert record["agent_logs"] == [str(log)]

    on_disk = json.loads((folder / "session.json").read_text())
    assert on_disk == json.loads(json.dumps(record, default=str))
    transcript = (folder / "transcript.txt").read_text()
    assert "working on it" in transcript and "done" in transcript and "\x1b" not in transcript
    for name in ("session.json", "transcript.txt"):
        assert SECRET not in (folder / name).read_text()
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert "[REDACTED:" in transcript and record["redactions"]


def test_terminal_only_session_keeps_the_wrapped_command_as_provider() -> None:
    raw = pty_capture("printf '$ ls\\nREADME.md\\n'; printf 'Error: something failed\\n'")
    folder = make_session(tool="gpt", argv=["gpt", "fix the tests"], raw=raw, exit_code=2)
    record = build_record(folder, agent_logs=[])
    assert record["provider"] == "gpt"
    assert record["detection"]["source"] == "command"
    assert record["success"] is False and record["exit_code"] == 2
    assert record["procedure_name"] is None  # "fix" is an ordinary word, not a procedure
    assert "README.md" in (folder / "transcript.txt").read_text()


def test_interrupted_session_is_marked_and_timed_by_its_last_output() -> None:
    started = time.time() - 100
    folder = make_session(tool="claude", started=started, ended=False, pid=dead_pid(), raw=b"partial output\r\n")
    record = build_record(folder, agent_logs=[])
    assert record["interrupted"] is True and record["success"] is False and record["exit_code"] is None
    assert record["metrics"]["duration_seconds"] == pytest.approx(100, abs=5)


def test_commits_branch_and_messages_give_issue_numbers(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    git = ["git", "-C", str(repo)]
    subprocess.run(["git", "init", "-q", "-b", "issue-45-login", str(repo)], check=True)
    # A commit from before the session: it must not be linked (and, listed last by `git log`,
    # it keeps this test clear of vcs.git.try_out stripping a trailing \x1f field separator).
    (repo / "base.txt").write_text("base\n")
    subprocess.run([*git, "add", "base.txt"], check=True)
    old = str(int(time.time()) - 120)
    subprocess.run([*git, "commit", "-q", "-m", "base, see #9"], check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": f"@{old}", "GIT_AUTHOR_DATE": f"@{old}"})
    started = time.time() - 3
    (repo / "a.txt").write_text("a\n")
    subprocess.run([*git, "add", "a.txt"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Fix login redirect (#77)"], check=True)
    sha = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    (repo / "b.txt").write_text("b\n")
    subprocess.run([*git, "add", "b.txt"], check=True)
    # The closing reference usually stands in the body, not the subject.
    subprocess.run([*git, "commit", "-q", "-m", "Tidy the redirect code", "-m", "Closes org/repo#88"], check=True)
    sha2 = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    folder = make_session(argv=["claude"], cwd=str(repo), started=started, duration=time.time() + 1 - started,
                          git_root=str(repo), git_branch="issue-45-login")
    record = build_record(folder, agent_logs=[])
    assert [c["sha"] for c in record["commits"]] == [sha, sha2], record["warnings"]
    assert record["commits"][1]["subject"] == "Tidy the redirect code"
    # The commits name their issues: the branch's number (45) does not count (issue 18).
    assert record["issue_numbers"] == [77, 88]
    assert record["issue_number"] == 77
    assert record["issue_sources"] == {"77": ["commit"], "88": ["commit"]}
    assert record["git_branches"] == ["issue-45-login"]


@pytest.mark.parametrize(("prompts", "argv", "expected"), [
    (["close-issue 583"], ["claude"], "close-issue"),
    ([], ["claude", "close-issue 583"], "close-issue"),
    ([], ["claude", "--model", "opus", "close-issue 9"], "close-issue"),
    (["/review-pr 12"], ["claude"], "review-pr"),
    (["/release"], ["claude"], "release"),
    (["fix the failing tests"], ["claude"], None),
    (["Close-Issue 5"], ["claude"], None),
    ([], ["aider", "--yes"], None),
])
def test_procedure_name(prompts: list[str], argv: list[str], expected: str | None) -> None:
    assert procedure_name({"prompts": prompts}, Meta.from_json({"argv": argv})) == expected


def test_local_stage_never_imports_mlflow(fixtures_dir: Path) -> None:
    folder = make_session(argv=["claude", "hello"])
    code = (
        "import sys; from aitrack.ingest.local import build_record; "
        f"build_record({str(folder)!r}, agent_logs=[{str(fixtures_dir / 'claude' / 'simonw-sample_session.jsonl')!r}]); "
        "assert 'mlflow' not in sys.modules, 'mlflow imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_redacting_a_long_sessions_raw_output_needs_flat_memory(tmp_path: Path) -> None:
    """output.raw of a long TUI session runs to hundreds of MB: both redaction passes over it (the
    secrets behind the transcript, the raw artifact) read it as a stream."""
    import tracemalloc

    from aitrack.ingest.artifacts import _redact_copy
    from aitrack.parse.terminal.timing import iter_file
    from aitrack.redact import redact_transcript

    unit = b"".join(f"\x1b[2K\x1b[38;5;{i}mline {i} of the TUI, redrawn \x1b[0m\u2502 {'x' * (i % 50)}\r\n".encode()
                    for i in range(200)) + f"export GITHUB_TOKEN={SECRET}\r\n".encode()
    peaks = []
    for copies in (150, 600):  # ~2 MB and ~8 MB
        raw = tmp_path / f"output-{copies}.raw"
        raw.write_bytes(unit * copies)
        tracemalloc.start()
        _redact_copy(raw, tmp_path / "staged.raw", binary=True)
        out = redact_transcript(f"export GITHUB_TOKEN={SECRET}\n", iter_file(raw))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert SECRET not in out and SECRET.encode() not in (tmp_path / "staged.raw").read_bytes()
    assert peaks[1] < 1.3 * peaks[0], peaks
