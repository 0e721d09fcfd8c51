"""`gpt`: the seed's command name, kept so `gpt-with-tracking` and `tags.provider = "gpt"` work as
they did. No log of its own: its session is read from the terminal transcript."""
from __future__ import annotations

from pathlib import Path

NAME = "gpt"
PROVIDER = "gpt"
LABEL = "gpt (seed compatibility)"
SEED_ONLY = True  # no shell function, no README row, no doctor line
TESTED_VERSION = ""
INSTALL_HINT = ""
NO_TRAILER = ""
READS = ""
PARSER = ""
SCREEN = "gpt"
SCREEN_RANK = 900  # its place in the screen detection order (a tie goes to the earlier)


def log_roots() -> list[Path]:
    return []


def wanted(folder: Path, name: str) -> bool:
    return False


def locate(real: str, cwd: str, window: tuple[float, float], ids: set[str]) -> list[Path]:
    return []


PRICES = "openai"  # genai-prices' provider id for its models
OTEL_SYSTEM = "openai"
