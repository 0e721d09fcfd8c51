"""The wrapper without a terminal, its fall-backs, PATH resolution and its start-up imports."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from progs.helpers import AITRACK, make_tool, sessions, wrapper_env

from aitrack.capture.resolve import resolve
from aitrack.capture.run import UsageError, parse_args


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    make_tool(tmp_path / "bin")
    return wrapper_env(tmp_path / "bin", AITRACK_HOME=str(tmp_path / "data"))


def run(env: dict[str, str], *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AITRACK, "run", *args], env=env, capture_output=True, text=True, timeout=30,
                          stdin=kw.pop("stdin", subprocess.DEVNULL), cwd=Path(env["PATH"].split(":")[0]).parent)


def test_piped_run_is_a_plain_child_with_a_session(env: dict[str, str]) -> None:
    res = run(env, "--", "kbd", "--say", "hello", "--exit", "5")
    assert res.returncode == 5, res.stderr
    [folder] = sessions(Path(env["AITRACK_HOME"]))
    assert "hello" in res.stdout and f"tty=no session={folder.name}" in res.stdout
    meta = json.loads((folder / "meta.json").read_text())
    assert (meta["mode"], meta["exit_code"], meta["argv"]) == ("exec", 5, ["kbd", "--say", "hello", "--exit", "5"])
    assert meta["ended_at"] and not (folder / "output.raw").exists()
    assert os.environ.get("AITRACK_SESSION_DIR") is None
    assert meta["provider"] == "generic"


def test_provider_option_and_guess(env: dict[str, str], tmp_path: Path) -> None:
    make_tool(tmp_path / "bin", "claude")
    assert run(env, "--provider", "gpt", "kbd", "--exit", "0").returncode == 0
    assert run(env, "claude", "--exit", "0").returncode == 0
    metas = [json.loads((f / "meta.json").read_text()) for f in sessions(Path(env["AITRACK_HOME"]))]
    assert sorted(m["provider"] for m in metas) == ["claude_code", "gpt"]


def test_sigpipe_kills_the_tool_quietly_like_without_the_wrapper(env: dict[str, str]) -> None:
    """Python ignores SIGPIPE; the tool must get the default back (`claude -p | head`)."""
    for extra in ({}, {"AITRACK_DISABLE": "1"}):
        res = subprocess.run(f"{AITRACK} run -- yes | head -n 1", shell=True, env=dict(env, **extra),
                             capture_output=True, text=True, timeout=20, cwd=Path(env["PATH"].split(":")[0]).parent)
        assert res.stdout == "y\n" and res.stderr == "", extra


def test_sigterm_is_forwarded_to_a_plain_child(env: dict[str, str]) -> None:
    proc = subprocess.Popen([AITRACK, "run", "kbd"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            cwd=Path(env["AITRACK_HOME"]).parent)
    assert b"KBD READY" in proc.stdout.readline()  # type: ignore[union-attr]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 128 + signal.SIGTERM


def test_disabled_runs_the_tool_without_recording(env: dict[str, str]) -> None:
    res = run(dict(env, AITRACK_DISABLE="1"), "kbd", "--exit", "9")
    assert res.returncode == 9 and "session=-" in res.stdout
    assert sessions(Path(env["AITRACK_HOME"])) == []


def test_unusable_data_dir_still_runs_the_tool(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    res = run(dict(env, AITRACK_HOME=str(tmp_path / "afile" / "aitrack")), "kbd", "--say", "ran", "--exit", "4")
    assert res.returncode == 4 and "ran" in res.stdout and "session=-" in res.stdout


def _in_private_mount(tmp_path: Path, setup: str) -> str:
    """Command prefix: a private mount namespace (unshare) where `setup` mounts the data dir."""
    if os.geteuid() != 0 or not Path("/usr/bin/unshare").exists():
        pytest.skip("needs root and unshare for a real read-only / full filesystem")
    return f"unshare -m sh -c '{setup} && exec \"$0\" \"$@\"' "


def test_read_only_data_dir_still_runs_the_tool_in_a_pty(env: dict[str, str], tmp_path: Path) -> None:
    data = Path(env["AITRACK_HOME"])
    data.mkdir()
    prefix = _in_private_mount(tmp_path, f"mount --bind {data} {data} && mount -o remount,bind,ro {data}")
    child = pexpect.spawn(prefix + f"{AITRACK} run kbd --exit 6", env=env, encoding="utf-8", timeout=10,
                          cwd=str(tmp_path))
    child.expect("KBD READY .* session=-")  # exec'd directly: no session
    child.send("q\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 6
    assert list(data.iterdir()) == []


def test_full_disk_mid_session_keeps_relaying(env: dict[str, str], tmp_path: Path) -> None:
    data = Path(env["AITRACK_HOME"])
    data.mkdir()
    prefix = _in_private_mount(tmp_path, f"mount -t tmpfs -o size=64k tmpfs {data}")
    child = pexpect.spawn(prefix + f"{AITRACK} run kbd --bytes 400000 --exit 3", env=env, timeout=20, cwd=str(tmp_path),
                          maxread=65536)
    chunks = []
    while True:
        try:
            chunks.append(child.read_nonblocking(65536, timeout=10))
        except pexpect.EOF:
            break
    child.close()
    assert child.exitstatus == 3
    got = b"".join(chunks).replace(b"\r\n", b"\n")  # the pty's ONLCR
    assert len(got) == 400000, "every byte reached the terminal although the disk filled up"


def test_no_click_or_mlflow_before_the_tool_runs(env: dict[str, str]) -> None:
    child = pexpect.spawn(sys.executable, ["-X", "importtime", AITRACK, "run", "kbd"], env=env,
                          encoding="utf-8", timeout=10, cwd=str(Path(env["AITRACK_HOME"]).parent))
    child.expect("KBD READY")
    imports = child.before
    child.send("q\r")
    child.expect(pexpect.EOF)
    assert "aitrack.capture.pty_" in imports  # the PTY path was taken
    modules = {ln.rsplit("|", 1)[1].strip() for ln in imports.splitlines() if ln.startswith("import time:")}
    assert "aitrack.capture.run" in modules
    heavy = {m for m in modules if m.split(".")[0] in ("click", "mlflow", "git", "shellingham", "pyte")
             or m.startswith(("aitrack.cli", "aitrack.parse", "aitrack.store"))}
    assert heavy == set()


def test_parse_args() -> None:
    assert parse_args(["claude", "-p", "hi"]) == (None, ["claude", "-p", "hi"])
    assert parse_args(["--provider", "gpt", "--", "gpt", "--", "x"]) == ("gpt", ["gpt", "--", "x"])
    assert parse_args(["--provider=codex", "codex"]) == ("codex", ["codex"])
    for bad in ([], ["--"], ["--provider"], ["--nope", "x"]):
        with pytest.raises(UsageError):
            parse_args(bad)


def test_usage_errors_and_missing_tool(env: dict[str, str]) -> None:
    assert run(env).returncode == 2
    helped = run(env, "--help")
    assert helped.returncode == 0 and helped.stdout.startswith("usage: aitrack run")
    res = run(env, "--", "no-such-tool-xyz")
    assert res.returncode == 127 and "no-such-tool-xyz: command not found" in res.stderr


def test_resolve_skips_aitracks_own_shims(tmp_path: Path) -> None:
    real = make_tool(tmp_path / "real", "claude")
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "claude").symlink_to(AITRACK)  # aitrack's console script under the tool's name
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / "claude").write_text("#!/bin/sh\n# aitrack-shim\nexec aitrack run claude \"$@\"\n")
    (marked / "claude").chmod(0o755)
    wt = tmp_path / "wt"
    wt.mkdir()
    (wt / "claude").symlink_to(Path(AITRACK).parent / "claude-with-tracking")
    path = os.pathsep.join(str(d) for d in (shims, marked, wt, real.parent))
    assert resolve("claude", path) == str(real)
    assert resolve("claude", str(shims)) is None
    assert resolve(str(real)) == str(real)


@pytest.mark.parametrize("env", [{}, {"AITRACK_HOME": "~/custom"}, {"XDG_DATA_HOME": "/x/share"},
                                 {"XDG_CONFIG_HOME": "/x/conf"}, {"AITRACK_CONFIG": "/etc/at.toml"}])
def test_pathlib_free_places_agree_with_aitrack_paths(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    """The wrapper and `aitrack init` compute these without pathlib; they must be the same files."""
    from aitrack import paths
    from aitrack import sessiondir as places

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert places.data_dir() == str(paths.data_dir())
    assert places.config_file() == str(paths.config_file())


@pytest.mark.parametrize("session_hooks", ["1", "0"])
def test_a_tool_that_commits_at_once_finds_the_hooks_in_place(env: dict[str, str], tmp_path: Path,
                                                              session_hooks: str) -> None:
    """Before the tool starts the wrapper gives it our hooks — core.hooksPath for its processes
    (the default, nothing written into the repository) or, with session hooks off, hooks installed
    into the repository: a script (or `claude -p`) committing in its first milliseconds is linked."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    env = dict(env, AITRACK_HOOKS_AUTO="1", AITRACK_SESSION_HOOKS=session_hooks)
    res = subprocess.run([AITRACK, "run", "--", "git", "commit", "-q", "--allow-empty", "-m", "at once"],
                         env=env, cwd=repo, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    [folder] = sessions(Path(env["AITRACK_HOME"]))
    message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo, capture_output=True, text=True,
                             check=True).stdout
    assert f"Aitrack-Session: {folder.name}" in message
    assert (folder / "commits").read_text().startswith("commit\t")
    assert (repo / ".git" / "hooks" / "commit-msg").exists() == (session_hooks == "0")
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["git_root"] == str(repo.resolve()) and meta["git_head"] is None  # no commit before it


def test_cline_gets_the_local_session_backend_unless_the_user_chose(env: dict[str, str], tmp_path: Path) -> None:
    """Cline's default hub daemon outlives the session and runs the next sessions' commands with
    this one's environment: `aitrack run cline` sets CLINE_SESSION_BACKEND_MODE=local, the user's own
    value wins."""
    tool = tmp_path / "bin" / "cline"
    tool.write_text('#!/bin/sh\necho "mode=${CLINE_SESSION_BACKEND_MODE:-unset}"\n')
    tool.chmod(0o755)
    assert "mode=local" in run(env, "cline").stdout
    assert "mode=hub" in run(dict(env, CLINE_SESSION_BACKEND_MODE="hub"), "cline").stdout
    other = tmp_path / "bin" / "other"
    other.write_text(tool.read_text())
    other.chmod(0o755)
    assert "mode=unset" in run(env, "other").stdout  # only Cline's sessions get it
