"""Who wrote each added line of a commit: the agent session whose tool call wrote that exact line
into that file, or else a person.

By content: a line counts as the agent's when its hash (`parse.edits.line_hash`) is among the lines
one of the session's calls wrote into the same file, through an edit tool, a patch, a heredoc, or a
shell command whose result ingest read off the working tree. A line the agent wrote and a person
then changed has another hash: the person's. Later calls win over earlier ones (the prompt that
last wrote the line is the one named).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aitrack.attribution.hashing import line_hash


@dataclass(frozen=True, slots=True)
class Source:
    """The session, prompt and call that wrote a line."""

    session_id: str
    provider: str | None = None
    model: str | None = None
    prompt: int | None = None
    tool: str | None = None
    call_id: str | None = None


# {repo-relative path: {line hash: Source}}
Index = dict[str, dict[str, Source]]


def rel_path(path: str, cwd: str | None, root: str) -> str | None:
    """A path as an agent named it (absolute, or relative to its cwd) → relative to the repository
    root; None when it lies outside."""
    full = path if os.path.isabs(path) else os.path.join(cwd or root, path)
    for base in dict.fromkeys([root, os.path.realpath(root)]):
        for candidate in dict.fromkeys([os.path.normpath(full), os.path.realpath(full)]):
            rel = os.path.relpath(candidate, base)
            if not rel.startswith(".." + os.sep) and rel != ".." and not os.path.isabs(rel):
                return rel.replace(os.sep, "/")
    return None


def add_session(index: Index, record: Mapping[str, Any], root: str) -> None:
    """Add one session record's writes (session.json `writes`) to the index, in call order."""
    sid = str(record.get("session_id") or "")
    if not sid:
        return
    cwd = str(record.get("cwd") or (record.get("meta") or {}).get("cwd") or root)
    writes = [w for w in record.get("writes") or [] if isinstance(w, dict)]
    # Lines read off the work tree after a shell command (`inferred`) yield to lines a call's own
    # text names: `sed -i` after an Edit of the same file must not take the Edit's lines.
    for w in [w for w in writes if w.get("inferred")] + [w for w in writes if not w.get("inferred")]:
        lines, path = w.get("lines"), w.get("file")
        if not isinstance(path, str) or not isinstance(lines, list):
            continue
        rel = rel_path(path, cwd, root)
        if rel is None:
            continue
        src = Source(sid, record.get("provider"), w.get("model"), w.get("prompt") or None, w.get("tool") or None,
                     w.get("call_id"))
        into = index.setdefault(rel, {})
        for h in lines:
            if isinstance(h, str):
                into[h] = src


def attribute(added: Mapping[str, Iterable[tuple[int, str]]], index: Index,
              found_by: str = "session") -> list[dict[str, Any]]:
    """The note runs of one commit: consecutive added lines of one file with the same author,
    each `{file, start, end, by: ai|human, h: [hashes], session_id, provider, model, prompt, tool,
    call_id, found_by}` (the AI fields only for `by: ai`)."""
    runs: list[dict[str, Any]] = []
    for path, lines in added.items():
        known = index.get(path, {})
        current: dict[str, Any] | None = None
        current_src: Source | None = None
        rows = list(lines)
        hashes = [line_hash(text) for _, text in rows]
        sources = _with_neighbours(rows, [known.get(h) for h in hashes])
        for (lineno, text), h, src in zip(rows, hashes, sources):
            if current is not None and current["end"] == lineno - 1 and src == current_src:
                current["end"] = lineno
                current["h"].append(h)
                continue
            current, current_src = _run(path, lineno, h, src, found_by), src
            runs.append(current)
    return runs


def _trivial(text: str) -> bool:
    """A blank line or a lone `}`, `);`, `end`-less punctuation: as likely the person's as the agent's."""
    core = text.strip()
    return len(core) <= 2 and not any(ch.isalnum() for ch in core)


def _with_neighbours(rows: list[tuple[int, str]], sources: list[Source | None]) -> list[Source | None]:
    """A trivial line takes the author of the nearest non-trivial added line next to it (the line
    before, else after, in the same block of consecutive added lines); alone, its own match."""
    out = list(sources)
    for i, (lineno, text) in enumerate(rows):
        if not _trivial(text):
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(rows) and abs(rows[j][0] - rows[j - step][0]) == 1 and _trivial(rows[j][1]):
                j += step
            if 0 <= j < len(rows) and abs(rows[j][0] - rows[j - step][0]) == 1:
                out[i] = sources[j]
                break
    return out


def _run(path: str, lineno: int, h: str, src: Source | None, found_by: str) -> dict[str, Any]:
    run: dict[str, Any] = {"v": 1, "file": path, "start": lineno, "end": lineno, "h": [h]}
    if src is None:
        run["by"] = "human"
        return run
    run.update(by="ai", session_id=src.session_id, provider=src.provider, model=src.model, prompt=src.prompt,
               tool=src.tool, call_id=src.call_id, found_by=found_by)
    return {k: v for k, v in run.items() if v is not None}


def ai_sessions(runs: Iterable[Mapping[str, Any]]) -> dict[str, str | None]:
    """{session id: provider} of the sessions that wrote some of these runs."""
    return {str(r["session_id"]): r.get("provider") for r in runs if r.get("by") == "ai" and r.get("session_id")}
