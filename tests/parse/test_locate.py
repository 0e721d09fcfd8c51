"""find_agent_logs: real files laid out in a tmp HOME as each agent writes them."""
from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from aitrack.parse.locate import find_agent_logs, parse_session_logs

T0 = 1_780_000_000.0  # the wrapper session: [T0, T0 + 600]


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat().replace("+00:00", "Z")


def meta(tool: str, cwd: Path, start: float = T0, end: float | None = T0 + 600, argv: list[str] | None = None) -> dict:
    return {"tool": tool, "provider": {"claude": "claude_code", "codex": "openai_codex", "gemini": "gemini_cli",
                                       "aider": "aider"}[tool],
            "cwd": str(cwd), "started_at_epoch": start, "ended_at_epoch": end, "argv": argv or [tool]}


def write_jsonl(path: Path, rows: list[dict], mtime: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    os.utime(path, (mtime, mtime))
    return path


def claude_rows(sid: str, cwd: Path, start: float, end: float, prompt: str) -> list[dict]:
    base = {"sessionId": sid, "cwd": str(cwd), "uuid": "u"}
    return [dict(base, type="user", timestamp=iso(start), message={"role": "user", "content": prompt}),
            dict(base, type="assistant", timestamp=iso(end), message={"role": "assistant", "content": []})]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "work" / "my.repo"
    path.mkdir(parents=True)
    return path


def claude_dir(home: Path, cwd: Path) -> Path:
    return home / ".claude" / "projects" / str(cwd).replace("/", "-").replace(".", "-").replace("_", "-")


def test_claude_picks_this_sessions_file_and_subagents(isolated_home: Path, repo: Path) -> None:
    d = claude_dir(isolated_home, repo)
    mine = write_jsonl(d / "aaa.jsonl", claude_rows("aaa", repo, T0 + 5, T0 + 300, "mine"), T0 + 300)
    sub = write_jsonl(d / "aaa" / "subagents" / "agent-1.jsonl", claude_rows("aaa", repo, T0 + 50, T0 + 60, "t"), T0 + 60)
    write_jsonl(d / "old.jsonl", claude_rows("old", repo, T0 - 9000, T0 - 8000, "yesterday"), T0 - 8000)
    write_jsonl(d / "later.jsonl", claude_rows("later", repo, T0 + 5000, T0 + 5100, "later"), T0 + 5100)
    # same slug, other directory (slug collision): cwd in the records tells them apart
    write_jsonl(d / "other.jsonl", claude_rows("other", repo.parent / "my-repo", T0 + 10, T0 + 20, "x"), T0 + 20)
    assert find_agent_logs(meta("claude", repo)) == [mine, sub]


def test_claude_concurrent_session_in_same_cwd_is_not_ours(isolated_home: Path, repo: Path) -> None:
    d = claude_dir(isolated_home, repo)
    # another wrapper session started before ours and is still running in the same directory
    write_jsonl(d / "theirs-early.jsonl", claude_rows("te", repo, T0 - 100, T0 + 500, "theirs"), T0 + 500)
    mine = write_jsonl(d / "mine.jsonl", claude_rows("mine", repo, T0 + 3, T0 + 400, "mine"), T0 + 400)
    # and one started during ours, overlapping it
    write_jsonl(d / "theirs-late.jsonl", claude_rows("tl", repo, T0 + 200, T0 + 550, "theirs 2"), T0 + 550)
    # after /clear in our session, a new file follows the first one
    cleared = write_jsonl(d / "mine2.jsonl", claude_rows("mine2", repo, T0 + 410, T0 + 590, "after clear"), T0 + 590)
    assert find_agent_logs(meta("claude", repo)) == [mine, cleared]
    s = parse_session_logs(meta("claude", repo))
    assert s is not None and s.prompts == ["mine", "after clear"]


def test_claude_resumed_file_only_when_named_and_only_its_new_part(isolated_home: Path, repo: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    config = isolated_home / "cfg"
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(config))
    d = config / "projects" / claude_dir(config, repo).name
    rows = claude_rows("0f0e", repo, T0 - 5000, T0 - 4000, "earlier") + claude_rows("0f0e", repo, T0 + 10, T0 + 20, "resumed")
    path = write_jsonl(d / "0f0e1d2c-resume.jsonl", rows, T0 + 20)
    assert find_agent_logs(meta("claude", repo)) == []
    m = meta("claude", repo, argv=["claude", "--resume", "0f0e1d2c-resume"])
    assert find_agent_logs(m) == [path]
    s = parse_session_logs(m)
    assert s is not None and s.prompts == ["resumed"]


def test_a_hook_session_keeps_the_log_its_agent_session_id_names(isolated_home: Path, repo: Path) -> None:
    """The agent's own hook named its session: of the logs in the window (ours, then the one a
    `/clear` began), only that one's; under the wrapper both stay the session's."""
    d = claude_dir(isolated_home, repo)
    first = write_jsonl(d / "11111111-aaaa.jsonl", claude_rows("11111111-aaaa", repo, T0 + 3, T0 + 200, "one"), T0 + 200)
    second = write_jsonl(d / "22222222-bbbb.jsonl", claude_rows("22222222-bbbb", repo, T0 + 210, T0 + 400, "two"),
                         T0 + 400)
    hooked = {**meta("claude", repo), "captured_by": "hook"}
    assert find_agent_logs({**hooked, "agent_session_id": "22222222-bbbb"}) == [second]
    assert find_agent_logs({**hooked, "agent_session_id": "11111111-aaaa"}) == [first]
    assert find_agent_logs({**hooked, "agent_session_id": "33333333-cccc"}) == [first, second]  # named by none
    assert find_agent_logs({**meta("claude", repo), "agent_session_id": "22222222-bbbb"}) == [first, second]


def codex_rollout(home: Path, cwd: Path, start: float, end: float, name: str) -> Path:
    folder = home / ".codex" / "sessions" / time.strftime("%Y/%m/%d", time.localtime(start))
    rows = [{"timestamp": iso(start), "type": "session_meta", "payload": {"id": name, "cwd": str(cwd)}},
            {"timestamp": iso(end), "type": "event_msg", "payload": {"type": "user_message", "message": name}}]
    return write_jsonl(folder / f"rollout-{name}.jsonl", rows, end)


def test_codex_by_cwd_and_time(isolated_home: Path, repo: Path, tmp_path: Path) -> None:
    mine = codex_rollout(isolated_home, repo, T0 + 2, T0 + 100, "mine")
    codex_rollout(isolated_home, tmp_path, T0 + 2, T0 + 100, "elsewhere")
    codex_rollout(isolated_home, repo, T0 - 90000, T0 - 80000, "yesterday")
    assert find_agent_logs(meta("codex", repo)) == [mine]
    s = parse_session_logs(meta("codex", repo))
    assert s is not None and s.prompts == ["mine"] and s.provider == "openai_codex"


def test_codex_home_variable(isolated_home: Path, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEX_HOME", str(isolated_home / "alt"))
    mine = codex_rollout(isolated_home / "alt" / "..", repo, T0 + 2, T0 + 100, "x")  # written under ~/.codex
    assert find_agent_logs(meta("codex", repo)) == []
    alt = codex_rollout(isolated_home / "alt-home", repo, T0 + 2, T0 + 100, "y")
    monkeypatch.setenv("CODEX_HOME", str(isolated_home / "alt-home" / ".codex"))
    assert find_agent_logs(meta("codex", repo)) == [alt] and mine != alt


def test_gemini_hash_and_named_folders(isolated_home: Path, repo: Path) -> None:
    hashed = isolated_home / ".gemini" / "tmp" / hashlib.sha256(str(repo).encode()).hexdigest() / "chats"
    rows = [{"sessionId": "g1", "projectHash": "h", "startTime": iso(T0 + 4)},
            {"id": "a", "type": "user", "timestamp": iso(T0 + 5), "content": "hi gemini"}]
    one = write_jsonl(hashed / "session-a.jsonl", rows, T0 + 6)
    named = isolated_home / ".gemini" / "tmp" / "my.repo"
    doc = {"sessionId": "g2", "projectHash": "h", "startTime": iso(T0 + 300), "messages": [
        {"id": "m", "type": "user", "timestamp": iso(T0 + 301), "content": "second chat"}]}
    (named / "chats").mkdir(parents=True)
    (named / ".project_root").write_text(str(repo))
    two = named / "chats" / "session-b.json"
    two.write_text(json.dumps(doc, indent=2))
    os.utime(two, (T0 + 302, T0 + 302))
    other = isolated_home / ".gemini" / "tmp" / "other"
    (other / "chats").mkdir(parents=True)
    (other / ".project_root").write_text("/somewhere/else")
    write_jsonl(other / "chats" / "session-c.jsonl", rows, T0 + 6)
    assert find_agent_logs(meta("gemini", repo)) == [one, two]
    s = parse_session_logs(meta("gemini", repo))
    assert s is not None and s.prompts == ["hi gemini", "second chat"]


def test_aider_history_at_repo_root_only_this_run(isolated_home: Path, repo: Path) -> None:
    (repo / ".git").mkdir()
    sub = repo / "src"
    sub.mkdir()
    history = repo / ".aider.chat.history.md"
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(T0 + 1))
    history.write_text("# aider chat started at 2020-01-01 10:00:00\n\n#### old\n\n"
                       f"# aider chat started at {stamp}\n\n#### new work\n\n> Applied edit to src/a.py\n")
    os.utime(history, (T0 + 100, T0 + 100))
    assert find_agent_logs(meta("aider", sub)) == [history]
    s = parse_session_logs(meta("aider", sub))
    assert s is not None and s.prompts == ["new work"] and s.files == ["src/a.py"]


def test_nothing_found(isolated_home: Path, repo: Path) -> None:
    assert find_agent_logs(meta("claude", repo)) == []
    assert parse_session_logs(meta("codex", repo)) is None
    assert find_agent_logs({"tool": "vim", "cwd": str(repo), "started_at_epoch": T0}) == []
    assert find_agent_logs({"tool": "claude"}) == []


def test_interrupted_session_has_open_window(isolated_home: Path, repo: Path) -> None:
    d = claude_dir(isolated_home, repo)
    now = time.time()
    mine = write_jsonl(d / "live.jsonl", claude_rows("live", repo, now - 5, now - 1, "live"), now - 1)
    assert find_agent_logs(meta("claude", repo, start=now - 10, end=None)) == [mine]
