"""`aitrack notes sync [--remote R] [--repo P] [--no-push]`."""
from __future__ import annotations

from aitrack import output
from aitrack.vcs import notes_remote


def sync(repo: str = ".", remote: str = "origin", push: bool = True) -> int:
    report = notes_remote.sync(repo, remote, push=push)
    got = {"none": f"{remote} has no aitrack notes yet", "took theirs": f"took {remote}'s notes",
           "merged": f"merged {remote}'s notes into yours", "up to date": f"{remote}'s notes were already in yours"}
    output.out(output.ok(got[report.merged] + (f"; pushed to {remote}" if report.pushed else "")))
    return 0
