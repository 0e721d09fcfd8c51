"""Long hostile inputs finish: no rule backtracks catastrophically (the timeout is the guard; a
quadratic rule would need hours on these sizes, a linear one needs well under a second)."""
from __future__ import annotations

import pytest

from aitrack.redact import StreamRedactor, default_redactor, redact_bytes, redact_text

N = 200_000
HOSTILE = {
    "letters": "a" * N,
    "sk_run": "sk-" + "A1" * N,
    "jwt_starts": "-eyJ" * (N // 4) + "." * 10,
    "eyj_dots": ("eyJ" + "a" * 12 + ".") * (N // 16),
    "url_colons": "a://" + ":" * N,
    "url_repeats": "x://u:" * (N // 6),
    "at_signs": "postgres://" + "u:p" * (N // 3) + "@",
    "keys": "password=" * (N // 9),
    "key_words": "tokentokentoken" * (N // 15),
    "quotes": '"api_key": "' + "\\x" * (N // 2),
    "pem_lines": "-----BEGIN RSA PRIVATE KEY-----\n" + ("A" * 64 + "\n") * (N // 65),
    "pem_headers": "-----BEGIN PRIVATE KEY-----\n" * (N // 28),
    "pem_long_line": "-----BEGIN PRIVATE KEY-----\n" + "A" * N,
    "bearer": "Bearer " * (N // 7),
    "authorization": "Authorization: " * (N // 15),
    "wrapped": ("ghp_" + "a1" * 10 + " \u2502\n\u2502 ") * (N // 30),
    "newlines": "\n" * N,
    "escapes": "\x1b[1m" * (N // 4),
    "osc_open": "\x1b]0;" * (N // 4),
    "b64": "QUJD" * (N // 4),
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_finishes(name: str) -> None:
    text = HOSTILE[name]
    out = redact_text(text)
    assert redact_text(out) == out
    redact_bytes(text.encode())


@pytest.mark.timeout(120)
def test_stream_of_one_huge_line_is_flushed() -> None:
    """A TUI that never prints a newline: the stream holds at most about max_pending characters."""
    r = default_redactor()
    s = StreamRedactor(r, max_pending=1 << 16)
    emitted = 0
    for _ in range(64):
        emitted += len(s.feed("x" * 8192 + "\x1b[2K\r"))
        assert len(s._pending) < (1 << 16) + 8192 + 8
    emitted += len(s.close())
    assert emitted == 64 * (8192 + 5)
