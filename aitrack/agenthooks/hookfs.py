"""Small stdlib-only helpers of the agent hook (hook.py): a JSON reader without `re`, the agent's
process and command line from /proc, private files written atomically."""
from __future__ import annotations

import os

_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")


def safe(text: object) -> str:
    return "".join(c for c in str(text or "") if c in _SAFE)[:128]


class _Scan:
    """What `_json.make_scanner` reads off a JSONDecoder: the C scanner without `import json`,
    whose decoder module pulls in `re` (a few milliseconds of every hook run)."""
    strict = True
    object_hook = object_pairs_hook = None
    parse_float, parse_int, parse_constant = float, int, float
    memo: dict[object, object] = {}


def loads(text: str) -> object:
    try:
        from _json import make_scanner
    except ImportError:  # another Python implementation
        import json

        return json.loads(text)
    start = len(text) - len(text.lstrip())
    obj, end = make_scanner(_Scan())(text, start)  # type: ignore[arg-type]  # duck-typed context
    if text[end:].strip():
        raise ValueError("extra data")
    return obj


def parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        return int(stat[stat.rindex(b")") + 2:].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def agent_pid(runner: str = "", hub: str = "") -> int | None:
    """The agent's own process: what Claude Code names in CLAUDE_PID, else our parent, or the
    parent of the `sh -c` that ran us when that shell did not exec; the parent of that when it is
    the agent's `runner` (Mistral Vibe runs its hooks in its vibe-app-server child). Where that is
    the agent's `hub` daemon (its command line holds that word: Cline's, which runs sessions for
    every later start), the process it runs this session for; None when there is none."""
    value = os.environ.get("CLAUDE_PID", "")
    if value.isdigit():
        return int(value)
    pid = os.getppid()
    if _comm(pid) in ("sh", "bash", "dash", "zsh"):
        pid = parent(pid) or pid
    if runner and _comm(pid) == runner:
        pid = parent(pid) or pid
    if hub and hub in _argv(pid):
        return _served(pid, hub)
    return pid


def _argv(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return [a.decode("utf-8", "replace") for a in fh.read().split(b"\0") if a]
    except OSError:
        return []


def _served(daemon: int, hub: str) -> int | None:
    """The newest process of the daemon's program, not a daemon itself, working in our directory
    (the session's: the daemon runs each hook there)."""
    from aitrack.capture.proc import start_ticks

    comm, here = _comm(daemon), os.getcwd()
    best: tuple[int, int] | None = None
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == daemon or _comm(int(name)) != comm:
            continue
        try:
            if os.readlink(f"/proc/{name}/cwd") != here or hub in _argv(int(name)):
                continue
        except OSError:
            continue
        ticks = start_ticks(int(name)) or 0
        if best is None or ticks > best[0]:
            best = (ticks, int(name))
    return best[1] if best else None


def started_epoch(pid: int) -> float | None:
    """When process `pid` started, in seconds since the epoch (its start ticks after boot)."""
    from aitrack.capture.proc import start_ticks

    ticks = start_ticks(pid)
    try:
        with open("/proc/stat", "rb") as fh:
            boot = next(int(line.split()[1]) for line in fh if line.startswith(b"btime "))
        return None if ticks is None else boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, StopIteration):
        return None


def argv_of(pid: int, tool: str) -> tuple[list[str], str]:
    """The agent's command line and binary from /proc (node scripts: the script after `node`)."""
    argv = _argv(pid)
    try:
        path = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return [tool], tool
    if argv and os.path.basename(argv[0]).startswith(("node", "bun")):
        script = next((i for i, a in enumerate(argv[1:], 1) if not a.startswith("-")), None)
        if script is not None:  # `node --max-old-space-size=… /path/gemini -p …`: from the script on
            path, argv = argv[script], argv[script:]
    elif len(argv) > 1 and os.path.basename(argv[1]) == tool:  # a retitled node (Gemini CLI: "gemini /…/gemini -p …")
        path, argv = argv[1], argv[1:]
    if argv:
        argv = [tool, *argv[1:]]  # the name a person types, as the wrapper's meta has it
    return argv or [tool], path


def read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def write(path: str, text: str) -> None:
    from aitrack.sessiondir import write_bytes_atomic

    write_bytes_atomic(path, text.encode("utf-8"), 0o600)


def quote(value: str) -> str:
    """`value` as one shell word for an env file's `export K=…` line. In double quotes when it
    allows (no `"`, `\\`, `$`, backquote, newline): Factory droid does not source the file, it strips
    one pair of quotes, which then gives the same value a shell does."""
    if not any(c in value for c in '"\\$`\n'):
        return '"' + value + '"'
    return "'" + value.replace("'", "'\\''") + "'"
