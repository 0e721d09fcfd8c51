"""Sharing aitrack's notes with the team without anyone's notes overwriting anyone else's.

git fetches no notes by default, and the usual recipe (`+refs/notes/x:refs/notes/x`) force-replaces
your own notes ref with the remote's, dropping the notes you have not pushed yet. aitrack keeps the
remote's notes beside yours, like a remote-tracking branch, and merges them with git's
`cat_sort_uniq` strategy (a note holds one JSON line per session; `parse_note` folds a session's
lines into one):

    git config --add remote.origin.fetch '+refs/notes/aitrack:refs/notes/remotes/origin/aitrack'
    aitrack notes sync [--remote origin]     # fetch, merge into refs/notes/aitrack, push

`aitrack show` reads both refs, so a plain `git fetch` is enough to see teammates' sessions.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from aitrack.errors import AitrackError
from aitrack.vcs import git
from aitrack.vcs.notes import NOTES_REF


def remote_ref(remote: str, ref: str = NOTES_REF) -> str:
    return f"refs/notes/remotes/{remote}/{ref.rsplit('/', 1)[-1]}"


def fetch_refspec(remote: str) -> str:
    return f"+{NOTES_REF}:{remote_ref(remote)}"


class RemoteNotes(NamedTuple):
    remote: str
    state: str  # "beside ours" | "over ours" (a forced fetch into our ref) | "not fetched"
    fix: str


def _names_ours(ref: str) -> bool:
    """One side of a refspec names refs/notes/aitrack, exactly or by a trailing glob."""
    return ref == NOTES_REF or (ref.endswith("/*") and NOTES_REF.startswith(ref[:-1]))


def _sources_notes(refspec: str) -> bool:
    return _names_ours(refspec.lstrip("+").split(":", 1)[0])


def _overwrites_ours(refspec: str) -> bool:
    """A forced fetch into refs/notes/aitrack itself: unpushed notes of ours would be lost."""
    return refspec.startswith("+") and ":" in refspec and _names_ours(refspec.split(":", 1)[1])


def notes_sharing(repo: str | Path) -> list[RemoteNotes]:
    """One entry per remote of `repo` (none outside a repository or without remotes)."""
    remotes = (git.try_out(["remote"], repo) or "").split()
    out = []
    for remote in remotes:
        specs = [s for s in (git.try_out(["config", "--get-all", f"remote.{remote}.fetch"], repo) or "").split()
                 if _sources_notes(s)]
        safe = fetch_refspec(remote)
        bad = next((s for s in specs if _overwrites_ours(s)), None)
        if bad is not None:
            out.append(RemoteNotes(remote, "over ours", f"git config --fixed-value --unset remote.{remote}.fetch '{bad}'"
                                   f" && git config --add remote.{remote}.fetch '{safe}'"
                                   f"   (that refspec replaces your unpushed notes with {remote}'s)"))
        elif specs:
            out.append(RemoteNotes(remote, "beside ours", ""))
        else:
            out.append(RemoteNotes(remote, "not fetched", f"git config --add remote.{remote}.fetch '{safe}'"
                                   f"   (publish yours: aitrack notes sync --remote {remote})"))
    return out


class SyncReport(NamedTuple):
    fetched: bool  # the remote has aitrack notes
    merged: str  # "none" | "took theirs" | "merged" | "up to date"
    pushed: bool


def sync(repo: str | Path, remote: str = "origin", push: bool = True, attempts: int = 3) -> SyncReport:
    """Fetch the remote's notes beside ours, merge them into ours, push the result: the session
    notes (refs/notes/aitrack), then the line attribution notes (refs/notes/aitrack-lines).

    A teammate pushing in between makes our push non-fast-forward: fetch and merge again."""
    from aitrack.attribution.note import NOTES_REF as LINES_REF

    top = git.toplevel(repo)
    if remote not in (git.try_out(["remote"], top) or "").split():
        raise AitrackError(f"{top} has no remote named {remote!r}")
    report = _sync_ref(top, remote, NOTES_REF, push, attempts)
    _sync_ref(top, remote, LINES_REF, push, attempts)
    return report


def _sync_ref(top: Path, remote: str, ref: str, push: bool, attempts: int) -> SyncReport:
    theirs = remote_ref(remote, ref)
    for _ in range(attempts):
        res = git.run(["fetch", "--quiet", remote, f"+{ref}:{theirs}"], top, check=False)
        fetched = res.returncode == 0
        if not fetched and "couldn't find remote ref" not in res.stderr:
            raise AitrackError(f"git fetch {remote} failed: {_last_line(res.stderr)}")
        merged = _merge(top, theirs, ref) if fetched else "none"
        if not push or git.try_out(["rev-parse", "-q", "--verify", ref], top) is None:
            return SyncReport(fetched, merged, False)
        res = git.run(["push", "--porcelain", remote, f"{ref}:{ref}"], top, check=False)
        if res.returncode == 0:
            return SyncReport(fetched, merged, True)
        status = next((ln for ln in res.stdout.splitlines() if ln.startswith("!")), "")
        if not any(why in status for why in _MOVED):  # refused for a reason fetching again cannot fix
            raise AitrackError(f"git push {remote} {ref} failed: "
                               f"{status.split(chr(9))[-1] if status else _last_line(res.stderr)}")
    raise AitrackError(f"{remote}'s notes kept changing while merging; run `aitrack notes sync` again")


# How a push reads when the remote's notes moved since our fetch (by the push in between, the
# remote's compare-and-swap fails instead).
_MOVED = ("fetch first", "non-fast-forward", "failed to update ref", "cannot lock ref", "stale info")


def _merge(top: Path, theirs: str, ref: str = NOTES_REF) -> str:
    ours = git.try_out(["rev-parse", "-q", "--verify", ref], top)
    their_sha = git.out(["rev-parse", theirs], top)
    if ours is None:
        git.run(["update-ref", ref, their_sha], top)
        return "took theirs"
    if ours == their_sha or git.run(["merge-base", "--is-ancestor", their_sha, ours], top, check=False).returncode == 0:
        return "up to date"
    res = git.run(["notes", f"--ref={ref}", "merge", "--quiet", "-s", "cat_sort_uniq", theirs], top, check=False)
    if res.returncode != 0:
        raise AitrackError(f"git notes merge failed: {_last_line(res.stderr)}")
    return "merged"


def _last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "no message"
