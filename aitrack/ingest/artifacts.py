"""What a run's artifacts are, staged in a private temporary folder — redacted before they leave
the session folder: raw terminal output, cleaned transcript, the agent's own log(s), session.json
and an asciicast file for replay.

Layout in the run: `session.json`, `transcript.txt`, `terminal/output.raw`, `terminal/session.cast`,
`agent_log/<file name>`.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from aitrack.sessiondir import ARTIFACTS, OUTPUT, RECORD, TIMING, TRANSCRIPT
from aitrack.sessionrecord import SessionRecord


def stage(session_dir: Path, record: SessionRecord, dest: Path, warnings: list[str]) -> Path:
    """Fill `dest` with the run's artifacts; problems with optional parts go to `warnings`."""
    os.chmod(dest, 0o700)
    shutil.copyfile(session_dir / RECORD, dest / RECORD)
    if (session_dir / TRANSCRIPT).is_file():
        shutil.copyfile(session_dir / TRANSCRIPT, dest / TRANSCRIPT)  # redacted by the local stage
    raw_path = session_dir / OUTPUT
    if raw_path.is_file():
        terminal = dest / "terminal"
        terminal.mkdir(mode=0o700)
        staged_raw = terminal / OUTPUT
        _redact_copy(raw_path, staged_raw, binary=True)
        try:
            _asciicast(staged_raw, session_dir, record, terminal / "session.cast")
        except Exception as exc:  # replay is a nicety; the raw bytes are already staged
            warnings.append(f"asciicast conversion failed: {exc}")
    logs = [Path(p) for p in record.agent_logs]
    if logs:
        folder = dest / "agent_log"
        folder.mkdir(mode=0o700)
        for i, log in enumerate(logs):
            name = log.name if not (folder / log.name).exists() else f"{i}-{log.name}"
            try:
                _redact_log(log, folder / name)
            except OSError as exc:
                (folder / name).unlink(missing_ok=True)
                warnings.append(f"agent log {log} unreadable: {exc}")
    kept = session_dir / ARTIFACTS  # `aitrack track --artifact`: the user's own files, as given
    if kept.is_dir():
        shutil.copytree(kept, dest / ARTIFACTS)
    return dest


def _redact_copy(src: Path, dst: Path, *, binary: bool) -> None:
    """Redact `src` into `dst` as a stream: a session's output.raw or agent log of any size needs
    memory for a line or two (StreamRedactor gives what redacting the whole would)."""
    from aitrack.redact import StreamRedactor

    stream = StreamRedactor(binary=binary)
    enc, errors, b = (None, None, "b") if binary else ("utf-8", "replace", "")
    with open(src, "r" + b, encoding=enc, errors=errors) as fin, \
            open(dst, "w" + b, encoding=enc, errors=errors) as fout:
        while chunk := fin.read(1 << 16):
            fout.write(stream.feed(chunk))
        fout.write(stream.close())


def _redact_log(src: Path, dst: Path) -> None:
    """An agent log redacted on its decoded JSON strings (see redact.jsonlog), line by line."""
    from aitrack.redact import default_redactor
    from aitrack.redact.jsonlog import redact_json_log

    with open(src, encoding="utf-8", errors="replace") as fin, \
            open(dst, "w", encoding="utf-8", errors="replace") as fout:
        redact_json_log(fin, fout, default_redactor(), whole=src.suffix == ".json")


def _asciicast(staged_raw: Path, session_dir: Path, record: SessionRecord, out: Path) -> None:
    """Built from the REDACTED bytes: the timing file's chunk sizes describe the original stream,
    so chunks after a replaced secret shift by a few bytes — a replay drift, never a leak."""
    from aitrack.parse.terminal.asciicast import to_asciicast

    meta = record.meta
    timing = session_dir / TIMING
    to_asciicast(
        staged_raw, timing if timing.is_file() else None, int(meta.term_cols or 80),
        int(meta.term_rows or 24), out, title=str(record.session_id or ""),
        timestamp=int(meta.started_at_epoch) if isinstance(meta.started_at_epoch, (int, float)) else None,
    )
