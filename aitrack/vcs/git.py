"""Running git: the one place aitrack forks it (besides the hook scripts and `quick`'s fallback).

Standard library only, since `quick.ensure_hooks` reaches the installer through here.
"""
from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path

from aitrack.errors import AitrackError

# Never let a pager, a prompt or a user's GIT_* leftovers change what we read.
_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _ENV_DROP}
    if env.get("GIT_CONFIG_PARAMETERS"):  # inside a session: the repository's own hooks dir, please
        from aitrack.vcs.quick import without_session_hooks

        env["GIT_CONFIG_PARAMETERS"] = without_session_hooks(env["GIT_CONFIG_PARAMETERS"])
    env.update(GIT_PAGER="cat", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def run(args: list[str], cwd: str | os.PathLike[str] | None = None, *, check: bool = True,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`git ARGS` in `cwd`; on failure with check=True, an AitrackError quoting git's own message."""
    try:
        res = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                             env=_env(), timeout=60)
    except FileNotFoundError as exc:
        raise AitrackError("git is not installed (or not on PATH)") from exc
    except subprocess.TimeoutExpired as exc:
        raise AitrackError(f"git {' '.join(args)} did not finish within 60 s") from exc
    if check and res.returncode != 0:
        msg = (res.stderr.strip().splitlines() or [f"exit status {res.returncode}"])[-1]
        raise AitrackError(f"git {args[0]} failed in {cwd or os.getcwd()}: {msg}")
    return res


def out(args: list[str], cwd: str | os.PathLike[str] | None = None) -> str:
    return run(args, cwd).stdout.strip()


def try_out(args: list[str], cwd: str | os.PathLike[str] | None = None) -> str | None:
    """stdout of a git command, or None if it failed (a missing config key, an unknown rev)."""
    try:
        res = run(args, cwd, check=False)
    except AitrackError:
        return None
    return res.stdout.strip() if res.returncode == 0 else None


@lru_cache(maxsize=1)
def version() -> tuple[int, int, int]:
    """git's version as a tuple: `git version 2.39.5` → (2, 39, 5)."""
    text = out(["version"])
    parts = text.split()[2].split(".") if len(text.split()) > 2 else []
    nums = []
    for part in parts[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        nums.append(int(digits or 0))
    while len(nums) < 3:
        nums.append(0)
    return nums[0], nums[1], nums[2]


def toplevel(path: str | os.PathLike[str]) -> Path:
    """The work tree root containing `path`, or an AitrackError saying it is not a repository."""
    top = try_out(["rev-parse", "--show-toplevel"], path)
    if not top:
        raise AitrackError(f"{path} is not inside a git work tree")
    return Path(top)


def git_path(root: str | os.PathLike[str], name: str) -> Path:
    """`git rev-parse --git-path NAME` made absolute (honours core.hooksPath and worktrees)."""
    rel = out(["rev-parse", "--git-path", name], root)
    return Path(root, rel) if not os.path.isabs(rel) else Path(rel)
