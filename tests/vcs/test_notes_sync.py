"""Teammates' notes, shared through a real bare remote: nobody's notes overwrite anybody's."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from .conftest import Repo, make_repo

from aitrack.errors import AitrackError
from aitrack.vcs.commit import resolve
from aitrack.vcs.notes import write_note
from aitrack.vcs.notes_remote import fetch_refspec, notes_sharing, sync


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Repo, Repo]:
    """A bare origin with one commit, cloned by alice and bob."""
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    seed = make_repo(tmp_path / "seed")
    seed.commit("base")
    seed.git("push", "-q", str(origin), "main")
    clones = []
    for name in ("alice", "bob"):
        subprocess.run(["git", "clone", "-q", str(origin), str(tmp_path / name)], check=True)
        clones.append(Repo(tmp_path / name))
    return origin, clones[0], clones[1]


def sessions_on(repo: Repo, rev: str = "HEAD") -> dict[str, dict[str, object]]:
    return {str(e["session_id"]): e for e in resolve(rev, repo.root).note}


def test_both_keep_their_notes_on_the_same_commit_and_on_their_own(team: tuple[Path, Repo, Repo]) -> None:
    _, alice, bob = team
    base = alice.head()
    write_note(alice.root, base, {"session_id": "a1", "provider": "claude_code"})
    write_note(bob.root, base, {"session_id": "b1", "provider": "openai_codex"})
    alice.commit("alice's work")
    write_note(alice.root, alice.head(), {"session_id": "a2", "provider": "claude_code"})
    alice.git("push", "-q", "origin", "main")

    assert sync(alice.root).pushed
    report = sync(bob.root)  # bob's push would be refused: his notes ref never saw alice's
    assert (report.merged, report.pushed) == ("merged", True)
    assert sync(alice.root).merged == "merged"  # a fast-forward onto bob's merge, really
    bob.git("pull", "-q", "--ff-only")
    for repo in (alice, bob):
        assert set(sessions_on(repo, base)) == {"a1", "b1"}
        assert set(sessions_on(repo, "main")) == {"a2"}
    assert sync(alice.root).merged == "up to date"


def test_a_session_updated_on_both_sides_folds_into_one_entry(team: tuple[Path, Repo, Repo]) -> None:
    _, alice, bob = team
    sha = alice.head()
    write_note(alice.root, sha, {"session_id": "s", "provider": "claude_code"})
    sync(alice.root)
    sync(bob.root, push=False)
    write_note(bob.root, sha, {"session_id": "s", "run_id": "r-7"})  # e.g. logged later
    write_note(alice.root, sha, {"session_id": "s", "tracking_uri": "http://mlflow:5000"})
    sync(alice.root)
    sync(bob.root)
    text = bob.out("notes", "--ref=refs/notes/aitrack", "show", sha)
    assert len(text.splitlines()) == 2  # cat_sort_uniq kept both sides' lines …
    assert sessions_on(bob, sha) == {"s": {"session_id": "s", "provider": "claude_code", "run_id": "r-7",
                                           "tracking_uri": "http://mlflow:5000"}}  # … and they read as one


def test_a_plain_fetch_with_the_safe_refspec_shows_teammates_sessions(team: tuple[Path, Repo, Repo]) -> None:
    _, alice, bob = team
    write_note(alice.root, alice.head(), {"session_id": "a1"})
    write_note(bob.root, bob.head(), {"session_id": "b1"})  # not pushed yet: must survive the fetch
    sync(alice.root)
    bob.git("config", "--add", "remote.origin.fetch", fetch_refspec("origin"))
    bob.git("fetch", "-q")
    assert set(sessions_on(bob)) == {"a1", "b1"}
    assert json.loads(bob.out("notes", "--ref=refs/notes/aitrack", "show", "HEAD")) == {"session_id": "b1"}


def test_a_teammate_pushing_in_between_is_merged_not_lost(team: tuple[Path, Repo, Repo]) -> None:
    """alice's pre-push hook makes bob push first: her push is refused, sync fetches and merges again."""
    _, alice, bob = team
    sha = alice.head()
    write_note(alice.root, sha, {"session_id": "a1"})
    write_note(bob.root, sha, {"session_id": "b1"})
    once = alice.root / "raced"
    hook = alice.root / ".git" / "hooks" / "pre-push"
    hook.write_text(f'#!/bin/sh\n[ -e "{once}" ] && exit 0\ntouch "{once}"\n'
                    f'cd "{bob.root}" && unset GIT_DIR && {sys.executable} -c '
                    f'"from aitrack.vcs.notes_remote import sync; sync(\'.\')"\n')
    hook.chmod(0o755)
    report = sync(alice.root)
    assert once.exists() and report.pushed
    bob.git("fetch", "-q", "origin", fetch_refspec("origin"))
    assert set(sessions_on(bob, sha)) == {"a1", "b1"}


def test_nothing_to_fetch_yet_and_unknown_remote(team: tuple[Path, Repo, Repo]) -> None:
    _, alice, _ = team
    assert sync(alice.root) == (False, "none", False)  # no notes anywhere: nothing to push either
    with pytest.raises(AitrackError, match="no remote named 'upstream'"):
        sync(alice.root, "upstream")


def test_doctor_findings_for_each_kind_of_refspec(team: tuple[Path, Repo, Repo]) -> None:
    _, alice, _ = team
    [r] = notes_sharing(alice.root)
    assert r.state == "not fetched" and fetch_refspec("origin") in r.fix
    alice.git("config", "--add", "remote.origin.fetch", "+refs/notes/aitrack:refs/notes/aitrack")
    [r] = notes_sharing(alice.root)
    assert r.state == "over ours"
    subprocess.run(["sh", "-c", r.fix.split("   (")[0]], cwd=alice.root, check=True)  # the fix, as printed
    assert notes_sharing(alice.root)[0].state == "beside ours"
    assert "+refs/notes/aitrack:refs/notes/aitrack" not in alice.out("config", "--get-all", "remote.origin.fetch")


def test_the_command_line(team: tuple[Path, Repo, Repo]) -> None:
    _, alice, _ = team
    write_note(alice.root, alice.head(), {"session_id": "a1"})
    cli = [sys.executable, "-m", "aitrack", "notes", "sync"]
    res = subprocess.run([*cli, "--remote", "upstream"], cwd=alice.root, capture_output=True, text=True)
    assert res.returncode == 1 and res.stderr.strip().endswith("has no remote named 'upstream'")
    assert len(res.stderr.strip().splitlines()) == 1
    res = subprocess.run(cli, cwd=alice.root, capture_output=True, text=True)
    assert res.returncode == 0 and "origin has no aitrack notes yet; pushed to origin" in res.stdout


def test_line_attribution_notes_travel_too_and_merge_line_by_line(team: tuple[Path, Repo, Repo]) -> None:
    """Issue 16: refs/notes/aitrack-lines is synced like refs/notes/aitrack; both sides' runs on
    one commit (two files attributed by two people's ingests) end up in one note."""
    from aitrack.attribution.note import NOTES_REF as LINES, parse
    from aitrack.vcs.attribution import read_runs

    _, alice, bob = team
    base = alice.head()
    run_a = {"v": 1, "file": "a.py", "start": 1, "end": 1, "by": "ai", "session_id": "a1", "h": ["0" * 16]}
    run_b = {"v": 1, "file": "b.py", "start": 1, "end": 1, "by": "human", "h": ["1" * 16]}
    alice.git("notes", f"--ref={LINES}", "add", "-m", json.dumps(run_a), base)
    bob.git("notes", f"--ref={LINES}", "add", "-m", json.dumps(run_b), base)
    sync(alice.root)
    sync(bob.root)
    sync(alice.root)
    for repo in (alice, bob):
        assert sorted(r["file"] for r in read_runs(str(repo.root), [base])[base]) == ["a.py", "b.py"]
        assert len(parse(repo.out("notes", f"--ref={LINES}", "show", base))) == 2
