"""A network namespace with only loopback for the agent CLIs, and a listening socket inside it."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HELPER = Path(__file__).with_name("netns_helper.py")


@dataclass
class NetNS:
    proc: subprocess.Popen[bytes]
    listener: socket.socket

    @property
    def path(self) -> str:
        return f"/proc/{self.proc.pid}/ns/net"

    def prefix(self) -> list[str]:
        """argv prefix that runs a command inside the namespace."""
        return ["nsenter", f"--net={self.path}", "--"]

    def close(self) -> None:
        self.listener.close()
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def available() -> str | None:
    """Why a loopback-only namespace cannot be made here, or None when it can."""
    if os.geteuid() != 0:
        return "not root"
    for prog in ("unshare", "nsenter", "ip"):
        if not shutil.which(prog):
            return f"{prog} missing"
    probe = subprocess.run(["unshare", "-n", "ip", "link", "set", "lo", "up"], capture_output=True, timeout=10, check=False)
    return None if probe.returncode == 0 else f"unshare -n failed: {probe.stderr.decode().strip()}"


def open_netns() -> NetNS:
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    proc = subprocess.Popen(
        ["unshare", "-n", sys.executable, str(HELPER), str(child.fileno())],
        stdin=subprocess.PIPE, pass_fds=[child.fileno()],
    )
    child.close()
    parent.settimeout(15)
    try:
        _, fds, _, _ = socket.recv_fds(parent, 16, 1)
    finally:
        parent.close()
    listener = socket.socket(fileno=fds[0])
    return NetNS(proc, listener)
