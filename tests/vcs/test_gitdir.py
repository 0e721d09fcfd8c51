"""`repo_info` reads .git by itself; it must agree with git in every layout."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from .conftest import Repo, make_repo

from aitrack.vcs.gitdir import repo_info


def git_says(cwd: Path) -> dict[str, str | None]:
    def run(*args: str) -> str | None:
        res = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
        return res.stdout.strip() or None if res.returncode == 0 else None

    return {"root": run("rev-parse", "--show-toplevel"), "head": run("rev-parse", "-q", "--verify", "HEAD"),
            "branch": run("symbolic-ref", "-q", "--short", "HEAD")}


def test_repository_without_commits(repo: Repo) -> None:
    assert repo_info(repo.root) == {"root": str(repo.root.resolve()), "head": None, "branch": "main"}


def test_matches_git_in_a_subdirectory_detached_and_packed(repo: Repo) -> None:
    repo.commit("one")
    sub = repo.root / "deep" / "er"
    sub.mkdir(parents=True)
    assert repo_info(sub) == git_says(sub)
    repo.git("pack-refs", "--all")
    assert repo_info(sub) == git_says(sub)
    repo.git("checkout", "-q", "--detach")
    info = repo_info(repo.root)
    assert info == git_says(repo.root) and info["branch"] is None  # type: ignore[index]


def test_worktree_and_branch_with_slashes(repo: Repo, tmp_path: Path) -> None:
    repo.commit("one")
    wt = tmp_path / "linked tree"
    repo.git("worktree", "add", "-q", "-b", "feature/583-x", str(wt))
    info = repo_info(wt)
    assert info == git_says(wt)
    assert info["branch"] == "feature/583-x"  # type: ignore[index]


def test_outside_a_repository(tmp_path: Path) -> None:
    assert repo_info(tmp_path) is None
    assert repo_info(tmp_path / "missing") is None


def test_git_dir_in_the_environment_falls_back_to_git(repo: Repo, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo.commit("one")
    monkeypatch.setenv("GIT_DIR", str(repo.root / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(repo.root))
    info = repo_info(tmp_path)
    assert info is not None and info["head"] == repo.head()


def test_submodule_style_gitfile(tmp_path: Path) -> None:
    outer = make_repo(tmp_path / "outer")
    outer.commit("o")
    inner = tmp_path / "inner-src"
    make_repo(inner).commit("i")
    outer.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "sub")
    sub = outer.root / "sub"
    assert (sub / ".git").is_file()
    assert repo_info(sub) == git_says(sub)


def test_is_fast_and_forks_nothing(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.commit("one")

    def no_fork(*a: object, **k: object) -> None:
        raise AssertionError("repo_info forked git in a plain repository")

    monkeypatch.setattr(subprocess, "run", no_fork)
    assert repo_info(repo.root)["head"] is not None  # type: ignore[index]


def test_the_hot_vcs_modules_and_the_installer_import_only_the_standard_library(tmp_path: Path) -> None:
    import os
    import sys

    # Only what the import adds counts: what the interpreter loaded at start-up (a Debian Python's
    # sitecustomize and apport hook, setuptools' _distutils_hack, editable-install finders) is not ours.
    code = ("import sys; before = set(sys.modules); import aitrack.vcs.gitdir, aitrack.vcs.sessionhooks, aitrack.vcs.hooks; "
            "print(' '.join(m for m in sys.modules if m not in before and m.split('.')[0] not in sys.stdlib_module_names))")
    debian = tmp_path / "debian"  # what Debian's /etc/python3.N/sitecustomize.py does
    debian.mkdir()
    (debian / "sitecustomize.py").write_text("try:\n    import apport_python_hook\nexcept ImportError:\n    pass\n"
                                             "else:\n    apport_python_hook.install()\n")
    (debian / "apport_python_hook.py").write_text("def install():\n    pass\n")
    for extra in ({}, {"PYTHONPATH": str(debian)}):
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, **extra})
        assert {m.split(".")[0] for m in res.stdout.split()} <= {"aitrack"}, res.stdout
