"""`aitrack attribute [RANGE]`: commits made after a session ended, attributed to the recent
sessions of this repository whose lines they hold (ingest does this on its own for each session)."""
from __future__ import annotations

from aitrack import output


def attribute(spec: str = "HEAD", repo: str = ".", from_notes: bool = False) -> int:
    """`from_notes`: from the other commits' notes instead of local sessions (CI, squash merges)."""
    from aitrack.vcs.attribution import attribute_range, carry_range, recent_records
    from aitrack.vcs.git import toplevel

    top = str(toplevel(repo))
    linked = carry_range(top, spec) if from_notes else attribute_range(top, recent_records(top), spec)
    for sha, sessions in linked:
        output.out(f"{sha[:12]}  {', '.join(sessions)}")
    output.err(f"{len(linked)} commit(s) attributed to a session")
    return 0
