"""Git notes under refs/notes/aitrack: which session(s) made a commit, and where its run lives.

A note is JSON Lines: one object per session that touched the commit (usually one line, which is
plain JSON), e.g. `{"session_id": "…", "provider": "claude_code", "run_id": "…", "tracking_uri": "…"}`.
Updating a session's line merges keys, so the run id can be added once the store has logged it.

Teams share notes with:
    git push origin refs/notes/aitrack
    git config --add remote.origin.fetch '+refs/notes/aitrack:refs/notes/aitrack'
"""
from __future__ import annotations

import os
import time

from aitrack.errors import AitrackError
from aitrack.jsonread import loads  # not json: `show` reads notes, and json costs it `re`
from aitrack.vcs import git

TYPE_CHECKING = False  # `show` reads notes: typing and pathlib would cost it milliseconds
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

NOTES_REF = "refs/notes/aitrack"
# Teammates' notes, fetched beside ours (notes_remote.py); `show` reads them with ours.
REMOTE_NOTES_GLOB = "refs/notes/remotes/*/aitrack"
# The glob keeps git from warning "notes ref … is invalid" on amend before the first note exists.
REWRITE_REF = "refs/notes/aitrack*"


def parse_note(text: str | None) -> list[dict[str, Any]]:
    """Session entries of a note, one per session: lines of the same session (notes merged from a
    teammate's, ours and a remote's shown together) are folded into one. Lines that are not JSON
    objects are ignored, not fatal."""
    entries: list[dict[str, Any]] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            obj = loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and obj.get("session_id"):
            entries = merge_entry(entries, obj)
    return entries


def read_note(repo: str | Path, sha: str) -> list[dict[str, Any]]:
    return parse_note(git.try_out(["notes", f"--ref={NOTES_REF}", "show", sha], repo))


def rewrite_ref_list() -> Path:
    """The repositories whose .git/config we gave notes.rewriteRef, one a line, for uninstall."""
    from aitrack.paths import data_dir

    return data_dir() / "notes-rewrite-ref.repos"


def ensure_rewrite_ref(repo: str | Path, *, remember: bool = True) -> None:
    """notes.rewriteRef so amend and rebase carry our notes (multi-valued: add, never replace).
    The one repository setting aitrack writes. With `remember` the repository is listed so
    `uninstall` takes it out; `hooks uninstall` takes out what `hooks install` added itself."""
    scope = [] if remember else ["--local"]  # the hook installer looks at the repository's own config
    values = (git.try_out(["config", *scope, "--get-all", "notes.rewriteRef"], repo) or "").split()
    if NOTES_REF not in values and REWRITE_REF not in values:
        git.run(["config", "--local", "--add", "notes.rewriteRef", REWRITE_REF], repo)
        if not remember:
            return
        from aitrack.paths import ensure_private_dir

        ensure_private_dir(rewrite_ref_list().parent)
        with open(rewrite_ref_list(), "a", encoding="utf-8") as fh:
            fh.write(os.path.realpath(repo) + "\n")


def remove_rewrite_refs() -> list[str]:
    """Take our notes.rewriteRef out of every repository it was added to; the repositories done."""
    try:
        repos = dict.fromkeys(rewrite_ref_list().read_text(encoding="utf-8").splitlines())
    except OSError:
        return []
    done = []
    for repo in repos:
        if repo and os.path.isdir(repo) and unset_rewrite_ref(repo):
            done.append(repo)
    rewrite_ref_list().unlink(missing_ok=True)
    return done


def unset_rewrite_ref(repo: str | Path) -> bool:
    """Take our notes.rewriteRef values out of the repository's config; whether there were any."""
    res = git.run(["config", "--local", "--unset-all", "notes.rewriteRef", r"^refs/notes/aitrack\*?$"],
                  repo, check=False)
    return res.returncode == 0


def merge_entry(entries: list[dict[str, Any]], note: dict[str, Any]) -> list[dict[str, Any]]:
    """Replace or extend the entry of `note["session_id"]`, dropping None values from the update."""
    update = {k: v for k, v in note.items() if v is not None}
    out, merged = [], False
    for entry in entries:
        if entry.get("session_id") == update["session_id"]:
            entry = {**entry, **update}
            merged = True
        out.append(entry)
    if not merged:
        out.append(update)
    return out


def write_note(repo: str | Path, sha: str, note: dict[str, Any]) -> bool:
    """Add or update this session's line in the note of `sha`. False if the note is unchanged."""
    if not note.get("session_id"):
        raise AitrackError("a note needs a session_id")
    current = read_note(repo, sha)
    entries = merge_entry(current, note)
    if entries == current:
        return False
    import json

    body = "\n".join(json.dumps(e, sort_keys=True, separators=(",", ":")) for e in entries) + "\n"
    return add_note(repo, NOTES_REF, sha, body, "aitrack")


def add_note(repo: str | Path, ref: str, sha: str, body: str, what: str) -> bool:
    """Replace the note of `sha` under `ref` with `body`; False when the ref stayed locked."""
    for attempt in range(5):  # two sessions' ingest may update the notes ref at the same moment
        res = git.run(["notes", f"--ref={ref}", "add", "-f", "-F", "-", sha], repo, check=False, stdin=body)
        if res.returncode == 0:
            return True
        if "lock" not in res.stderr:
            raise AitrackError(f"cannot write the {what} note on {sha[:12]}: {res.stderr.strip()}")
        time.sleep(0.05 * (attempt + 1))
    return False


def write_notes(commits: list[dict[str, Any]], note: dict[str, Any]) -> int:
    """Write `note` (session_id, provider, run_id, tracking_uri, …) on each {sha, repo} commit.

    Called at ingest (session id, provider) and again once the run is logged (run id, URI).
    Commits whose repository is gone are skipped. Returns how many notes changed.
    """
    changed = 0
    done_repos: set[str] = set()
    for commit in commits:
        repo, sha = commit.get("repo"), commit.get("sha")
        if not repo or not sha or not os.path.isdir(repo):
            continue
        if repo not in done_repos:
            ensure_rewrite_ref(repo)
            done_repos.add(repo)
        if git.try_out(["cat-file", "-e", f"{sha}^{{commit}}"], repo) is None:
            continue
        changed += write_note(repo, sha, note)
    return changed
