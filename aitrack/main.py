"""Console entry points. Standard library only until we know the command is not `run`, `init` or a
hot command (`show`, `blame`).

`aitrack run …` and the `<tool>-with-tracking` commands go straight to the capture wrapper, so the
wrapped tool starts without paying for click (or anything else) being imported. `aitrack init
SHELL` runs from every interactive shell's rc file, so it skips click too, and so does a
well-formed `aitrack show …`, which is timed against `git log -1`.
"""
from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

SHELLS = ("bash", "zsh", "fish")
_site: list[bool] = []  # load_site ran


def load_site() -> None:
    """What `site` does at start-up (.pth files, sitecustomize, the user's site-packages), for a
    process started with `python -S` (the installed command files, resources/shell/command.py).
    The hot commands run without it; everything else, click first, needs the environment whole."""
    if _site or not sys.flags.no_site:
        return
    _site.append(True)
    if _SiteOnDemand in sys.meta_path:
        sys.meta_path.remove(_SiteOnDemand)
    import site

    site.main()


class _SiteOnDemand:
    """Last on sys.meta_path under `python -S`: a top-level module nothing else found (a library
    a hot command reaches on an unusual path: mlflow when the record is on the server) loads site,
    then is looked for again."""

    @classmethod
    def find_spec(cls, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if path is not None:
            return None  # a submodule: its package was found without site
        load_site()
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec: ModuleSpec | None = find(name, None, target) if find is not None else None
            if spec is not None:
                return spec
        return None


if sys.flags.no_site and not _site:
    sys.meta_path.append(_SiteOnDemand)


def _run(argv: list[str]) -> int:
    try:
        from aitrack.capture.run import main as run_main
    except Exception:  # a broken install must not stand between the user and the tool
        return _exec_fallback(argv)
    return run_main(argv)


def _exec_fallback(argv: list[str]) -> int:
    import os
    import shutil
    import signal

    args = argv[argv.index("--") + 1:] if "--" in argv else [a for a in argv if not a.startswith("-")]
    path = shutil.which(args[0]) if args else None
    if not path:
        sys.stderr.write("aitrack: broken install and no tool to run\n")
        return 127
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.execv(path, args)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "run":
        code = _run(args[1:])
        if argv is None:  # the console script: the session files are closed, skip the interpreter's teardown
            _fast_exit(code)
        return code
    if len(args) == 2 and args[0] == "init" and args[1] in SHELLS:
        from aitrack.commands.init import init

        return init(args[1])
    from aitrack.hot import dispatch

    hot = dispatch(args)  # a well-formed hot command (`show`, `blame`) runs without click
    if hot is not None:
        if argv is None:  # the console script: nothing left open, skip the interpreter's teardown
            _fast_exit(hot)
        return hot
    load_site()
    from aitrack.cli import main as cli_main

    return cli_main(args)


def _fast_exit(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    import os

    os._exit(code)


def with_tracking() -> int:
    """`<tool>-with-tracking ARGS…` (one console script per agent, pyproject.toml): `aitrack run -- <tool>
    ARGS…`, the tool named by the script's own name."""
    name = sys.argv[0].rsplit("/", 1)[-1]
    tool = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
    code = _run(["--", tool, *sys.argv[1:]])
    _fast_exit(code)
    return code


SUFFIX = "-with-tracking"


if __name__ == "__main__":
    sys.exit(main())
