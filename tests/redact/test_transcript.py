"""A rendered transcript loses what the raw bytes had whole: keys wrapped at the margin, tokens a
TUI drew apart with cursor jumps. `redact_transcript` removes those pieces too."""
from __future__ import annotations

from collections import Counter

import pytest

from aitrack.parse.terminal import render_transcript
from aitrack.redact import default_redactor, redact_bytes, redact_text, redact_transcript
from aitrack.redact.known import raw_secrets
from redact.corpus import SECRETS, Secret, tui_bytes


def long_pieces(s: Secret) -> list[str]:
    parts = [ln for ln in s.value.splitlines() if not ln.startswith("-----")] if s.rule == "private_key" else [s.value]
    out = []
    for p in parts:
        third = len(p) // 3
        out += [q for q in (p[:third], p[third:2 * third], p[2 * third:]) if len(q) >= 12]
    return out


def test_scattered_and_wrapped_secrets_leave_no_piece_on_the_rendered_screen() -> None:
    raw = b"".join(tui_bytes(s) + b"\r\n" for s in SECRETS)
    screen = render_transcript(raw, 60, 40)  # 60 columns: most lines wrap at the margin
    plain = redact_text(screen)
    assert any(p in plain for s in SECRETS for p in long_pieces(s)), "the case this guards against did not arise"
    found: Counter[str] = Counter()
    out = redact_transcript(screen, raw, found)
    left = [(s.rule, p) for s in SECRETS for p in long_pieces(s) if p in out]
    assert not left
    assert sum(found.values()) >= len(SECRETS)  # (pieces overwritten on screen are not counted)
    # And the raw bytes themselves (what is uploaded as terminal/output.raw) hold no piece either.
    red = redact_bytes(raw)
    assert not [p for s in SECRETS for p in long_pieces(s) if p.encode() in red]


def test_transcript_without_secrets_is_unchanged() -> None:
    raw = b"\x1b[1m$ git log --oneline\x1b[0m\r\n4e49f16 Fix the widget (#42)\r\nsha512-Q8v1pT2yIr7iO5Sl7XrA1mSsG0Q9\r\n"
    screen = render_transcript(raw, 80, 24)
    assert redact_transcript(screen, raw) == screen


def test_raw_bytes_read_as_a_stream_find_what_the_whole_finds() -> None:
    """ingest hands output.raw over in 64 KiB chunks: a chunk border anywhere — mid-secret,
    mid-escape, mid-UTF-8 character — must find the same secrets and give the same transcript."""
    raw = b"\xc3\xa9\xe2\x94\x82 ".join(tui_bytes(s) + b"\r\n" for s in SECRETS)
    screen = render_transcript(raw, 60, 40)
    whole: Counter[str] = Counter()
    expected = redact_transcript(screen, raw, whole)
    assert raw_secrets(default_redactor(), [raw]) == raw_secrets(default_redactor(), [raw[:1], raw[1:]])
    for size in (1, 7, 64, 1000):
        found: Counter[str] = Counter()
        chunks = (raw[i:i + size] for i in range(0, len(raw), size))
        assert redact_transcript(screen, chunks, found) == expected, size
        assert found == whole


def test_windows_overlap_so_a_secret_across_any_cut_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    from aitrack.redact import known

    monkeypatch.setattr(known, "WINDOW", 4096)
    monkeypatch.setattr(known, "OVERLAP", 512)
    pem = next(s for s in SECRETS if s.rule == "private_key").value.replace("\n", "\r\n")
    for secret, rule in ((next(s.value for s in SECRETS if s.rule == "github_token"), "github_token"),
                         (pem, "private_key")):
        for filler, offset in ((b"x ", 3700), (b"\x1b[1mx\x1b[0m\r\n", 3900), (b"y", 4050)):
            for shift in range(0, 300, 23):  # the first window ends inside the secret, or the escape before it
                head = (filler * 4096)[:offset + shift] + b" \x1b[32m"
                data = head + secret.encode() + b"\x1b[0m " + filler * 3000
                chunks = (data[i:i + 100] for i in range(0, len(data), 100))
                assert (secret.replace("\r", ""), rule) in {(v.replace("\r", ""), r) for v, r in
                                                            known.raw_secrets(default_redactor(), chunks)}, shift
