"""Reading and writing refs/notes/aitrack-lines (format: aitrack/attribution/note.py).

Light on imports (no typing, pathlib or dataclasses at run time): `aitrack blame` reads notes
through here and is timed against `git blame`.
"""
from __future__ import annotations

from aitrack.attribution import note as fmt
from aitrack.errors import AitrackError
from aitrack.vcs import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    import os
    from collections.abc import Iterable
    from typing import Any


def read_runs(repo: str | os.PathLike[str], shas: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """{sha: runs} of the attribution notes of these commits, in one git call."""
    shas = list(dict.fromkeys(shas))
    if not shas:
        return {}
    code, out, _ = git.run_quick(["log", "--no-walk=unsorted", f"--notes={fmt.NOTES_REF}",
                                  f"--notes={fmt.REMOTE_GLOB}", "--format=%H%x00%N%x1e", *shas, "--"], repo)
    found: dict[str, list[dict[str, Any]]] = {}
    for record in out.split("\x1e") if code == 0 else []:
        sha, _, text = record.lstrip("\n").partition("\x00")
        runs = fmt.parse(text)
        if sha and runs:
            found[sha] = runs
    return found


def all_runs(repo: str | os.PathLike[str], only_file: str | None = None) -> list[dict[str, Any]]:
    """Every attribution note's runs: for lines whose commit has none (a cherry-pick, a squash
    merge), looked up by file and content hash."""
    code, listing, _ = git.run_quick(["notes", f"--ref={fmt.NOTES_REF}", "list"], repo)
    if code != 0:
        return []  # no notes yet
    blobs = [line.split()[0] for line in listing.splitlines() if line.split()]
    if not blobs:
        return []
    res = git.run(["cat-file", "--batch"], repo, stdin="\n".join(blobs) + "\n", check=False)
    return fmt.parse(res.stdout, only_file)


def write_runs(repo: str, sha: str, runs: list[dict[str, Any]]) -> bool:
    from aitrack.vcs.notes import add_note

    return add_note(repo, fmt.NOTES_REF, sha, fmt.dump(runs), "attribution")


def range_runs(repo: str, spec: str) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """[(sha, committer date RFC 3339, runs)] of the commits of `spec` that have attribution notes, oldest first."""
    if spec.startswith("-") or " " in spec:
        raise AitrackError(f"{spec!r} is not a revision or range")
    code, out, _ = git.run_quick(["log", "--reverse", "--no-merges", f"--notes={fmt.NOTES_REF}",
                                  f"--notes={fmt.REMOTE_GLOB}", "--format=%H%x00%cI%x00%N%x1e", spec, "--"], repo)
    if code != 0:
        raise AitrackError(f"{spec!r} is not a revision or range in {repo}")
    found = []
    for record in out.split("\x1e"):
        parts = record.lstrip("\n").split("\x00")
        if len(parts) == 3 and (runs := fmt.parse(parts[2])):
            found.append((parts[0], parts[1], runs))
    return found


def add_note(repo: str, ref: str, sha: str, text: str) -> bool:
    """Attach `text` as the note of `sha` under `ref` unless one is there (it may be another tool's)."""
    if git.run(["notes", f"--ref={ref}", "list", sha], repo, check=False).returncode == 0:
        return False
    git.run(["notes", f"--ref={ref}", "add", "-F", "-", sha], repo, stdin=text)
    return True
