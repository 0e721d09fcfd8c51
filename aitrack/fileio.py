"""Writing a file so that a reader never sees half of it: a temporary file beside it, then rename."""
from __future__ import annotations

import os
from pathlib import Path

from aitrack.errors import AitrackError
from aitrack.sessiondir import write_bytes_atomic


def write_atomic(path: str | os.PathLike[str], text: str, mode: int = 0o644) -> None:
    """Replace `path` with `text`; `mode` 0o600 for anything private (session records)."""
    write_bytes_atomic(path, text.encode("utf-8"), mode)


def write_user_file(out: str, text: str) -> Path:
    """A file the user asked for (`--out`): one-line error when it cannot be written."""
    path = Path(out)
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise AitrackError(f"cannot write {out}: {exc.strerror or exc}") from None
    return path
