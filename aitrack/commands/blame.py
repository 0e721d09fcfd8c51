"""`aitrack blame FILE [--json]`: git blame, and per line the session, provider, model and prompt
that wrote it (refs/notes/aitrack-lines)."""
from __future__ import annotations

import json
import os

from aitrack import output
from aitrack.errors import AitrackError


def blame(path: str, as_json: bool = False, rev: str | None = None) -> int:
    from aitrack.vcs.blame import blame as run_blame
    from aitrack.vcs.gitdir import find_git_dirs

    if not os.path.lexists(path) and rev is None:
        raise AitrackError(f"{path}: no such file")
    dirs = find_git_dirs(os.path.dirname(os.path.abspath(path)))
    if not dirs:
        raise AitrackError(f"{path} is not inside a git work tree")
    top = dirs[0]
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(top))
    rows = run_blame(top, rel, rev)
    if as_json:
        keys = ("line", "commit", "session_id", "provider", "model", "prompt")
        output.write(json.dumps([{k: r[k] for k in keys} for r in rows], indent=1) + "\n")
        return 0
    width = len(str(len(rows)))
    lines = []
    for r in rows:
        prompt = f"#{r['prompt']}" if r["by"] == "ai" and r.get("prompt") else ""
        lines.append(f"{(r['commit'] or '0' * 8)[:8]} {output.clean(_who(r)):<28.28} {prompt:>4} {r['line']:>{width}}) "
                     f"{output.clean(r['text'])}")
    output.write("".join(line + "\n" for line in lines))
    return 0


def _who(row: dict[str, object]) -> str:
    if row["by"] == "ai":
        return str(row.get("model") or row.get("provider") or "ai")
    return "person" if row["by"] == "human" else ""
