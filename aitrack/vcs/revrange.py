"""The commits of a range (`main..feature`, a pull request's `base...head`) with their trailers
and notes, in one `git log`."""
from __future__ import annotations

from pathlib import Path

from aitrack.errors import AitrackError
from aitrack.vcs import git
from aitrack.vcs.commit import CommitInfo, trailer_ids
from aitrack.vcs.notes import NOTES_REF, REMOTE_NOTES_GLOB, parse_note

MAX_COMMITS = 10_000


def is_range(rev: str) -> bool:
    return ".." in rev and not rev.startswith("-")


def resolve_range(spec: str, repo: str | Path = ".") -> list[CommitInfo]:
    """Every commit in `spec`, newest first. AitrackError when it is not a range of this repo."""
    top = git.try_out(["rev-parse", "--show-toplevel"], repo)
    if top is None:
        raise AitrackError(f"{Path(repo).resolve()} is not inside a git repository")
    if spec.startswith("-") or " " in spec:
        raise AitrackError(f"{spec!r} is not a revision range")
    # A message or note never holds a NUL: four NUL-ended fields a commit.
    res = git.run(["log", f"--max-count={MAX_COMMITS}", f"--notes={NOTES_REF}", f"--notes={REMOTE_NOTES_GLOB}",
                   "--format=%H%x00%s%x00%B%x00%N%x00", spec, "--"], top, check=False)
    if res.returncode != 0:
        raise AitrackError(f"{spec!r} is not a revision range in {top}")
    parts = res.stdout.split("\x00")
    out = []
    for i in range(0, len(parts) - 3, 4):
        sha, subject, message, note = parts[i].strip(), parts[i + 1], parts[i + 2], parts[i + 3]
        out.append(CommitInfo(sha=sha, subject=subject, message=message, repo=top,
                              trailer_ids=trailer_ids(message), note=parse_note(note)))
    return out
