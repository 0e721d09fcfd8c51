"""Record a multi-prompt print-mode session of an agent CLI that has no usable TUI here (droid).

    .venv/bin/python tests/e2e/record_print.py droid

One `droid exec` prompt whose scripted plan has the steps of record_sessions.py's three prompts (a
file written, git status, a failing command, a commit "#42", a git log), inside a loopback-only
namespace against the scripted model. Run with pipes, not a terminal: then droid 0.215.0 exits 1
and prints nothing (its log is complete), and continuing with `-s <session id>` exited 1 without
asking the model. Keeps the
agent's own log under tests/data/agents/<cli>/ and the requests the model saw. Needs root and
install-clis.sh.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from agents import AGENTS, Agent
from model_server import ModelServer, Script
from netns import open_netns
from record_captures import version
from record_sessions import OUT, describe
from world import make_world


PROMPTS = ("Write notes.txt with a line about issue #42, check the tests and commit it",)
PLANS = (
    ("notes.txt", (("write", "notes.txt", "first note for #42\n"), ("shell", "git status --short"),
                   ("shell", "ls tests-that-do-not-exist"),
                   ("shell", "git add notes.txt && git commit -m 'Add notes #42'"), ("shell", "git log --oneline -2"))),
)


def record(agent: Agent, out: Path = OUT) -> dict[str, object]:
    ns = open_netns()
    tmp = Path(tempfile.mkdtemp(prefix=f"record-{agent.name}-"))
    server = ModelServer(Script(agent.command, plans=PLANS, cwd=str(tmp / "repo")), sock=ns.listener).start()
    try:
        world = make_world(tmp, agent, server.url)
        (world.repo / "hello.txt").unlink()
        for k, prompt in enumerate(PROMPTS, 1):
            args = agent.print_args(prompt)
            run = subprocess.run([*ns.prefix(), str(agent.binary), *args], cwd=world.repo, env=world.env,
                                 capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL, check=False)
            # Without a terminal droid 0.215.0 exits 1 after the turn: the answer is what counts.
            assert len(server.replies("final")) == k, (k, args, run.returncode, run.stdout, run.stderr, server.dump())
        # The session's folder: droid's logs sit in their cwd's folder (+ settings.json), Vibe's
        # journal/*.jsonl in the session's own folder (+ meta.json, chunks/).
        folders = sorted({log.parent.parent if log.parent.name == "journal" else log.parent
                          for log in world.agent_logs(agent)})
        assert len(folders) == 1, folders
        dest = out / agent.name
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(folders[0], dest / folders[0].relative_to(world.home))
        (dest / "requests.txt").write_text("".join(f"{describe(r)}\n" for r in server.requests))
        return {"cli": agent.name, "version": version(agent), "session": folders[0].name,
                "commits": world.git("log", "--format=%s").splitlines(), "tmp": str(tmp)}
    finally:
        server.stop()
        ns.close()


def main(args: list[str]) -> int:
    for name in args:
        print(json.dumps(record(AGENTS[name]), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
