"""Reading `Aitrack-Session:` trailers without a regex (vcs/commit.trailer_ids) finds what the
regex it replaced found: one word on its own line, any case, indented too (squash merges)."""
from __future__ import annotations

import re

import pytest

from aitrack.commands.show import secretish
from aitrack.vcs.commit import trailer_ids

# The regex `show` used before it stopped importing `re`: the reference.
TRAILER = re.compile(r"^[ \t]*Aitrack-Session:[ \t]*(\S+)[ \t]*$", re.M | re.I)
SECRETISH = re.compile(r"[A-Za-z0-9_+/=.-]{12,}|://|(?i:pass|secret|token|key|auth|bearer|basic|-----)")

MESSAGES = [
    "Fix\n\nAitrack-Session: 20261127T030000000Z-abcdef\n",
    "Squash\n\n* one\n\n    Aitrack-Session: a1\n\n* two\n\n    aitrack-session:\tb2 \t\nAITRACK-SESSION: a1\n",
    "x\n\nAitrack-Session: two words\nAitrack-Session:\nAitrack-Session:   \nAitrack-Session: ok\r\n",
    "x\nnot at the start Aitrack-Session: s1\nAitrack-Session : s2\nAitrack-Sessions: s3\n\tAitrack-Session:s4",
    "Aitrack-Session: s5\x0b\nAitrack-Session: \u00e9t\u00e9\nAitrack-Session: a\u00a0b\nAitrack-Session: last",
    "", "\n\n", "no trailer at all",
]


@pytest.mark.parametrize("message", MESSAGES)
def test_the_same_ids_as_the_regex(message: str) -> None:
    assert trailer_ids(message) == list(dict.fromkeys(TRAILER.findall(message)))


def test_what_is_found() -> None:
    assert trailer_ids(MESSAGES[1]) == ["a1", "b2"]
    assert trailer_ids(MESSAGES[3]) == ["s4"]


@pytest.mark.parametrize("text", [
    "commit 0", "Fix login (#583)", "a_long_identifier", "short words only here", "see https://x.org",
    "PASSWORD reset", "sk-ant-abcdefghij", "ab cd efghijklmno", "abcdefghijk", "abcdefghijkl", "x" * 11 + " y",
    "-----BEGIN", "Bearer", "key", "monkey", "üüüüüüüüüüüüüü", "a/b/c/d/e/f/g", "a b\tc\nd", "",
])
def test_secretish_is_the_regex_it_replaced(text: str) -> None:
    assert secretish(text) == bool(SECRETISH.search(text))
