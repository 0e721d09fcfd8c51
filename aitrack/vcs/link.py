"""Which commits a session made: journal + trailer + reflog, following rewrites.

Three sources, because each can miss: the journal (post-commit/post-rewrite hooks; misses repos
without our hooks), the `Aitrack-Session` trailer (commit-msg; skipped by `--no-verify`), and the
HEAD reflog of each repository the session used, for commits created inside the session's time
window (covers hook-less repos). Commits that a later amend or rebase replaced, or that no ref
reaches any more, are left out: "the session's commits" are the ones in history.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from aitrack.meta import Meta
from aitrack.sessiondir import read_journal
from aitrack.vcs import git
from aitrack.vcs.notes import write_notes as write_notes  # part of this module's contract

TRAILER = "Aitrack-Session"
_RANK = {"trailer": 0, "journal": 1, "reflog": 2}
# Before the window: git stamps reflog entries in whole seconds (truncated) and the wrapper reads
# its clock before the child starts. After it, none: a stamp is never later than the commit, and
# a commit stamped after the wrapper saw the agent exit is the person's (`claude; git commit`).
_SLACK_BEFORE = 2.0
# Reflog actions that create a commit (a fast-forward merge or a checkout creates none).
_CREATES = ("commit", "rebase", "cherry-pick", "revert", "am", "merge", "pull")


def parse_journal(text: str) -> tuple[list[tuple[str, float, str]], dict[tuple[str, str], str]]:
    """Journal lines → ([(sha, epoch, repo)], {(repo, old): new}); malformed lines are skipped."""
    commits: list[tuple[str, float, str]] = []
    rewrites: dict[tuple[str, str], str] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        kind, what, epoch, repo = parts
        try:
            when = float(epoch)
        except ValueError:
            continue
        if kind == "commit" and what:
            commits.append((what, when, repo))
        elif kind == "rewrite" and ":" in what:
            old, new = what.split(":", 1)
            if old and new and old != new:
                rewrites[(repo, old)] = new
    return commits, rewrites


def follow(sha: str, repo: str, rewrites: dict[tuple[str, str], str]) -> str:
    """The latest rewrite of `sha` (amend after amend, rebase after amend…); stops on a cycle."""
    seen = {sha}
    while (repo, sha) in rewrites:
        sha = rewrites[(repo, sha)]
        if sha in seen:
            break
        seen.add(sha)
    return sha


def _creates_commit(subject: str) -> bool:
    action = subject.split(":", 1)[0].strip()
    if not action.startswith(_CREATES) or action.startswith(("rebase (start)", "rebase -i (start)")):
        return False
    return not ("Fast-forward" in subject or action.endswith(("(abort)", "(finish)")))


def _existing_at_start(repo: str, reflog_bytes: Any) -> set[str]:
    """The commits HEAD's reflog already named when the session started (meta `git_reflog_bytes`):
    `git commit -m A && git commit -m B && claude` made A and B within the time slack, by hand."""
    if not isinstance(reflog_bytes, int) or isinstance(reflog_bytes, bool) or reflog_bytes <= 0:
        return set()
    path = git.try_out(["rev-parse", "--path-format=absolute", "--git-path", "logs/HEAD"], repo)
    if not path:
        return set()
    try:
        with open(path.strip(), "rb") as fh:
            if os.fstat(fh.fileno()).st_size < reflog_bytes:
                return set()  # expired or rewritten since: the offset means nothing now
            head = fh.read(reflog_bytes)
    except OSError:
        return set()
    return {parts[1].decode() for line in head.splitlines() if len(parts := line.split(b" ", 2)) >= 2}


def _scan_repo(repo: str, session_id: str, start: float, end: float) -> tuple[
        dict[str, tuple[float, str, list[str]]], list[str]]:
    """({sha: (ctime, message, session ids in trailers)} of recent reachable commits, reflog shas)."""
    # NUL-separated: str.strip() would eat a trailing \x1f (Python counts it as whitespace).
    # Records end with \x1e: the body (where `Fixes #583` usually stands) spans lines.
    fmt = f"%H%x00%ct%x00%(trailers:key={TRAILER},valueonly,separator=%x2c)%x00%B%x1e"
    log = git.try_out(["log", "--exclude=refs/notes/*", "--exclude=refs/stash", "--all",
                       f"--since=@{int(start - 600)}", f"--format={fmt}"], repo) or ""
    reachable: dict[str, tuple[float, str, list[str]]] = {}
    for record in log.split("\x1e"):
        parts = record.lstrip("\n").split("\x00")
        if len(parts) == 4:
            ids = [s.strip() for s in parts[2].split(",") if s.strip()]
            reachable[parts[0]] = (float(parts[1] or 0), parts[3].strip(), ids)
    reflog = git.try_out(["log", "-g", "--date=unix", "--format=%H%x00%gd%x00%gs", "HEAD"], repo) or ""
    in_window = []
    for line in reflog.splitlines():
        parts = line.split("\x00")
        if len(parts) != 3 or "@{" not in parts[1]:
            continue
        try:
            when = float(parts[1].rsplit("@{", 1)[1].rstrip("}"))
        except ValueError:
            continue
        if start - _SLACK_BEFORE <= when <= end and _creates_commit(parts[2]):
            in_window.append(parts[0])
    return reachable, in_window


def session_commits(session_dir: str | os.PathLike[str], meta: Meta) -> list[dict[str, Any]]:
    """The commits of one session: [{sha, repo, subject, message, time, source}], oldest first."""
    session_id = str(meta.id or Path(session_dir).name)
    journal, rewrites = parse_journal(read_journal(session_dir))
    start = float(meta.started_at_epoch or (min((c[1] for c in journal), default=time.time())))
    end = float(meta.ended_at_epoch or time.time())
    root, start_head = meta.git_root, meta.git_head
    repos = [r for r in dict.fromkeys([root, *(c[2] for c in journal)]) if r]
    found: dict[tuple[str, str], str] = {}  # (repo, sha) → best source

    def add(repo: str, sha: str, source: str) -> None:
        key = (repo, sha)
        if key not in found or _RANK[source] < _RANK[found[key]]:
            found[key] = source

    info: dict[tuple[str, str], tuple[float, str, int]] = {}
    for repo in repos:
        if not Path(repo).is_dir():
            continue
        reachable, in_window = _scan_repo(repo, session_id, start, end)
        if repo == root:
            before = _existing_at_start(repo, meta.git_reflog_bytes)
            in_window = [sha for sha in in_window if sha not in before]
        for pos, (sha, (ctime, message, ids)) in enumerate(reachable.items()):
            info[(repo, sha)] = (ctime, message, pos)  # git log lists children first
            if session_id in ids:
                add(repo, sha, "trailer")
        for sha, _, jrepo in journal:
            final = follow(sha, jrepo, rewrites)
            if jrepo == repo and final in reachable:
                add(repo, final, "journal")
        for sha in in_window:
            if sha == start_head and repo == root:
                continue  # `git commit … && claude`: within the slack, but HEAD before the session began
            final = follow(sha, repo, rewrites)
            ids = reachable.get(final, (0, "", []))[2]
            if final in reachable and (not ids or session_id in ids):
                add(repo, final, "reflog")
    order = sorted(found, key=lambda k: (info[k][0], -info[k][2]))
    return [{"sha": sha, "repo": repo, "subject": info[(repo, sha)][1].split("\n", 1)[0],
             "message": info[(repo, sha)][1], "time": _iso(info[(repo, sha)][0]),
             "source": found[(repo, sha)]} for repo, sha in order]


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
