"""aitrack's parser core: agents' session logs and terminal transcripts → `Session` records.

Pure: imports nothing from mlflow, git or click, so it can be used alone::

    from aitrack.parse import parse_path
    session = parse_path("~/.claude/projects/-home-me-repo/0b1c….jsonl")
"""
from __future__ import annotations

from aitrack.parse.record import Command, Detection, Metrics, Session, ToolCall, provider_for_tool

__all__ = ["Command", "Detection", "Metrics", "Session", "ToolCall", "provider_for_tool"]
