"""Writing a file so that a reader never sees half of it: a temporary file beside it, then rename."""
from __future__ import annotations

import os
from pathlib import Path

from aitrack.errors import AitrackError


def write_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Replace `path` with `text`; `mode` 0o600 for anything private (session records)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_user_file(out: str, text: str) -> Path:
    """A file the user asked for (`--out`): one-line error when it cannot be written."""
    path = Path(out)
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise AitrackError(f"cannot write {out}: {exc.strerror or exc}") from None
    return path
