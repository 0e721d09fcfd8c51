"""Every fake secret of the corpus, planted everywhere a session carries text, is replaced by its marker."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from aitrack.redact import redact_bytes, redact_obj, redact_text
from redact.corpus import BARE, SECRETS, Secret, contexts, tui_bytes

_ESC = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|[^\[])")


def pieces(s: Secret) -> list[str]:
    """What must not survive: the value, and for a key block each of its base64 lines."""
    if s.rule == "private_key":
        return [ln for ln in s.value.splitlines() if not ln.startswith("-----")]
    return [s.value]


def assert_hidden(out: str, s: Secret, where: str) -> None:
    for p in pieces(s):
        assert p not in out, f"{s.rule} leaked in {where}: {out[:300]!r}"
    assert f"[REDACTED:{s.rule}]" in out, f"{s.rule}: wrong or no marker in {where}: {out[:300]!r}"


def test_corpus_is_big_and_varied() -> None:
    assert len(SECRETS) >= 25
    assert len({s.rule for s in SECRETS}) >= 25
    assert len({s.value for s in SECRETS}) == len(SECRETS)


@pytest.mark.parametrize("s", SECRETS, ids=lambda s: s.rule)
def test_planted_in_every_context(s: Secret) -> None:
    for where, text in contexts(s).items():
        found: Counter[str] = Counter()
        out = redact_text(text, found)
        assert_hidden(out, s, where)
        assert found[s.rule] >= 1
        # The surrounding text is untouched: only the secret went.
        assert out.count("[REDACTED:") == sum(found.values())


@pytest.mark.parametrize("s", SECRETS, ids=lambda s: s.rule)
def test_in_json_objects(s: Secret) -> None:
    doc = json.loads(json.dumps({"message": {"content": [{"type": "text", "text": s.line}]}, "cwd": "/repo"}))
    out = json.dumps(redact_obj(doc))
    for p in pieces(s):
        assert p not in out
    assert f"[REDACTED:{s.rule}]" in out


@pytest.mark.parametrize("s", SECRETS, ids=lambda s: s.rule)
def test_tui_bytes_with_escape_codes_inside_the_secret(s: Secret) -> None:
    raw = tui_bytes(s)
    assert s.value.encode() not in raw  # the TUI really drew it in pieces
    found: Counter[str] = Counter()
    out = redact_bytes(raw, found)
    visible = _ESC.sub(b"", out).decode()
    for p in pieces(s):
        assert p.encode() not in out
        assert p not in visible
        third = len(p) // 3
        for piece in (p[:third], p[third:2 * third], p[2 * third:]):
            if len(piece) >= 8:
                assert piece.encode() not in out, f"{s.rule}: a piece drawn between escape codes leaked"
    assert f"[REDACTED:{s.rule}]".encode() in out
    # Escape codes inside the secret are kept after the marker, so a replay keeps its state.
    assert b"\x1b[0m" in out and b"\x1b[?2026l" in out
    assert found[s.rule] >= 1


@pytest.mark.parametrize("s", [s for s in BARE if s.rule in ("github_token", "github_pat", "npm_token", "google_api_key",
                                                            "huggingface_token")], ids=lambda s: s.rule)
def test_token_wrapped_by_a_tui_box(s: Secret) -> None:
    """A fixed-length token cut at the edge of a box: both pieces go, the border stays."""
    v = s.value
    prefix = len(re.match(r"[a-z]+_(?:pat_)?|AIza", v).group())
    for cut in (prefix + 1, len(v) // 2, len(v) - 2):
        text = f"\u2502 key: {v[:cut]} \u2502\n\u2502 {v[cut:]}   \u2502\n"
        out = redact_text(text)
        assert v[:cut] not in out and v[cut:] not in out, out
        assert out.count(f"[REDACTED:{s.rule}]") == 2 and out.count("\u2502") == 4


def test_credentials_in_urls_keep_user_and_host() -> None:
    out = redact_text("psql postgres://app:Zq8vN2pLx4@db.internal:5432/shop")
    assert out == "psql postgres://app:[REDACTED:url_password]@db.internal:5432/shop"


def test_osc_title_and_hyperlink_payloads() -> None:
    tok = BARE[4].value  # a GitHub token
    raw = f"\x1b]0;curl -H 'Authorization: token {tok}'\x07\x1b]8;;https://x.io/?t={tok}\x1b\\link\x1b]8;;\x1b\\\r\n"
    out = redact_bytes(raw.encode())
    assert tok.encode() not in out
    assert out.count(b"[REDACTED:github_token]") == 2 and out.endswith(b"link\x1b]8;;\x1b\\\r\n")


def test_non_utf8_bytes_survive() -> None:
    raw = b"\xff\xfe binary \x1b[31m" + BARE[4].value.encode() + b"\x1b[0m \xc3"
    out = redact_bytes(raw)
    assert out == b"\xff\xfe binary \x1b[31m[REDACTED:github_token]\x1b[0m \xc3"
