"""session_commits (journal + trailer + reflog, following rewrites) and notes on real repositories."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from .conftest import Repo, Session, other_session

from aitrack.vcs.hooks import install_repo
from aitrack.meta import Meta
from aitrack.vcs.link import follow, parse_journal, session_commits
from aitrack.vcs.notes import NOTES_REF, parse_note, read_note, write_notes


def meta_for(session: Session, repo: Repo, start: float, end: float | None = None) -> dict[str, object]:
    return {"id": session.id, "git_root": str(repo.root.resolve()), "started_at_epoch": start,
            "ended_at_epoch": end if end is not None else time.time() + 1}


def test_parse_journal_skips_garbage_and_follows_chains() -> None:
    text = ("commit\taaa\t100\t/r\n"
            "rewrite\taaa:bbb\t101\t/r\n"
            "rewrite\tbbb:ccc\t102\t/r\n"
            "rewrite\tccc:aaa\t103\t/other\n"
            "half a line\n"
            "commit\tddd\tnot-a-number\t/r\n")
    commits, rewrites = parse_journal(text)
    assert commits == [("aaa", 100.0, "/r")]
    assert follow("aaa", "/r", rewrites) == "ccc"
    assert follow("ccc", "/other", rewrites) == "aaa"
    assert follow("x", "/r", {("/r", "x"): "y", ("/r", "y"): "x"}) in ("x", "y")  # a cycle ends


def test_all_three_sources_and_rewrites(repo: Repo, session: Session, tmp_path: Path) -> None:
    # git stamps reflog entries with the committer date: an hour ago is clearly before the session
    outside = {"AITRACK_SESSION_ID": "", "AITRACK_SESSION_DIR": "", "GIT_COMMITTER_DATE": f"@{int(time.time()) - 3600} +0000"}
    repo.commit("before the session", env=outside)
    start = time.time()
    install_repo(repo.root)
    repo.commit("hooked")                     # trailer + journal
    hooked = repo.head()
    repo.commit("no verify", "--no-verify")   # journal only
    no_verify = repo.head()
    repo.commit("amend me")
    repo.git("commit", "-q", "--amend", "-m", "amended")  # journal rewrite: the old one is gone
    amended = repo.head()
    (repo.root / ".git" / "hooks" / "post-commit").unlink()
    (repo.root / ".git" / "hooks" / "commit-msg").unlink()
    repo.commit("hookless")                   # reflog only
    hookless = repo.head()
    other = other_session(tmp_path)
    repo.commit("someone else's", env={**other.env, "AITRACK_SESSION_DIR": str(tmp_path)})
    repo.git("commit", "-q", "--amend", "--no-edit", "-m", "someone else's\n\nAitrack-Session: " + other.id)
    commits = session_commits(session.dir, Meta.from_json(meta_for(session, repo, start)))
    by_sha = {c["sha"]: c for c in commits}
    assert [c["sha"] for c in commits] == [hooked, no_verify, amended, hookless]
    assert by_sha[hooked]["source"] == "trailer"
    assert by_sha[no_verify]["source"] == "journal"
    assert by_sha[hookless]["source"] == "reflog"
    assert by_sha[amended]["subject"] == "amended"
    assert all(c["repo"] == str(repo.root.resolve()) and c["time"].endswith("Z") for c in commits)


def test_rebase_after_the_session_is_followed_by_trailer(repo: Repo, session: Session) -> None:
    install_repo(repo.root)
    now = int(time.time())
    start = time.time() - 1
    repo.commit("base", env={"AITRACK_SESSION_ID": "", "GIT_COMMITTER_DATE": f"@{now - 3600} +0000"})
    repo.commit("one")
    repo.commit("two")
    end = time.time() + 1
    # an hour later, someone rewords the base: every commit is rewritten, outside the window
    repo.git("rebase", "-q", "-i", "--root", env={
        "AITRACK_SESSION_ID": "", "GIT_SEQUENCE_EDITOR": "sed -i -e '1s/^pick/reword/'",
        "GIT_EDITOR": "sed -i -e '1s/base/BASE/'", "GIT_COMMITTER_DATE": f"@{now + 3600} +0000"})
    commits = session_commits(session.dir, Meta.from_json(meta_for(session, repo, start, end)))
    assert [c["subject"] for c in commits] == ["one", "two"]
    assert [c["sha"] for c in commits] == repo.out("rev-list", "--reverse", "HEAD~2..HEAD").split()


def test_no_repository_and_no_journal(tmp_path: Path) -> None:
    assert session_commits(tmp_path, Meta.from_json({"id": "x", "git_root": str(tmp_path / "gone")})) == []


def test_notes_are_written_merged_and_carried_by_amend(repo: Repo, session: Session) -> None:
    install_repo(repo.root)
    repo.commit("noted")
    commits = [{"sha": repo.head(), "repo": str(repo.root)}]
    assert write_notes(commits, {"session_id": session.id, "provider": "claude_code", "run_id": None}) == 1
    assert write_notes(commits, {"session_id": session.id, "provider": "claude_code"}) == 0  # unchanged
    assert write_notes(commits, {"session_id": session.id, "run_id": "r1", "tracking_uri": "http://x"}) == 1
    assert read_note(repo.root, repo.head()) == [
        {"session_id": session.id, "provider": "claude_code", "run_id": "r1", "tracking_uri": "http://x"}]
    write_notes(commits, {"session_id": "second", "provider": "aider"})
    repo.git("commit", "-q", "--amend", "--no-edit")
    entries = read_note(repo.root, repo.head())
    assert [e["session_id"] for e in entries] == [session.id, "second"]
    assert json.loads(repo.out("notes", f"--ref={NOTES_REF}", "show", "HEAD").splitlines()[0])["run_id"] == "r1"


def test_uninstall_takes_notes_rewrite_ref_out_of_each_repository_it_was_added_to(repo: Repo) -> None:
    from aitrack.shell.install import uninstall

    repo.commit("linked")
    write_notes([{"sha": repo.head(), "repo": str(repo.root)}], {"session_id": "s1"})
    assert repo.out("config", "--local", "--get-all", "notes.rewriteRef").split() == ["refs/notes/aitrack*"]
    repo.git("config", "--local", "--add", "notes.rewriteRef", "refs/notes/commits")  # the user's own
    assert uninstall() == 0
    assert repo.out("config", "--local", "--get-all", "notes.rewriteRef").split() == ["refs/notes/commits"]
    assert read_note(repo.root, repo.head())[0]["session_id"] == "s1"  # the links themselves stay


def test_notes_on_missing_commits_and_repos_are_skipped(repo: Repo, tmp_path: Path) -> None:
    repo.commit("x")
    commits = [{"sha": "0" * 40, "repo": str(repo.root)}, {"sha": "1" * 40, "repo": str(tmp_path / "gone")}]
    assert write_notes(commits, {"session_id": "s"}) == 0


@pytest.mark.parametrize("text,expected", [
    ("", []), ("not json", []), ('{"session_id": "a"}', ["a"]), ('{"session_id": "a"}\n[1]\n{"session_id": "b"}', ["a", "b"]),
    ('{"no_id": 1}', []),
])
def test_parse_note(text: str, expected: list[str]) -> None:
    assert [e["session_id"] for e in parse_note(text)] == expected


def test_a_lone_commit_without_trailer_is_found(repo: Repo, session: Session) -> None:
    """Regression: the oldest commit's empty trailer field ended git's output and was stripped away."""
    install_repo(repo.root)
    start = time.time() - 1
    repo.commit("only one", "--no-verify")
    (c,) = session_commits(session.dir, Meta.from_json(meta_for(session, repo, start)))
    assert (c["sha"], c["source"], c["subject"]) == (repo.head(), "journal", "only one")


def test_head_at_session_start_is_not_linked(repo: Repo, session: Session) -> None:
    """`git commit … && claude …`: the user's commit lands within the reflog slack, but it was HEAD
    when the session began (meta.git_head), so it is not the session's."""
    outside = {"AITRACK_SESSION_ID": "", "AITRACK_SESSION_DIR": ""}
    repo.commit("the user's own #7", env=outside)
    before = repo.head()
    start = time.time()
    repo.commit("the agent's #42", "--no-verify", env=outside)  # no hook, no journal: reflog only
    meta = {**meta_for(session, repo, start), "git_head": before}
    assert [c["sha"] for c in session_commits(session.dir, Meta.from_json(meta))] == [repo.head()]


def test_commits_made_just_before_the_session_are_not_linked(repo: Repo, session: Session) -> None:
    """`git commit -m A && git commit -m B && aitrack run …` (#20 item 6): A and B are within the
    reflog slack, and only B is HEAD at start; the length of HEAD's reflog at start, recorded by
    the wrapper as meta.git_reflog_bytes, excludes both."""
    from aitrack.vcs.gitdir import reflog_bytes, repo_info

    outside = {"AITRACK_SESSION_ID": "", "AITRACK_SESSION_DIR": ""}
    repo.commit("the user's A", env=outside)
    repo.commit("the user's B", env=outside)
    info, size = repo_info(repo.root), reflog_bytes(repo.root)  # what the wrapper records at start
    assert info is not None and size
    start = time.time() - 1  # the human's commits fall inside the slack of the window
    repo.commit("the agent's C", "--no-verify", env=outside)  # no hook, no journal: reflog only
    meta = {**meta_for(session, repo, start), "git_head": info["head"], "git_reflog_bytes": size}
    assert [c["subject"] for c in session_commits(session.dir, Meta.from_json(meta))] == ["the agent's C"]
    old = {k: v for k, v in meta.items() if k != "git_reflog_bytes"}  # a session recorded before the field
    assert [c["subject"] for c in session_commits(session.dir, Meta.from_json(old))] == ["the user's A", "the agent's C"]


def test_a_commit_just_after_the_agent_exited_is_not_linked(repo: Repo, session: Session) -> None:
    """`claude; git commit -am wip`: the person's commit a second after the exit is not the session's
    (git stamps reflog entries with the committer date, in whole seconds)."""
    now = int(time.time())
    at = lambda t: {"AITRACK_SESSION_ID": "", "AITRACK_SESSION_DIR": "", "GIT_COMMITTER_DATE": f"@{t} +0000"}
    repo.commit("the agent's", "--no-verify", env=at(now - 4))  # reflog only, inside the session
    agents = repo.head()
    end = now - 3 + 0.1  # the wrapper saw the agent exit
    repo.commit("the person's", "--no-verify", env=at(now - 2))
    assert [c["sha"] for c in session_commits(session.dir, Meta.from_json(meta_for(session, repo, now - 10, end)))] == [agents]


def test_an_amend_seconds_after_the_commit_is_followed(tmp_path: Path) -> None:
    """`git reflog show --all` interleaves HEAD's and the branch's entries by date: with the amend a
    second after the commit (as every real one is) HEAD@{0} came between the branch's @{0} and @{1},
    and the amend was missed, so the note landed on a commit out of history."""
    from aitrack.vcs.link_facts import follow_amends
    from support import git

    git(tmp_path, "init", "-q", "-b", "main")
    ident = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
             "GIT_COMMITTER_EMAIL": "t@example.com", "AITRACK_SESSION_ID": "", "AITRACK_SESSION_DIR": ""}
    shas = []
    for i, args in enumerate((["--allow-empty", "-m", "one"], ["--allow-empty", "-m", "two"],
                              ["--amend", "--allow-empty", "-m", "two, amended"])):
        git(tmp_path, "commit", "-q", *args, env={**ident, "GIT_COMMITTER_DATE": f"@{1_700_000_000 + 10 * i} +0000"})
        shas.append(git(tmp_path, "rev-parse", "HEAD"))
    order = git(tmp_path, "reflog", "show", "--all", "--format=%gD").splitlines()
    assert order[:2] == ["refs/heads/main@{0}", "HEAD@{0}"]  # the interleaving this is about
    moved = follow_amends([{"sha": shas[1], "repo": str(tmp_path)}, {"sha": shas[0], "repo": str(tmp_path)}])
    assert [c["sha"] for c in moved] == [shas[2], shas[0]] and moved[0]["amended_from"] == shas[1]
