"""aitrack: record AI coding-assistant sessions, log them to MLflow, link them to commits.

Kept import-free on purpose: `aitrack run` starts the wrapped tool before anything heavy loads.
"""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # `aitrack.procedure(...)` loads the procedure API on first use only: `import aitrack` stays free.
    if name in ("procedure", "log_metric"):
        from aitrack.procedures import api

        return getattr(api, name)
    raise AttributeError(f"module 'aitrack' has no attribute {name!r}")
