"""The command an agent's own hook system runs: `python -I -S …/hook.py --aitrack-agent-hook AGENT`.

Registered user-wide by `aitrack agents install`, so a session started any way at all (an IDE, an
app, `claude -p` in CI, `command claude`) gets a session folder like the wrapper's. Run by path with
`-I -S`: no site-packages scan and no aitrack package import beyond the stdlib-only capture and vcs
modules (the package's parent goes on sys.path by hand). It reads the hook's JSON on stdin
(session_id, transcript_path, cwd, hook_event_name; Copilot CLI: camelCase, the event named by the
last argument), prints nothing (what a SessionStart hook prints goes into the agent's context; the
one exception is aitrack's OpenCode/Kilo plugin, which reads the session's environment from it)
and exits 0 whatever happens: a hook never fails the agent.

- start: a new folder (meta.json `mode: "hook"`, `captured_by: "hook"`, the agent's session id and
  transcript path; pid = the agent's process, so a killed agent reads as interrupted), and the
  session's environment handed to the agent's shell commands (Claude Code: `$CLAUDE_ENV_FILE`),
  which is what gives its commits the trailer and the journal (core.hooksPath for the session only);
  the live updater started for it, as the wrapper starts it (aitrack/capture/live.py).
- end: meta.json completed, `aitrack ingest --worker` started detached.
- An agent with no session-start event (LAZY: Mistral Vibe, Cline CLI): its first event of any
  kind is the start, dated from the agent's process start; a new session id from a process that
  already had one ends that one at its last turn's end. The exit watcher ends the last.
- Under the wrapper (AITRACK_SESSION_ID already set): the wrapper's session is the session. The
  hook only notes the agent's own ids in `agent-hook.json` beside it: one session, never two.
"""
from __future__ import annotations

import os
import sys
import time

if __name__ == "__main__":  # run by path: the package's parent first, ahead of anything in the agent's cwd
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

try:
    from aitrack.agenthooks import hookfs  # noqa: E402
    from aitrack.agents import facts  # noqa: E402
    from aitrack.sessiondir import AGENT_HOOK as HOOK_FILE, SESSIONS  # noqa: E402
except ImportError:  # this file outlived the rest of its package: never fail the agent over it
    if __name__ == "__main__":
        os._exit(0)
    raise

MARKER = "--aitrack-agent-hook"
INDEX = "agent-sessions"  # under the data dir: <agent>-<agent session id> → our session id
# Per agent (its module's HOOK, through the generated table: no agent module is imported here): the
# events (the agent's own names) that start and end a session and end a turn; the agents whose print
# mode fires no end event (a watcher started with the session ends it when the agent's process
# exits, 0 once a turn has completed); those whose shell commands carry no session id (the session
# hooks find the agent's process among their ancestors, through agent-sessions/pid-<pid>, removed
# when the session ends).
START = facts.HOOK_START
END = facts.HOOK_END
TURN_END = facts.HOOK_TURN_END
WATCHED = facts.HOOK_WATCHED
PID_INDEXED = facts.HOOK_PID_INDEXED
# Agents whose plugin reads the session's environment from the start hook's stdout (OpenCode's
# `shell.env` plugin hook hands it to the bash tool): there, what the hook prints is not the
# agent's context. Agents whose start event names no log: where it is, `{sid}` their session id.
PRINTS_ENV = facts.HOOK_PRINTS_ENV
LOGS = facts.HOOK_LOG
# Agents with no session-start event (Mistral Vibe: a turn's end and each tool call; Cline CLI: a
# turn's start and end, not waited for): the first event starts the session, dated from the
# agent's process start, later ones find it by its id. The process that runs an agent's hooks
# (RUNNER: its child; HUB: a daemon serving several sessions) is not the agent's.
LAZY = facts.HOOK_LAZY
RUNNER = facts.HOOK_RUNNER
HUB = facts.HOOK_HUB


def _index(data: str, agent: str, agent_sid: str) -> str:
    return os.path.join(data, INDEX, f"{agent}-{agent_sid}")


def _read_event(agent: str) -> dict[str, object]:
    try:
        data = hookfs.loads(sys.stdin.buffer.read(1 << 20).decode("utf-8", "replace") or "{}")
    except (OSError, ValueError, StopIteration):
        return {}
    if not isinstance(data, dict):
        return {}
    context = data.get("sessionContext")  # Cline CLI: its session's id (the taskId is one run's)
    root = context.get("rootSessionId") if isinstance(context, dict) else None
    data.setdefault("session_id", data.get("sessionId") or root)  # camelCase agents
    data.setdefault("hook_event_name", data.get("event_type"))  # OpenHands names these its own way
    data.setdefault("cwd", data.get("working_dir"))
    sid = hookfs.safe(data.get("session_id"))
    if sid and agent in LOGS and not data.get("transcript_path"):
        data["transcript_path"] = os.path.expanduser(LOGS[agent].replace("{sid}", sid))
    return data


def _hand_env(agent: str, env: dict[str, str]) -> None:
    """Give the agent's later shell commands the session's environment (Claude Code sources
    every SessionStart hook's $CLAUDE_ENV_FILE before each Bash command; aitrack's OpenCode and
    Kilo plugin reads it from stdout)."""
    if agent in PRINTS_ENV:
        from aitrack.sessiondir import dumps

        sys.stdout.write(dumps(env))
        sys.stdout.flush()
        return
    target = os.environ.get("CLAUDE_ENV_FILE")
    if not target:
        return
    lines = "".join(f"export {k}={hookfs.quote(v)}\n" for k, v in env.items())
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(lines)


def start(agent: str, event: dict[str, object], data: str) -> None:
    from aitrack.sessiondir import new_session_id, write_meta
    from aitrack.capture.proc import start_ticks
    from aitrack.capture.run import TOOL_PROVIDERS
    from aitrack.capture.session import new_meta
    from aitrack.vcs import gitdir, sessionhooks

    agent_sid = hookfs.safe(event.get("session_id"))
    index = _index(data, agent, agent_sid) if agent_sid else ""
    sid = hookfs.read(index) if index else ""
    folder = os.path.join(data, SESSIONS, sid) if sid else ""
    try:
        meta = _meta(folder)
    except (ValueError, StopIteration):
        meta = None
    reuse = isinstance(meta, dict) and meta.get("ended_at") is None  # /compact, a second start
    if reuse and agent in LAZY:
        return  # a later event of a session its first one started: nothing to hand on
    if not reuse:
        pid = hookfs.agent_pid(RUNNER.get(agent, ""), HUB.get(agent, ""))
        if pid is None:
            return  # a hub daemon's session whose own process is not found: nothing to follow
        given = event.get("cwd")
        cwd = given if isinstance(given, str) and given else os.getcwd()
        os.makedirs(os.path.join(data, SESSIONS), 0o700, exist_ok=True)
        os.chmod(data, 0o700)
        now = time.time()
        sid = new_session_id(now)
        folder = os.path.join(data, SESSIONS, sid)
        os.mkdir(folder, 0o700)
        tool = agent  # the hook is registered under the agent's command name
        argv, path = hookfs.argv_of(pid, tool)
        began = _lazy_start(data, pid, now) if agent in LAZY else now
        meta = new_meta(sid, argv, path, TOOL_PROVIDERS.get(tool, "generic"), "hook", None, began)
        meta.update(cwd=cwd, pid=pid, pid_start=start_ticks(pid), captured_by="hook", hook_agent=agent,
                    agent_session_id=agent_sid or None, transcript_path=event.get("transcript_path"))
        info = gitdir.repo_info(cwd) if os.path.isdir(cwd) else None
        if info:
            meta.update(git_root=info.get("root"), git_head=info.get("head"), git_branch=info.get("branch"),
                        git_reflog_bytes=gitdir.reflog_bytes(cwd))
        write_meta(folder, meta)
        os.makedirs(os.path.join(data, INDEX), 0o700, exist_ok=True)
        if index:
            hookfs.write(index, sid + "\n")
        if agent in PID_INDEXED or agent in LAZY:
            hookfs.write(os.path.join(data, INDEX, f"pid-{pid}"), sid + "\n")
        if agent in WATCHED:
            from aitrack.capture.proc import spawn_detached

            spawn_detached([sys.executable, "-I", "-S", os.path.abspath(__file__), MARKER, agent, "--watch",
                            folder, str(pid)])
        from aitrack.capture.live import start_live

        start_live(folder)  # unless AITRACK_LIVE=0: followed live as a wrapped session is
    env = {"AITRACK_SESSION_ID": sid, "AITRACK_SESSION_DIR": folder}
    if sessionhooks.session_hooks_enabled():
        env.update(sessionhooks.session_hooks_env(os.environ.get("GIT_CONFIG_PARAMETERS")))
    _hand_env(agent, env)


def _lazy_start(data: str, pid: int, now: float) -> float:
    """When a lazy agent's session began: with its process, or, where this process already ran a
    session of ours (`/clear`, a new session in the same TUI), when that one's last turn ended —
    which is when that one is over: it is ended there, so the two never share a window."""
    from aitrack.capture.proc import start_ticks

    before = hookfs.read(os.path.join(data, INDEX, f"pid-{pid}"))
    folder = os.path.join(data, SESSIONS, before) if before else ""
    try:
        meta = _meta(folder)
    except (ValueError, StopIteration):
        meta = None
    if not (isinstance(meta, dict) and meta.get("ended_at") is None and meta.get("pid_start") == start_ticks(pid)):
        return hookfs.started_epoch(pid) or now
    turn = meta.get("turn_ended_at_epoch")
    at = float(turn) if isinstance(turn, (int, float)) else None
    finish(folder, meta, 0 if at else None, "a new session began", at or now)
    return at or now


def _meta(folder: str) -> object:
    """A session folder's meta.json as parsed (None: no folder, no file); ValueError or
    StopIteration where it is not JSON."""
    from aitrack.sessiondir import META

    return hookfs.loads(hookfs.read(os.path.join(folder, META)) or "null") if folder else None


def _start_once(agent: str, event: dict[str, object], data: str) -> None:
    """start() under a lock: a lazy agent's first events may come at once (parallel tool calls)."""
    import fcntl

    os.makedirs(os.path.join(data, INDEX), 0o700, exist_ok=True)
    with open(os.path.join(data, INDEX, f"{agent}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        start(agent, event, data)


def _session_meta(agent: str, event: dict[str, object], data: str) -> tuple[str, dict[str, object]] | None:
    agent_sid = hookfs.safe(event.get("session_id"))
    sid = hookfs.read(_index(data, agent, agent_sid)) if agent_sid else ""
    if not sid:
        return None
    folder = os.path.join(data, SESSIONS, sid)
    meta = _meta(folder)
    return (folder, meta) if isinstance(meta, dict) else None


def turn_end(agent: str, event: dict[str, object], data: str) -> None:
    from aitrack.sessiondir import iso, write_meta

    found = _session_meta(agent, event, data)
    if found and found[1].get("ended_at") is None:
        now = time.time()
        found[1].update(turn_ended_at=iso(now), turn_ended_at_epoch=now)
        write_meta(found[0], found[1])


def finish(folder: str, meta: dict[str, object], exit_code: int | None, reason: object,
           at: float | None = None) -> None:
    from aitrack.sessiondir import iso, write_meta

    now = time.time() if at is None else at
    meta.update(ended_at=iso(now), ended_at_epoch=now, exit_code=exit_code, signal=None, end_reason=reason)
    pid_index = os.path.join(os.path.dirname(os.path.dirname(folder)), INDEX, f"pid-{meta.get('pid')}")
    if hookfs.read(pid_index) == meta.get("id"):
        os.unlink(pid_index)  # first: whoever sees the session ended finds its index gone
    write_meta(folder, meta)
    if os.environ.get("AITRACK_INGEST", "1").strip() != "0":
        from aitrack.capture.proc import INGEST_WORKER, python_m, spawn_detached

        spawn_detached(python_m(*INGEST_WORKER))


def watch(folder: str, pid: int) -> None:
    """Wait for the agent's process to exit (a pidfd: no polling), then end its session unless its
    end hook did. The exit status of a process that is not our child is unknown: 0 once a turn
    completed, else none (logged as not successful)."""
    from aitrack.capture.proc import start_ticks

    started = start_ticks(pid)
    try:
        import select

        fd = os.pidfd_open(pid)
        select.select([fd], [], [])
    except (AttributeError, OSError):  # no pidfd (old kernel): look once a second
        while started is not None and start_ticks(pid) == started:
            time.sleep(1)
    meta = _meta(folder)
    if isinstance(meta, dict) and meta.get("ended_at") is None:
        finish(folder, meta, 0 if meta.get("turn_ended_at") else None, "agent exited")


def end(agent: str, event: dict[str, object], data: str) -> None:
    found = _session_meta(agent, event, data)
    if found is None or found[1].get("ended_at") is not None:
        return
    # The agent's exit status is not in the event: a session that reached its end hook ended normally.
    finish(found[0], found[1], 0, event.get("reason"))


def _started_by_us(agent: str, event: dict[str, object], data: str) -> bool:
    """AITRACK_SESSION_ID names the session this hook started, not a wrapper's: droid reads what
    the start hook handed $CLAUDE_ENV_FILE into its own environment, its later hooks' too."""
    agent_sid = hookfs.safe(event.get("session_id"))
    return bool(agent_sid) and hookfs.read(_index(data, agent, agent_sid)) == os.environ["AITRACK_SESSION_ID"]


def _wrapper_running() -> bool:
    """AITRACK_SESSION_DIR names a session folder not known to be over: not one that ended (or
    was removed) long ago, whose environment an agent's daemon kept (Cline's hub, first started
    under the wrapper)."""
    from aitrack.sessiondir import META

    folder = os.environ.get("AITRACK_SESSION_DIR", "")
    meta = hookfs.read(os.path.join(folder, META)) if folder and os.path.isdir(folder) else None
    return meta is not None and (not meta or '"ended_at": null' in meta)


def in_wrapper(agent: str, event: dict[str, object]) -> None:
    folder = os.environ.get("AITRACK_SESSION_DIR", "")
    if not os.path.isdir(folder) or os.path.exists(os.path.join(folder, HOOK_FILE)):
        return
    from aitrack.sessiondir import dumps

    note = {"agent": agent, "agent_session_id": hookfs.safe(event.get("session_id")) or None,
            "transcript_path": event.get("transcript_path")}
    hookfs.write(os.path.join(folder, HOOK_FILE), dumps(note) + "\n")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != MARKER or os.environ.get("AITRACK_DISABLE", "").strip() == "1":
        return 0
    agent = argv[1]
    if len(argv) == 5 and argv[2] == "--watch" and argv[4].isdigit():
        watch(argv[3], int(argv[4]))
        return 0
    event = _read_event(agent)
    name = str(event.get("hook_event_name") or (argv[2] if len(argv) > 2 else ""))
    from aitrack.sessiondir import data_dir

    data = data_dir()
    if os.environ.get("AITRACK_SESSION_ID") and _wrapper_running() and not _started_by_us(agent, event, data):
        if name in START.get(agent, ()):
            in_wrapper(agent, event)
        return 0
    if name in START.get(agent, ()):
        (_start_once if agent in LAZY else start)(agent, event, data)
    if name in END.get(agent, ()):
        end(agent, event, data)
    elif name in TURN_END.get(agent, ()):
        turn_end(agent, event, data)
    return 0


def _log_error() -> None:
    try:
        import traceback

        from aitrack.sessiondir import data_dir

        logs = os.path.join(data_dir(), "logs")
        os.makedirs(logs, 0o700, exist_ok=True)
        with open(os.path.join(logs, "hook.log"), "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc())
    except BaseException:
        pass


def _run() -> None:
    try:
        main(sys.argv[1:])
    except BaseException:  # a hook never fails or blocks the agent: the reason goes to logs/hook.log
        _log_error()
    os._exit(0)


if __name__ == "__main__":
    _run()
