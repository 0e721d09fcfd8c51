"""Values only a real agent CLI shows (issue 18): an aider `/run` that fails, a session stopped
with Ctrl-C. Same scenario as the journeys (scripted model, loopback-only namespace, tmux)."""
from __future__ import annotations

import json

import pytest
from checks import find_runs, wait_file, wait_finished
from harness import Scenario, install_aitrack


def _record(sc: Scenario) -> dict:
    (folder,) = sc.world.sessions()
    wait_finished(folder)
    wait_file(folder / "run.json", timeout=120)
    return json.loads((folder / "session.json").read_text())


@pytest.mark.timeout(300)
def test_aider_run_that_fails_is_one_command_and_one_error(scenario) -> None:
    sc: Scenario = scenario("aider")
    install_aitrack(sc.world)
    sc.start_shell("bash")
    sc.tmux.type("aider --edit-format diff")  # an option's value, no ask: the run name must not show it
    sc.tmux.wait_for(r"(?m)^diff>", timeout=60)
    sc.tmux.type("/run ls nope-missing")
    sc.tmux.wait_for(r"tokens of command output to the chat\?", timeout=40)
    sc.tmux.type("n")
    sc.tmux.wait_for(r"(?m)^diff>\s*$", timeout=40)
    sc.tmux.type("/exit")
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=60)
    record = _record(sc)
    m = record["metrics"]
    assert (m["commands_executed"], m["errors_encountered"]) == (1, 1), (m, record["commands"])
    (cmd,) = record["commands"]
    assert cmd["command"] == "ls nope-missing" and cmd["is_error"] and "No such file" in cmd["output"], cmd
    (run,) = find_runs(f"sqlite:///{sc.world.data_dir / 'mlflow.db'}", 'tags.type = "ai_session"')
    assert "diff" not in run.info.run_name.split(" · ")[1:-1], run.info.run_name
    assert run.data.metrics["errors_encountered"] == 1 and run.data.metrics["commands_executed"] == 1


@pytest.mark.timeout(300)
def test_claude_stopped_with_ctrl_c_is_interrupted(scenario) -> None:
    sc: Scenario = scenario("claude")
    install_aitrack(sc.world)
    sc.start_shell("bash")
    sc.tmux.type("claude")
    sc.tmux.wait_for(r"\? for shortcuts", timeout=40)
    sc.tmux.key("C-c")
    # A person presses again once Claude says to; under load two keys sent at once can reach it
    # before the hint is drawn, and then nothing on screen or in its log says it was stopped.
    sc.tmux.wait_for(r"Press Ctrl-C again", timeout=30)
    sc.tmux.key("C-c")
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=60)
    record = _record(sc)
    assert record["interrupted"] is True, (record["exit_code"], record["meta"].get("signal"))
    (run,) = find_runs(f"sqlite:///{sc.world.data_dir / 'mlflow.db'}", 'tags.type = "ai_session"')
    assert run.data.tags["aitrack.status"] == "interrupted" and run.info.status == "KILLED"
