"""`aitrack track NAME [--param k=v]… [--artifact PATH]… -- COMMAND…`: a tracked procedure.

The command's exit status is ours, so `aitrack track build -- make` drops into scripts and CI.
"""
from __future__ import annotations

from aitrack import output
from aitrack.errors import AitrackError


def track(name: str, params: list[str], artifacts: list[str], command: list[str]) -> int:
    from aitrack.procedures import files
    from aitrack.procedures.run import track as run_track

    if not command:
        raise AitrackError("no COMMAND given: aitrack track NAME [--param k=v]… -- COMMAND…")
    try:
        parsed = files.parse_params(params)
        files.check_key(name, "procedure name")
    except ValueError as exc:
        raise AitrackError(str(exc)) from None
    code, _folder = run_track(name, parsed, artifacts, command, warn=lambda w: output.err(f"aitrack: {w}"))
    return code
