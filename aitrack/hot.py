"""The hot commands, parsed by hand: `aitrack show` is timed against `git log -1`, `blame`
against `git blame`, and `aitrack status` runs at every prompt; importing click alone costs ~40 ms,
most of what a Python start costs.

Only the plain, well-formed command lines are taken here. Anything else (--help, an unknown
option, a bad value, shell completion) returns None and goes to the click CLI, so help texts and
usage errors are click's own, identical by construction (tests/show/test_hot.py compares them).
Standard library only; the command runs through the same error handler as the click CLI.
"""
from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs the hot path ~3 ms; mypy reads the block below all the same
if TYPE_CHECKING:
    from collections.abc import Callable


def _options(args: list[str], flags: dict[str, str], valued: dict[str, Callable[[str], object]],
             positionals: list[str]) -> dict[str, object] | None:
    """{dest: value} for `args`, the positionals appended to `positionals`, or None for anything
    click would answer differently (help, errors) or that is unusual enough to leave to it."""
    kwargs: dict[str, object] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            positionals.extend(args[i:])
            break
        if not arg.startswith("-") or arg == "":
            positionals.append(arg)
            continue
        if arg in flags:
            kwargs[flags[arg]] = True
            continue
        name, eq, value = arg.partition("=")
        if name not in valued:
            return None  # -h, --help, an unknown option, a flag given a value
        if not eq:
            if i >= len(args) or args[i].startswith("-"):
                return None  # a missing value, or one click might read otherwise
            value = args[i]
            i += 1
        try:
            kwargs[name.lstrip("-").replace("-", "_")] = valued[name](value)
        except ValueError:
            return None  # click says why
    return kwargs


def _show(args: list[str]) -> int | None:
    positionals: list[str] = []
    kwargs = _options(args, {"--json": "as_json", "--transcript": "transcript", "--replay": "replay"},
                      {"--speed": float, "--repo": str}, positionals)
    if kwargs is None or len(positionals) > 1:
        return None
    from aitrack.commands import show as cmd
    from aitrack.guard import guarded

    rev = positionals[0] if positionals else "HEAD"
    return guarded(lambda: cmd.show(rev, **kwargs))  # type: ignore[arg-type]


def _blame(args: list[str]) -> int | None:
    positionals: list[str] = []
    kwargs = _options(args, {"--json": "as_json"}, {"--rev": str}, positionals)
    if kwargs is None or len(positionals) != 1:
        return None
    from aitrack.commands import blame as cmd
    from aitrack.guard import guarded

    return guarded(lambda: cmd.blame(positionals[0], **kwargs))  # type: ignore[arg-type]



def _status(args: list[str]) -> int | None:
    positionals: list[str] = []
    kwargs = _options(args, {"--last": "last"}, {"--format": str}, positionals)
    if kwargs is None or positionals:
        return None
    if "format" in kwargs:
        kwargs["fmt"] = kwargs.pop("format")
    from aitrack.commands import status as cmd
    from aitrack.guard import guarded

    return guarded(lambda: cmd.status(**kwargs))  # type: ignore[arg-type]


# `blame` is timed against `git blame` (issue 16); `status` runs at every prompt (issue 17).
COMMANDS: dict[str, Callable[[list[str]], int | None]] = {"show": _show, "blame": _blame, "status": _status}


def dispatch(args: list[str]) -> int | None:
    """The exit code of a hot command run here, or None: the click CLI takes this command line."""
    command = COMMANDS.get(args[0]) if args else None
    if command is None or "_AITRACK_COMPLETE" in os.environ:
        return None
    return command(args[1:])
