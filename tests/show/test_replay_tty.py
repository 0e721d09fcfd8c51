"""`aitrack show --replay` in a real terminal (tmux 3.x, a real bash): the recording's terminal
queries get no answer typed into the shell, OSC 52 never reaches the clipboard, and the next command
typed after the replay runs intact (#18 "replay leaves the terminal's answers in the shell's input",
#20 item 2)."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from aitrack.paths import data_dir
from e2e.tmux import Tmux
from show.test_show import SID, new_session, session_env
from vcs.conftest import make_repo

# What a TUI sends at start-up: DA1, DA2, XTVERSION, cursor position, window size in pixels and
# chars, colour queries, DECRQSS, XTGETTCAP, DECRQM — and a clipboard write.
RECORDING = (b"\x1b[c\x1b[>c\x1b[>q\x1b[6n\x1b[?6n\x1b[14t\x1b[18t\x1b]10;?\x07\x1b]11;?\x1b\\\x1b]4;1;?\x07"
             b"\x1bP$qm\x1b\\\x1bP+q544e\x1b\\\x1b[?2026$p\x1b]52;c;Y2xpcGJvYXJkIHdyaXR0ZW4=\x07"
             b"\x1b[1mrecorded screen\x1b[0m\r\n")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_next_command_after_a_replay_runs_intact(tmp_path: Path, isolated_home: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.commit("work", env=session_env(SID))
    folder = new_session(SID, repo)
    (folder / "output.raw").write_bytes(RECORDING)
    (folder / "timing").write_text(f"O 0.01 {len(RECORDING)}\n")
    bindir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k.startswith(("XDG_", "GIT_")) or k in ("HOME", "LANG", "LC_ALL")}
    env |= {"PATH": f"{bindir}:/usr/bin:/bin", "TERM": "xterm-256color", "PS1": "t$ ", "AITRACK_HOME": str(data_dir())}
    tmux = Tmux(tmp_path / "tmux.sock", session="replay", cols=100, rows=30)
    tmux.start(["bash", "--norc", "--noprofile"], env, repo.root)
    try:
        tmux._tmux("set-option", "-g", "set-clipboard", "on")
        tmux.wait_for(r"(?m)^t\$")
        tmux.type("aitrack show --replay --speed 100; echo replay-exit-$?")
        tmux.wait_for(r"(?m)^replay-exit-0\s*$")
        tmux.wait_for(r"(?m)^t\$\s*$")
        tmux.type("echo next-$((40 + 2))")
        screen = tmux.wait_for(r"(?m)^next-42\s*$", timeout=20)
        assert "recorded screen" in screen
        assert "t$ echo next-$((40 + 2))" in screen, screen  # typed into a clean line
        assert "command not found" not in screen and "[?" not in screen and "tmux" not in screen, screen
        assert tmux._tmux("list-buffers") == "", "OSC 52 from the recording reached the clipboard"
    finally:
        tmux.kill()
