"""The attribution note, `refs/notes/aitrack-lines`: JSON Lines, one object per run of consecutive
added lines of one file with one author, line numbers as in the commit's version of the file:

    {"v":1,"file":"src/app.py","start":3,"end":5,"by":"ai","session_id":"…","provider":"claude_code",
     "model":"claude-sonnet-4-5","prompt":2,"tool":"Edit","call_id":"toolu_…","found_by":"session",
     "h":["<16 hex>","…","…"]}
    {"v":1,"file":"NOTES.md","start":1,"end":2,"by":"human","h":["…","…"]}

`h` holds each line's content hash (sha256 of the line without trailing whitespace, 16 hex): when
amend, rebase, cherry-pick or a squash moves a line, it is found again by its hash. One object a
line, so notes concatenated by a squash (`notes.rewriteMode` concatenate) or merged with
`cat_sort_uniq` stay readable; repeated lines are folded.
"""
from __future__ import annotations

import json

TYPE_CHECKING = False  # `blame` is timed against `git blame`: typing costs it milliseconds
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

NOTES_REF = "refs/notes/aitrack-lines"
REMOTE_GLOB = "refs/notes/remotes/*/aitrack-lines"  # teammates' notes, fetched by `aitrack notes sync`


def parse(text: str | None, only_file: str | None = None) -> list[dict[str, Any]]:
    """The runs of a note (`only_file`: those of one file); lines that are not runs are skipped,
    repeated ones folded."""
    lines = list(dict.fromkeys(line.strip() for line in (text or "").splitlines()))
    if only_file is not None:  # the writer's own spelling (sort_keys, compact): a substring test
        token = '"file":' + json.dumps(only_file)
        lines = [line for line in lines if token in line]
    lines = [line for line in lines if line]
    try:  # one parse for the whole note: what `blame` spends its time on
        objs = json.loads("[" + ",".join(lines) + "]") if lines else []
    except ValueError:
        objs = []
        for line in lines:
            try:
                objs.append(json.loads(line))
            except ValueError:
                continue
    return [obj for obj in objs if isinstance(obj, dict) and isinstance(obj.get("file"), str)
            and isinstance(obj.get("h"), list) and isinstance(obj.get("start"), int) and obj.get("by") in ("ai", "human")]


def dump(runs: Iterable[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(dict(r), sort_keys=True, separators=(",", ":")) + "\n" for r in runs)


def merge(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`new` replaces the runs of the files it covers (the commit's lines were attributed again)."""
    files = {r["file"] for r in new}
    return [r for r in old if r["file"] not in files] + new


def by_line(runs: Iterable[Mapping[str, Any]]) -> tuple[dict[tuple[str, int], tuple[str, Mapping[str, Any]]],
                                                       dict[tuple[str, str], Mapping[str, Any]]]:
    """({(file, line): (hash, run)}, {(file, hash): run}) for looking lines up."""
    at: dict[tuple[str, int], tuple[str, Mapping[str, Any]]] = {}
    by_hash: dict[tuple[str, str], Mapping[str, Any]] = {}
    for run in runs:
        for offset, h in enumerate(run.get("h") or []):
            at[(run["file"], int(run["start"]) + offset)] = (str(h), run)
            key = (run["file"], str(h))
            if key not in by_hash or run.get("by") == "ai":
                by_hash[key] = run
    return at, by_hash


def lookup(at: Mapping[tuple[str, int], tuple[str, Mapping[str, Any]]],
           by_hash: Mapping[tuple[str, str], Mapping[str, Any]], path: str, line: int,
           h: str) -> Mapping[str, Any] | None:
    """The run of one line: by its position when the hash there agrees, else by its hash."""
    hit = at.get((path, line))
    if hit is not None and hit[0] == h:
        return hit[1]
    return by_hash.get((path, h))
