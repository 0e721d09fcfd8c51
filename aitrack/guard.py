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
    except Exception:  # a bug: keep the traceback, show one line
        return report_bug()
    return code or 0


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
