"""Console entry points. Standard library only until we know the command is not `run`.

`aitrack run …` and the `<tool>-with-tracking` commands go straight to the capture wrapper, so the
wrapped tool starts without paying for click (or anything else) being imported.
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "run":
        from aitrack.capture.run import main as run_main

        return run_main(args[1:])
    from aitrack.cli import main as cli_main

    return cli_main(args)


def _with_tracking(tool: str) -> int:
    from aitrack.capture.run import main as run_main

    return run_main([tool, "--", *sys.argv[1:]])


def claude_with_tracking() -> int:
    return _with_tracking("claude")


def codex_with_tracking() -> int:
    return _with_tracking("codex")


def gpt_with_tracking() -> int:
    return _with_tracking("gpt")


def gemini_with_tracking() -> int:
    return _with_tracking("gemini")


def aider_with_tracking() -> int:
    return _with_tracking("aider")


if __name__ == "__main__":
    sys.exit(main())
