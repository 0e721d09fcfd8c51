"""Record raw PTY captures of each real agent TUI for the terminal parser's tests.

    .venv/bin/python tests/e2e/record_captures.py [--out DIR] [claude codex gemini aider]
    .venv/bin/python tests/e2e/record_captures.py --scenario resize|suspend|retype claude

A scenario adds what a person does besides the journey, into `<cli>-<scenario>/`: `retype` types
a line and deletes it before the real prompt, `resize` narrows the window and widens it back while
the approval dialog shows and once the answer shows, `suspend` presses Ctrl-Z there and resumes with `fg`.

Runs `aitrack run <cli>` in tmux (120x40) inside a loopback-only network namespace against the
scripted model, drives the same journey as the e2e tests, and copies the session folder's
`output.raw`, `timing` and `meta.json`, the agent's own log of that run, and the final tmux screen
into tests/data/captures/<cli>/. Needs root (unshare -n) and tests/e2e/install-clis.sh.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from agents import AGENTS, FINAL, Agent
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


class Retype(Tmux):
    """Types a line and deletes it with Backspace before the first prompt is typed."""

    retyped = False

    def submit(self, text: str, expect: str, timeout: float = 40) -> str:
        if not self.retyped:
            self.retyped = True
            draft = "please look at the flaky test"
            self.type(draft, enter=False)
            self.wait_for(re.escape(draft), timeout=20)
            time.sleep(0.5)
            for _ in draft:
                self.key("BSpace")
                time.sleep(0.03)
            time.sleep(1.0)
        return super().submit(text, expect, timeout)


class Resize(Tmux):
    """While the approval dialog shows, and again once the answer shows: the window narrowed to
    80 columns, then widened back."""

    def _resize(self) -> None:
        for cols in (80, self.cols):
            self._tmux("resize-window", "-t", self.session, "-x", str(cols), "-y", str(self.rows))
            time.sleep(2.0)

    def submit(self, text: str, expect: str, timeout: float = 40) -> str:
        screen = super().submit(text, expect, timeout)
        self._resize()
        return screen

    def mark_before_exit(self) -> None:
        self._resize()
        super().mark_before_exit()


class Suspend(Tmux):
    """Once the answer shows: Ctrl-Z, the shell's job notice, then `fg`."""

    def mark_before_exit(self) -> None:
        self.key("C-z")
        self.wait_for(r"Stopped", timeout=20)
        time.sleep(0.5)
        self.type("fg")
        self.wait_for(re.escape(FINAL), timeout=20)
        time.sleep(2.0)
        super().mark_before_exit()


SCENARIOS: dict[str, type[Tmux]] = {"": Tmux, "retype": Retype, "resize": Resize, "suspend": Suspend}
# A command too long for one row at 80 columns: the resize re-wraps it.
COMMANDS = {"resize": 'git add -A && git commit -m "Add hello #42, the greeting file the demo needs before the release"'}


def record(agent: Agent, out: Path = OUT, scenario: str = "") -> dict[str, object]:
    ns = open_netns()
    server = ModelServer(Script(COMMANDS.get(scenario, agent.command)), sock=ns.listener).start()
    tmp = Path(tempfile.mkdtemp(prefix=f"capture-{agent.name}-"))
    tmux = SCENARIOS[scenario](tmp / "tmux.sock", progress=lambda: len(server.requests))
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
        dest = out / (f"{agent.name}-{scenario}" if scenario else agent.name)
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for name in ("output.raw", "timing", "meta.json"):
            shutil.copy2(session / name, dest / name)
        (dest / "screen-before-exit.txt").write_text(tmux.before_exit)
        (dest / "screen-after-exit.txt").write_text(screen)
        logs = world.agent_logs(agent)
        for log in logs if not scenario else []:  # (scenario captures stay small: no agent log)
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
    scenario = ""
    while args[:1] in (["--out"], ["--scenario"]):
        if args[0] == "--out":
            out = Path(args[1])
        else:
            scenario = args[1]
        args = args[2:]
    results = [record(AGENTS[n], out, scenario) for n in args or list(AGENTS)]
    for r in results:
        print(json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
