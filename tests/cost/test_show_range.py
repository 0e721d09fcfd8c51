"""`aitrack show A..B`: a pull request's range sums the sessions behind its commits, each once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitrack.cli import main
from aitrack.cost.fmt import usd
from aitrack.vcs.hooks import install_repo

from cost.test_rollup import session_with_commits  # tests/ is on sys.path
from vcs.conftest import make_repo


def test_a_range_lists_each_session_once_and_sums_its_cost(tmp_path: Path, fixtures_dir: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "shop")
    install_repo(repo.root)
    repo.commit("Start")
    base = repo.head()
    a = session_with_commits(repo, fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl",
                             ["Fix the cart total (#583)", "Test the checkout (#584)"])
    repo.commit("A commit by hand")
    b = session_with_commits(repo, fixtures_dir / "codex" / "ccusage-session-alpha.jsonl", ["Tidy (#583)"], tool="codex")
    assert main(["show", f"{base}..HEAD", "--repo", str(repo.root), "--json"]) == 0
    view = json.loads(capsys.readouterr().out)
    assert len(view["commits"]) == 4
    assert [s["session_id"] for s in view["sessions"]] == [a["session_id"], b["session_id"]]
    assert len(view["sessions"][0]["range_commits"]) == 2
    want = a["cost"]["usd"] + b["cost"]["usd"]
    assert view["total"]["cost"]["usd"] == pytest.approx(want)
    assert view["total"]["metrics"]["total_input_tokens"] == 294215 + 3500
    assert main(["show", f"{base}..HEAD", "--repo", str(repo.root)]) == 0
    out = capsys.readouterr().out
    assert "4 commit(s), 2 session(s) behind them" in out
    assert out.rstrip().splitlines()[-1] == f"total     2 session(s), each once · tokens in 297k (287k cached) / out 583 · {usd(want)}"
    # A range with no session behind it says so and exits 1, like a commit without one.
    assert main(["show", "HEAD~1..HEAD~1", "--repo", str(repo.root)]) == 1
    assert main(["show", "nope..HEAD", "--repo", str(repo.root)]) == 1


def test_show_of_one_commit_prints_the_cost_line_and_json_carries_it(tmp_path: Path, fixtures_dir: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "shop")
    install_repo(repo.root)
    rec = session_with_commits(repo, fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl",
                               ["Fix the cart total (#583)"])
    assert main(["show", "HEAD", "--repo", str(repo.root)]) == 0
    out = capsys.readouterr().out
    assert "  model     claude-opus-4-5-20251101 · tokens in 294k (286k cached) / out 158 · $0.19\n" in out
    assert main(["show", "HEAD", "--repo", str(repo.root), "--json"]) == 0
    cost = json.loads(capsys.readouterr().out)["sessions"][0]["cost"]
    assert cost["usd"] == pytest.approx(rec["cost"]["usd"]) and cost["unpriced"] == []
