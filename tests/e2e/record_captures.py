"""Record raw PTY captures of each real agent TUI for the terminal parser's tests.

    .venv/bin/python tests/e2e/record_captures.py [--out DIR] [claude codex gemini aider]

Runs `aitrack run <cli>` in tmux (120x40) inside a loopback-only network namespace against the
scripted model, drives the same journey as the e2e tests, and copies the session folder's
`output.raw`, `timing` and `meta.json`, the agent's own log of that run, and the final tmux screen
into tests/data/captures/<cli>/. Needs root (unshare -n) and tests/e2e/install-clis.sh.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from agents import AGENTS, Agent
from model_server import ModelServer, Script
from netns import open_netns
from tmux import Tmux
from world import make_world

REPO = HERE.parent.parent
OUT = REPO / "tests" / "data" / "captures"
VENV_BIN = REPO / ".venv" / "bin"


def version(agent: Agent) -> str:
    out = subprocess.run([str(agent.binary), "--version"], capture_output=True, text=True, timeout=60, check=False)
    return (out.stdout or out.stderr).strip().splitlines()[0]


def record(agent: Agent, out: Path = OUT) -> dict[str, object]:
    ns = open_netns()
    server = ModelServer(Script(agent.command), sock=ns.listener).start()
    tmp = Path(tempfile.mkdtemp(prefix=f"capture-{agent.name}-"))
    tmux = Tmux(tmp / "tmux.sock", progress=lambda: len(server.requests))
    try:
        world = make_world(tmp, agent, server.url, extra_path=[str(VENV_BIN)])
        tmux.start(["bash", "--norc", "--noprofile"], world.env, world.repo, prefix=ns.prefix())
        tmux.type(f"aitrack run {agent.name} {agent.tui_args}".rstrip())
        agent.drive(tmux, agent.prompt)
        tmux.wait_shell("bash", timeout=60)
        screen = tmux.screen(history=True)
        sessions = world.sessions()
        assert len(sessions) == 1, sessions
        session = sessions[0]
        deadline = time.monotonic() + 20
        while "ended_at" not in json.loads((session / "meta.json").read_text()) and time.monotonic() < deadline:
            time.sleep(0.2)
        dest = out / agent.name
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for name in ("output.raw", "timing", "meta.json"):
            shutil.copy2(session / name, dest / name)
        (dest / "screen-before-exit.txt").write_text(tmux.before_exit)
        (dest / "screen-after-exit.txt").write_text(screen)
        logs = world.agent_logs(agent)
        for log in logs:
            shutil.copy2(log, dest / ("agent-log" + "".join(log.suffixes[-1:])))
        meta = json.loads((session / "meta.json").read_text())
        return {"cli": agent.name, "version": version(agent), "argv": meta.get("argv"),
                "cols": meta.get("term_cols"), "rows": meta.get("term_rows"),
                "bytes": (dest / "output.raw").stat().st_size, "agent_log": [p.name for p in logs],
                "requests": [f"{r.method} {r.path} -> {r.reply}" for r in server.requests],
                "commit": world.git("log", "-1", "--format=%B").strip(), "tmp": str(tmp)}
    finally:
        tmux.kill()
        server.stop()
        ns.close()


def main(args: list[str]) -> int:
    out = OUT
    if args[:1] == ["--out"]:
        out, args = Path(args[1]), args[2:]
    results = [record(AGENTS[n], out) for n in args or list(AGENTS)]
    for r in results:
        print(json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
