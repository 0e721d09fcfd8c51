"""aitrack: record AI coding-assistant sessions, log them to MLflow, link them to commits.

Kept import-free on purpose: `aitrack run` starts the wrapped tool before anything heavy loads.
"""
from __future__ import annotations

__version__ = "0.1.0"
