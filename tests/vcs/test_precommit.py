"""The real pre-commit framework: aitrack as a pre-commit hook repo, and pre-commit installed
before or after `aitrack hooks install`. Offline: the hook source is a local git repository built
from this checkout's .pre-commit-hooks.yaml and hooks/ (symlinks kept, as a clone would have them)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from .conftest import Repo, Session, make_repo

from aitrack.vcs import hooks as vh
from aitrack.vcs.hooknames import HOOK_NAMES, MARKER, PRE_COMMIT_MARKER

REPO = Path(__file__).resolve().parents[2]
MARKER_HOOK = """\
- repo: local
  hooks:
  - id: marker
    name: marker
    entry: sh -c 'echo "$0 $*" >> .git/marker.log'
    language: system
    stages: [commit-msg]
"""


def pre_commit(repo: Repo, *args: str) -> str:
    res = subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo.root, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout


def setup_config(repo: Repo, body: str) -> None:
    (repo.root / ".pre-commit-config.yaml").write_text("repos:\n" + body)
    repo.git("add", ".pre-commit-config.yaml")
    repo.git("commit", "-q", "--no-verify", "-m", "pre-commit config",
             env={"AITRACK_SESSION_ID": "", "AITRACK_SESSION_DIR": ""})


def install_types(repo: Repo) -> None:
    pre_commit(repo, "install", "-t", "commit-msg", "-t", "post-commit", "-t", "post-rewrite")


@pytest.fixture
def hook_source(tmp_path: Path) -> tuple[Path, str]:
    src = make_repo(tmp_path / "aitrack hook source")
    shutil.copy(REPO / ".pre-commit-hooks.yaml", src.root)
    shutil.copytree(REPO / "hooks", src.root / "hooks", symlinks=True)
    shutil.copytree(REPO / "aitrack" / "resources" / "hooks", src.root / "aitrack" / "resources" / "hooks")
    src.git("add", "-A")
    src.git("commit", "-q", "--no-verify", "-m", "hooks", env={"AITRACK_SESSION_ID": ""})
    return src.root, src.head()


def test_aitrack_as_a_pre_commit_hook_repo(repo: Repo, hook_source: tuple[Path, str], session: Session) -> None:
    path, rev = hook_source
    setup_config(repo, f"""\
- repo: {path}
  rev: {rev}
  hooks:
  - id: aitrack-commit-msg
  - id: aitrack-post-commit
  - id: aitrack-post-rewrite
""" + MARKER_HOOK)
    install_types(repo)
    repo.commit("via pre-commit")
    assert repo.trailers() == [session.id]
    assert session.journal()[-1][:2] == ["commit", repo.head()]
    assert (repo.root / ".git" / "marker.log").exists()
    old = repo.head()
    repo.git("commit", "-q", "--amend", "-m", "via pre-commit, amended")
    assert ["rewrite", f"{old}:{repo.head()}"] in [r[:2] for r in session.journal()]
    assert repo.trailers() == [session.id]


def test_outside_a_session_the_pre_commit_hooks_do_nothing(repo: Repo, hook_source: tuple[Path, str],
                                                           tmp_path: Path) -> None:
    path, rev = hook_source
    setup_config(repo, f"- repo: {path}\n  rev: {rev}\n  hooks: [{{id: aitrack-commit-msg}}, {{id: aitrack-post-commit}}]\n")
    install_types(repo)
    repo.commit("plain")
    assert repo.message() == "plain"


def check_chained(repo: Repo, session: Session) -> None:
    hooks = repo.root / ".git" / "hooks"
    for name in HOOK_NAMES:
        assert PRE_COMMIT_MARKER in (hooks / name).read_text()
        assert MARKER in (hooks / f"{name}.legacy").read_text()
    assert vh.repo_status(repo.root)[0] == "installed"
    repo.commit("both run")
    assert repo.trailers() == [session.id]
    assert "COMMIT_EDITMSG" in (repo.root / ".git" / "marker.log").read_text()
    assert session.journal()[-1][:2] == ["commit", repo.head()]
    old = repo.head()
    repo.git("commit", "-q", "--amend", "--no-edit")
    # pre-commit hands its legacy hook no stdin: the reflog fallback still records the amend
    assert ["rewrite", f"{old}:{repo.head()}"] in [r[:2] for r in session.journal()]


def test_pre_commit_installed_before_us(repo: Repo, session: Session) -> None:
    setup_config(repo, MARKER_HOOK)
    install_types(repo)
    assert vh.install_repo(repo.root).status == "installed"
    check_chained(repo, session)
    vh.uninstall_repo(repo.root)
    hooks = repo.root / ".git" / "hooks"
    assert not any((hooks / f"{n}.legacy").exists() for n in HOOK_NAMES)
    repo.commit("pre-commit alone")
    assert repo.trailers() == []
    assert (repo.root / ".git" / "marker.log").read_text().count("COMMIT_EDITMSG") == 3


def test_pre_commit_installed_after_us(repo: Repo, session: Session) -> None:
    setup_config(repo, MARKER_HOOK)
    vh.install_repo(repo.root)
    install_types(repo)  # pre-commit moves our hooks to <hook>.legacy ("migration mode")
    check_chained(repo, session)
    # a second `aitrack hooks install` changes nothing
    vh.install_repo(repo.root)
    check_chained(repo, session)
    pre_commit(repo, "uninstall", "-t", "commit-msg", "-t", "post-commit", "-t", "post-rewrite")
    assert all(MARKER in (repo.root / ".git" / "hooks" / n).read_text() for n in HOOK_NAMES)


def test_pre_commit_chaining_a_foreign_hook_before_us(repo: Repo, session: Session) -> None:
    hooks = repo.root / ".git" / "hooks"
    (hooks / "commit-msg").write_text('#!/bin/sh\necho foreign >> "$(git rev-parse --git-dir)/foreign.log"\n')
    (hooks / "commit-msg").chmod(0o755)
    setup_config(repo, MARKER_HOOK)
    install_types(repo)  # foreign → commit-msg.legacy
    vh.install_repo(repo.root)  # ours → commit-msg.legacy, foreign → commit-msg.legacy.legacy
    repo.commit("three deep")
    assert repo.trailers() == [session.id]
    assert (repo.root / ".git" / "foreign.log").exists()
    vh.uninstall_repo(repo.root)
    assert "foreign" in (hooks / "commit-msg.legacy").read_text()


def test_session_hooks_run_pre_commits_hooks_and_record_once(repo: Repo, hook_source: tuple[Path, str],
                                                             session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default: the session's core.hooksPath forwards to pre-commit's scripts in .git/hooks,
    and aitrack's own hooks run through pre-commit as well leave the recording to the session."""
    from aitrack.vcs.sessionhooks import session_hooks_env

    path, rev = hook_source
    setup_config(repo, f"- repo: {path}\n  rev: {rev}\n  hooks: [{{id: aitrack-commit-msg}}, "
                       f"{{id: aitrack-post-commit}}, {{id: aitrack-post-rewrite}}]\n" + MARKER_HOOK)
    install_types(repo)
    for key, value in session_hooks_env(None).items():
        monkeypatch.setenv(key, value)
    repo.commit("through both")
    assert "COMMIT_EDITMSG" in (repo.root / ".git" / "marker.log").read_text()
    assert repo.message() == f"through both\n\nAitrack-Session: {session.id}"
    old = repo.head()
    repo.git("commit", "-q", "--amend", "--no-edit")
    new = repo.head()  # an amend is a commit too: post-commit, then post-rewrite; each recorded once
    assert [r[:2] for r in session.journal()] == [["commit", old], ["commit", new], ["rewrite", f"{old}:{new}"]]
    refused = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo.root,
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "core.hooksPath" in refused.stdout + refused.stderr  # as the README says
