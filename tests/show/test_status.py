"""`aitrack status` (#17): one line about the current session, run as a prompt would run it — a
fresh process of the real entry point, with the session folder the wrapper exports to the agent."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aitrack.ingest.local import build_record
from ingest.kit import make_session
from store.turnlogs import logs

ROOT = Path(__file__).resolve().parents[2]


def _run(module: str, argv: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    code = (f"import sys; from aitrack.{module} import main; rc = main(sys.argv[1:]); "
            "print('loaded:', ' '.join(m for m in ('click', 'mlflow') if m in sys.modules), file=sys.stderr); "
            "sys.exit(rc)")
    full = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})}
    res = subprocess.run([sys.executable, "-c", code, *argv], env=full, capture_output=True, text=True, timeout=120)
    return res.returncode, res.stdout, res.stderr


@pytest.fixture
def ended(tmp_path: Path) -> Path:
    folder = make_session(tool="claude", argv=["claude"], exit_code=0, duration=90, started=1767261600.0)
    build_record(folder, agent_logs=logs(tmp_path / "logs"))
    return folder


def test_inside_a_session_one_line_from_its_record_without_click_or_mlflow(ended: Path) -> None:
    code, out, err = _run("main", ["status"], {"AITRACK_SESSION_DIR": str(ended)})
    assert code == 0, err
    # 2 prompts; the two Bash calls (one in the subagent, failed); 5 responses × 1,300 input tokens.
    line = out.strip()
    assert line.startswith("claude · 2 turns · 2 cmds · 1 err · 6,500/250 tok · $0.") and line.endswith("1m30s"), line
    assert err.strip().endswith("loaded:"), err  # neither click nor mlflow
    code, out, _ = _run("main", ["status", "--format", "json"], {"AITRACK_SESSION_DIR": str(ended)})
    fields = json.loads(out)
    assert fields["turns"] == 2 and fields["errors"] == 1 and fields["state"] == "ended" and fields["cost"] > 0


def test_at_a_prompt_none_of_what_shows_path_avoids_is_imported(ended: Path) -> None:
    from show.test_hot import NOT_ON_SHOWS_PATH

    # `-S`, as the installed command files run: site's own imports are not status's.
    code = ("import sys; from aitrack.main import main; rc = main(['status']);"
            f"print(' '.join(m for m in {NOT_ON_SHOWS_PATH!r} if m in sys.modules) or 'none', file=sys.stderr);"
            "sys.exit(rc)")
    res = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "AITRACK_SESSION_DIR": str(ended)})
    assert res.returncode == 0 and res.stdout.startswith("claude · "), res.stderr
    assert res.stderr.strip().splitlines()[-1] == "none"


def test_a_running_session_reads_live_json_and_before_it_only_the_clock(tmp_path: Path) -> None:
    folder = make_session(tool="codex", argv=["codex"], ended=False)
    env = {"AITRACK_SESSION_DIR": str(folder)}
    code, out, _ = _run("main", ["status"], env)
    assert code == 0 and out.startswith("codex · ") and out.strip().endswith("s"), out
    (folder / "live.json").write_text(json.dumps({"metrics": {"user_prompts": 1, "commands_executed": 3,
                                                              "errors_encountered": 0, "input_tokens": 12_000,
                                                              "output_tokens": 40}, "cost": {"usd": 0.5}}))
    code, out, _ = _run("main", ["status", "--format", "{agent} {turns}t {tokens_in} {cost} {state}"], env)
    assert out.strip() == "codex 1t 12k $0.50 running"


def test_outside_a_session_nothing_unless_last(ended: Path) -> None:
    env = {"AITRACK_SESSION_DIR": ""}
    assert _run("main", ["status"], env)[:2] == (0, "")
    code, out, _ = _run("main", ["status", "--last"], env)
    assert code == 0 and out.startswith("claude · 2 turns")


def test_a_bad_format_is_one_line_and_the_hot_path_answers_as_click_does(ended: Path) -> None:
    env = {"AITRACK_SESSION_DIR": str(ended)}
    for argv in (["status", "--format", "nope"], ["status", "--format", "{agent} {bogus}"], ["status"],
                 ["status", "--last"], ["status", "--format=json"], ["status", "--help"], ["status", "--format"],
                 ["status", "extra"]):
        fast, click = _run("main", argv, env), _run("cli", argv, env)
        assert fast[:2] == click[:2], argv
        assert fast[2].splitlines()[:-1] == click[2].splitlines()[:-1], argv  # the `loaded:` line differs
    code, out, err = _run("main", ["status", "--format", "{agent} {bogus}"], env)
    assert code == 1 and out == "" and err.splitlines()[0] == (
        "aitrack: --format '{agent} {bogus}': no field 'bogus'; fields: session, agent, turns, commands, errors, "
        "tokens_in, tokens_out, cost, elapsed, state")
