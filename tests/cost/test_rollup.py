"""`aitrack cost --by …` from local records: real repositories, real hooks, real ingest."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from aitrack.cli import main
from aitrack.ingest.local import build_record
from aitrack.vcs.hooks import install_repo

from ingest.kit import make_session  # tests/ is on sys.path
from vcs.conftest import Repo, make_repo


def session_with_commits(repo: Repo, log: Path, messages: list[str], tool: str = "claude",
                         branch: str | None = None) -> dict[str, Any]:
    folder = make_session(tool=tool, started=time.time() - 30, duration=3600, cwd=str(repo.root),
                          git_root=str(repo.root.resolve()), git_branch=branch)
    env = {"AITRACK_SESSION_ID": folder.name, "AITRACK_SESSION_DIR": str(folder)}
    for msg in messages:
        repo.commit(msg, env=env)
    return build_record(folder, agent_logs=[log])


def run_cost(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["cost", *args]) == 0
    return capsys.readouterr().out


@pytest.fixture
def two_sessions(tmp_path: Path, fixtures_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    repo = make_repo(tmp_path / "shop")
    install_repo(repo.root)
    a = session_with_commits(repo, fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl",
                             ["Fix the cart total (#583)", "Test the checkout (#584)"], branch="fix-cart")
    b = session_with_commits(repo, fixtures_dir / "claude" / "ccusage-project-alpha-chat.jsonl",
                             ["More cart fixes (#583)"], branch="fix-cart")
    return a, b


def test_a_session_whose_commits_span_two_issues_is_split_between_them(
        two_sessions: tuple[dict[str, Any], dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two_sessions
    assert a["issue_numbers"] == [583, 584]
    table = json.loads(run_cost(capsys, "--by", "issue", "--json"))
    groups = {g["group"]: g for g in table["groups"]}
    assert groups["#583"]["usd"] == pytest.approx(a["cost"]["usd"] / 2 + b["cost"]["usd"])
    assert groups["#584"]["usd"] == pytest.approx(a["cost"]["usd"] / 2)
    assert groups["#583"]["sessions"] == 2 and groups["#584"]["sessions"] == 1
    assert table["total"]["sessions"] == 2
    assert table["total"]["usd"] == pytest.approx(a["cost"]["usd"] + b["cost"]["usd"])  # each once
    assert table["total"]["reported_usd"] == pytest.approx(1.02)  # the agent's own figure, apart


def test_by_model_commit_branch_and_csv(two_sessions: tuple[dict[str, Any], dict[str, Any]],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two_sessions
    models = {g["group"]: g["usd"] for g in json.loads(run_cost(capsys, "--by", "model", "--json"))["groups"]}
    assert models == pytest.approx({m: row["usd"] for rec in (a, b) for m, row in rec["cost"]["by_model"].items()})
    commits = {g["group"]: g["usd"] for g in json.loads(run_cost(capsys, "--by", "commit", "--json"))["groups"]}
    assert commits[a["commits"][0]["sha"][:12]] == pytest.approx(a["cost"]["usd"] / 2)
    rows = list(csv.DictReader(io.StringIO(run_cost(capsys, "--by", "branch", "--csv"))))
    assert [r["group"] for r in rows] == ["fix-cart", "total"]
    assert float(rows[0]["usd"]) == pytest.approx(a["cost"]["usd"] + b["cost"]["usd"])
    text = run_cost(capsys, "--by", "day")
    assert f"{a['cost']['usd'] + b['cost']['usd']:.2f}" in text.splitlines()[-2]  # the total line
    assert "API list prices" in text


def test_unpriced_sessions_are_named_not_counted_as_zero(tmp_path: Path, fixtures_dir: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "r")
    install_repo(repo.root)
    session_with_commits(repo, fixtures_dir / "codex" / "kvsankar-codex_golden.jsonl", ["Work (#9)"], tool="codex")
    out = run_cost(capsys, "--by", "issue")
    assert "#9" in out and "unpriced: gpt-4.5-turbo" in out
    assert json.loads(run_cost(capsys, "--json"))["total"]["unpriced_sessions"] == 1


def test_since_leaves_older_sessions_out(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = build_record(make_session(tool="claude", started=time.time() - 40 * 86400, duration=60),
                       agent_logs=[fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl"])
    assert "no sessions recorded in the last 30d" in run_cost(capsys, "--since", "30d")
    new = build_record(make_session(tool="claude", started=time.time() - 86400, duration=60),
                       agent_logs=[fixtures_dir / "claude" / "ccusage-project-alpha-chat.jsonl"])
    table = json.loads(run_cost(capsys, "--since", "30d", "--by", "session", "--json"))
    assert [g["group"] for g in table["groups"]] == [new["session_id"]]
    table = json.loads(run_cost(capsys, "--since", "60d", "--by", "week", "--json"))
    assert table["total"]["usd"] == pytest.approx(old["cost"]["usd"] + new["cost"]["usd"])
    assert main(["cost", "--since", "soon"]) == 1


def test_cost_never_imports_mlflow_or_the_price_data(two_sessions: Any, tmp_path: Path) -> None:
    code = ("import sys; from aitrack.cli import main; rc = main(['cost', '--by', 'issue']);"
            "sys.stderr.write(repr(sorted(m for m in ('mlflow', 'genai_prices') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().endswith("[]"), done.stderr
    assert "#583" in done.stdout


def test_names_from_logs_cannot_drive_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "s.jsonl"
    log.write_text(json.dumps({"type": "assistant", "sessionId": "s1", "uuid": "u1", "requestId": "r1",
                               "timestamp": "2026-11-27T03:00:00.000Z",
                               "message": {"id": "m1", "role": "assistant", "model": "evil\x1b]0;pwned\x07model",
                                           "usage": {"input_tokens": 10, "output_tokens": 5}}}) + "\n")
    build_record(make_session(tool="claude"), agent_logs=[log])
    out = run_cost(capsys, "--by", "model")
    assert "\x1b" not in out and "\x07" not in out and "evilmodel" in out  # the whole OSC sequence dropped (output.clean)
