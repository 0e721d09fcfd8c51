"""The git side of line attribution: a commit's added lines, the shell's writes read off the work
tree, and the notes under refs/notes/aitrack-lines (format: aitrack/attribution/note.py).

Ingest attributes the session's own commits (`attribute_session`); `attribute_range` attributes
commits made after a session ended (the person reviewed, then committed) from the recent sessions
recorded for the repository, and names the session in the aitrack note (`found_by: attribution`).
"""
from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aitrack.attribution import lines as attr
from aitrack.attribution import note as fmt
from aitrack.attribution.hashing import hashes
from aitrack.errors import AitrackError
from aitrack.meta import Meta
from aitrack.vcs import git
from aitrack.vcs.attribution_notes import all_runs, read_runs, write_runs  # noqa: F401  (this module's API too)

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
RECENT_DAYS = 14  # sessions older than this are not searched for a later commit's lines
MAX_RANGE = 200  # commits attributed in one `attribute_range` call
MAX_SHELL_FILE = 8 << 20  # a file the shell wrote, read at ingest: past this, a data file, not attributed


def added_lines(repo: str | os.PathLike[str], sha: str) -> dict[str, list[tuple[int, str]]]:
    """{path: [(line number in the commit's file, text)]} of the lines `sha` added or changed
    (against its first parent; renames followed; binary files and merges have none)."""
    code, out, err = git.run_quick(["-c", "core.quotePath=false", "diff-tree", "-p", "-U0", "-M", "--root", "-r",
                                    "--no-commit-id", "--no-color", "--no-ext-diff", "--no-textconv", sha], repo)
    if code != 0:
        raise AitrackError(f"git diff-tree {sha[:12]} failed: {err.strip()}")
    files: dict[str, list[tuple[int, str]]] = {}
    current: list[tuple[int, str]] | None = None
    line_no = remaining = 0
    for line in out.split("\n"):
        if remaining > 0:
            if line.startswith("+") and current is not None:
                current.append((line_no, line[1:]))
                line_no += 1
                remaining -= 1
            continue
        if line.startswith("+++ "):
            path = line[4:]
            current = None if path == "/dev/null" else files.setdefault(_unquote(path)[2:], [])
        elif line.startswith("@@"):
            m = _HUNK.match(line)
            if m:
                line_no, remaining = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
    return {p: lines for p, lines in files.items() if lines}


def _unquote(path: str) -> str:
    if path.startswith('"') and path.endswith('"'):  # C-quoted: a tab, newline or quote in the name
        return path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode(
            "utf-8", "replace")
    return path


def fill_shell_writes(record: dict[str, Any], meta: Meta) -> None:
    """The shell's writes (`sed -i`, `> file`, generators) carry no text: their lines are those
    of the file now (ingest runs as the agent exits) that the file lacked when the session began."""
    root, head = meta.git_root, meta.git_head
    if not root or not Path(str(root)).is_dir():
        return
    cwd = str(record.get("cwd") or meta.cwd or root)
    done: set[str] = set()
    for w in reversed(record.get("writes") or []):
        if w.get("lines") is not None or not isinstance(w.get("file"), str):
            continue
        rel = attr.rel_path(w["file"], cwd, str(root))
        if rel is None or rel in done:
            w["lines"] = []
            continue
        done.add(rel)
        try:
            file = Path(str(root), rel)
            if file.stat().st_size > MAX_SHELL_FILE:
                raise OSError("too large to be code")
            now = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            w["lines"] = []
            continue
        before = set(hashes(git.try_out(["show", f"{head}:{rel}"], str(root)) or "")) if head else set()
        w["lines"] = [h for h in dict.fromkeys(hashes(now)) if h not in before]
        w["inferred"] = True


def _index_from_runs(runs: Iterable[dict[str, Any]]) -> attr.Index:
    """What an earlier attribution of the commit found: kept when another session adds its lines."""
    index: attr.Index = {}
    for r in runs:
        if r.get("by") == "ai" and r.get("session_id"):
            src = attr.Source(str(r["session_id"]), r.get("provider"), r.get("model"), r.get("prompt"), r.get("tool"),
                              r.get("call_id"))
            for h in r.get("h") or []:
                index.setdefault(r["file"], {})[str(h)] = src
    return index


def attribute_commit(repo: str, sha: str, records: list[dict[str, Any]], found_by: str = "session",
                     old: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Attribute one commit from these session records (oldest first) and write its note."""
    index = _index_from_runs(old or [])
    for record in records:
        attr.add_session(index, record, repo)
    runs = attr.attribute(added_lines(repo, sha), index, found_by)
    if runs and runs != old:
        write_runs(repo, sha, runs)
    return runs


def attribute_session(record: dict[str, Any]) -> int:
    """Ingest: the attribution note of each of the session's commits. Returns how many were written."""
    if not record.get("writes"):
        return 0
    from aitrack.vcs.notes import ensure_rewrite_ref

    done = 0
    by_repo: dict[str, list[str]] = {}
    for c in record.get("commits") or []:
        if c.get("repo") and c.get("sha") and Path(str(c["repo"])).is_dir():
            by_repo.setdefault(str(c["repo"]), []).append(str(c["sha"]))
    for repo, shas in by_repo.items():
        ensure_rewrite_ref(repo)
        old = read_runs(repo, shas)
        for sha in shas:
            if attribute_commit(repo, sha, [record], "session", old.get(sha)):
                done += 1
    return done


def attribute_range(repo: str, records: list[dict[str, Any]], rev_range: str = "HEAD") -> list[tuple[str, list[str]]]:
    """Commits of `rev_range` without an attribution note, made after one of these sessions began,
    attributed from the sessions' writes; those with lines of a session name it in the aitrack
    note (`found_by: attribution`). Returns [(sha, session ids)] of the commits so linked."""
    records = sorted((r for r in records if r.get("writes")), key=lambda r: _started(r))
    if not records:
        return []
    since = int(_started(records[0]))
    log = git.try_out(["log", f"--since=@{since}", f"--max-count={MAX_RANGE}", "--no-merges", "--format=%H%x00%ct",
                       rev_range, "--"], repo) or ""
    commits = [(p[0], float(p[1])) for line in log.splitlines() if len(p := line.split("\x00")) == 2]
    have = read_runs(repo, [sha for sha, _ in commits])
    linked: list[tuple[str, list[str]]] = []
    for sha, when in reversed(commits):
        if sha in have:
            continue
        candidates = [r for r in records if _started(r) <= when]
        if not candidates:
            continue
        _store(repo, sha, attr.attribute(added_lines(repo, sha), _index(candidates, repo), "attribution"),
               "attribution", linked)
    return linked


def carry_range(repo: str, rev_range: str) -> list[tuple[str, list[str]]]:
    """Commits of `rev_range` without an attribution note whose lines other commits' notes know by
    file and content hash (a hosting service's squash merge, a cherry-pick): attributed from those
    notes (`found_by: content`), for CI, where no session record is at hand."""
    log = git.try_out(["log", f"--max-count={MAX_RANGE}", "--no-merges", "--format=%H", rev_range, "--"], repo)
    shas = (log or "").split()
    have = read_runs(repo, shas)
    todo = [sha for sha in reversed(shas) if sha not in have]
    index = _index_from_runs(all_runs(repo)) if todo else {}
    linked: list[tuple[str, list[str]]] = []
    for sha in todo:
        _store(repo, sha, attr.attribute(added_lines(repo, sha), index, "content"), "content", linked)
    return linked


def _store(repo: str, sha: str, runs: list[dict[str, Any]], found_by: str, linked: list[tuple[str, list[str]]]) -> None:
    """A commit some session's lines are in: its attribution note, and a session note for each
    such session (`found_by` says how it was found), appended to `linked`."""
    from aitrack.vcs.notes import ensure_rewrite_ref, write_note

    sessions = attr.ai_sessions(runs)
    if not sessions:
        return
    ensure_rewrite_ref(repo)
    write_runs(repo, sha, runs)
    for sid, provider in sessions.items():
        write_note(repo, sha, {"session_id": sid, "provider": provider, "found_by": found_by})
    linked.append((sha, list(sessions)))


def _index(records: list[dict[str, Any]], repo: str) -> attr.Index:
    index: attr.Index = {}
    for record in records:
        attr.add_session(index, record, repo)
    return index


def _started(record: dict[str, Any]) -> float:
    value = (record.get("meta") or {}).get("started_at_epoch")
    return float(value) if isinstance(value, (int, float)) else 0.0


def recent_records(repo: str, days: int = RECENT_DAYS) -> list[dict[str, Any]]:
    """The local session records of this repository from the last `days` days that wrote lines."""
    import json

    from aitrack.paths import sessions_dir
    from aitrack.sessiondir import META, RECORD

    real = os.path.realpath(repo)
    cutoff = time.time() - days * 86400
    out = []
    try:
        folders = list(sessions_dir().iterdir())
    except OSError:
        return []
    for folder in folders:
        path = folder / RECORD
        try:
            if path.stat().st_mtime < cutoff:
                continue
            with open(folder / META, encoding="utf-8") as fh:  # small: read first, to skip other repos
                root = json.load(fh).get("git_root")
            if not root or os.path.realpath(str(root)) != real:
                continue
            with open(path, encoding="utf-8") as fh:
                record = json.load(fh)
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(record, dict) and record.get("writes"):
            out.append(record)
    return out
