"""Reading `.git` without forking git, for the wrapper's hot path. Standard library only.

`repo_info` reads `.git` directly (a gitfile for worktrees and submodules, `commondir`, loose refs,
`packed-refs`) because forking git costs a few milliseconds the user would wait for before their
agent starts. Anything unusual (GIT_DIR set, reftable, a bare repo) falls back to `git rev-parse`.
"""
from __future__ import annotations

import os

from aitrack.vcs.hooknames import read_text as _read

# subprocess is imported where used: the common case (a plain .git folder) needs none.


def find_git_dirs(cwd: str) -> tuple[str, str, str] | None:
    """(worktree root, git dir, common dir) by walking up from `cwd`; None outside a work tree."""
    here = os.path.abspath(cwd)
    while True:
        dot = os.path.join(here, ".git")
        if os.path.isdir(dot):
            gitdir = dot
            break
        if os.path.isfile(dot):
            text = _read(dot) or ""
            if not text.startswith("gitdir:"):
                return None
            gitdir = os.path.normpath(os.path.join(here, text[len("gitdir:"):].strip()))
            break
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
    common_rel = _read(os.path.join(gitdir, "commondir"))
    common = os.path.normpath(os.path.join(gitdir, common_rel.strip())) if common_rel else gitdir
    return os.path.realpath(here), gitdir, common


def _resolve_ref(ref: str, gitdir: str, common: str) -> str | None:
    for base in (gitdir, common):
        text = _read(os.path.join(base, ref))
        if text:
            text = text.strip()
            if text.startswith("ref:"):  # a symbolic ref pointing on
                return _resolve_ref(text[4:].strip(), gitdir, common)
            return text
    packed = _read(os.path.join(common, "packed-refs")) or ""
    for line in packed.splitlines():
        if line.endswith(" " + ref) and not line.startswith(("#", "^")):
            return line.split(" ", 1)[0]
    return None


def _repo_info_git(cwd: str) -> dict[str, str | None] | None:
    import subprocess

    def git(*args: str) -> str | None:
        try:
            res = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return res.stdout.strip() if res.returncode == 0 else None

    root = git("rev-parse", "--show-toplevel")
    if not root:
        return None
    branch = git("symbolic-ref", "-q", "--short", "HEAD")
    return {"root": root, "head": git("rev-parse", "-q", "--verify", "HEAD^{commit}") or None,
            "branch": branch or None}


def repo_info(cwd: str | os.PathLike[str]) -> dict[str, str | None] | None:
    """{"root", "head", "branch"} of the work tree containing `cwd`, or None outside a repository.

    `head` is None in a repository without commits; `branch` is None on a detached HEAD.
    """
    cwd = os.fspath(cwd)
    try:
        if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
            return _repo_info_git(cwd)
        dirs = find_git_dirs(cwd)
        if dirs is None:
            return None
        root, gitdir, common = dirs
        head_text = (_read(os.path.join(gitdir, "HEAD")) or "").strip()
        if not head_text or os.path.isdir(os.path.join(common, "reftable")):
            return _repo_info_git(cwd)
        if head_text.startswith("ref:"):
            ref = head_text[4:].strip()
            branch = ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else ref
            return {"root": root, "head": _resolve_ref(ref, gitdir, common), "branch": branch}
        return {"root": root, "head": head_text, "branch": None}
    except OSError:
        return None


def reflog_bytes(cwd: str | os.PathLike[str]) -> int | None:
    """How long HEAD's reflog is at session start (a few stats, no git): every entry before that
    offset existed before the session, so a commit made just before `claude` is never its commit.
    None where it cannot be read without git (GIT_DIR set, reftable)."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return None
    try:
        dirs = find_git_dirs(os.fspath(cwd))
        if dirs is None or os.path.isdir(os.path.join(dirs[2], "reftable")):
            return None
        return os.stat(os.path.join(dirs[1], "logs", "HEAD")).st_size
    except FileNotFoundError:
        return 0
    except OSError:
        return None


def in_work_tree(cwd: str) -> bool:
    """A few stats, so sessions outside any repository never import the git helpers."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    here = cwd
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return True
        parent = os.path.dirname(here)
        if parent == here:
            return False
        here = parent


def config_hooks_present(common: str) -> bool:
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    files = [os.path.join(common, "config"), os.environ.get("GIT_CONFIG_GLOBAL") or "",
             os.path.join(os.path.expanduser("~"), ".gitconfig"), os.path.join(xdg, "git", "config")]
    return any('[hook "aitrack-commit-msg"]' in (_read(f) or "") for f in files if f)
