"""Backfill: past sessions from the agents' own log folders → session folders → MLflow runs.

Each past session becomes a session folder like a recorded one (meta.json with `mode: "import"`,
no terminal output), so the same local stage (redaction, commit linking by time and repository,
issue numbers) and the same store stage apply. Its id is derived from the agent's session id (or
file + start time), which makes `aitrack import` idempotent: a second run finds the folders logged.
"""
from __future__ import annotations
