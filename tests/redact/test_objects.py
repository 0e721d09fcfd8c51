"""redact_obj: JSON-like values, where a secret-named key gives a bare value its context."""
from __future__ import annotations

from collections import Counter

from aitrack.redact import redact_obj
from redact.corpus import BARE


def test_secret_named_keys_hide_bare_values() -> None:
    found: Counter[str] = Counter()
    doc = {
        "env": {"DB_PASSWORD": "hunter22", "API_TOKEN": "q7Zr-Lm2x", "PORT": "8080"},
        "config": {"password": "s3cr3t-Pw!", "client_secret": "Zq8vN2pLx4Yt", "sort_key": "created_at"},
        "args": {"token": "$GITHUB_TOKEN", "password": "str", "api_key": None, "max_tokens": 4096},
    }
    out = redact_obj(doc, found)
    assert out["env"] == {"DB_PASSWORD": "[REDACTED:password]", "API_TOKEN": "[REDACTED:secret_assignment]", "PORT": "8080"}
    assert out["config"] == {"password": "[REDACTED:password]", "client_secret": "[REDACTED:secret_assignment]",
                             "sort_key": "created_at"}
    assert out["args"] == doc["args"]  # references, type names, None and numbers stay
    assert found == {"password": 2, "secret_assignment": 2}


def test_secret_keys_lists_tuples_and_scalars() -> None:
    tok = BARE[4].value
    doc = {tok: [1, 2.5, True, None, ("x", f"use {tok}")], "ok": "fine"}
    out = redact_obj(doc)
    assert out == {"[REDACTED:github_token]": [1, 2.5, True, None, ("x", "use [REDACTED:github_token]")], "ok": "fine"}
    assert doc[tok][4][1] == f"use {tok}"  # a copy: the input is not changed
