"""Issue 16 with the real CLIs: the agent writes a file through its shell (a heredoc), commits it
with the person's untracked hello.txt; the person then changes one of the agent's lines and
commits. `aitrack blame --json` must name the session, provider, model and prompt for the agent's
lines, nobody for the person's — read from the agent's own log, found and attributed at ingest."""
from __future__ import annotations

import json
import shlex

import pytest
from checks import wait_file
from harness import install_aitrack

NOTES = "cat > notes.txt <<'EOF'\nfirst note for #42\nsecond note\nEOF\ngit add -A && git commit -m \"Add notes #42\""
PROVIDERS = {"claude": "claude_code", "codex": "openai_codex"}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_blame_names_the_session_for_the_lines_its_shell_wrote(scenario, name: str) -> None:
    sc = scenario(name, command=NOTES)
    install_aitrack(sc.world)
    sc.start_shell("bash")
    agent = sc.agent
    sc.tmux.type(shlex.join([agent.name, *agent.print_args(agent.prompt)]))
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=90)
    folder = sc.world.sessions()[0]
    wait_file(folder / "run.json", timeout=120)  # ingest done: the notes are written
    record = json.loads((folder / "session.json").read_text())
    assert [w["file"] for w in record["writes"]] == ["notes.txt"], record["writes"]
    session_commit = sc.world.git("rev-parse", "HEAD").strip()

    res = sc.aitrack("blame", "notes.txt", "--json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    model = record["models"][-1]
    assert rows == [{"line": n, "commit": session_commit, "session_id": folder.name, "provider": PROVIDERS[name],
                     "model": model, "prompt": 1} for n in (1, 2)]
    hello = json.loads(sc.aitrack("blame", "hello.txt", "--json").stdout)
    assert [r["session_id"] for r in hello] == [None] * len(hello)  # the person's file, committed by the agent

    (sc.world.repo / "notes.txt").write_text("first note for #42\nsecond note, reviewed\n")
    sc.world.git("commit", "-qam", "Review notes")
    rows = json.loads(sc.aitrack("blame", "notes.txt", "--json").stdout)
    assert [r["session_id"] for r in rows] == [folder.name, None]
    stats = json.loads(sc.aitrack("stats", "--json", "HEAD~2..HEAD").stdout)
    assert stats["total"]["ai"] == 2 and stats["providers"][0]["provider"] == PROVIDERS[name]


@pytest.mark.timeout(300)
def test_claude_write_tool_then_commit_blame_by_line(scenario) -> None:
    """The scripted Claude writes app.py with its Write tool, then commits from Bash; the person
    adds a line afterwards. Every line's author is known."""
    sc = scenario("claude", command='git add -A && git commit -m "Add app #42"',
                  write=("app.py", "def main():\n    return 42\n"))
    install_aitrack(sc.world)
    sc.start_shell("bash")
    agent = sc.agent
    sc.tmux.type(shlex.join([agent.name, *agent.print_args(agent.prompt)]))
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=90)
    assert [r.reply for r in sc.server.requests if r.reply in ("tool_call", "final")] == ["tool_call", "tool_call", "final"]
    folder = sc.world.sessions()[0]
    wait_file(folder / "run.json", timeout=120)
    record = json.loads((folder / "session.json").read_text())
    assert [(w["tool"], w["file"].rsplit("/", 1)[-1], w["prompt"]) for w in record["writes"]] == [("Write", "app.py", 1)]
    (sc.world.repo / "app.py").write_text("def main():\n    return 42\n\n\nprint(main())\n")
    sc.world.git("commit", "-qam", "Print it")
    rows = json.loads(sc.aitrack("blame", "app.py", "--json").stdout)
    assert [(r["session_id"], r["prompt"]) for r in rows] == [(folder.name, 1), (folder.name, 1)] + [(None, None)] * 3
    assert {r["provider"] for r in rows[:2]} == {"claude_code"} and rows[0]["model"] == record["models"][-1]


PATCH = ("apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: notes.txt\n+first note for #42\n+second note\n"
         "*** End Patch\nEOF")


@pytest.mark.timeout(300)
def test_codex_apply_patch_lines_are_blamed(scenario) -> None:
    """Codex runs `apply_patch` through its shell tool (it applies the patch itself); the person commits."""
    sc = scenario("codex", command=PATCH)
    install_aitrack(sc.world)
    sc.start_shell("bash")
    agent = sc.agent
    sc.tmux.type(shlex.join([agent.name, *agent.print_args(agent.prompt)]))
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=90)
    folder = sc.world.sessions()[0]
    wait_file(folder / "run.json", timeout=120)
    assert (sc.world.repo / "notes.txt").read_text() == "first note for #42\nsecond note\n"
    record = json.loads((folder / "session.json").read_text())
    assert [(w["file"], len(w["lines"])) for w in record["writes"]] == [("notes.txt", 2)], record["writes"]
    sc.world.git("add", "notes.txt")
    sc.world.git("commit", "-qm", "Notes, reviewed")
    assert sc.aitrack("attribute").returncode == 0  # the commit came after the session
    rows = json.loads(sc.aitrack("blame", "notes.txt", "--json").stdout)
    assert [(r["session_id"], r["provider"], r["prompt"]) for r in rows] == [(folder.name, "openai_codex", 1)] * 2
