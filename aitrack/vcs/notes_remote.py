"""Are aitrack's notes shared with the team? `aitrack doctor` checks the fetch refspec.

git fetches no notes by default: a teammate sees the trailer but not the note (which also links
commits made with hooks bypassed). The documented set-up, once per clone:

    git config --add remote.origin.fetch '+refs/notes/aitrack:refs/notes/aitrack'
    git push origin refs/notes/aitrack          # after sessions, to publish your notes
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from aitrack.vcs import git
from aitrack.vcs.notes import NOTES_REF

FETCH_REFSPEC = f"+{NOTES_REF}:{NOTES_REF}"


class RemoteNotes(NamedTuple):
    remote: str
    fetches_notes: bool
    fix: str


def _covers(refspec: str) -> bool:
    src = refspec.lstrip("+").split(":", 1)[0]
    return src == NOTES_REF or (src.endswith("/*") and NOTES_REF.startswith(src[:-1]))


def notes_sharing(repo: str | Path) -> list[RemoteNotes]:
    """One entry per remote of `repo` (none outside a repository or without remotes)."""
    remotes = (git.try_out(["remote"], repo) or "").split()
    out = []
    for remote in remotes:
        specs = (git.try_out(["config", "--get-all", f"remote.{remote}.fetch"], repo) or "").split()
        ok = any(_covers(s) for s in specs)
        out.append(RemoteNotes(remote, ok, "" if ok else
                               f"git config --add remote.{remote}.fetch '{FETCH_REFSPEC}'"
                               f" && git fetch {remote}   (publish yours: git push {remote} {NOTES_REF})"))
    return out
