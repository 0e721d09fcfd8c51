"""Recall per format on a planted corpus (#20 item 3): every format the attack run found unredacted,
bare — no key name next to it — on each surface a session has: a line of its own inside a decoded
JSON string, prose, a shell line, JSON text, and raw terminal bytes (escape codes inside the token,
and typed with a backspace correction). The false-positive side is test_false_positives.py (the
fixture corpus and the recorded TUI captures: 0 redactions)."""
from __future__ import annotations

import json
import string

import pytest

from aitrack.redact import StreamRedactor, redact_bytes, redact_obj, redact_text
from redact.corpus import ALNUM, HEX, URLSAFE, rand

BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
FORMATS = {
    "docker_hub_token": "dckr_pat_" + rand(URLSAFE, 27),
    "mailgun_api_key": "key-" + rand(HEX, 32),
    "telegram_bot_token": rand(string.digits, 10) + ":AA" + rand(URLSAFE, 33),
    "age_secret_key": "AGE-SECRET-KEY-1" + rand(BECH32, 58),
    "atlassian_api_token": "ATATT3" + rand(URLSAFE, 183) + "=" + rand("0123456789ABCDEF", 8),
    "databricks_token": "dapi" + rand(HEX, 32),
    "digitalocean_token": "dop_v1_" + rand(HEX, 64),
    "heroku_api_key": "HRKU-AA" + rand(URLSAFE, 58),
    "vault_token": "hvs." + rand(URLSAFE, 90),
    "shopify_token": "shpat_" + rand(HEX, 32),
    "linear_api_key": "lin_api_" + rand(ALNUM, 40),
    "grafana_token": "glsa_" + rand(ALNUM, 32) + "_" + rand(HEX, 8),
    "google_oauth_client_secret": "GOCSPX-" + rand(URLSAFE, 28),
}
CONTEXT = {  # formats that exist only in their context
    "authorization_header": ("Authorization: SSWS 00" + rand(ALNUM, 40), "00"),
    "netrc_password": ("machine api.example.com login deploy password " + rand(ALNUM, 14), "password "),
}


def _surfaces(v: str) -> dict[str, str]:
    return {"own line": f"printed below:\n{v}\n", "prose": f"use {v} for the deploy", "shell": f"curl -u {v}: x",
            "json": json.dumps({"out": v}), "ini": f"[default]\nhost = x\nsecret = {v}\n"}


def _raw(v: str) -> dict[str, bytes]:
    mid = len(v) // 2
    return {"escape codes": f"\x1b[1m{v[:mid]}\x1b[0m\x1b[2m{v[mid:]}\x1b[0m\r\n".encode(),
            "backspace": f"$ export T={v[:mid]}Xy\b \b\b \b{v[mid:]}\r\n".encode(),
            "backspace + EL": f"$ T={v[:mid]}Q\b\x1b[K{v[mid:]}\r\n".encode()}


@pytest.mark.parametrize("rule", sorted(FORMATS))
def test_each_format_is_redacted_bare_on_every_surface(rule: str) -> None:
    v = FORMATS[rule]
    missed = []
    for name, text in _surfaces(v).items():
        out = redact_text(text)
        if v in out or f"[REDACTED:{rule}]" not in out:
            missed.append(name)
    decoded = redact_obj({"content": f"The key is printed below:\n{v}\n"})
    if v in json.dumps(decoded):
        missed.append("decoded JSON string")
    for name, data in _raw(v).items():
        out = redact_bytes(data)
        stream = StreamRedactor(binary=True)
        streamed = b"".join(stream.feed(data[i:i + 7]) for i in range(0, len(data), 7)) + stream.close()
        for got in (out, streamed):
            if v[len(v) // 2:].encode() in got or f"[REDACTED:{rule}]".encode() not in got:
                missed.append(name)
    assert missed == [], f"{rule}: recall {1 - len(missed) / 11:.0%}, missed on {missed}"


@pytest.mark.parametrize("rule", sorted(CONTEXT))
def test_formats_known_by_their_context(rule: str) -> None:
    line, before = CONTEXT[rule]
    secret = line.split(before, 1)[1]
    for text in (line, line.replace(" login", "\n  login").replace(" password", "\n  password")):
        out = redact_text(text)
        assert secret not in out and f"[REDACTED:{rule}]" in out, out


@pytest.mark.parametrize("text", [
    "a key-value store", "default password policy", "the machine password is set by the admin",
    "Authorization: required for every endpoint", "see the defaults\n  password reset\n",
    "dapi is the Databricks prefix", "hvs.prefix", "monkey-patching the key-3f9a1c handler", "chat 123456789:AB not a token",
])
def test_lookalikes_of_the_new_formats_are_left_alone(text: str) -> None:
    assert redact_text(text) == text
