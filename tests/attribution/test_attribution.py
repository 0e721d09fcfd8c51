"""Line attribution end to end in real git repositories: an agent session writes files through its
edit tools and its shell, a person edits some lines and adds a file, commits happen during and
after the session; every line's author is known by construction and read back with blame."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from aitrack.attribution import note as fmt
from aitrack.vcs.blame import blame
from attribution.kit import MODEL, Agent, git, make_repo, person_commit

START = {"app.py": "a = 1\nb = 2\nprint(a + b)\n"}


def who(root: Path, path: str) -> list[tuple[str, Any, Any, Any]]:
    """(text, by, tool, prompt) of every line of `path` at HEAD."""
    return [(r["text"], r["by"], r["tool"], r["prompt"]) for r in blame(str(root), path)]


@pytest.fixture
def played(tmp_path: Path) -> dict[str, Any]:
    root = make_repo(tmp_path / "repo", START)
    agent = Agent(root)
    agent.prompt("add a generator")
    agent.write("gen.py", "def gen():\n    x = 1\n    y = 2\n    return x + y\n")
    agent.edit("app.py", "b = 2\n", "b = 20\nc = 3\n")
    agent.prompt("write notes, bump a")
    agent.bash("cat > notes.txt <<'EOF'\nnote one\nnote two\nEOF")
    agent.bash("sed -i 's/^a = 1$/a = 100/' app.py")
    # The person, in their editor, while the agent works: one of its lines changed, a file added.
    gen = root / "gen.py"
    gen.write_text(gen.read_text().replace("    y = 2\n", "    y = 42  # mine\n"))
    (root / "human.txt").write_text("mine\nall mine\n")
    c1 = agent.commit("generator and notes")
    agent.prompt("and a later helper")
    agent.write("later.py", "def later():\n    return 'L'\n")
    record = agent.finish()
    # After the session: the person reviews, adds a line and commits.
    (root / "later.py").write_text("def later():\n    return 'L'\n# reviewed\n")
    c2 = person_commit(root, "later helper", time.time() + 60)
    return {"root": root, "agent": agent, "record": record, "c1": c1, "c2": c2}


EXPECTED = {
    "app.py": [("a = 100", "ai", "Bash", 2), ("b = 20", "ai", "Edit", 1), ("c = 3", "ai", "Edit", 1),
               ("print(a + b)", None, None, None)],
    "gen.py": [("def gen():", "ai", "Write", 1), ("    x = 1", "ai", "Write", 1),
               ("    y = 42  # mine", "human", None, None), ("    return x + y", "ai", "Write", 1)],
    "notes.txt": [("note one", "ai", "Bash", 2), ("note two", "ai", "Bash", 2)],
    "human.txt": [("mine", "human", None, None), ("all mine", "human", None, None)],
}
LATER = [("def later():", "ai", "Write", 3), ("    return 'L'", "ai", "Write", 3), ("# reviewed", "human", None, None)]


def test_every_line_of_the_sessions_commit_and_of_the_later_one(played: dict[str, Any]) -> None:
    root = played["root"]
    assert [c["sha"] for c in played["record"]["commits"]] == [played["c1"]]
    for path, expected in EXPECTED.items():
        assert who(root, path) == expected, path
    # The later commit is the person's, so ingest could not know it: `aitrack attribute` (the next
    # session's ingest runs the same) finds the session's lines in it.
    res = subprocess.run([sys.executable, "-m", "aitrack", "attribute"], cwd=root, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert played["c2"][:12] in res.stdout and played["agent"].id in res.stdout
    assert who(root, "later.py") == LATER
    rows = blame(str(root), "later.py")
    assert {r["session_id"] for r in rows[:2]} == {played["agent"].id} and rows[2]["session_id"] is None
    assert rows[0]["model"] == MODEL and rows[0]["provider"] == "claude_code"
    linked = json.loads(git(root, "notes", "--ref=refs/notes/aitrack", "show", played["c2"]))
    assert linked == {"session_id": played["agent"].id, "provider": "claude_code", "found_by": "attribution"}
    runs = fmt.parse(git(root, "notes", f"--ref={fmt.NOTES_REF}", "show", played["c2"]))
    assert {r["found_by"] for r in runs if r["by"] == "ai"} == {"attribution"}


def test_blame_json_lists_line_commit_session_provider_model_prompt(played: dict[str, Any]) -> None:
    root = played["root"]
    res = subprocess.run([sys.executable, "-m", "aitrack", "blame", "app.py", "--json"], cwd=root,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert rows[1] == {"line": 2, "commit": played["c1"], "session_id": played["agent"].id,
                       "provider": "claude_code", "model": MODEL, "prompt": 1}
    assert rows[3]["session_id"] is None and rows[3]["commit"] != played["c1"]
    text = subprocess.run([sys.executable, "-m", "aitrack", "blame", "gen.py"], cwd=root, capture_output=True,
                          text=True).stdout.splitlines()
    assert MODEL[:20] in text[0] and "#1" in text[0] and "person" in text[2]


def test_amend_and_rebase_carry_the_note_cherry_pick_and_squash_find_lines_by_hash(played: dict[str, Any]) -> None:
    root = played["root"]
    subprocess.run([sys.executable, "-m", "aitrack", "attribute"], cwd=root, check=True, capture_output=True)
    git(root, "commit", "-q", "--amend", "-m", "later helper, reworded")  # notes.rewriteRef copies the note
    assert git(root, "notes", f"--ref={fmt.NOTES_REF}", "list", "HEAD")
    assert who(root, "later.py") == LATER
    # Rebase both commits onto a new base commit (new shas: the notes travel by rewriteRef).
    git(root, "checkout", "-q", "-b", "base", "HEAD~2")
    (root / "base.txt").write_text("base\n")
    git(root, "add", "base.txt")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "main")
    git(root, "rebase", "-q", "base")
    for path, expected in EXPECTED.items():
        assert who(root, path) == expected, f"after rebase: {path}"
    assert who(root, "later.py") == LATER
    # Cherry-pick onto another branch: no note is copied; lines are found by file and content hash.
    git(root, "checkout", "-q", "-b", "picked", "base~1")
    (root / "other.txt").write_text("other\n")
    git(root, "add", "other.txt")
    git(root, "commit", "-q", "-m", "another base")
    git(root, "cherry-pick", "main~1", "main")
    assert not _has_note(root, "HEAD") and not _has_note(root, "HEAD~1")
    for path, expected in EXPECTED.items():
        assert who(root, path) == expected, f"after cherry-pick: {path}"
    # merge --squash: one new commit holding both.
    git(root, "checkout", "-q", "-b", "squashed", "picked~2")
    git(root, "merge", "-q", "--squash", "main")
    git(root, "commit", "-q", "-m", "squash")
    assert not _has_note(root, "HEAD")
    for path, expected in {**EXPECTED, "later.py": LATER}.items():
        assert who(root, path) == expected, f"after merge --squash: {path}"


def _has_note(root: Path, rev: str) -> bool:
    res = subprocess.run(["git", "notes", f"--ref={fmt.NOTES_REF}", "list", rev], cwd=root, capture_output=True)
    return res.returncode == 0


def test_stats_counts_added_lines_by_ai(played: dict[str, Any]) -> None:
    root = played["root"]
    subprocess.run([sys.executable, "-m", "aitrack", "attribute"], cwd=root, check=True, capture_output=True)
    res = subprocess.run([sys.executable, "-m", "aitrack", "stats", "HEAD~2..HEAD", "--json"], cwd=root,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    view = json.loads(res.stdout)
    # c1 adds 12 lines (app.py 3, gen.py 4, notes.txt 2, human.txt 2... and a changed line): 9 by the agent.
    by_sha = {c["sha"]: c for c in view["commits"]}
    assert (by_sha[played["c1"]]["added"], by_sha[played["c1"]]["ai"]) == (11, 8)
    assert (by_sha[played["c2"]]["added"], by_sha[played["c2"]]["ai"]) == (3, 2)
    assert view["total"] == {"commits": 2, "added": 14, "ai": 10, "ai_pct": round(1000 / 14, 1)}
    assert view["models"] == [{"model": MODEL, "ai": 10, "ai_pct": round(1000 / 14, 1)}]
    assert view["providers"][0]["provider"] == "claude_code"


def _entry(module: str, argv: list[str], cwd: Path) -> tuple[int, str, str]:
    code = f"import sys; from aitrack.{module} import main; sys.exit(main(sys.argv[1:]))"
    res = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "NO_COLOR": "1"})
    return res.returncode, res.stdout, res.stderr


def test_blame_without_click_answers_as_the_click_cli_and_imports_neither_click_nor_mlflow(
        played: dict[str, Any]) -> None:
    """`blame` is timed against `git blame`: aitrack/hot.py runs it without click, same answers."""
    root = played["root"]
    for argv in (["blame", "app.py"], ["blame", "app.py", "--json"], ["blame", "--json", "gen.py"],
                 ["blame", "--rev", "HEAD~1", "app.py"], ["blame", "--rev=HEAD", "--", "notes.txt"], ["blame"],
                 ["blame", "--help"], ["blame", "missing.py"], ["blame", "a", "b"], ["blame", "--rev"],
                 ["blame", "--bogus", "app.py"]):
        fast, click = _entry("main", argv, root), _entry("cli", argv, root)
        assert fast == click, argv
        assert "Traceback" not in fast[2], argv
    assert _entry("main", ["blame", "missing.py"], root)[0] == 1
    code = ("import sys; from aitrack.main import main; rc = main(['blame', 'app.py']);"
            "print(' '.join(m for m in ('click', 'mlflow') if m in sys.modules) or 'none', file=sys.stderr)")
    res = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert res.stderr.strip().splitlines()[-1] == "none", res.stderr


def test_a_squash_merge_gets_its_note_from_the_other_commits_notes_as_ci_would(played: dict[str, Any],
                                                                               tmp_path: Path) -> None:
    """A hosting service's squash merge: a clone with the notes but none of the sessions (CI) runs
    `aitrack attribute --from-notes` on the new commit; stats then count its AI lines."""
    root = played["root"]
    subprocess.run([sys.executable, "-m", "aitrack", "attribute"], cwd=root, check=True, capture_output=True)
    git(root, "checkout", "-q", "-b", "pr", "main")
    git(root, "checkout", "-q", "main")
    git(root, "reset", "-q", "--hard", "HEAD~2")
    git(root, "merge", "-q", "--squash", "pr")
    git(root, "commit", "-q", "-m", "Squashed PR (#7)")
    squash = git(root, "rev-parse", "HEAD")
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(root), str(ci))
    git(ci, "fetch", "-q", "origin", "refs/notes/aitrack-lines:refs/notes/aitrack-lines")
    env = {**__import__("os").environ, "XDG_DATA_HOME": str(tmp_path / "ci-data")}  # no sessions here
    res = subprocess.run([sys.executable, "-m", "aitrack", "attribute", "--from-notes", "HEAD~1..HEAD"], cwd=ci,
                         capture_output=True, text=True, env=env)
    assert res.returncode == 0 and squash[:12] in res.stdout, res.stderr
    view = json.loads(subprocess.run([sys.executable, "-m", "aitrack", "stats", "HEAD~1..HEAD", "--json"], cwd=ci,
                                     capture_output=True, text=True, env=env).stdout)
    assert (view["total"]["added"], view["total"]["ai"]) == (14, 10)
    runs = fmt.parse(git(ci, "notes", f"--ref={fmt.NOTES_REF}", "show", "HEAD"))
    assert {r["found_by"] for r in runs if r["by"] == "ai"} == {"content"}
    assert json.loads(git(ci, "notes", "--ref=refs/notes/aitrack", "show", "HEAD"))["found_by"] == "content"


def _rebase_i(root: Path, base: str, todo: str) -> None:
    """`git rebase -i BASE` with this todo list (sha placeholders {c1}, {c2} filled by the caller)."""
    script = root.parent / "todo.sh"
    script.write_text(f"#!/bin/sh\ncat > \"$1\" <<'EOF'\n{todo}\nEOF\n")
    script.chmod(0o755)
    git(root, "rebase", "-q", "-i", base, env={"GIT_SEQUENCE_EDITOR": str(script), "GIT_EDITOR": "true"})


def test_interactive_rebase_reorder_squash_fixup_and_split(played: dict[str, Any]) -> None:
    root = played["root"]
    subprocess.run([sys.executable, "-m", "aitrack", "attribute"], cwd=root, check=True, capture_output=True)
    c1, c2 = played["c1"], played["c2"]
    everything = {**EXPECTED, "later.py": LATER}
    _rebase_i(root, "HEAD~2", f"pick {c2}\npick {c1}")  # reorder: line numbers of the notes may move
    assert git(root, "log", "--format=%s", "-2").splitlines() == ["generator and notes", "later helper"]
    for path, expected in everything.items():
        assert who(root, path) == expected, f"after reorder: {path}"
    top = git(root, "rev-parse", "HEAD")
    _rebase_i(root, "HEAD~2", f"pick {git(root, 'rev-parse', 'HEAD~1')}\nsquash {top}")  # two notes concatenated
    assert len(fmt.parse(git(root, "notes", f"--ref={fmt.NOTES_REF}", "show", "HEAD"))) > 1
    for path, expected in everything.items():
        assert who(root, path) == expected, f"after squash: {path}"
    # Split the squashed commit in two by hand: new commits, no note copied; lines found by hash.
    git(root, "reset", "-q", "HEAD~1")
    git(root, "add", "app.py", "gen.py")
    git(root, "commit", "-q", "-m", "part one")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "part two")
    for path, expected in everything.items():
        assert who(root, path) == expected, f"after split: {path}"
    # fixup: a person's fixup folded into the agent's commit keeps both authors apart.
    (root / "gen.py").write_text((root / "gen.py").read_text() + "# fixed\n")
    git(root, "commit", "-qam", "fixup! part two")
    _rebase_i(root, "HEAD~2", f"pick {git(root, 'rev-parse', 'HEAD~1')}\nfixup {git(root, 'rev-parse', 'HEAD')}")
    assert who(root, "gen.py") == EXPECTED["gen.py"] + [("# fixed", None, None, None)]


def test_blame_from_a_subdirectory_and_stats_text(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", START)
    agent = Agent(root)
    agent.prompt("add a module")
    agent.write("pkg/mod.py", "VALUE = 1\n")
    agent.commit("module")
    agent.finish()
    for cwd, path in ((root, "pkg/mod.py"), (root / "pkg", "mod.py"), (tmp_path, str(root / "pkg" / "mod.py"))):
        res = subprocess.run([sys.executable, "-m", "aitrack", "blame", "--json", path], cwd=cwd, capture_output=True,
                             text=True)
        assert res.returncode == 0, res.stderr
        assert [(r["session_id"], r["prompt"]) for r in json.loads(res.stdout)] == [(agent.id, 1)], cwd
    res = subprocess.run([sys.executable, "-m", "aitrack", "stats"], cwd=root, capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.startswith("1 of 4 added lines by AI (25.0%) in 2 commit(s) of HEAD")
    assert f"{MODEL}" in res.stdout and "claude_code" in res.stdout
    bad = subprocess.run([sys.executable, "-m", "aitrack", "stats", "nope..HEAD"], cwd=root, capture_output=True,
                         text=True)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "not a revision" in bad.stderr


def test_the_documented_ci_step_gives_a_hosting_services_squash_its_note(played: dict[str, Any],
                                                                         tmp_path: Path) -> None:
    """README's GitHub Actions step, run as written against a real bare origin: the developer's
    notes pushed by `aitrack notes sync`, the pull request squashed elsewhere, CI in a fresh clone."""
    dev, env = played["root"], dict(__import__("os").environ)
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))

    def run(cwd: Path, *args: str) -> str:
        res = subprocess.run([sys.executable, "-m", "aitrack", *args], cwd=cwd, capture_output=True, text=True, env=env)
        assert res.returncode == 0, res.stderr
        return res.stdout

    run(dev, "attribute")
    git(dev, "remote", "add", "origin", str(origin))
    git(dev, "push", "-q", "origin", "HEAD~2:refs/heads/main", "HEAD:refs/heads/pr")
    run(dev, "notes", "sync")
    host = tmp_path / "host"  # the hosting service's squash merge
    git(tmp_path, "clone", "-q", "-b", "main", str(origin), str(host))
    git(host, "merge", "-q", "--squash", "origin/pr")
    git(host, "commit", "-q", "-m", "Later helper and notes (#7)")
    git(host, "push", "-q", "origin", "main")
    before, squash = git(host, "rev-parse", "HEAD~1"), git(host, "rev-parse", "HEAD")
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(origin), str(ci))
    env["XDG_DATA_HOME"] = str(tmp_path / "ci-data")  # CI has no sessions
    run(ci, "notes", "sync", "--no-push")
    assert squash[:12] in run(ci, "attribute", "--from-notes", f"{before}..{squash}")
    run(ci, "notes", "sync")
    runs = fmt.parse(subprocess.run(["git", "--git-dir", str(origin), "notes", f"--ref={fmt.NOTES_REF}", "show", squash],
                                    capture_output=True, text=True, check=True).stdout)
    assert sum(len(r["h"]) for r in runs if r["by"] == "ai") == 10


def test_a_record_built_long_after_the_session_does_not_read_the_shells_writes_off_the_tree(tmp_path: Path) -> None:
    """Backfill or a rebuild days later: the work tree is no longer what the agent's `sed` left."""
    from aitrack.sessiondir import read_meta, write_meta
    from aitrack.ingest.local import build_record

    root = make_repo(tmp_path / "repo", START)
    agent = Agent(root)
    agent.bash("sed -i 's/^a = 1$/a = 100/' app.py")
    agent.commit("bump")
    meta = read_meta(agent.folder).replace(ended_at_epoch=time.time() - 3600, ended_at="2026-01-01T00:00:00Z")
    write_meta(agent.folder, meta)
    record = build_record(agent.folder, agent_logs=[agent.log])
    assert [w["lines"] for w in record["writes"]] == [None]
    assert any("shell wrote are not attributed" in w for w in record["warnings"])
