"""Real interactive bash, zsh and fish in a PTY, with the integration installed by install.sh into
the test's HOME; the "agent" is tests/progs/kbd.py under the name `kbd` (AITRACK_TOOLS=kbd)."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from progs.helpers import REPO, VENV_BIN, make_tool, sessions, wait_for, wrapper_env

from support import require_program

PROMPT = "PROMPT-OK"
SHELLS = ["bash", "zsh", "fish"]
STATUS = {"bash": "$?", "zsh": "$?", "fish": "$status"}


def install_home(home: Path) -> dict[str, str]:
    """User files first (with a prompt we can wait for), then install.sh as a user runs it."""
    (home / ".bashrc").write_text(f"PS1='{PROMPT}$ '\nalias kbd='echo an alias shadows kbd'\n")
    (home / ".zshrc").write_text(f"PS1='{PROMPT}%# '\nalias kbd='echo an alias shadows kbd'\n")
    fish = home / ".config" / "fish"
    (fish / "functions").mkdir(parents=True)
    (fish / "functions" / "fish_prompt.fish").write_text(f"function fish_prompt\n    echo -n '{PROMPT}> '\nend\n")
    (fish / "config.fish").write_text("set -g fish_greeting ''\nalias kbd 'echo an alias shadows kbd'\n")
    env = wrapper_env(home / "toolbin", AITRACK_TOOLS="kbd", SHELL="/bin/bash")
    make_tool(home / "toolbin")
    env["PATH"] = env["PATH"].replace(f"{VENV_BIN}:", "")  # the shells find aitrack through the rc block
    subprocess.run([REPO / "install.sh", "--python", VENV_BIN / "python", "--shells", "bash,zsh,fish"],
                   env=env, check=True, capture_output=True)
    return env


@pytest.fixture
def home(isolated_home: Path) -> Path:
    return isolated_home


class Shell:
    def __init__(self, name: str, env: dict[str, str], cwd: Path) -> None:
        require_program(name)
        self.name = name
        args = {"bash": ["-i"], "zsh": ["-i"], "fish": ["-i"]}[name]
        self.p = pexpect.spawn(name, args, env=env, cwd=str(cwd), encoding="utf-8", timeout=15,
                               dimensions=(24, 80))
        self.prompt()

    def prompt(self) -> None:
        self.p.expect_exact(PROMPT)

    def line(self, text: str) -> None:
        self.p.sendline(text)

    def status(self) -> int:
        self.prompt()
        self.line(f"echo rc={STATUS[self.name]}")
        self.p.expect(r"rc=(\d+)")
        code = int(self.p.match.group(1))
        self.prompt()
        return code

    def kbd(self, args: str = "") -> str:
        """Type `kbd ARGS`; the session id the tool saw ('-' when not recorded)."""
        self.line(f"kbd {args}".strip())
        self.p.expect(r"KBD READY rows=\d+ cols=\d+ tty=(yes|no) session=(\S+)")
        return self.p.match.group(2)

    def close(self) -> None:
        self.p.sendline("exit")
        self.p.expect(pexpect.EOF)
        self.p.close()


@pytest.fixture(params=SHELLS)
def sh(request: pytest.FixtureRequest, home: Path):  # type: ignore[no-untyped-def]
    env = install_home(home)
    shell = Shell(request.param, env, home)
    yield shell
    shell.p.terminate(force=True)


def recorded(home: Path) -> list[dict]:
    return [json.loads((f / "meta.json").read_text()) for f in sessions(home / ".local/share/aitrack")]


@pytest.mark.parametrize(("keys", "code"), [("q\r", 0), ("q\r", 7), ("\x03", 130), ("t\r", 143)])
def test_typing_the_tool_records_it_and_keeps_the_status(sh: Shell, home: Path, keys: str, code: int) -> None:
    sid = sh.kbd(f"--exit {code}" if keys == "q\r" else "")
    assert sid != "-"
    sh.p.send(keys)
    assert sh.status() == code
    [meta] = recorded(home)
    assert (meta["id"], meta["mode"], meta["exit_code"]) == (sid, "pty", code)


def test_resize_is_seen_by_the_tool(sh: Shell) -> None:
    sh.kbd()
    sh.p.setwinsize(33, 99)
    sh.p.expect("WINCH rows=33 cols=99")
    sh.p.send("q\r")
    assert sh.status() == 0


def test_ctrl_z_then_fg(sh: Shell, home: Path) -> None:
    sh.kbd("--exit 5")
    sh.p.send("\x1a")
    sh.prompt()  # the shell has the terminal back: the job is stopped
    sh.line("fg")
    sh.p.expect("CONT")
    sh.p.send("x\r")
    sh.p.expect("KEY 78")
    sh.p.send("q\r")
    sh.p.expect("BYE 5")
    # What `fg` returns is the shell's business: bash passes the tool's status through; fish
    # returns 0 after fg even for a plain command; zsh returns 0 for any function resumed with fg
    # (it forks the rest of the function into a subshell). The session keeps the real status.
    assert sh.status() == {"bash": 5, "zsh": 0, "fish": 0}[sh.name]
    assert recorded(home)[0]["exit_code"] == 5


def test_piped_command_and_bypass_are_not_recorded_in_a_pty(sh: Shell, home: Path) -> None:
    sh.line("kbd --say piped </dev/null | cat")
    sh.p.expect(r"tty=no session=(\S+)")
    assert sh.p.match.group(1) != "-"  # exec mode: recorded (meta only), no pty
    sh.prompt()
    sh.line("command kbd --say bypass </dev/null")
    sh.p.expect(r"session=(\S+)")
    assert sh.p.match.group(1) == "-"
    assert [m["mode"] for m in recorded(home)] == ["exec"]


def test_falls_back_to_the_plain_tool_when_aitrack_is_gone(sh: Shell, home: Path) -> None:
    (home / ".local/bin/aitrack").unlink()
    assert sh.kbd("--exit 3") == "-"
    sh.p.send("q\r")
    assert sh.status() == 3


def test_falls_back_to_the_plain_tool_when_aitracks_python_is_gone(sh: Shell, home: Path) -> None:
    link = home / ".local/bin/aitrack"
    link.unlink()
    link.write_text("#!/nonexistent/venv/bin/python\nimport aitrack\n")  # a venv whose Python was removed
    link.chmod(0o755)
    assert sh.kbd("--exit 4") == "-"
    sh.p.send("q\r")
    assert sh.status() == 4


def test_sigkill_of_the_wrapper_restores_the_terminal(sh: Shell, home: Path) -> None:
    sh.kbd("--raw")
    wait_for(lambda: bool(recorded(home)), what="the session folder")
    os.kill(recorded(home)[0]["pid"], signal.SIGKILL)
    sh.prompt()
    sh.line("stty -a")
    sh.p.expect(r"(-?)icanon.*?(-?)echo ")
    assert sh.p.match.groups() == ("", ""), "cooked mode and echo are back"
    [folder] = sessions(home / ".local/share/aitrack")
    assert b"KBD READY" in (folder / "output.raw").read_bytes()
    os.killpg(os.getpgid(sh.p.pid), 0)  # the shell is still alive


def test_nested_calls_do_not_record_again(sh: Shell, home: Path) -> None:
    sid = sh.kbd("--say outer")
    sh.p.send("q\r")
    sh.prompt()
    sh.line(f"AITRACK_SESSION_ID={sid} kbd </dev/null")  # fish ≥ 3.1 takes this syntax too
    sh.p.expect(re.escape(f"session={sid}"))
    assert len(recorded(home)) == 1


def test_ctrl_z_names_the_job_after_the_tool_in_bash(home: Path) -> None:
    shell = Shell("bash", install_home(home), home)
    try:
        shell.kbd("--say 'a b'")
        shell.p.send("\x1a")
        shell.prompt()
        assert re.search(r"Stopped\s+kbd --say a\\ b\r\n", shell.p.before), shell.p.before
        shell.line("jobs")
        shell.p.expect(r"\[1\]\+\s+Stopped\s+(.*?)\r\n")
        assert shell.p.match.group(1) == "kbd --say a\\ b"
        shell.prompt()
        shell.line("fg")
        shell.p.expect("CONT")
        shell.p.send("q\r")
        assert shell.status() == 0
        shell.line("kbd --exit 2")  # the function is back for the next call
        shell.p.expect(r"session=(\S+)")
        assert shell.p.match.group(1) != "-"
        shell.p.send("q\r")
        assert shell.status() == 2
    finally:
        shell.p.terminate(force=True)


def broken_venv(tmp: Path) -> Path:
    """A venv of its own holding aitrack in its site-packages, as pip puts it there (a link onto
    this checkout's package), and its console script."""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    [site] = (venv / "lib").glob("python3*/site-packages")
    (site / "aitrack").symlink_to(REPO / "aitrack")
    script = venv / "bin" / "aitrack"
    script.write_text(f"#!{venv}/bin/python\nimport sys\nfrom aitrack.main import main\nsys.exit(main())\n")
    script.chmod(0o755)
    return venv


@pytest.mark.parametrize("how", ["package removed", "base python upgraded"])
@pytest.mark.parametrize("name", SHELLS)
def test_the_plain_tool_runs_when_the_venv_cannot_import_aitrack(home: Path, name: str, how: str) -> None:
    env = install_home(home)
    venv = broken_venv(home / "opt")
    subprocess.run([REPO / "install.sh", "--python", venv / "bin" / "python", "--shells", name],
                   env=env, check=True, capture_output=True)
    shell = Shell(name, env, home)
    try:
        [site] = (venv / "lib").glob("python3*/site-packages")
        if how == "package removed":
            (site / "aitrack").unlink()
        else:  # the venv's python now runs a newer base: it looks for lib/python3.N+1
            site.parent.rename(site.parent.with_name("python3.0"))
        assert shell.kbd("--exit 4") == "-"
        shell.p.send("q\r")
        assert shell.status() == 4
    finally:
        shell.p.terminate(force=True)


@pytest.mark.parametrize("name", ["bash", "zsh"])
def test_a_new_shell_sources_the_cached_code_until_the_config_changes(home: Path, name: str) -> None:
    env = install_home(home)
    del env["AITRACK_TOOLS"]
    cache = home / ".local/share/aitrack/shell" / f"init.{name}"
    subprocess.run([REPO / "install.sh", "--python", VENV_BIN / "python", "--shells", name],
                   env=env, check=True, capture_output=True)
    # Mark the cached file: a shell that sourced it has the mark, one that ran `aitrack init` not.
    cache.write_text(cache.read_text() + "\n__aitrack_mark=cached\n")
    probe = "echo \"mark=${__aitrack_mark-none} $(type -w claude 2>/dev/null || type -t claude)\""
    for expect in ("mark=cached", "mark=none"):
        out = subprocess.run([name, "-i", "-c", probe], env=env, cwd=home, capture_output=True, text=True,
                             timeout=30).stdout
        assert expect in out and "function" in out, out
        config = home / ".config/aitrack/config.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text('tools = ["claude"]\n')
        os.utime(config, (cache.stat().st_mtime + 5,) * 2)  # newer than the cache: init runs and rewrites it
    assert "__aitrack_mark" not in cache.read_text() and "__aitrack_tools='claude'" in cache.read_text()
