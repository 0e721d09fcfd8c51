"""Running git: the one place aitrack forks it (besides the hook scripts and `gitdir`'s fallback).

Standard library only, since `sessionhooks.ensure_hooks` reaches the installer through here. subprocess
and pathlib are imported where used: `show`, timed against `git log -1`, forks git through
`run_quick` and pays for neither.
"""
from __future__ import annotations

import os

from aitrack.errors import AitrackError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

# Never let a pager, a prompt or a user's GIT_* leftovers change what we read.
_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _ENV_DROP}
    if env.get("GIT_CONFIG_PARAMETERS"):  # inside a session: the repository's own hooks dir, please
        from aitrack.sessiondir import data_dir
        from aitrack.vcs.hooknames import session_hooks_folder_in, session_hooks_param, without_param

        ours = session_hooks_param(session_hooks_folder_in(data_dir()))
        env["GIT_CONFIG_PARAMETERS"] = without_param(env["GIT_CONFIG_PARAMETERS"], ours)
    env.update(GIT_PAGER="cat", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def run(args: list[str], cwd: str | os.PathLike[str] | None = None, *, check: bool = True,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`git ARGS` in `cwd`; on failure with check=True, an AitrackError quoting git's own message."""
    import subprocess

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


def run_quick(args: list[str], cwd: str | os.PathLike[str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `git -C cwd ARGS`, spawned without the subprocess module.

    For commands whose stderr is a few lines (`log -1`): stdout is read to its end before stderr,
    so a git writing more than a pipe holds (64 KiB) to stderr first would wait on us. No timeout:
    only for commands that take no lock and ask nothing."""
    out_r, out_w = os.pipe()  # both close on exec: the child keeps only what is dup'ed onto 1 and 2
    err_r, err_w = os.pipe()
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)]
    try:
        pid = os.posix_spawnp("git", ["git", "-C", os.fspath(cwd), *args], _env(), file_actions=actions)
    except FileNotFoundError as exc:
        os.close(out_r)
        os.close(err_r)
        raise AitrackError("git is not installed (or not on PATH)") from exc
    finally:
        os.close(out_w)
        os.close(err_w)
    try:
        stdout, stderr = _read_all(out_r), _read_all(err_r)
    finally:
        os.close(out_r)
        os.close(err_r)
        _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), _text(stdout), _text(stderr)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _text(data: bytes) -> str:
    """What `subprocess.run(text=True)` gives, but a message that is not UTF-8 does not raise."""
    return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


def out(args: list[str], cwd: str | os.PathLike[str] | None = None) -> str:
    return run(args, cwd).stdout.strip()


def try_out(args: list[str], cwd: str | os.PathLike[str] | None = None) -> str | None:
    """stdout of a git command, or None if it failed (a missing config key, an unknown rev)."""
    try:
        res = run(args, cwd, check=False)
    except AitrackError:
        return None
    return res.stdout.strip() if res.returncode == 0 else None


_VERSION: list[tuple[int, int, int]] = []  # a cache by hand: functools costs `show` its import


def version() -> tuple[int, int, int]:
    """git's version as a tuple: `git version 2.39.5` → (2, 39, 5)."""
    if not _VERSION:
        _VERSION.append(_version())
    return _VERSION[0]


def _version() -> tuple[int, int, int]:
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
    from pathlib import Path

    top = try_out(["rev-parse", "--show-toplevel"], path)
    if not top:
        raise AitrackError(f"{path} is not inside a git work tree")
    return Path(top)


def git_path(root: str | os.PathLike[str], name: str) -> Path:
    """`git rev-parse --git-path NAME` made absolute (honours core.hooksPath and worktrees)."""
    from pathlib import Path

    rel = out(["rev-parse", "--git-path", name], root)
    return Path(root, rel) if not os.path.isabs(rel) else Path(rel)
