"""The user's journey with each real agent CLI: install aitrack, type the tool's name, it commits.

Interactive TUI in tmux (bash for every CLI, zsh for Claude Code) and print mode, each against the
scripted model in a loopback-only network namespace. After the agent exits: the commit, the
session folder, `aitrack sync`, `aitrack show HEAD --json`, the MLflow run and the transcript.
"""
from __future__ import annotations

import json
import shlex
import time

import pytest
from agents import FINAL
from checks import (
    check_show,
    dig,
    find_runs,
    trailer_of,
    transcript_coverage,
    wait_file,
    wait_finished,
)
from harness import Scenario, install_aitrack

# aider commits with --no-verify: no commit-msg hook, so no trailer; aitrack links its commits by
# journal/reflog instead. Gemini CLI 0.61 appends `core.hooksPath=` (GIT_CONFIG_COUNT) to its shell
# commands' environment but keeps GIT_CONFIG_PARAMETERS, which git reads last: the session's hooks run.
HOOKS_RUN = {"claude": True, "codex": True, "gemini": True, "aider": False, "opencode": True, "copilot": True, "qwen": True,
             "kilo": True, "cline": True, "cn": True}
HOOKS_RUN["droid"] = True  # its Execute tool runs git with the session's environment
HOOKS_RUN["vibe"] = True
HOOKS_RUN["kimi"] = True  # its Shell tool runs git with the session's environment
HOOKS_RUN["openhands"] = True  # its terminal tool's tmux carries the session's environment


def expected(name: str, mode: str) -> tuple[list[str], int]:
    """(shell commands the session ran, git operations among them)."""
    if name == "aider":
        # aider's own auto-commit is a git operation; its --message mode shows the shell block
        # but does not run it.
        return ([], 1) if mode == "print" else (["git log --oneline -1"], 2)
    return ['git add -A && git commit -m "Add hello #42"'], 2


def run_journey(sc: Scenario, shell: str, mode: str) -> None:
    install_aitrack(sc.world)
    sc.start_shell(shell)
    agent = sc.agent
    if mode == "tui":
        typed = f"{agent.name} {agent.tui_args}".strip()
        sc.tmux.type(typed)
        agent.drive(sc.tmux, agent.prompt)
    else:
        typed = shlex.join([agent.name, *agent.print_args(agent.prompt)])
        sc.tmux.type(typed)
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=90)
    sc.tmux.wait_shell(shell, timeout=30)
    screen = sc.tmux.before_exit or sc.tmux.screen(history=True)
    try:
        verify(sc, typed, screen, mode)
    finally:
        if agent.name == "openhands":
            stop_openhands_tmux(sc)


def stop_openhands_tmux(sc) -> None:
    """OpenHands' terminal tool runs commands in a `tmux -L openhands` server that outlives the CLI
    (TMUX_TMPDIR puts its socket in the scenario's tmp): stop it, and check that it is gone."""
    import os
    import subprocess

    sock = sc.world.root / "tmp" / f"tmux-{os.getuid()}" / "openhands"
    if not sock.exists():
        return
    subprocess.run(["tmux", "-S", str(sock), "kill-server"], capture_output=True, timeout=20, check=False)
    alive = subprocess.run(["tmux", "-S", str(sock), "list-sessions"], capture_output=True, timeout=20, check=False)
    assert alive.returncode != 0, f"tmux -L openhands still running: {alive.stdout!r}"


def verify(sc: Scenario, typed: str, screen: str, mode: str) -> None:
    agent, world = sc.agent, sc.world
    commands, git_ops = expected(agent.name, mode)
    kinds = [r.reply for r in sc.server.requests]
    assert "tool_call" in kinds, sc.server.dump()

    sessions = world.sessions()
    assert len(sessions) == 1, f"expected one session folder, got {sessions}"
    folder = sessions[0]
    session_id = folder.name
    meta = wait_finished(folder)
    assert meta["exit_code"] == 0, meta
    assert meta["provider"] == agent.provider, meta
    assert meta["argv"] == shlex.split(typed), meta

    message = world.git("log", "-1", "--format=%B")
    assert message.splitlines()[0] == "Add hello #42", message
    if HOOKS_RUN[agent.name]:
        assert trailer_of(message) == session_id, message
    # The hooks came with the session's environment: nothing was written into the repository.
    assert not any("aitrack" in p.read_text(errors="replace") for p in (world.repo / ".git" / "hooks").iterdir())

    # The wrapper started `aitrack ingest --worker` detached; let it finish first. (Running sync
    # while that worker creates a fresh store raced in MLflow's migrations: reported to store/ingest.)
    wait_file(folder / "run.json", timeout=120)
    sync = sc.aitrack("sync")
    assert sync.returncode == 0, f"aitrack sync: {sync.stdout}\n{sync.stderr}"

    record = json.loads((folder / "session.json").read_text())
    head = world.git("rev-parse", "HEAD").strip()
    linked = [c.get("sha") for c in record.get("commits") or []]
    assert linked == [head], f"session linked {record.get('commits')}; it made only {head}"
    assert (record.get("detection") or {}).get("source") == "structured", record.get("detection")
    assert record.get("tool_version"), "no tool version"  # Gemini's log names none: its package does
    if agent.name == "gemini" and mode == "tui":
        # Every request is answered 300/20 tokens; the exit summary counts the router's call too.
        n = len(sc.server.requests)
        m = record["metrics"]
        assert (m["input_tokens"], m["output_tokens"]) == (300 * n, 20 * n), (m, kinds)
    for cmd in record.get("commands") or []:  # what the command printed, not the agent's wrapper
        assert not any(w in cmd.get("output", "") for w in ("Chunk ID", "untrusted_context", "PGID")), cmd

    show = sc.aitrack("show", "HEAD", "--json")
    assert show.returncode == 0, f"aitrack show: {show.stdout}\n{show.stderr}"
    data = json.loads(show.stdout)
    if commands:
        check_show(data, session_id, agent.provider, commands[0], git_ops)
    else:
        assert session_id in show.stdout and 42 in (record.get("issue_numbers") or []), show.stdout

    if agent.name in ("kilo", "opencode"):
        check_reported_cost(world.agent_logs(agent)[0], data)

    transcript = (folder / "transcript.txt").read_text()
    if mode == "tui":
        keys = [agent.prompt]
    else:  # the prompt was an argument, typed before the session began: the answer is on screen
        keys = ["Applied edit to hello.txt" if agent.name == "aider" else FINAL]
    for key in keys:
        assert key in " ".join(transcript.split()), f"{key!r} not in transcript:\n{transcript[-3000:]}"
    coverage, missing = transcript_coverage(screen, transcript)
    # Kept beside the scenario for a person comparing screen and transcript after a failure.
    (world.root / "screen.txt").write_text(screen)
    (world.root / "coverage.txt").write_text(f"{coverage:.3f}\n" + "\n".join(missing) + "\n")
    assert coverage >= 0.6, f"transcript covers {coverage:.0%} of the screen; missing: {missing}"

    check_run(sc, session_id, typed, len(commands), git_ops)
    uri = f"sqlite:///{world.data_dir / 'mlflow.db'}"
    run_prompts = find_runs(uri, 'tags.type = "ai_session"')[0].data.metrics.get("user_prompts")
    # Not 1.0: the screen was read while the agent ran, a status line may have changed after.
    assert coverage >= 0.9, f"transcript covers {coverage:.0%} of the screen; missing: {missing}"
    check_prompts(record, data)
    assert run_prompts == 1, run_prompts


def check_reported_cost(db, show: dict) -> None:
    """The cost OpenCode/Kilo wrote per message (the model's configured prices), counted by sqlite3 itself,
    is what `show --json` reports as the agent's own figure."""
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        (expected,), = conn.execute("SELECT sum(json_extract(data, '$.cost')) FROM message "
                                    "WHERE json_extract(data, '$.role') = 'assistant'").fetchall()
    assert expected and expected > 0, expected
    cost = dig(show, "cost") or {}
    assert cost.get("reported_usd") == pytest.approx(expected, rel=1e-9), cost


def check_prompts(record: dict, show: dict) -> None:
    """One prompt, in session.json, `show --json` and the run's metric."""
    prompts = record.get("prompts") or []
    assert len(prompts) == 1, prompts
    assert len(dig(show, "prompts") or []) == 1, dig(show, "prompts")
    assert (dig(show, "metrics") or {}).get("user_prompts") == 1, dig(show, "metrics")


def check_run(sc: Scenario, session_id: str, typed: str, n_commands: int, git_ops: int) -> None:
    uri = f"sqlite:///{sc.world.data_dir / 'mlflow.db'}"
    provider = sc.agent.provider
    for search in ('tags.type = "ai_session"', f'tags.provider = "{provider}"', "metrics.success = 1",
                   'params.issue_number = "42"', 'tags.provider_detection = "structured"'):
        runs = find_runs(uri, search)
        ids = [r.data.tags.get("aitrack.session_id") for r in runs]
        assert ids == [session_id], f"{search}: {ids}"
    run = find_runs(uri, 'tags.type = "ai_session"')[0]
    assert run.data.params.get("command") == typed, run.data.params
    m = run.data.metrics
    assert m.get("commands_executed") == n_commands, m
    assert m.get("git_operations") == git_ops and m.get("errors_encountered") == 0, m
    assert "42" in run.data.tags.get("issues", ""), run.data.tags


AGENT_NAMES = ["claude", "codex", "gemini", "aider", "opencode", "copilot", "qwen", "kilo", "cline", "cn"]
# droid: print mode only (`droid exec`); its TUI asks for a Factory account login before anything else.
PRINT_NAMES = [*AGENT_NAMES, "droid", "vibe", "kimi", "openhands"]


TUI_PARAMS = list(AGENT_NAMES)
TUI_PARAMS.extend(["vibe", "kimi", "openhands"])  # droid has no TUI here (a Factory login)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", TUI_PARAMS)
def test_tui_in_bash(scenario, name: str) -> None:
    run_journey(scenario(name), "bash", "tui")


@pytest.mark.timeout(300)
def test_tui_in_zsh_claude(scenario) -> None:
    run_journey(scenario("claude"), "zsh", "tui")


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", PRINT_NAMES)
def test_print_mode(scenario, name: str) -> None:
    run_journey(scenario(name), "bash", "print")


@pytest.mark.timeout(300)
def test_commit_just_before_session_is_not_linked(scenario) -> None:
    """`git commit … && claude …` on one line: the first commit is the user's, not the session's."""
    sc = scenario("claude")
    install_aitrack(sc.world)
    sc.start_shell("bash")
    agent = sc.agent
    sc.tmux.type('git commit -q --allow-empty -m "Prepare #7" && '
                 + shlex.join([agent.name, *agent.print_args(agent.prompt)]))
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=90)
    folder = sc.world.sessions()[0]
    wait_file(folder / "run.json", timeout=120)
    record = json.loads((folder / "session.json").read_text())
    head = sc.world.git("rev-parse", "HEAD").strip()
    linked = [c.get("sha") for c in record.get("commits") or []]
    assert linked == [head], record.get("commits")
    assert record.get("issue_numbers") == [42], record.get("issue_numbers")


@pytest.mark.timeout(300)
def test_sync_right_after_exit(scenario) -> None:
    """A person runs `aitrack sync` the moment the agent exits, while the detached worker may still
    be creating the store: sync must log the session (once) and exit 0."""
    sc = scenario("claude")
    install_aitrack(sc.world)
    sc.start_shell("bash")
    agent = sc.agent
    sc.tmux.type(shlex.join([agent.name, *agent.print_args(agent.prompt)]))
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=90)
    sync = sc.aitrack("sync")
    assert sync.returncode == 0, f"{sync.stdout}\n{sync.stderr}"
    folder = sc.world.sessions()[0]
    wait_file(folder / "run.json", timeout=120)
    uri = f"sqlite:///{sc.world.data_dir / 'mlflow.db'}"
    assert len(find_runs(uri, 'tags.type = "ai_session"')) == 1


@pytest.mark.timeout(300)
def test_kilo_without_no_daemon_two_sessions(scenario) -> None:
    """Kilo's recipe sets KILO_NO_DAEMON=1; a plain setup does not: each commit its own trailer."""
    sc = scenario("kilo", command='git commit --allow-empty -m "Add hello #42"')
    sc.world.env.pop("KILO_NO_DAEMON", None)
    two_sessions_own_trailers(sc)


def two_sessions_own_trailers(sc) -> None:
    install_aitrack(sc.world)
    sc.start_shell("bash")
    agent = sc.agent
    for _ in range(2):
        sc.tmux.type(shlex.join([agent.name, *agent.print_args(agent.prompt)]))
        sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=90)
        sc.tmux.wait_shell("bash", timeout=30)
        sc.tmux.type(" clear")
        time.sleep(1)
    sessions = [f.name for f in sc.world.sessions()]
    assert len(sessions) == 2, sessions
    trailers = [trailer_of(m) for m in sc.world.git("log", "-2", "--reverse", "--format=%B%x00").split("\0")[:2]]
    assert trailers == sessions, (trailers, sessions)


@pytest.mark.timeout(300)
def test_cline_hub_daemon_does_not_carry_a_session_into_the_next(scenario) -> None:
    """A user's plain setup: by default Cline starts a hub daemon that outlives the session and ran the
    next session's commands in this one's environment (its commit got this trailer); aitrack run
    sets CLINE_SESSION_BACKEND_MODE=local, and each commit carries its own session's trailer."""
    sc = scenario("cline", command='git commit --allow-empty -m "Add hello #42"')
    assert "CLINE_SESSION_BACKEND_MODE" not in sc.world.env  # aitrack run sets it
    two_sessions_own_trailers(sc)


@pytest.mark.timeout(300)
def test_openhands_tmux_server_does_not_carry_a_session_into_the_next(scenario) -> None:
    """OpenHands' `tmux -L openhands` server outlives the first session and the second one reuses it:
    its terminal sets each tmux session's environment from the CLI's own, so each commit still carries
    its own session's trailer (not the one of the session that started the server)."""
    sc = scenario("openhands", command='git commit --allow-empty -m "Add hello #42"')
    try:
        two_sessions_own_trailers(sc)
    finally:
        stop_openhands_tmux(sc)
