"""A fresh user's world for one scenario: HOME, a git repository, the environment of their shell."""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from agents import PREFIX, Agent


@dataclass
class World:
    root: Path
    home: Path
    repo: Path
    env: dict[str, str]

    @property
    def data_dir(self) -> Path:
        return self.home / ".local" / "share" / "aitrack"

    def sessions(self) -> list[Path]:
        base = self.data_dir / "sessions"
        return sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []

    def git(self, *args: str) -> str:
        out = subprocess.run(["git", "-C", str(self.repo), *args], capture_output=True, text=True,
                             timeout=30, env=self.env, check=True)
        return out.stdout

    def agent_logs(self, agent: Agent) -> list[Path]:
        base = self.repo if agent.name == "aider" else self.home
        return sorted(base.glob(agent.log_glob))


def make_world(root: Path, agent: Agent, model_url: str, extra_path: list[str] | None = None) -> World:
    home, repo = root / "home", root / "repo"
    home.mkdir(parents=True)
    repo.mkdir()
    (home / ".gitconfig").write_text(
        "[user]\n\tname = E2E User\n\temail = e2e@example.com\n[init]\n\tdefaultBranch = main\n"
    )
    path = [str(home / ".local" / "bin"), *(extra_path or []), str(PREFIX / "bin"), "/usr/local/bin", "/usr/bin", "/bin",
            "/usr/sbin", "/sbin"]
    env = {
        "HOME": str(home), "USER": "root", "LOGNAME": "root", "SHELL": "/bin/bash",
        "PATH": ":".join(path), "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"), "XDG_STATE_HOME": str(home / ".local" / "state"),
        "GIT_CONFIG_NOSYSTEM": "1", "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "1",
        "NO_UPDATE_NOTIFIER": "1", "TMPDIR": str(root / "tmp"),
        # A tmux an agent starts for its own use (OpenHands' terminal tool: `tmux -L openhands`) gets its
        # socket here, not in the /tmp/tmux-0 every scenario shares: two at once must not meet.
        "TMUX_TMPDIR": str(root / "tmp"),
        **agent.env(model_url),
    }
    (root / "tmp").mkdir()
    # The user's repository has history from before today's session: its first commit is an hour old.
    past = dict(env, GIT_AUTHOR_DATE=f"@{int(time.time()) - 3600} +0000", GIT_COMMITTER_DATE=f"@{int(time.time()) - 3600} +0000")
    for args in (["init", "-q", "-b", "main"], ["add", "README.md"], ["commit", "-q", "-m", "Initial commit"]):
        if args[0] == "add":
            (repo / "README.md").write_text("# demo\n")
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=past, timeout=30)
    if agent.name == "gemini":
        # Gemini CLI runs shell commands with GIT_CONFIG_GLOBAL=/dev/null (and core.hooksPath empty):
        # only a repository-local identity lets its `git commit` succeed at all.
        for key, value in (("user.name", "E2E User"), ("user.email", "e2e@example.com")):
            subprocess.run(["git", "-C", str(repo), "config", key, value], check=True, env=env, timeout=30)
    if agent.name != "aider":  # aider writes hello.txt itself, through its edit format
        (repo / "hello.txt").write_text("hello\n")
    agent.seed(home, repo, model_url)
    return World(root, home, repo, env)
