"""The numbers behind `aitrack stats`: per commit of a range, lines added and lines an agent wrote
(from the attribution notes), in one `git log`."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from aitrack.attribution import note as fmt
from aitrack.errors import AitrackError
from aitrack.vcs import git

MAX_COMMITS = 10_000


def range_commits(spec: str, repo: str | Path = ".") -> list[dict[str, Any]]:
    """[{sha, subject, author, added, ai, by_session: {(session, provider, model): lines}}], newest first."""
    top = git.try_out(["rev-parse", "--show-toplevel"], repo)
    if top is None:
        raise AitrackError(f"{Path(repo).resolve()} is not inside a git repository")
    if spec.startswith("-") or " " in spec:
        raise AitrackError(f"{spec!r} is not a revision or range")
    code, out, _ = git.run_quick(["log", f"--max-count={MAX_COMMITS}", "--no-merges", f"--notes={fmt.NOTES_REF}",
                                    f"--notes={fmt.REMOTE_GLOB}", "--numstat",
                                    "--format=%x1e%H%x00%an <%ae>%x00%s%x00%N%x00", spec, "--"], top)
    if code != 0:
        raise AitrackError(f"{spec!r} is not a revision or range in {top}")
    commits = []
    for record in out.split("\x1e")[1:]:
        parts = record.split("\x00")
        if len(parts) < 5:
            continue
        added = 0
        for line in parts[4].splitlines():
            cols = line.split("\t")
            if len(cols) >= 3 and cols[0].isdigit():
                added += int(cols[0])
        by: dict[tuple[str, str | None, str | None], int] = {}
        for run in fmt.parse(parts[3]):
            if run.get("by") == "ai":
                key = (str(run.get("session_id")), run.get("provider"), run.get("model"))
                by[key] = by.get(key, 0) + len(run.get("h") or [])
        ai = min(sum(by.values()), added)
        commits.append({"sha": parts[0].strip(), "author": parts[1], "subject": parts[2], "added": added, "ai": ai,
                        "by_session": by})
    return commits
