#!/usr/bin/env python3
"""A small real interactive program standing in for an agent CLI in the capture and shell tests.

Prints `KBD READY rows=R cols=C tty=yes|no session=<AITRACK_SESSION_ID or ->`, then reads keys:

    q        exit with the code given by --exit (default 0)
    t        kill itself with SIGTERM (exit status 143)
    s        stop itself with SIGSTOP (tools that suspend themselves)
    z        send SIGTSTP to its own process group (what vim and Node TUIs do on Ctrl-Z)
    n        run itself nested (`$KBD_NESTED` command) and report that run's status
    other    echoed as `KEY <hex>`

In --raw mode the terminal is raw, so Ctrl-C and Ctrl-Z arrive as keys 03 and 1a; in the default
(cooked) mode the line discipline turns them into SIGINT (dies: 130) and SIGTSTP (stops).
On SIGWINCH it prints `WINCH rows=R cols=C`; after SIGCONT it prints `CONT`.
--bytes N writes N bytes of text and exits; --grandchild starts a sleeper that keeps the pty open.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import tty


def say(text: str) -> None:
    os.write(1, (text + "\r\n").encode())


def size() -> str:
    try:
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(1, termios.TIOCGWINSZ, b"\0" * 8))
    except OSError:
        return "rows=- cols=-"
    return f"rows={rows} cols={cols}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--exit", type=int, default=0)
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--bytes", type=int, default=0)
    ap.add_argument("--grandchild", action="store_true")
    ap.add_argument("--say", default="")
    opts = ap.parse_args()
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # die of SIGINT like a C program: status 130
    if opts.bytes:
        line = (b"0123456789abcdefghijklmnopqrstuvwxyz" * 3)[:99] + b"\n"
        block = line * 650
        left = opts.bytes
        while left > 0:
            left -= os.write(1, block[:left])
        return opts.exit
    if opts.say:
        say(opts.say)
    if opts.grandchild:
        subprocess.Popen(["sleep", "30"], start_new_session=False)
    signal.signal(signal.SIGWINCH, lambda *_: say("WINCH " + size()))
    signal.signal(signal.SIGCONT, lambda *_: say("CONT"))
    istty = os.isatty(0)
    say(f"KBD READY {size()} tty={'yes' if istty else 'no'} session={os.environ.get('AITRACK_SESSION_ID', '-')}")
    saved = termios.tcgetattr(0) if istty and opts.raw else None
    if saved:
        tty.setraw(0)
    try:
        while True:
            try:
                key = os.read(0, 1)
            except InterruptedError:
                continue
            if not key:
                say("EOF")
                return opts.exit
            if key == b"q":
                say(f"BYE {opts.exit}")
                return opts.exit
            if key == b"t":
                os.kill(os.getpid(), signal.SIGTERM)
            elif key == b"s":
                os.kill(os.getpid(), signal.SIGSTOP)
            elif key == b"z":
                if saved:
                    termios.tcsetattr(0, termios.TCSADRAIN, saved)
                os.kill(0, signal.SIGTSTP)
                if saved:
                    tty.setraw(0)
            elif key == b"n":
                rc = subprocess.call(os.environ["KBD_NESTED"], shell=True)
                say(f"NESTED {rc}")
            elif key not in b"\r\n":
                say(f"KEY {key.hex()}")
    finally:
        if saved:
            termios.tcsetattr(0, termios.TCSADRAIN, saved)


if __name__ == "__main__":
    sys.exit(main())
