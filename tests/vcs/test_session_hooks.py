"""The session-hooks folder: core.hooksPath for a session's processes only, forwarding every hook
to the one the repository would run without us. Real git, real hooks, nothing mocked."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from .conftest import Repo, Session, make_repo

from aitrack.sessiondir import data_dir
from aitrack.vcs import git as vgit
from aitrack.vcs.hooks import install_repo
from aitrack.vcs.hooknames import FORWARDED_HOOKS
from aitrack.vcs.sessionhooks import session_hooks_env, without_session_hooks


def write_hook(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


@pytest.fixture
def in_session(session: Session, monkeypatch: pytest.MonkeyPatch) -> Session:
    for key, value in session_hooks_env(os.environ.get("GIT_CONFIG_PARAMETERS")).items():
        monkeypatch.setenv(key, value)
    return session


def folder() -> Path:
    return Path(data_dir(), "session-hooks").resolve()


def test_nothing_is_written_into_the_repository(repo: Repo, in_session: Session) -> None:
    before = sorted(p.name for p in (repo.root / ".git" / "hooks").iterdir())
    repo.commit("work")
    assert repo.trailers() == [in_session.id]
    assert sorted(p.name for p in (repo.root / ".git" / "hooks").iterdir()) == before
    assert "hooksPath" not in (repo.root / ".git" / "config").read_text()
    assert vgit.try_out(["config", "--global", "core.hooksPath"]) is None


def test_the_repositorys_own_hooks_run_and_can_refuse(repo: Repo, in_session: Session, tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    for name in ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"):
        write_hook(repo.root / ".git" / "hooks" / name, f'echo "{name} $#" >> "{ran}"')
    repo.commit("work")
    assert ran.read_text().splitlines() == ["pre-commit 0", "prepare-commit-msg 2", "commit-msg 1", "post-commit 0"]
    assert repo.trailers() == [in_session.id] and len(in_session.journal()) == 1
    write_hook(repo.root / ".git" / "hooks" / "pre-commit", "echo no >&2; exit 3")
    res = repo.commit("refused", check=False)
    assert res.returncode != 0 and "no" in res.stderr
    write_hook(repo.root / ".git" / "hooks" / "pre-commit", "exit 0")
    write_hook(repo.root / ".git" / "hooks" / "commit-msg", "exit 1")  # its refusal is the commit's
    assert repo.commit("refused too", check=False).returncode != 0
    assert repo.message() == f"work\n\nAitrack-Session: {in_session.id}"
    assert len(in_session.journal()) == 1


def test_a_husky_style_hooks_path_is_followed(repo: Repo, in_session: Session, tmp_path: Path) -> None:
    """husky 9 sets a relative core.hooksPath in the repository; .git/hooks is then ignored."""
    ran = tmp_path / "ran"
    write_hook(repo.root / ".husky" / "_" / "pre-commit", f'echo husky >> "{ran}"')
    write_hook(repo.root / ".git" / "hooks" / "pre-commit", f'echo stale >> "{ran}"')
    repo.git("config", "core.hooksPath", ".husky/_")
    repo.commit("work")
    assert ran.read_text() == "husky\n"
    assert repo.trailers() == [in_session.id]


def test_hooks_turned_off_by_a_tool_stay_off_but_the_session_is_linked(repo: Repo, in_session: Session,
                                                                       tmp_path: Path) -> None:
    """Gemini CLI sets core.hooksPath="" through GIT_CONFIG_COUNT; GIT_CONFIG_PARAMETERS (ours)
    is read after it, so we run — and forward to nothing."""
    ran = tmp_path / "ran"
    write_hook(repo.root / ".git" / "hooks" / "pre-commit", f'echo ran >> "{ran}"')
    off = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "core.hooksPath", "GIT_CONFIG_VALUE_0": ""}
    repo.commit("work", env=off)
    assert not ran.exists()
    assert repo.trailers() == [in_session.id]


def test_git_dash_c_hooks_path_wins(repo: Repo, in_session: Session, tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    write_hook(tmp_path / "mine" / "pre-commit", f'echo mine >> "{ran}"')
    (repo.root / "a").write_text("a\n")
    repo.git("add", "a")
    repo.git("-c", f"core.hooksPath={tmp_path / 'mine'}", "commit", "-q", "-m", "mine")
    assert ran.read_text() == "mine\n"
    assert repo.trailers() == []  # the user asked for other hooks: ours are not among them


def test_installed_hooks_defer_to_the_folder_and_chain_once(repo: Repo, in_session: Session, tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    write_hook(repo.root / ".git" / "hooks" / "post-commit", f'echo foreign >> "{ran}"')
    install_repo(repo.root)  # the foreign hook becomes post-commit.legacy
    repo.commit("work")
    repo.git("commit", "-q", "--amend", "-m", "reworded")
    assert ran.read_text() == "foreign\nforeign\n"
    assert [row[0] for row in in_session.journal()] == ["commit", "commit", "rewrite"]
    assert repo.trailers() == [in_session.id]


def test_post_rewrite_gets_its_stdin(repo: Repo, in_session: Session, tmp_path: Path) -> None:
    got = tmp_path / "got"
    write_hook(repo.root / ".git" / "hooks" / "post-rewrite", f'cat > "{got}"; echo "$1" >> "{got}"')
    repo.commit("one")
    old = repo.head()
    repo.git("commit", "-q", "--amend", "-m", "two")
    assert got.read_text().split() == [old, repo.head(), "amend"]
    assert in_session.journal()[-1][1] == f"{old}:{repo.head()}"


def test_linked_worktree_uses_the_common_hooks(repo: Repo, in_session: Session, tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    repo.commit("base")
    write_hook(repo.root / ".git" / "hooks" / "pre-commit", f'echo "$PWD" >> "{ran}"')
    wt = tmp_path / "linked tree"
    repo.git("worktree", "add", "-q", "-b", "side", str(wt))
    Repo(wt).commit("in the worktree")
    assert Path(ran.read_text().strip()).resolve() == wt.resolve()
    assert Repo(wt).trailers() == [in_session.id]


def test_pointing_the_repository_at_our_folder_does_not_loop(repo: Repo, in_session: Session) -> None:
    repo.git("config", "core.hooksPath", str(folder()))
    repo.commit("work")
    assert repo.trailers() == [in_session.id] and len(in_session.journal()) == 1
    link = repo.root.parent / "another name"
    link.symlink_to(folder())
    repo.git("config", "core.hooksPath", str(link))  # unrecognisable: the depth brake stops it
    res = subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "again"], cwd=repo.root,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr


def test_every_forwarded_name_is_in_the_folder_and_hot_hooks_are_not(in_session: Session) -> None:
    names = {p.name for p in folder().iterdir()}
    assert set(FORWARDED_HOOKS) <= names
    assert {"commit-msg.legacy", "post-commit.legacy", "post-rewrite.legacy"} <= names
    assert not {"reference-transaction", "post-index-change"} & names


def test_a_hook_manager_writing_into_the_folder_is_undone_next_session(in_session: Session) -> None:
    params = os.environ["GIT_CONFIG_PARAMETERS"]
    (folder() / "pre-commit").write_text("#!/bin/sh\nexit 1\n")  # lefthook inside a session would
    (folder() / "pre-push.old").write_text("#!/bin/sh\n")
    assert session_hooks_env(without_session_hooks(params)) == {"GIT_CONFIG_PARAMETERS": params}
    assert "aitrack-managed-hook: forward" in (folder() / "pre-commit").read_text()
    assert not (folder() / "pre-push.old").exists()


def test_a_nested_session_adds_no_second_entry_and_users_entries_survive(monkeypatch: pytest.MonkeyPatch) -> None:
    user = "'user.name=Some One' 'core.editor=vim -f'"
    env = session_hooks_env(user)
    params = env["GIT_CONFIG_PARAMETERS"]
    assert params.startswith(user + " ") and str(folder()) in params
    assert session_hooks_env(params) == {}
    assert without_session_hooks(params) == user
    assert without_session_hooks(params.split(user + " ")[1]) == ""


def test_a_data_dir_with_spaces_and_quotes(repo: Repo, session: Session, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITRACK_HOME", str(tmp_path / "it's a dir"))
    for key, value in session_hooks_env(None).items():
        monkeypatch.setenv(key, value)
    repo.commit("work")
    assert repo.trailers() == [session.id]
    assert vgit.git_path(repo.root, "hooks") == repo.root / ".git" / "hooks"  # our git calls see the real one


def test_a_clone_made_inside_the_session_is_linked(repo: Repo, in_session: Session, tmp_path: Path) -> None:
    repo.commit("base")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo.root), str(clone)], check=True)
    Repo(clone).commit("in the clone")
    assert Repo(clone).trailers() == [in_session.id]


def test_session_hooks_off_installs_into_the_repository_instead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aitrack.capture.run import git_facts

    repo = make_repo(tmp_path / "r")
    monkeypatch.chdir(repo.root)
    facts: dict[str, object] = {}
    monkeypatch.setenv("AITRACK_HOOKS_AUTO", "1")
    assert git_facts(facts) != {} and not (repo.root / ".git" / "hooks" / "commit-msg").exists()
    monkeypatch.setenv("AITRACK_SESSION_HOOKS", "0")
    assert git_facts(facts) == {}
    assert "aitrack-managed-hook" in (repo.root / ".git" / "hooks" / "commit-msg").read_text()
