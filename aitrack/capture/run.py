"""`aitrack run [--provider P] [--] TOOL [ARGS…]`: run a tool, recording the session.

Standard library only, argv parsed by hand: this runs before the tool starts, so every import
here is start-up latency the user feels. Whatever goes wrong inside aitrack, the tool still runs
and its exit status is returned: before the tool has started we fall back to exec'ing it.
"""
from __future__ import annotations

import os
import sys

from aitrack.capture import proc
# The agents' facts from the generated table (stdlib data, no agent module imported): this runs before
# the tool starts. TOOL_ENV: defaults for the tool's environment, under whatever the user set.
from aitrack.agents.facts import TOOL_ENV as TOOL_ENV, TOOL_PROVIDERS as TOOL_PROVIDERS

TYPE_CHECKING = False  # annotation only: the wrapper imports the recorder once it records
if TYPE_CHECKING:
    from aitrack.capture.session import Recorder

USAGE = "usage: aitrack run [--provider P] [--] TOOL [ARGS...]"
_TRUE = ("1", "true", "yes", "on")


class UsageError(Exception):
    pass


def parse_args(argv: list[str]) -> tuple[str | None, list[str]]:
    """(provider, [TOOL, ARGS…]). Options end at the first non-option or at `--`."""
    provider = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg == "--provider":
            if i + 1 >= len(argv):
                raise UsageError("--provider needs a value")
            provider, i = argv[i + 1], i + 2
        elif arg.startswith("--provider="):
            provider, i = arg.split("=", 1)[1], i + 1
        elif arg in ("-h", "--help"):
            raise UsageError("")
        elif arg.startswith("-"):
            raise UsageError(f"unknown option {arg}")
        else:
            break
    rest = argv[i:]
    if not rest:
        raise UsageError("no TOOL given")
    return provider or None, rest


def _record_input() -> bool:
    env = os.environ.get("AITRACK_RECORD_INPUT")
    if env is not None:
        return env.strip().lower() in _TRUE
    from aitrack.sessiondir import config_file

    if not os.path.exists(config_file()):  # one stat, usually a miss
        return False
    try:
        from aitrack import config

        return config.get("record_input", False) is True
    except Exception:
        return False


def git_facts(facts: dict[str, object]) -> dict[str, str]:
    """Repository facts (HEAD before the session) into `facts`, for meta.json, and the environment
    that gives the session's processes our git hooks in every repository (core.hooksPath for them
    alone). With session hooks turned off, hooks are installed into the session's repository
    instead (`ensure_hooks` honours AITRACK_HOOKS_AUTO and the config itself)."""
    from aitrack.vcs import gitdir, sessionhooks

    session_hooks = sessionhooks.session_hooks_enabled()
    env = sessionhooks.session_hooks_env(os.environ.get("GIT_CONFIG_PARAMETERS")) if session_hooks else {}
    if not gitdir.in_work_tree(os.getcwd()):
        return env
    info = gitdir.repo_info(os.getcwd())
    if not info:
        return env
    # HEAD's reflog length at start: vcs.link leaves out every commit it already named.
    facts.update(git_root=info.get("root"), git_head=info.get("head"),
                 git_branch=info.get("branch"), git_reflog_bytes=gitdir.reflog_bytes(os.getcwd()))
    root = info.get("root")
    if root and not session_hooks:
        sessionhooks.ensure_hooks(root)
    return env


def begin(cmd: list[str], tool_path: str, provider: str, pty: bool,
          record_input: bool = False) -> tuple[Recorder, dict[str, str]]:
    """The one capture entry of `aitrack run`, `aitrack track` and `aitrack.procedure()`: the git
    facts (asked first, so meta.json is written once before the tool starts: a tool that commits
    at once finds the hooks in place), the session folder, and the variables the session's
    processes get (its id and folder, its hooks). Raises OSError when the folder cannot be made."""
    facts: dict[str, object] = {}
    try:
        git_env = git_facts(facts)
    except Exception:  # bookkeeping never changes how the tool runs
        git_env = {}
    from aitrack.capture.session import Recorder

    size = None
    if pty:
        from aitrack.capture.pty_ import get_winsize

        size = get_winsize(0)
    recorder = Recorder.create(cmd, tool_path, provider, "pty" if pty else "exec", size,
                               record_input=record_input, extra=facts)
    return recorder, {"AITRACK_SESSION_ID": recorder.id, "AITRACK_SESSION_DIR": recorder.dir, **git_env}


def end(recorder: Recorder, code: int, sig: int | None) -> None:
    """Complete meta.json and start the detached ingest: the session is the spool's now."""
    try:
        recorder.finish(code, sig)
    except Exception:
        pass
    start_ingest()


def start_ingest() -> None:
    if os.environ.get("AITRACK_INGEST", "1").strip() == "0":
        return
    try:
        proc.spawn_detached(proc.python_m(*proc.INGEST_WORKER))
    except OSError:
        pass


def main(argv: list[str]) -> int:
    try:
        provider, cmd = parse_args(argv)
    except UsageError as exc:
        if not str(exc):  # -h / --help
            sys.stdout.write(USAGE + "\n")
            return 0
        sys.stderr.write(f"aitrack: {exc}\n{USAGE}\n")
        return 2
    from aitrack.capture.resolve import resolve

    path = resolve(cmd[0])
    if path is None:
        sys.stderr.write(f"aitrack: {cmd[0]}: command not found\n")
        return 127
    if os.environ.get("AITRACK_SESSION_ID") or os.environ.get("AITRACK_DISABLE", "").strip() == "1":
        proc.exec_direct(path, cmd)
    provider = provider or TOOL_PROVIDERS.get(os.path.basename(cmd[0]), "generic")
    pty = os.isatty(0) and os.isatty(1)
    try:
        return _recorded(path, cmd, provider, pty)
    except _NotStarted:
        proc.exec_direct(path, cmd)


class _NotStarted(Exception):
    """aitrack failed before the tool started: the caller execs it directly instead."""


def _recorded(path: str, cmd: list[str], provider: str, pty: bool) -> int:
    try:
        session, session_env = begin(cmd, path, provider, pty, record_input=pty and _record_input())
        env = {**TOOL_ENV.get(os.path.basename(cmd[0]), {}), **os.environ, **session_env}
    except Exception as exc:  # unwritable data dir, disk full, a bug: the tool runs all the same
        raise _NotStarted from exc
    from aitrack.capture.live import start_live

    start_live(session.dir)  # unless AITRACK_LIVE=0: the run kept current while the agent works
    if pty:
        from aitrack.capture.pty_ import Relay, StartError

        try:
            relay = Relay(path, cmd, env, session)
        except Exception as exc:  # termios.error: stdin is a tty we cannot configure
            raise _NotStarted from exc
        try:
            status = relay.run()
        except StartError as exc:
            raise _NotStarted from exc
    else:
        try:
            status = proc.run_plain(path, cmd, env)
        except OSError as exc:  # posix_spawn failed: the tool did not start
            raise _NotStarted from exc
    code, sig = proc.exit_code(status)
    end(session, code, sig)
    return code
