"""The one error handler of every command: AitrackError → one line, exit 1; ^C → 130; a closed
pipe → 141; a bug → one line, exit 3, the traceback in the log file.

Standard library only: the hot commands (aitrack/hot.py) run through it without click, and the
click CLI (cli.py) through it too, so both answer a failure alike.
"""
from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

from aitrack import output
from aitrack.errors import AitrackError


def guarded(call: Callable[[], int | None]) -> int:
    """Run `call` and turn whatever it raises into the exit code the user sees."""
    try:
        code = call()
    except AitrackError as exc:
        output.err(f"aitrack: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:  # a command's sys.exit(code)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BrokenPipeError:
        return 141
    except OSError as exc:
        broken = _broken_data_dir(exc)
        if broken is None:
            return report_bug()
        output.err(f"aitrack: {broken}")
        return 1
    except Exception:  # a bug: keep the traceback, show one line
        return report_bug()
    return code or 0


def _broken_data_dir(exc: OSError) -> str | None:
    """A data dir that is a file, unreadable or full is the machine's problem, not a bug: one line
    saying which path and what to do (sync, sessions, doctor printed a traceback)."""
    try:
        from aitrack.paths import data_root

        root = data_root()
    except Exception:
        return None
    names = [str(n) for n in (exc.filename, exc.filename2) if n]
    if not any(n == root or n.startswith(root + "/") for n in names):
        return None
    return (f"aitrack's data dir {root} is unusable ({exc.strerror or exc}: {names[0]}); "
            "repair it or point AITRACK_HOME elsewhere")


def report_bug() -> int:
    import traceback

    from aitrack.paths import data_dir, ensure_private_dir

    try:
        log_dir = ensure_private_dir(data_dir() / "logs")
        log = log_dir / "error.log"
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        where = str(log)
    except OSError:
        where = "stderr"
        traceback.print_exc()
    output.err(f"aitrack: internal error ({sys.exc_info()[1]!r}); details in {where}")
    return 3
