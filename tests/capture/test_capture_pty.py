"""`aitrack run` in a real PTY (pexpect) around the real test program tests/progs/kbd.py."""
from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pexpect
import pytest
from progs.helpers import AITRACK, make_tool, proc_state, sessions, wait_for, wrapper_env

from support import require_program


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    make_tool(tmp_path / "bin")
    return wrapper_env(tmp_path / "bin", AITRACK_HOME=str(tmp_path / "data"))


def spawn(env: dict[str, str], *args: str, size: tuple[int, int] = (24, 80)) -> pexpect.spawn:
    child = pexpect.spawn(AITRACK, ["run", "--", "kbd", *args], env=env, dimensions=size,
                          encoding="utf-8", timeout=10, cwd=str(Path(env["AITRACK_HOME"]).parent))
    child.expect(r"KBD READY rows=\d+ cols=\d+ tty=yes session=(\S+)")
    return child


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus is None, "the wrapper itself must not die of a signal"
    return child.exitstatus


def only_meta(env: dict[str, str]) -> dict:
    [one] = sessions(Path(env["AITRACK_HOME"]))
    return json.loads((one / "meta.json").read_text())


@pytest.mark.parametrize(("keys", "args", "code"), [
    ("q\r", ["--exit", "0"], 0),
    ("q\r", ["--exit", "7"], 7),
    ("\x03", [], 130),  # Ctrl-C: the pty's line discipline sends SIGINT to the tool
    ("t\r", [], 143),  # the tool dies of SIGTERM
])
def test_exit_status_is_kept(env: dict[str, str], keys: str, args: list[str], code: int) -> None:
    child = spawn(env, *args)
    child.send(keys)
    assert finish(child) == code
    meta = only_meta(env)
    assert meta["exit_code"] == code and meta["ended_at"] and meta["mode"] == "pty"
    assert meta["signal"] == (code - 128 if code > 128 else None)


def test_session_folder_and_child_environment(env: dict[str, str]) -> None:
    child = spawn(env, size=(30, 100))
    sid = child.match.group(1)
    child.send("x\r")
    child.expect("KEY 78")
    child.send("q\r")
    assert finish(child) == 0
    [folder] = sessions(Path(env["AITRACK_HOME"]))
    assert folder.name == sid
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    for name in ("meta.json", "output.raw", "timing"):
        assert oct((folder / name).stat().st_mode & 0o777) == "0o600", name
    assert not (folder / "input.raw").exists(), "keystrokes are not recorded by default"
    meta = only_meta(env)
    assert (meta["term_rows"], meta["term_cols"], meta["argv"], meta["tool"]) == (30, 100, ["kbd"], "kbd")
    assert meta["tool_path"].endswith("/bin/kbd") and meta["pid"] > 0 and meta["aitrack_version"]
    raw = (folder / "output.raw").read_bytes()
    assert b"KBD READY rows=30 cols=100" in raw and b"KEY 78" in raw and b"BYE 0" in raw


def test_resize_reaches_the_tool_and_the_timing_file(env: dict[str, str]) -> None:
    child = spawn(env)
    child.setwinsize(40, 132)
    child.expect("WINCH rows=40 cols=132")
    child.send("q\r")
    assert finish(child) == 0
    timing = (sessions(Path(env["AITRACK_HOME"]))[0] / "timing").read_text()
    assert "SIGWINCH ROWS=40 COLS=132" in timing


def test_timing_replays_with_scriptreplay(env: dict[str, str], tmp_path: Path) -> None:
    """util-linux reads our timing file: the summary parses and the replay is byte-identical."""
    require_program("scriptreplay")
    child = spawn(env)
    child.setwinsize(30, 90)
    child.expect("WINCH")
    child.send("abq\r")
    assert finish(child) == 0
    folder = sessions(Path(env["AITRACK_HOME"]))[0]
    summary = subprocess.run(["scriptreplay", "--summary", "-T", folder / "timing"], capture_output=True,
                             text=True, check=True).stdout
    assert "EXIT_CODE:  0" in summary and "COMMAND:  kbd" in summary
    # scriptreplay skips the first line of a typescript (script's "Script started" banner);
    # output.raw holds only the tool's bytes, so give it an empty first line.
    raw = (folder / "output.raw").read_bytes()
    (tmp_path / "typescript").write_bytes(b"\n" + raw)
    replay = subprocess.run(["scriptreplay", "-T", folder / "timing", "-O", tmp_path / "typescript",
                             "-d", "1000"], capture_output=True, check=True).stdout
    assert replay in (raw, raw + b"\n")  # scriptreplay ends with a newline of its own


def test_input_recording_is_opt_in(env: dict[str, str]) -> None:
    child = spawn(dict(env, AITRACK_RECORD_INPUT="1"))
    child.send("hi\r")
    child.expect("KEY 69")
    child.send("q\r")
    assert finish(child) == 0
    folder = sessions(Path(env["AITRACK_HOME"]))[0]
    assert (folder / "input.raw").read_bytes() == b"hi\rq\r"
    assert oct((folder / "input.raw").stat().st_mode & 0o777) == "0o600"
    assert [ln for ln in (folder / "timing").read_text().splitlines() if ln.startswith("I ")]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signals_from_outside_are_forwarded(env: dict[str, str], sig: int) -> None:
    child = spawn(env)
    os.kill(child.pid, sig)
    assert finish(child) == 128 + sig


@pytest.mark.parametrize(("mode", "key"), [
    ("cooked", "\x1a"),  # Ctrl-Z: the line discipline sends SIGTSTP to the tool's process group
    ("raw", "z"),  # the tool sends SIGTSTP to its own process group, as vim and Node TUIs do
    ("raw", "s"),  # the tool SIGSTOPs itself
])
def test_tool_stopping_stops_the_wrapper_and_continue_resumes(env: dict[str, str], mode: str, key: str) -> None:
    child = spawn(env, *(["--raw"] if mode == "raw" else []))
    child.send(key)
    wait_for(lambda: proc_state(child.pid) == "T", what="the wrapper to stop like its tool")
    os.kill(child.pid, signal.SIGCONT)  # what the shell's `fg` does
    child.expect("CONT")
    child.send("x\r")
    child.expect("KEY 78")
    child.send("q\r")
    assert finish(child) == 0


def test_grandchild_holding_the_pty_does_not_hang_the_wrapper(env: dict[str, str]) -> None:
    child = spawn(env, "--grandchild")
    child.send("q\r")
    child.expect("BYE 0")
    child.expect(pexpect.EOF, timeout=5)  # the sleeper lives 30 s
    child.close()
    assert child.exitstatus == 0


def test_sigkill_of_the_wrapper_leaves_the_transcript(env: dict[str, str]) -> None:
    child = spawn(env)
    child.send("xyw\r")
    child.expect("KEY 77")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    folder = sessions(Path(env["AITRACK_HOME"]))[0]
    raw = (folder / "output.raw").read_bytes()
    assert b"KBD READY" in raw and b"KEY 78" in raw and b"KEY 77" in raw
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["ended_at"] is None, "no end time: recognisable as interrupted"


def test_nested_run_does_not_record_twice(env: dict[str, str]) -> None:
    child = spawn(dict(env, KBD_NESTED=f"{AITRACK} run -- kbd --say inner --exit 3 </dev/null"))
    child.send("n\r")
    child.expect("session=(\\S+)")  # the nested kbd sees the outer session
    inner_session = child.match.group(1)
    child.expect("NESTED 3")
    child.send("q\r")
    assert finish(child) == 0
    [folder] = sessions(Path(env["AITRACK_HOME"]))
    assert inner_session == folder.name


def test_input_recording_from_the_config_file(env: dict[str, str], isolated_home: Path) -> None:
    config = Path(env["XDG_CONFIG_HOME"]) / "aitrack" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("record_input = true\n")
    child = spawn(env)
    child.send("k\r")
    child.expect("KEY 6b")
    child.send("q\r")
    assert finish(child) == 0
    assert (sessions(Path(env["AITRACK_HOME"]))[0] / "input.raw").read_bytes() == b"k\rq\r"
    config.write_text("record_input = false\n")
    child = spawn(env)
    child.send("q\r")
    assert finish(child) == 0
    assert not (sessions(Path(env["AITRACK_HOME"]))[1] / "input.raw").exists()


def test_a_sigkilled_wrapper_has_recorded_what_was_on_screen(env: dict[str, str]) -> None:
    """#20 item 8: each chunk is written to output.raw before the terminal, so whatever reached
    the person's terminal is in the recording even when the wrapper is SIGKILLed. The terminal
    here is read only after the kill, so the wrapper blocks mid-write to it: the moment a kill
    lost the chunk when the terminal came first."""
    import sys
    import time

    tool = [sys.executable, "-c", "import sys, time; sys.stdout.write('A' * 300000); sys.stdout.flush(); time.sleep(60)"]
    child = pexpect.spawn(AITRACK, ["run", "--", *tool], env=env, dimensions=(24, 80), timeout=10,
                          cwd=str(Path(env["AITRACK_HOME"]).parent))
    raw_size, still = -1, 0
    deadline = time.monotonic() + 30
    while still < 8 and time.monotonic() < deadline:  # output.raw stopped growing: the wrapper is blocked
        time.sleep(0.25)
        found = sessions(Path(env["AITRACK_HOME"]))
        size = (found[0] / "output.raw").stat().st_size if found and (found[0] / "output.raw").exists() else -1
        still = still + 1 if size == raw_size and size >= 0 else 0
        raw_size = size
    os.kill(child.pid, signal.SIGKILL)
    seen = b""
    while True:
        try:
            seen += child.read_nonblocking(65536, timeout=2)
        except (pexpect.EOF, pexpect.TIMEOUT):
            break
    child.close(force=True)
    recorded = (sessions(Path(env["AITRACK_HOME"]))[0] / "output.raw").read_bytes()
    assert seen.count(b"A") > 0
    assert recorded.count(b"A") >= seen.count(b"A"), (recorded.count(b"A"), seen.count(b"A"))
