"""What a session's commits say beyond their shas: the branches they landed on, the files the
session changed, and what became of a commit amended after the session.

The agent's log only knows the files its edit tools wrote; a session that changes files through
the shell (`sed -i`, a code generator, `git mv`) and commits them is counted from git instead.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from aitrack.meta import Meta
from aitrack.vcs import git

MAX_COMMITS = 200  # beyond this a session's file list comes from the first ones only
_SLACK = 2.0  # file mtimes and the wrapper's clock: same machine, but read at different moments


def _by_repo(commits: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    repos: dict[str, list[dict[str, Any]]] = {}
    for commit in commits:
        repo, sha = commit.get("repo"), commit.get("sha")
        if repo and sha and Path(str(repo)).is_dir():
            repos.setdefault(str(repo), []).append(commit)
    return repos


def _reflogs(repo: str) -> list[tuple[str, str, str]]:
    """[(ref, sha, action)] of every reflog, ref by ref, each ref's entries newest first.

    `git reflog show --all` interleaves the refs by date: HEAD@{0} may come between a branch's
    @{0} and @{1} (entries of the same second in either order), so the entries are put back in
    each ref's own order by their @{N} index."""
    text = git.try_out(["reflog", "show", "--all", "--format=%H%x00%gD%x00%gs"], repo) or ""
    by_ref: dict[str, list[tuple[int, str, str]]] = {}
    for line in text.splitlines():
        parts = line.split("\x00")
        if len(parts) == 3 and parts[1].endswith("}") and "@{" in parts[1]:
            ref, index = parts[1][:-1].rsplit("@{", 1)
            if index.isdigit():
                by_ref.setdefault(ref, []).append((int(index), parts[0], parts[2]))
    return [(ref, sha, action) for ref, entries in by_ref.items() for _, sha, action in sorted(entries)]


def add_branches(commits: list[dict[str, Any]]) -> None:
    """Set `branches` on each commit: the local branch it was committed on (its reflog says so),
    else every local branch that contains it (a rebased commit; the HEAD reflog alone names none)."""
    for repo, group in _by_repo(commits).items():
        committed_on: dict[str, list[str]] = {}
        for ref, sha, action in _reflogs(repo):
            if ref.startswith("refs/heads/") and action.startswith(("commit", "merge", "cherry-pick", "revert")) \
                    and "Fast-forward" not in action:
                names = committed_on.setdefault(sha, [])
                if ref[11:] not in names:
                    names.append(ref[11:])
        for commit in group:
            found = committed_on.get(str(commit["sha"]))
            if not found:
                listed = git.try_out(["for-each-ref", "--contains", str(commit["sha"]),
                                      "--format=%(refname:short)", "refs/heads/"], repo) or ""
                found = listed.split()
            commit["branches"] = found


def session_branches(commits: list[dict[str, Any]]) -> list[str]:
    """The branches a session's commits landed on, in the order of its commits."""
    found: dict[str, None] = {}
    for commit in commits:
        for name in commit.get("branches") or []:
            found[str(name)] = None
    return list(found)


def changed_files(meta: Meta, commits: list[dict[str, Any]], start: float, end: float) -> list[str]:
    """Absolute paths the session changed: its commits' files, and the working tree's changes whose
    modification time falls inside the session (whatever tool made them). Deleted files count
    when a commit deleted them; an uncommitted deletion has no time to check and is left out."""
    found: dict[str, None] = {}
    groups = _by_repo(commits)
    root = meta.git_root
    if root and Path(str(root)).is_dir():
        groups.setdefault(str(root), [])
    for repo, group in groups.items():
        shas = [str(c["sha"]) for c in group[:MAX_COMMITS]]
        if shas:
            res = git.run(["diff-tree", "--stdin", "--root", "-r", "-z", "--no-commit-id",
                           "--name-only", "--no-renames"], repo, check=False, stdin="\n".join(shas) + "\n")
            for name in (res.stdout if res.returncode == 0 else "").split("\x00"):
                if name and not _is_sha_line(name):
                    found[os.path.join(repo, name)] = None
        # Not try_out: its strip() would eat the first entry's leading status column (" M").
        res = git.run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"], repo, check=False)
        for entry in (res.stdout if res.returncode == 0 else "").split("\x00"):
            if len(entry) < 4:
                continue
            path = os.path.join(repo, entry[3:])
            try:
                mtime = os.lstat(path).st_mtime
            except OSError:
                continue  # deleted, or gone since
            if start - _SLACK <= mtime <= end + _SLACK:
                found[path] = None
    return list(found)


def _is_sha_line(name: str) -> bool:
    # `--stdin` echoes each commit id before its files (even with --no-commit-id for root commits).
    return len(name) == 40 and all(c in "0123456789abcdef" for c in name)


def follow_amends(commits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The commits with each one amended since (outside the session, so no hook journaled it)
    replaced by its amended version: a note written now must land on the commit that is in history.
    The reflog pairs them: an entry `commit (amend)` replaced the entry just below it."""
    out = [dict(c) for c in commits]
    for repo, group in _by_repo(out).items():
        entries = _reflogs(repo)
        amended: dict[str, str] = {}
        for (ref, new, action), (older_ref, old, _) in zip(entries, entries[1:]):
            if ref == older_ref and action.startswith("commit (amend)") and old != new:
                amended.setdefault(old, new)  # newest first: the latest amend of `old` wins
        for commit in group:
            sha, seen = str(commit["sha"]), set()
            while sha in amended and sha not in seen:
                seen.add(sha)
                sha = amended[sha]
            if sha != commit["sha"]:
                commit["amended_from"] = commit["sha"]
                commit["sha"] = sha
    return out
