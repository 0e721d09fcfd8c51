"""`git blame` with the attribution notes: per line, the session, provider, model and prompt.

Two git calls on the usual path: `git blame --porcelain`, then one `git log --no-walk` for the
notes of the commits it named. Lines whose commit has no note (a cherry-pick or a hosting
service's squash merge made a new one) are looked up by file and content hash in every note.
"""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from aitrack.attribution import note as fmt
from aitrack.attribution.hashing import line_hash
from aitrack.errors import AitrackError
from aitrack.vcs import git
from aitrack.vcs.attribution_notes import all_runs, read_runs

_UNCOMMITTED = "0" * 40


def porcelain(repo: str, path: str, rev: str | None = None) -> list[tuple[str, int, str, str]]:
    """[(commit, line in that commit's file, that file's path, text)] per line of `path`."""
    args = ["blame", "--porcelain", *([rev] if rev else []), "--", path]
    code, out, err = git.run_quick(args, repo)
    if code != 0:
        raise AitrackError(f"git blame {path}: {(err.strip().splitlines() or ['failed'])[-1]}")
    rows: list[tuple[str, int, str, str]] = []
    names: dict[str, str] = {}
    sha, orig = "", 0
    for line in out.split("\n"):
        if line.startswith("\t"):
            rows.append((sha, orig, names.get(sha, path), line[1:]))
        elif line.startswith("filename "):
            names[sha] = line[9:]
        else:
            parts = line.split(" ")
            if len(parts) >= 3 and len(parts[0]) == 40 and parts[1].isdigit():
                sha, orig = parts[0], int(parts[1])
    return rows


def blame(repo: str, path: str, rev: str | None = None) -> list[dict[str, Any]]:
    """One dict a line: {line, commit, session_id, provider, model, prompt, by, tool, text};
    `by` is "ai", "human" (a note says a person wrote it) or None (no note knows the line)."""
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(repo)) if os.path.isabs(path) else path
    rows = porcelain(repo, rel, rev)
    notes = read_runs(repo, [sha for sha, _, _, _ in rows if sha != _UNCOMMITTED])
    tables = {sha: fmt.by_line(runs) for sha, runs in notes.items()}
    fallback: dict[str, Any] = {}  # file name → its runs in every note, read once if needed
    out = []
    for number, (sha, orig, name, text) in enumerate(rows, 1):
        h = line_hash(text)
        run = None
        if sha in tables:
            run = fmt.lookup(*tables[sha], name, orig, h)
        elif sha != _UNCOMMITTED:
            if name not in fallback:
                fallback[name] = fmt.by_line(all_runs(repo, name))[1]
            run = fallback[name].get((name, h))
        out.append({"line": number, "commit": None if sha == _UNCOMMITTED else sha,
                    "session_id": run.get("session_id") if run else None,
                    "provider": run.get("provider") if run else None, "model": run.get("model") if run else None,
                    "prompt": run.get("prompt") if run else None, "by": run.get("by") if run else None,
                    "tool": run.get("tool") if run else None, "text": text})
    return out
