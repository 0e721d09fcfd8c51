"""Drive an interactive shell in a private tmux server, as a person at a terminal would."""
from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class ScreenTimeout(AssertionError):
    pass


@dataclass
class Tmux:
    socket: Path
    session: str = "e2e"
    cols: int = 120
    rows: int = 40
    log: list[str] = field(default_factory=list)  # what was typed, for failure messages
    progress: Callable[[], int] = lambda: 0  # requests the model server has seen so far
    before_exit: str = ""  # the screen (with scrollback) just before the agent was told to exit

    def start(self, shell_argv: list[str], env: dict[str, str], cwd: Path, prefix: list[str] | None = None) -> None:
        """Start the server and one window running `shell_argv` with exactly `env` (nothing inherited)."""
        env_argv = ["env", "-i"] + [f"{k}={v}" for k, v in sorted(env.items())]
        argv = (prefix or []) + env_argv + [
            "tmux", "-S", str(self.socket), "-f", "/dev/null", "new-session", "-d",
            "-x", str(self.cols), "-y", str(self.rows), "-s", self.session, "-c", str(cwd),
        ] + shell_argv
        subprocess.run(argv, check=True, timeout=20, cwd=cwd)
        # Keep the pane after the shell exits, so a crash can still be read.
        self._tmux("set-option", "-t", self.session, "remain-on-exit", "on")

    def _tmux(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True, text=True,
                             timeout=20, check=False)
        if check and out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def type(self, text: str, enter: bool = True) -> None:
        """Type literally, then Enter as a separate key (TUIs treat a pasted newline as text)."""
        self.log.append(f"type {text!r}")
        self._tmux("send-keys", "-t", self.session, "-l", text)
        if enter:
            time.sleep(0.3)
            self.key("Enter")

    def submit(self, text: str, expect: str, timeout: float = 40) -> str:
        """Type a prompt, wait until it shows, press Enter; press it again if the TUI swallowed it
        (an Ink TUI under load may take a quick Enter as part of the typed burst). Swallowed means:
        the model server has seen no new request since."""
        self.type(text, enter=False)
        self.wait_for(re.escape(text[:30]), timeout=20)
        before = self.progress()
        self.key("Enter")
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.wait_for(expect, timeout=min(6.0, max(0.5, deadline - time.monotonic())))
            except ScreenTimeout:
                if time.monotonic() >= deadline:
                    raise
                if self.progress() == before:
                    self.log.append("Enter again: the model saw no request")
                    self.key("Enter")

    def key(self, *keys: str) -> None:
        self.log.append(f"key {' '.join(keys)}")
        self._tmux("send-keys", "-t", self.session, *keys)

    def screen(self, history: bool = False) -> str:
        args = ["capture-pane", "-p", "-t", self.session]
        if history:
            args += ["-S", "-3000"]
        return self._tmux(*args)

    def mark_before_exit(self) -> None:
        self.before_exit = self.screen(history=True)

    def current_command(self) -> str:
        return self._tmux("display-message", "-p", "-t", self.session, "#{pane_current_command}").strip()

    def wait_for(self, pattern: str, timeout: float = 30, history: bool = False) -> str:
        """Poll the screen until `pattern` (a regex) shows; the screen text, or ScreenTimeout."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(history=history)
            if rx.search(screen):
                return screen
            time.sleep(0.25)
        raise ScreenTimeout(f"{pattern!r} not on screen after {timeout}s; typed: {self.log}\n--- screen ---\n{screen}")

    def wait_shell(self, shell: str, timeout: float = 30) -> None:
        """Wait until the foreground program in the pane is the shell again (the agent exited)."""
        deadline = time.monotonic() + timeout
        cmd = ""
        while time.monotonic() < deadline:
            cmd = self.current_command()
            if cmd == shell:
                return
            time.sleep(0.25)
        raise ScreenTimeout(f"still running {cmd!r} after {timeout}s\n{self.screen()}")

    def kill(self) -> None:
        self._tmux("kill-server", check=False)
