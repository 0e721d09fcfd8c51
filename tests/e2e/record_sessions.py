"""Record a multi-prompt session of a real agent CLI, for the parser's tests.

    .venv/bin/python tests/e2e/record_sessions.py opencode [copilot qwen]

Runs `aitrack run <cli>` in tmux inside a loopback-only network namespace against the scripted
model with SCENARIO below (three prompts: a file written and committed, a failing command, a git
log), approves what the TUI asks by keystroke, quits, and keeps in tests/data/agents/<cli>/ the
agent's own log (an SQLite database is copied with VACUUM INTO: one small file, no WAL) and, under
tui/, the session folder's output.raw, timing and meta.json. Needs root and install-clis.sh.
"""
from __future__ import annotations

import json
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from agents import AGENTS, FINAL, Agent
from harness import _kill_leftovers
from model_server import ModelServer, Script
from netns import open_netns
from record_captures import version
from tmux import Tmux
from world import make_world

REPO = HERE.parent.parent
OUT = REPO / "tests" / "data" / "agents"
VENV_BIN = REPO / ".venv" / "bin"

PROMPTS = (
    "Write notes.txt with a line about issue #42 and commit it",
    "Run the test suite",
    "Show the last two commits",
)
PLANS = (
    ("notes.txt", (("write", "notes.txt", "first note for #42\n"), ("shell", "git status --short"),
                   ("shell", "git add notes.txt && git commit -m 'Add notes #42'"))),
    ("test suite", (("shell", "ls tests-that-do-not-exist"),)),
    ("last two", (("shell", "git log --oneline -2"),)),
)


def drive(t: Tmux, agent: Agent, server: ModelServer) -> None:
    t.wait_for(agent.ready, timeout=60)
    time.sleep(1)
    for k, prompt in enumerate(PROMPTS, 1):
        t.type(prompt, enter=False)
        t.wait_for(re.escape(prompt[:30]), timeout=20)
        before = len(server.requests)
        t.key("Enter")
        deadline = time.monotonic() + 90
        last_enter = time.monotonic()
        while len(server.replies("final")) < k:
            assert time.monotonic() < deadline, f"prompt {k}: no final answer\n{server.dump()}\n{t.screen()}"
            screen = t.screen()
            if agent.approve and re.search(agent.approve, screen):
                time.sleep(1.5)  # dialogs ignore keys for a moment after they appear
                t.key(*agent.approve_keys)
                time.sleep(1.5)
            elif len(server.requests) == before and time.monotonic() - last_enter > 6:
                t.key("Enter")  # swallowed under load
                last_enter = time.monotonic()
            time.sleep(0.3)
        t.wait_for(re.escape(FINAL), timeout=30)
        time.sleep(2)
    t.mark_before_exit()
    for key in agent.quit_keys:  # a slash command is typed; keys are pressed one at a time
        t.type(key) if key.startswith("/") else t.key(key)
        time.sleep(1)


def describe(r: Any) -> str:
    """One line per request: route, answer, tools offered and the start of the system prompt."""
    body = r.body if isinstance(r.body, dict) else {}
    tools = [(t.get("function") or t.get("custom") or t).get("name") for t in body.get("tools") or [] if isinstance(t, dict)]
    system = next((m.get("content") for m in body.get("messages") or [] if m.get("role") == "system"), "")
    return f"{r.method} {r.path} -> {r.reply} tools={','.join(map(str, tools))} system={str(system)[:60]!r}"


def record(agent: Agent, out: Path = OUT) -> dict[str, object]:
    ns = open_netns()
    tmp = Path(tempfile.mkdtemp(prefix=f"record-{agent.name}-"))
    server = ModelServer(Script(agent.command, plans=PLANS, cwd=str(tmp / "repo")), sock=ns.listener).start()
    tmux = Tmux(tmp / "tmux.sock", progress=lambda: len(server.requests))
    try:
        world = make_world(tmp, agent, server.url, extra_path=[str(VENV_BIN)])
        (world.repo / "hello.txt").unlink()
        tmux.start(["bash", "--norc", "--noprofile"], world.env, world.repo, prefix=ns.prefix())
        tmux.type(f"aitrack run {agent.name} {agent.tui_args}".rstrip())
        drive(tmux, agent, server)
        tmux.wait_shell("bash", timeout=60)
        sessions = world.sessions()
        assert len(sessions) == 1, sessions
        session = sessions[0]
        deadline = time.monotonic() + 20
        while "ended_at" not in json.loads((session / "meta.json").read_text()) and time.monotonic() < deadline:
            time.sleep(0.2)
        dest = out / agent.name
        if dest.exists():
            shutil.rmtree(dest)
        (dest / "tui").mkdir(parents=True)
        for name in ("output.raw", "timing", "meta.json"):
            shutil.copy2(session / name, dest / "tui" / name)
        (dest / "tui" / "screen-before-exit.txt").write_text(tmux.before_exit)
        logs = world.agent_logs(agent)
        for log in [*logs, *(p for g in agent.side_globs for p in sorted(world.home.glob(g)) if p not in logs)]:
            rel = log.relative_to(world.home)
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            if log.suffix == ".db":
                with sqlite3.connect(f"file:{log}?mode=ro", uri=True) as db:
                    db.execute("VACUUM INTO ?", (str(dest / rel),))
            else:
                shutil.copy2(log, dest / rel)
        (dest / "requests.txt").write_text("".join(f"{describe(r)}\n" for r in server.requests))
        return {"cli": agent.name, "version": version(agent), "logs": [str(p.relative_to(world.home)) for p in logs],
                "bytes": (dest / "tui" / "output.raw").stat().st_size,
                "commits": world.git("log", "--format=%s").splitlines(), "tmp": str(tmp)}
    finally:
        tmux.kill()
        _kill_leftovers(tmp / "home")  # an agent's daemon (Cline's hub) carries this HOME
        server.stop()
        ns.close()


def main(args: list[str]) -> int:
    for name in args:
        print(json.dumps(record(AGENTS[name]), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
