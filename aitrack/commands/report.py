"""`aitrack report [--out report.html] [--since 90d]`: one self-contained HTML file with plots."""
from __future__ import annotations

import os
from pathlib import Path

from aitrack import output
from aitrack.errors import AitrackError


def report(out: str = "aitrack-report.html", since: str | None = None) -> int:
    from aitrack.report.data import load_runs, parse_since
    from aitrack.report.html import render

    parse_since(since)
    rows = load_runs("", since)
    path = Path(out)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(render(rows), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AitrackError(f"cannot write {out}: {exc.strerror or exc}") from None
    output.out(f"wrote {path} ({len(rows)} runs)")
    return 0
