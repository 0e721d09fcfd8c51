"""`aitrack import [claude|codex|gemini|aider|all] [PATH…]`: backfill past sessions, idempotently."""
from __future__ import annotations

from aitrack import output


def import_sessions(agent: str = "all", paths: list[str] | None = None, progress: bool = True) -> int:
    from aitrack.backfill.run import run_import
    from aitrack.store.mlflow_store import MlflowStore

    show = output.progress if progress and output.stderr_is_tty() else None
    result = run_import(agent, list(paths or []), MlflowStore(), show, lambda w: output.err(f"aitrack: {w}"))
    for problem in result.failed:
        output.err(output.bad(problem))
    output.out(f"{result.found} session(s) found: {result.logged} imported, {result.skipped} already there"
               + (f", {len(result.failed)} failed (run again to retry)" if result.failed else ""))
    return 1 if result.failed else 0
