"""A team's own formats (`redact.extra_patterns`) and exceptions (`redact.allow`) from the config file."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aitrack import config
from aitrack.errors import AitrackError
from aitrack.redact import Redactor, StreamRedactor, redact_obj, redact_text
from redact.corpus import BARE


@pytest.fixture
def write_config(isolated_home: Path) -> Iterator[object]:
    path = isolated_home / ".config" / "aitrack" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)

    def write(text: str) -> None:
        path.write_text(text)
        config.load.cache_clear()

    yield write
    config.load.cache_clear()


def test_extra_patterns_and_allow_from_the_config_file(write_config) -> None:  # type: ignore[no-untyped-def]
    gh = BARE[4].value
    write_config(
        "[redact]\n"
        'extra_patterns = [{name = "acme_token", pattern = "acme_[A-Za-z0-9]{32}"},\n'
        '                  {name = "acme_pin", pattern = "PIN (?P<s>[0-9]{6})"}]\n'
        f'allow = ["{gh}", "AKIA[A-Z0-9]{{12}}TEST"]\n'
    )
    acme = "acme_" + "Zx9" * 10 + "Q1"
    assert redact_text(f"token {acme} here") == "token [REDACTED:acme_token] here"
    assert redact_text("door PIN 482913 ok") == "door PIN [REDACTED:acme_pin] ok"
    assert redact_text(f"x {gh} y") == f"x {gh} y"  # exact string allowed
    assert redact_text("id AKIAABCDEFGHIJKLTEST") == "id AKIAABCDEFGHIJKLTEST"  # allowed by regex
    assert redact_text("id AKIAABCDEFGHIJKLMNOP") == "id [REDACTED:aws_access_key_id]"
    assert redact_obj({"k": [acme]}) == {"k": ["[REDACTED:acme_token]"]}


@pytest.mark.parametrize("bad", [
    'extra_patterns = [{name = "x", pattern = "("}]',
    'extra_patterns = [{name = "Bad Name", pattern = "a"}]',
    'extra_patterns = [{name = "empty", pattern = "a*"}]',
    'extra_patterns = ["acme_[0-9]+"]',
    'allow = "not-a-list"',
])
def test_bad_config_is_one_clear_error(write_config, bad: str) -> None:  # type: ignore[no-untyped-def]
    write_config("[redact]\n" + bad + "\n")
    with pytest.raises(AitrackError) as exc:
        redact_text("anything")
    assert "redact." in str(exc.value) and "\n" not in str(exc.value)


def test_stream_uses_the_same_rules() -> None:
    r = Redactor([{"name": "acme_token", "pattern": "acme_[0-9]{8}"}])
    s = StreamRedactor(r)
    out = s.feed("a acme_1234") + s.feed("5678 b\nnext ") + s.feed(BARE[4].value[:10]) + s.feed(BARE[4].value[10:]) + s.close()
    assert out == "a [REDACTED:acme_token] b\nnext [REDACTED:github_token]"
    assert s.findings == {"acme_token": 1, "github_token": 1}


def test_binary_stream_of_tui_output_matches_redact_bytes() -> None:
    from aitrack.redact import redact_bytes
    from redact.corpus import SECRETS, tui_bytes

    raw = b"".join(tui_bytes(s) for s in SECRETS)
    for size in (1, 7, 64, 4096):
        s = StreamRedactor(binary=True)
        out = b"".join(s.feed(raw[i:i + size]) for i in range(0, len(raw), size)) + s.close()
        assert out == redact_bytes(raw)
