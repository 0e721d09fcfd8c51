"""A rendered transcript loses what the raw bytes had whole: keys wrapped at the margin, tokens a
TUI drew apart with cursor jumps. `redact_transcript` removes those pieces too."""
from __future__ import annotations

from collections import Counter

from aitrack.parse.terminal import render_transcript
from aitrack.redact import redact_bytes, redact_text, redact_transcript
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
