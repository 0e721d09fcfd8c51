"""`aitrack show` without click (aitrack/hot.py): the same answers as the click CLI, and on its
common path none of the imports it was made to avoid."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aitrack.hot import dispatch
from show.test_show import SID, new_session, repo, session_env  # noqa: F401  (repo is a fixture)
from vcs.conftest import Repo

ROOT = Path(__file__).resolve().parents[2]


def _entry(module: str, argv: list[str], cwd: Path) -> tuple[int, str, str]:
    code = f"import sys; from aitrack.{module} import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    res = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, env=env, capture_output=True, text=True,
                         timeout=120)
    return res.returncode, res.stdout, res.stderr


@pytest.fixture
def linked(repo: Repo, tmp_path: Path) -> Repo:  # noqa: F811
    repo.commit("work", env=session_env(SID))
    new_session(SID, repo)
    return repo


def cases(root: Path, elsewhere: Path) -> list[list[str]]:
    return [
        ["show"], ["show", "HEAD"], ["show", "--json"], ["show", "HEAD", "--json", "--repo", str(root)],
        [f"--repo={root}"], ["show", "--transcript"], ["show", "--", "HEAD"], ["show", "--speed=2", "--json"],
        ["show", "--help"], ["show", "-h"], ["show", "--bogus"], ["show", "--json=1"], ["show", "--speed"],
        ["show", "--speed", "fast"], ["show", "--speed", "-1"], ["show", "--speed", "0"], ["show", "a", "b"],
        ["show", "no-such-rev"], ["show", "--repo", str(elsewhere)], ["show", "--repo", str(root / "missing")],
        ["show", "-"], ["show", "--repo"],
    ]


def test_same_output_help_and_errors_as_the_click_cli(linked: Repo, tmp_path: Path) -> None:
    elsewhere = tmp_path / "not a repo"
    elsewhere.mkdir()
    for argv in cases(linked.root, elsewhere):
        argv = argv if argv[0] == "show" else ["show", *argv]
        fast, click = _entry("main", argv, linked.root), _entry("cli", argv, linked.root)
        assert fast == click, argv
        assert "Traceback" not in fast[2], argv


def test_only_well_formed_command_lines_are_taken_without_click() -> None:
    """dispatch() answers None for what click must answer (help, usage errors) without running anything."""
    for argv in (["show", "--help"], ["show", "-h"], ["show", "--bogus"], ["show", "--speed", "x"], ["show", "a", "b"],
                 ["show", "--repo"], ["show", "--repo", "--json"], ["show", "--json=yes"], ["sessions"], []):
        assert dispatch(argv) is None, argv


# What `show` was made to do without: click and mlflow (tens of ms), and the modules that each
# cost it a millisecond or more (re with enum, functools and collections, which json imports).
NOT_ON_SHOWS_PATH = ("click", "mlflow", "typing", "pathlib", "subprocess", "dataclasses", "json", "re", "enum",
                     "functools", "collections")


@pytest.mark.parametrize("found_by", ["trailer", "journal"])
def test_the_common_path_imports_none_of_what_it_avoids(linked: Repo, found_by: str) -> None:
    # The session has a run in the embedded store: its URL is looked up through store/server.py too.
    # `-S`, as the installed command files run: site's own imports are not show's.
    if found_by == "journal":  # no trailer: the session's journal names it (vcs/index.py, its cache)
        linked.commit("no trailer", "--no-verify", env=session_env(SID))
    code = ("import sys; from aitrack.main import main; rc = main(['show', '--repo', sys.argv[1]]);"
            f"print(' '.join(m for m in {NOT_ON_SHOWS_PATH!r} if m in sys.modules) or 'none', file=sys.stderr);"
            "sys.exit(rc)")
    for _ in ("index built", "index read"):
        res = subprocess.run([sys.executable, "-S", "-c", code, str(linked.root)], capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
        assert res.returncode == 0 and SID in res.stdout and f"found by {found_by}" in res.stdout, res.stderr
        assert res.stderr.strip().splitlines()[-1] == "none"


def test_a_bug_is_the_same_one_line_and_log_on_both_paths(linked: Repo) -> None:
    """A record that trips `show` (a model that is not a name) is a bug: exit 3, one line, traceback logged.
    (Commands that are not objects no longer trip it: the record keeps them aside, tests/test_sessionrecord.py.)"""
    import json

    from aitrack.paths import data_dir, session_dir

    record = session_dir(SID) / "session.json"
    record.write_text(json.dumps({**json.loads(record.read_text()), "models": [1]}))
    fast, click = _entry("main", ["show"], linked.root), _entry("cli", ["show"], linked.root)
    assert fast == click
    assert fast[0] == 3 and fast[2].startswith("aitrack: internal error (TypeError(") and fast[2].count("\n") == 1
    assert (data_dir() / "logs" / "error.log").read_text().count("Traceback") == 2


def test_the_journal_index_cache_is_json_and_a_damaged_one_is_rebuilt(linked: Repo) -> None:
    import json

    from aitrack.vcs import index

    linked.commit("no trailer", "--no-verify", env=session_env(SID))
    assert index.sessions_for_commit(linked.head()) == [SID]
    cache = Path(index.index_path())
    data = json.loads(cache.read_text())  # what the hand-written serializer wrote is JSON
    assert data["version"] == index.VERSION and linked.head() in data["sessions"][SID]["shas"]
    for damaged in ('{"version": 1, "sessions": {"x": {"sig": [1, 2, 3, 4]}}}', '{"version": 1, "sessions": []}',
                    '{"version": 1, "sessions": {"x": 5}}', "not json"):
        cache.write_text(damaged)
        assert index.sessions_for_commit(linked.head()) == [SID]
        assert json.loads(cache.read_text())["sessions"].keys() == {SID}
