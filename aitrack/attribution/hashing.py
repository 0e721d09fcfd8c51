"""The content hash of a line, as attribution compares lines (standard library only: `blame`
imports it and is timed against `git blame`)."""
from __future__ import annotations

from hashlib import sha256


def line_hash(line: str) -> str:
    """sha256 of the line without trailing whitespace (and CR), 16 hex characters."""
    return sha256(line.rstrip().encode("utf-8", "surrogatepass")).hexdigest()[:16]


def hashes(text: str) -> list[str]:
    return [line_hash(line) for line in text.splitlines()]
