"""Redaction: no secret leaves the session folder.

    from aitrack.redact import redact_text, redact_bytes, redact_obj, StreamRedactor, scan
    redact_text("export GITHUB_TOKEN=ghp_…")   # 'export GITHUB_TOKEN=[REDACTED:github_token]'
    found = Counter(); redact_obj(session_dict, found)   # found == {'github_token': 1}
    redact_bytes(output_raw)                # escape codes inside a token do not hide it
    redact_transcript(rendered, output_raw) # + pieces the terminal wrapped or a TUI scattered
    s = StreamRedactor(); s.feed(chunk) … s.close()   # == redact_text(whole), any chunking

Pure: no mlflow, git or click. The rules are data (`rules.py`, `assign.py`); a team adds its own
formats and exceptions in aitrack's config:

    [redact]
    extra_patterns = [{name = "acme_token", pattern = "acme_[A-Za-z0-9]{32}"}]
    allow = ["AKIAIOSFODNN7EXAMPLE", "sk-test-[0-9]+"]     # exact strings or regexes

Extra patterns must not match across a newline (the stream emits whole lines); a named group `s`
limits the replacement to that part of the match.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from aitrack.redact.engine import Hit, Redactor, marker
from aitrack.redact.known import redact_rendered
from aitrack.redact.objects import redact_obj_with
from aitrack.redact.stream import StreamRedactor
from aitrack.redact.terminal import redact_raw

__all__ = [
    "Hit", "Redactor", "StreamRedactor", "default_redactor", "marker", "redact_bytes", "redact_obj",
    "redact_text", "redact_transcript", "scan",
]


def default_redactor() -> Redactor:
    """The built-in rules plus `redact.extra_patterns` / `redact.allow` from the config file."""
    from aitrack import config

    extra = config.get("redact.extra_patterns", []) or []
    allow = config.get("redact.allow", []) or []
    if not isinstance(extra, list) or not isinstance(allow, list):
        from aitrack.errors import AitrackError

        raise AitrackError("config: redact.extra_patterns and redact.allow must be lists")
    key = repr((extra, allow))
    if key not in _CACHE:  # compiled once per distinct config, not per call
        _CACHE.clear()
        _CACHE[key] = Redactor(extra, allow)
    return _CACHE[key]


_CACHE: dict[str, Redactor] = {}




def redact_text(text: str, findings: Counter[str] | None = None) -> str:
    """`text` with every secret replaced by `[REDACTED:<rule>]`; counts by rule go to `findings`."""
    return default_redactor().redact_text(text, findings)


def redact_bytes(data: bytes, findings: Counter[str] | None = None) -> bytes:
    """Raw terminal output with secrets replaced, even where escape codes split a token."""
    return redact_raw(default_redactor(), data, findings)


def redact_obj(obj: Any, findings: Counter[str] | None = None) -> Any:
    """A copy of a JSON-like value with every string (keys too) redacted; a secret-named key's
    value (`{"password": "hunter2"}`) is redacted whole even without a known format."""
    return redact_obj_with(default_redactor(), obj, findings)


def redact_transcript(rendered: str, raw: bytes | Iterable[bytes], findings: Counter[str] | None = None) -> str:
    """A transcript rendered from `raw` terminal bytes (or their chunks, read as a stream), redacted
    by the rules *and* by the secrets found in `raw`: the pieces of a key the terminal wrapped at
    the margin, or a TUI drew apart with cursor jumps, are no longer recognisable on screen but are
    still secret."""
    return redact_rendered(default_redactor(), rendered, raw, findings)


def scan(text: str) -> Counter[str]:
    """What `redact_text` would hide, as counts by rule name (the text itself is not kept)."""
    found: Counter[str] = Counter()
    default_redactor().redact_text(text, found)
    return found
