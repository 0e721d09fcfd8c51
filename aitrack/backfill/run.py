"""`aitrack import`: scan, make folders, log each through the ingest pipeline, with progress."""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aitrack.backfill import sources
from aitrack.backfill.importer import Found, make_folder, scan

IMPORTED = re.compile(r"Z-i[0-9a-f]{12}$")  # folder ids made by importer.folder_id


@dataclass
class Result:
    found: int = 0
    logged: int = 0
    skipped: int = 0  # imported before, or recorded live by the wrapper
    failed: list[str] = field(default_factory=list)


class Progress:
    """`import 12/40 30% 3.1/s ETA 9s` redrawn on stderr; silent when stderr is not a terminal."""

    def __init__(self, total: int, show: Callable[[str, bool], None] | None) -> None:
        self.total, self.show, self.start, self.done = total, show, time.monotonic(), 0

    def step(self, final: bool = False) -> None:
        if not final:
            self.done += 1
        if self.show is None:
            return
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "." * (width - filled)
        self.show(f"import [{bar}] {self.done}/{self.total} {rate:.1f}/s ETA {left:.0f}s", final)


def plan(agent: str, paths: list[str]) -> list[tuple[str | None, list[Path]]]:
    """[(provider or None to detect, files)] for `aitrack import AGENT [PATH…]`."""
    agents = sources.AGENTS if agent == "all" else (agent,)
    if paths:
        roots = [Path(p).expanduser() for p in paths]
        if agent == "all":  # any agent's files under the given paths, each format detected
            files = [f for a in agents for f in sources.files_for(a, roots)]
            return [(None, list(dict.fromkeys(files)))]
        return [(sources.PROVIDER[agent], sources.files_for(agent, roots))]
    return [(sources.PROVIDER[a], sources.files_for(a, sources.default_roots(a))) for a in agents]


def run_import(agent: str, paths: list[str], store: Any, show: Callable[[str, bool], None] | None,
               warn: Callable[[str], None]) -> Result:
    from aitrack.ingest.local import build_record
    from aitrack.ingest.pipeline import Busy, ingest_one
    from aitrack.sessiondir import RECORD, read_run

    found: list[Found] = []
    for provider, files in plan(agent, paths):
        found.extend(scan(files, provider, warn))
    result = Result(found=len(found))
    live = _live_agent_ids(store)
    bar = Progress(len(found), show)
    for item in found:
        try:
            if item.session.agent_session_id and item.session.agent_session_id in live:
                result.skipped += 1  # this session was recorded through the wrapper already
                continue
            folder, _new = make_folder(item)
            if read_run(folder):
                result.skipped += 1
                continue
            if not (folder / RECORD).is_file():
                build_record(folder, agent_logs=[item.path] if item.alone else [], parsed=item.session)
            _run, fresh = ingest_one(folder, store)
            if fresh:
                result.logged += 1
            else:
                result.skipped += 1
        except Busy:
            result.skipped += 1  # a worker is logging it right now
        except Exception as exc:
            result.failed.append(f"{item.path}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
        finally:
            bar.step()
    bar.step(final=True)
    return result


def _live_agent_ids(store: Any) -> set[str]:
    """Agent session ids of runs recorded by the wrapper (not imported), to avoid a duplicate."""
    try:
        rows = store.search_all("tags.`aitrack.agent_session_id` LIKE '%'")
    except Exception:
        return set()
    return {r["tags"]["aitrack.agent_session_id"] for r in rows
            if r["tags"].get("aitrack.agent_session_id") and not IMPORTED.search(str(r.get("session_id") or ""))}
