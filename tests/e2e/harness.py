"""The scenario fixture of the end-to-end journeys: the real CLI, the scripted model, a user's world, tmux.

Every process a scenario starts is stopped at teardown: tmux (and the agent in it) by its server,
the model server and the network namespace by their handles, and anything left with the
scenario's HOME in its environment (detached ingest worker, an agent's daemon) by its pid.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import netns as netns_mod
from agents import AGENTS, Agent
from model_server import ModelServer, Script
from tmux import Tmux
from world import World, make_world

REPO = HERE.parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"


def require_cli(agent: Agent) -> Path:
    """The agent's binary from install-clis.sh; skip when missing, except under CI (a failure)."""
    if os.access(agent.binary, os.X_OK):
        return agent.binary
    msg = f"{agent.binary} is not installed (run tests/e2e/install-clis.sh)"
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def require_product(path: Path, what: str) -> None:
    """A piece of aitrack itself this journey needs; skipped with a reason until it lands."""
    if not path.exists():
        pytest.skip(f"{what} ({path.relative_to(REPO)}) is not in the tree yet")


@pytest.fixture(scope="session")
def netns_reason() -> str | None:
    """None when CLIs can run in a loopback-only namespace; else why not (they then use 127.0.0.1)."""
    return netns_mod.available()


@dataclass
class Scenario:
    agent: Agent
    world: World
    server: ModelServer
    tmux: Tmux
    prefix: list[str]
    ns: netns_mod.NetNS | None = None
    extra: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def aitrack(self, *args: str, timeout: float = 180, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """`aitrack ARGS` as the user would run it in their shell (their PATH, HOME, store)."""
        return subprocess.run(["aitrack", *args], capture_output=True, text=True, timeout=timeout,
                              cwd=cwd or self.world.repo, env=self.world.env, check=False)

    def start_shell(self, shell: str) -> None:
        argv = {"bash": ["bash", "-i"], "zsh": ["zsh", "-i"]}[shell]
        env = dict(self.world.env, SHELL=f"/bin/{shell}")
        self.tmux.start(argv, env, self.world.repo, prefix=self.prefix)
        # A marker prompt, so "the shell is ready" and "the agent is gone" are visible on screen.
        self.tmux.type(" PS1='e2e$ '; PROMPT='e2e$ '; clear" if shell == "zsh" else " PS1='e2e$ '; clear")
        self.tmux.wait_for(r"(?m)^e2e\$", timeout=20)


def install_aitrack(world: World) -> None:
    """The project's own ./install.sh in the user's HOME, reusing the dev venv's Python env."""
    script = REPO / "install.sh"
    require_product(script, "install.sh")
    out = subprocess.run(
        ["bash", str(script), "--python", str(VENV_PYTHON), "--shells", "bash,zsh"], capture_output=True, text=True,
        timeout=300, cwd=REPO, env=world.env,
        stdin=subprocess.DEVNULL, check=False,
    )
    assert out.returncode == 0, f"install.sh failed ({out.returncode}):\n{out.stdout}\n{out.stderr}"


def _kill_leftovers(home: Path) -> None:
    """Processes still carrying this scenario's HOME (a detached worker, a daemon): stop by pid."""
    needle = f"HOME={home}\0".encode()
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            if needle in (entry / "environ").read_bytes():
                os.kill(int(entry.name), signal.SIGTERM)
        except (OSError, PermissionError):
            continue


@pytest.fixture
def scenario(tmp_path: Path, netns_reason: str | None) -> Iterator[object]:
    """Factory: scenario(cli_name, command=None) → a Scenario with everything started."""
    made: list[Scenario] = []

    def make(name: str, command: str | None = None, write: tuple[str, str] | None = None) -> Scenario:
        """`write`: (path in the repository, content) the scripted Claude writes with its Write tool first."""
        agent = AGENTS[name]
        require_cli(agent)
        ns = netns_mod.open_netns() if netns_reason is None else None
        written = (str(tmp_path / name / "repo" / write[0]), write[1]) if write else None
        server = ModelServer(Script(command or agent.command, write=written), sock=ns.listener if ns else None).start()
        root = tmp_path / name
        world = make_world(root, agent, server.url)
        sc = Scenario(agent, world, server, Tmux(root / "tmux.sock"), ns.prefix() if ns else [], ns)
        sc.tmux.progress = lambda: len(server.requests)
        made.append(sc)
        return sc

    yield make
    for sc in made:
        sc.tmux.kill()
        time.sleep(0.2)
        _kill_leftovers(sc.world.home)
        sc.server.stop()
        if sc.ns is not None:
            sc.ns.close()
