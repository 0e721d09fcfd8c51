"""Values a session's record must get right from git and the wrapper (issue 18, "Wrong or missing
values"): files changed through the shell, the branch the commits landed on, issue numbers and where
they came from, interrupted sessions. Real git repositories in tmp dirs, no agent log."""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from aitrack.sessionrecord import SessionRecord
from aitrack.ingest.local import build_record
from aitrack.store.mapping import status, tags
from ingest.kit import make_session


class Git:
    def __init__(self, root: Path, branch: str = "main") -> None:
        self.root = root
        subprocess.run(["git", "init", "-q", "-b", branch, str(root)], check=True)
        self("config", "user.name", "T")
        self("config", "user.email", "t@example.com")

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> str:
        res = subprocess.run(["git", "-C", str(self.root), *args], check=True, capture_output=True, text=True,
                             env={**os.environ, "AITRACK_SESSION_ID": "", **(env or {})})
        return res.stdout.strip()

    def commit(self, name: str, message: str, *, ago: int | None = None) -> str:
        (self.root / name).parent.mkdir(parents=True, exist_ok=True)
        (self.root / name).write_text(message + "\n")
        self("add", name)
        env = {"GIT_COMMITTER_DATE": f"@{int(time.time()) - ago} +0000", "GIT_AUTHOR_DATE": f"@{int(time.time()) - ago} +0000"} if ago else None
        self("commit", "-q", "-m", message, env=env)
        return self("rev-parse", "HEAD")


def session_in(repo: Git, started: float, *, prompts_argv: list[str] | None = None, branch: str = "main",
               **extra: object) -> Path:
    return make_session(argv=prompts_argv or ["claude"], cwd=str(repo.root), started=started,
                        duration=time.time() + 0.5 - started, git_root=str(repo.root), git_branch=branch, **extra)


@pytest.fixture
def repo(tmp_path: Path) -> Git:
    git = Git(tmp_path / "repo")
    old = git.commit("old.txt", "base", ago=3600)
    os.utime(git.root / "old.txt", (time.time() - 3600, time.time() - 3600))
    assert old
    return git


def test_files_changed_through_the_shell_count(repo: Git) -> None:
    (repo.root / "stale.txt").write_text("changed before the session\n")
    os.utime(repo.root / "stale.txt", (time.time() - 600, time.time() - 600))
    started = time.time() - 2
    repo.commit("src/a.py", "add a")          # `sed`/`cat >` + `git commit` in the agent's shell
    (repo.root / "old.txt").write_text("edited, not committed\n")
    (repo.root / "new.txt").write_text("untracked, written in the session\n")
    record = build_record(session_in(repo, started), agent_logs=[])
    assert sorted(record["files"]) == ["new.txt", "old.txt", "src/a.py"], record["warnings"]
    assert record["metrics"]["files_touched"] == 3


def test_git_branch_is_where_the_commits_landed(repo: Git) -> None:
    started = time.time() - 2
    repo("checkout", "-q", "-b", "fix-77")
    sha = repo.commit("a.txt", "Fix the cart (no number)")
    record = build_record(session_in(repo, started, branch="main"), agent_logs=[])
    assert [c["sha"] for c in record["commits"]] == [sha]
    assert record["git_branches"] == ["fix-77"]
    t = tags(SessionRecord.from_json(record))
    assert t["git.branch"] == "fix-77" and t["mlflow.source.git.branch"] == "fix-77"
    # The session worked on fix-77 and named no other issue: the branch's number counts.
    assert record["issue_numbers"] == [77] and t["issues"] == "77:branch"


def test_a_branch_left_checked_out_does_not_name_later_sessions_issues(repo: Git) -> None:
    repo("checkout", "-q", "-b", "fix-77")
    started = time.time() - 2
    record = build_record(session_in(repo, started, prompts_argv=["claude", "look at #12"], branch="fix-77"),
                          agent_logs=[])
    assert record["issue_numbers"] == [12] and record["issue_number"] == 12
    assert tags(SessionRecord.from_json(record))["issues"] == "12:argument"
    quiet = build_record(session_in(repo, started, branch="fix-77"), agent_logs=[])
    assert quiet["issue_numbers"] == [] and quiet["issue_number"] is None
    assert "issues" not in tags(SessionRecord.from_json(quiet))
    sha = repo.commit("b.txt", "Fix the totals\n\nCloses #58")
    committed = build_record(session_in(repo, started, branch="fix-77"), agent_logs=[])
    assert [c["sha"] for c in committed["commits"]] == [sha]
    assert committed["issue_numbers"] == [58] and tags(SessionRecord.from_json(committed))["issues"] == "58:commit"


def test_uncommitted_work_on_a_branch_names_its_issue(repo: Git) -> None:
    repo("checkout", "-q", "-b", "issue-31-login")
    started = time.time() - 2
    (repo.root / "login.py").write_text("pass\n")
    record = build_record(session_in(repo, started, branch="issue-31-login"), agent_logs=[])
    assert record["commits"] == [] and record["files"] == ["login.py"]
    assert record["issue_numbers"] == [31] and record["issue_sources"] == {"31": ["branch"]}


@pytest.mark.parametrize(("exit_code", "sig", "expected"), [
    (130, None, "interrupted"),  # Ctrl-C: the agent exits 130 (or dies of SIGINT)
    (129, 1, "interrupted"),     # the terminal was closed
    (143, 15, "interrupted"),    # kill
    (1, None, "failed"),
    (0, None, "success"),
])
def test_stopped_sessions_are_interrupted(exit_code: int, sig: int | None, expected: str) -> None:
    folder = make_session(tool="claude", exit_code=exit_code, signal=sig)
    record = build_record(folder, agent_logs=[])
    assert status(SessionRecord.from_json(record)) == expected
    assert record["interrupted"] is (expected == "interrupted")
    assert record["success"] is (expected == "success")


def test_a_commit_amended_while_the_session_is_logged_keeps_its_link(repo: Git, tmp_path: Path) -> None:
    """`show HEAD`, then `git commit --amend` (outside the session: no hook journals it), then
    `aitrack sync`: the note must land on the amended commit, not on the one out of history."""
    from aitrack.ingest.pipeline import ingest_one
    from aitrack.store.mlflow_store import MlflowStore
    from aitrack.store.uri import StoreLocation
    from aitrack.vcs.notes import read_note

    started = time.time() - 2
    sha = repo.commit("a.txt", "Fix the cart (#5)")
    folder = session_in(repo, started)
    assert [c["sha"] for c in build_record(folder, agent_logs=[])["commits"]] == [sha]
    repo("commit", "-q", "--amend", "-m", "Fix the cart total (#5)")
    amended = repo("rev-parse", "HEAD")
    home = tmp_path / "store"
    store = MlflowStore(StoreLocation(f"sqlite:///{home / 'mlflow.db'}", str(home / "artifacts"), True))
    run, fresh = ingest_one(folder, store)
    assert fresh
    (entry,) = read_note(repo.root, amended)
    assert entry["session_id"] == folder.name and entry["run_id"] == run["run_id"]
    record = json.loads((folder / "session.json").read_text())
    assert [c["sha"] for c in record["commits"]] == [amended]
    tags = store.client.get_run(run["run_id"]).data.tags
    assert tags["git.commits"] == amended and f"aitrack.commit.{amended}" in tags


def test_run_name_and_trace_input_are_the_prompt_not_the_flags() -> None:
    from aitrack.store.mapping import initial_ask, run_name

    record = {"meta": {"argv": ["aider", "--model", "openai/gpt-4o", "--edit-format", "diff"], "tool": "aider"},
              "prompts": ["Create hello.txt for issue #42"]}
    assert initial_ask(SessionRecord.from_json(record)) == "Create hello.txt for issue #42"  # the trace's root input
    assert run_name(SessionRecord.from_json(record)) == "aider · Create hello.txt for issue #42"
    typed = {"type": "procedure", "procedure_name": "extract", "prompts": [],
             "meta": {"argv": ["ffmpeg", "-i", "a.mp4", "out.png"], "tool": "ffmpeg"}}
    assert run_name(SessionRecord.from_json(typed)) == "extract · a.mp4 out.png"  # a procedure: named as before
    claude = {"meta": {"argv": ["claude", "--model", "opus", "close-issue 9"], "tool": "claude"},
              "prompts": ["close-issue 9, expanded"]}
    assert initial_ask(SessionRecord.from_json(claude)) == "close-issue 9"  # what was typed, without the option's value
    nothing = {"meta": {"argv": ["aider", "--edit-format", "diff", "app.py"], "tool": "aider"}, "prompts": []}
    assert initial_ask(SessionRecord.from_json(nothing)) == "" and run_name(SessionRecord.from_json(nothing)) == "aider"  # nothing was asked


CAPTURES = Path(__file__).resolve().parents[1] / "data" / "captures"


def test_gemini_tokens_count_the_router_call_and_the_version_comes_from_the_install(tmp_path: Path) -> None:
    """The real Gemini CLI 0.61 run in tests/data/captures: its chat log has 2 responses of 300/20
    tokens, its exit summary 3 requests, 900/60 (the router's call); the log names no version."""
    import json as _json

    package = tmp_path / "lib" / "node_modules" / "@google" / "gemini-cli"
    (package / "bundle").mkdir(parents=True)
    (package / "package.json").write_text(_json.dumps({"name": "@google/gemini-cli", "version": "0.61.0"}))
    (package / "bundle" / "gemini.js").write_text("// the CLI\n")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "gemini").symlink_to(package / "bundle" / "gemini.js")
    meta = _json.loads((CAPTURES / "gemini" / "meta.json").read_text())
    folder = make_session(tool="gemini", argv=["gemini"], started=meta["started_at_epoch"],
                          duration=meta["ended_at_epoch"] - meta["started_at_epoch"],
                          raw=(CAPTURES / "gemini" / "output.raw").read_bytes(),
                          timing=(CAPTURES / "gemini" / "timing").read_text(), term_cols=120, term_rows=40,
                          tool_path=str(tmp_path / "bin" / "gemini"))
    record = build_record(folder, agent_logs=[CAPTURES / "gemini" / "agent-log.jsonl"])
    assert (record["metrics"]["input_tokens"], record["metrics"]["output_tokens"]) == (900, 60)
    assert record["tool_version"] == "0.61.0"
    print_mode = make_session(tool="gemini", argv=["gemini", "-p", "x"], tool_path="/nonexistent/gemini")
    plain = build_record(print_mode, agent_logs=[CAPTURES / "gemini" / "agent-log.jsonl"])
    assert (plain["metrics"]["input_tokens"], plain["metrics"]["output_tokens"]) == (600, 40)  # no summary: the log's
    assert plain["tool_version"] is None


def test_codex_turn_aborted_at_the_end_means_interrupted(fixtures_dir: Path, tmp_path: Path) -> None:
    """The real log holds an interrupt the person went on from (not interrupted); cut right after
    it, the session ended there: interrupted, though the agent then exited 0."""
    fixture = fixtures_dir / "codex" / "jazzyalex-stage0-small.jsonl"
    lines = fixture.read_text().splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if '"reason":"interrupted"' in line)
    whole = build_record(make_session(tool="codex", exit_code=0), agent_logs=[fixture])
    assert whole["interrupted"] is False and status(SessionRecord.from_json(whole)) == "success"
    log = tmp_path / fixture.name
    log.write_text("".join(lines[:cut + 1]))
    ended = build_record(make_session(tool="codex", exit_code=0), agent_logs=[log])
    assert ended["interrupted"] is True and status(SessionRecord.from_json(ended)) == "interrupted" and ended["success"] is False


def test_claude_request_interrupted_at_the_end_means_interrupted(tmp_path: Path) -> None:
    """The real Claude Code 2.1 log (tests/data/captures), then the record Claude writes on Esc."""
    lines = (CAPTURES / "claude" / "agent-log.jsonl").read_text().splitlines()
    last_user = json.loads(next(line for line in reversed(lines) if '"type":"user"' in line))
    marker = dict(last_user, message={"role": "user", "content": [{"type": "text", "text": "[Request interrupted by user]"}]},
                  uuid="00000000-0000-4000-8000-000000000001")
    log = tmp_path / "session.jsonl"
    log.write_text("\n".join([*lines, json.dumps(marker)]) + "\n")
    record = build_record(make_session(tool="claude", exit_code=0), agent_logs=[log])
    assert record["interrupted"] is True and status(SessionRecord.from_json(record)) == "interrupted"
    assert record["metrics"]["user_prompts"] == 1  # the marker is no prompt
    plain = build_record(make_session(tool="claude", exit_code=0), agent_logs=[CAPTURES / "claude" / "agent-log.jsonl"])
    assert plain["interrupted"] is False


def test_ctrl_c_twice_at_the_agents_prompt_is_interrupted() -> None:
    """Claude Code exits 0 on a second Ctrl-C at its prompt (it reads the keys in raw mode): the
    screen it leaves says why (seen with the real CLI in tests/e2e/test_values.py)."""
    from ingest.kit import pty_capture

    raw = pty_capture("printf '> \\n  ? for shortcuts\\n'; printf '  Press Ctrl-C again to exit\\n'")
    record = build_record(make_session(tool="claude", exit_code=0, raw=raw), agent_logs=[])
    assert record["interrupted"] is True and status(SessionRecord.from_json(record)) == "interrupted"
    early = pty_capture("printf '  Press Ctrl-C again to exit\\n'; for i in 1 2 3 4 5 6 7 8 9; do echo line $i; done")
    went_on = build_record(make_session(tool="claude", exit_code=0, raw=early), agent_logs=[])
    assert went_on["interrupted"] is False and status(SessionRecord.from_json(went_on)) == "success"
