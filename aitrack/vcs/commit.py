"""One commit and the sessions it names: trailers first, then the aitrack notes — ours and the
teammates' fetched beside them (refs/notes/remotes/*/aitrack) — in one git call.

`show` is timed against `git log -1`, so this imports neither typing, pathlib nor subprocess, and
forks git once: the work tree root comes from reading `.git` (vcs/gitdir.py) when it can.
"""
from __future__ import annotations

import os

from aitrack.errors import AitrackError
from aitrack.vcs import git
from aitrack.vcs.notes import NOTES_REF, REMOTE_NOTES_GLOB, parse_note

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

_KEY = "aitrack-session:"


class CommitInfo:
    """A plain class, not a dataclass: `show` is timed against `git log -1`, and importing
    dataclasses costs it milliseconds."""

    __slots__ = ("sha", "subject", "message", "repo", "trailer_ids", "note")

    def __init__(self, sha: str, subject: str, message: str, repo: str, trailer_ids: list[str] | None = None,
                 note: list[dict[str, Any]] | None = None) -> None:
        self.sha, self.subject, self.message, self.repo = sha, subject, message, repo
        self.trailer_ids = trailer_ids or []
        self.note = note or []

    def session_ids(self) -> list[tuple[str, str]]:
        """(session id, how it was found) in resolution order: trailer, then note."""
        found: dict[str, str] = {}
        for sid in self.trailer_ids:
            found.setdefault(sid, "trailer")
        for entry in self.note:
            found.setdefault(str(entry["session_id"]), "note")
        return list(found.items())

    def note_for(self, session_id: str) -> dict[str, Any]:
        return next((e for e in self.note if e.get("session_id") == session_id), {})


def trailer_ids(message: str) -> list[str]:
    """The session ids of the `Aitrack-Session: ID` lines, any case, first seen first. Indented
    too: a squash merge's message quotes the squashed commits' trailers four spaces in. Read
    line by line, not with a regex: `re` costs `show` its import."""
    found: dict[str, None] = {}
    for line in message.split("\n"):
        line = line.lstrip(" \t")
        if line[:len(_KEY)].lower() == _KEY:
            value = line[len(_KEY):].strip(" \t")
            if value and value.split() == [value]:  # one word, nothing after it
                found.setdefault(value)
    return list(found)


def resolve(rev: str, repo: str | Path = ".") -> CommitInfo:
    """REV in the repository at `repo` → its message, trailers and note. AitrackError if unknown."""
    top = _toplevel(repo)
    if rev.startswith("-"):
        raise AitrackError(f"{rev!r} is not a revision")
    fmt = "%H%x00%s%x00%B%x00%N"
    code, stdout, _ = git.run_quick(["log", "-1", "--no-walk", f"--notes={NOTES_REF}",
                                     f"--notes={REMOTE_NOTES_GLOB}", f"--format={fmt}", f"{rev}^{{commit}}", "--"], top)
    if code != 0:
        _toplevel(repo, ask_git=True)  # a work tree git itself refuses (safe.directory) says so
        raise AitrackError(f"{rev!r} is not a commit in {top}")
    parts = stdout.split("\x00")
    if len(parts) < 4:
        raise AitrackError(f"cannot read commit {rev!r} in {top}")
    sha, subject, message, note = parts[0].strip(), parts[1], parts[2], parts[3]
    return CommitInfo(sha=sha, subject=subject, message=message, repo=top,
                      trailer_ids=trailer_ids(message), note=parse_note(note))


def _toplevel(repo: str | Path, ask_git: bool = False) -> str:
    """The work tree root containing `repo`: read from `.git` (no process), else asked of git."""
    from aitrack.vcs.gitdir import find_git_dirs

    dirs = None if ask_git else find_git_dirs(os.fspath(repo))
    top = dirs[0] if dirs else git.try_out(["rev-parse", "--show-toplevel"], repo)
    if top is None:
        raise AitrackError(f"{os.path.realpath(repo)} is not inside a git repository")
    return top
