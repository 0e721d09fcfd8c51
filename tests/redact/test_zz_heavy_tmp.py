"""Properties: idempotent, no change without a match, chunked stream == whole text at every split."""
from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitrack.redact import StreamRedactor, default_redactor, redact_bytes, redact_text
from redact.corpus import SECRETS

# Text built from the pieces secrets and their look-alikes are made of, so the search is not blind.
_FRAGMENTS = [s.value for s in SECRETS[:12]] + [s.line for s in SECRETS[-14:]] + [
    "\n", "\r\n", " ", "=", ": ", '"', "'", "\\n", "\\\"", "@", "://", "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA3k9nQ2x8vF1b6Tr", "API_KEY", "password", "token",
    "Authorization: Bearer ", "Basic ", "ghp_", "sk-", "AKIA", "[REDACTED:github_token]", "\u2502", "$TOKEN",
    "sha512-", "4e49f16a86de76d9b0dc3ea2b8526677abe89f52", "x", "Zq8", "\x1b[1m", "\x1b[0m", "\x1b]0;",
]
texts = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=6)), max_size=14).map("".join)
SETTINGS = settings(max_examples=40000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_idempotent(text: str) -> None:
    once = redact_text(text)
    assert redact_text(once) == once


@SETTINGS
@given(texts)
def test_bytes_idempotent(text: str) -> None:
    once = redact_bytes(text.encode("utf-8", "surrogatepass"))
    assert redact_bytes(once) == once


@SETTINGS
@given(texts)
def test_unchanged_without_a_match(text: str) -> None:
    found: Counter[str] = Counter()
    out = redact_text(text, found)
    if not found:
        assert out == text
    else:
        assert out != text and out.count("[REDACTED:") >= sum(found.values())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_plain_text_unchanged(text: str) -> None:
    # Arbitrary unicode rarely forms a secret; when nothing is found nothing may change.
    found: Counter[str] = Counter()
    assert redact_text(text, found) == text or found


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_stream_equals_whole_at_every_split_point(text: str) -> None:
    r = default_redactor()
    whole = r.redact_text(text)
    for i in range(len(text) + 1):
        s = StreamRedactor(r)
        assert s.feed(text[:i]) + s.feed(text[i:]) + s.close() == whole, i


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=40))
def test_stream_many_small_chunks(text: str, sizes: list[int]) -> None:
    r = default_redactor()
    s = StreamRedactor(r)
    out, pos, k = [], 0, 0
    while pos < len(text):
        n = sizes[k % len(sizes)]
        out.append(s.feed(text[pos:pos + n]))
        pos, k = pos + n, k + 1
    out.append(s.close())
    assert "".join(out) == r.redact_text(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_binary_stream_equals_redact_bytes_at_every_split(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    whole = redact_bytes(data)
    for i in range(0, len(data) + 1, max(1, len(data) // 25)):
        s = StreamRedactor(binary=True)
        assert s.feed(data[:i]) + s.feed(data[i:]) + s.close() == whole, i
