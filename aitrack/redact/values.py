"""Checks on a candidate secret value: placeholder or real, random or a word.

Sessions are full of things shaped like secrets that are not: `sk-...`, `YOUR_API_KEY`, `<token>`,
`$GITHUB_TOKEN`, git SHAs, UUIDs, identifiers in code (`password=password`). These checks keep them
out, so a marker in the output means something was really hidden.
"""
from __future__ import annotations

import math
import re
from collections import Counter

MARKER_PREFIX = "[REDACTED:"

# Exact values (lowercased) that name a secret instead of being one.
_PLACEHOLDER_WORDS = frozenset(
    """null none nil true false undefined empty redacted changeme secret password passwd token
    api_key apikey key example sample dummy placeholder string str bytes int bool optional any
    required optional test todo tbd value xxx n/a na hidden masked private public""".split()
)
# Substrings (lowercased) that only occur in documentation, templates and references.
_PLACEHOLDER_PARTS = (
    "your_", "your-", "yourapi", "yourtoken", "yoursecret", "yourpass", "example", "placeholder",
    "xxxx", "****", "...", "\u2026", "<", ">", "${", "$(", "{{", "}}", "redacted", "changeme",
    "change_me", "change-me", "replace_me", "replace-me", "replaceme", "insert_", "insert-", "dummy",
)
_REFERENCE_START = ("$", "%", "{", "<", "[", "*", "#", "@", "&")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")
_HEX = re.compile(r"[0-9a-fA-F]+\Z")
_PATH_START = ("/", "~/", "./", "../", "~\\", "C:\\", "c:\\")
# Code, not a value: `self.token`, `args.api_key`, `TOKEN`, `get_token`, `Optional[str]`.
_DOTTED_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+\Z")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Plain words a person types (`hunter`, `read-only`, `BearerTokenHandler`): letters in word-sized
# pieces. Random letters (`hf_SOAswShOUt…`) fall apart into many one- and two-letter pieces.
_LETTERS = re.compile(r"[A-Za-z]+(?:[_.\- ][A-Za-z]+)*\Z")
_PIECE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def has_marker(value: str) -> bool:
    return MARKER_PREFIX in value


def is_placeholder(value: str) -> bool:
    """`YOUR_API_KEY`, `sk-...`, `<token>`, `$GITHUB_TOKEN`, `${API_KEY}`, `xxxx`, `null`."""
    v = value.strip().strip("\"'`")
    if not v:
        return True
    low = v.lower()
    if low in _PLACEHOLDER_WORDS or v.startswith(_REFERENCE_START):
        return True
    if any(part in low for part in _PLACEHOLDER_PARTS):
        return True
    return len(set(low)) <= 2  # "aaaa", "0000", "-----", "abab"


def is_reference(value: str) -> bool:
    """Looser than `is_placeholder`: only references and templates (used for URL passwords)."""
    v = value.strip()
    return (
        not v
        or v.startswith(_REFERENCE_START)
        or has_marker(v)
        or any(p in v for p in ("${", "$(", "{{", "...", "\u2026", "<", ">"))
        or set(v) <= {"*", "x", "X", "."}
    )


def shannon(value: str) -> float:
    """Bits of entropy per character, measured on the value itself."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def char_classes(value: str) -> int:
    return sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value))
    )


def looks_random(value: str) -> bool:
    """A generated token: mixes letters with digits (or both cases) and is not a word."""
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    mixed_case = any(c.islower() for c in value) and any(c.isupper() for c in value)
    return ((has_digit and has_alpha) or mixed_case) and not is_placeholder(value) and not is_wordish(value)


def is_high_entropy(value: str) -> bool:
    """Random enough to be a key even without a known prefix; never a SHA, UUID or hex hash."""
    if len(value) < 20 or _UUID.match(value) or _HEX.match(value):
        return False
    return looks_random(value) and char_classes(value) >= 2 and shannon(value) >= 3.5


def is_path(value: str) -> bool:
    return value.startswith(_PATH_START)


def is_code_ref(value: str) -> bool:
    """`self.token`, `TOKEN`, `password`, `Optional[str]`, `get_key()`: code, not a literal."""
    if any(c in value for c in "()[]"):
        return True
    if _DOTTED_IDENT.match(value):
        return True
    return bool(_IDENT.match(value)) and not any(c.isdigit() for c in value)


def is_wordish(value: str) -> bool:
    if not _LETTERS.match(value):
        return False
    return sum(len(p) <= 2 for p in _PIECE.findall(value)) <= 1


def is_short_number(value: str) -> bool:
    return value.isdigit() and len(value) < 4


def is_pem_body(value: str) -> bool:
    """A real key block carries base64, not just the `-----BEGIN … PRIVATE KEY-----` line."""
    return bool(_B64_RUN.search(value))


def is_header_value(value: str) -> bool:
    return len(value) >= 8 and not is_reference(value) and not is_placeholder(value) and not is_wordish(value)


def is_basic_credential(value: str) -> bool:
    """`Basic dXNlcjpwYXNz`: base64 of `user:password`, not the word after "basic" in prose."""
    import base64
    import binascii

    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    return ":" in text and text.isprintable() and not is_placeholder(text)


_B64_RUN = re.compile(r"[A-Za-z0-9+/=]{16,}")

CHECKS = {
    "random": lambda v: looks_random(v),
    "not_placeholder": lambda v: not is_placeholder(v),
    "not_reference": lambda v: not is_reference(v),
    "high_entropy": is_high_entropy,
    "pem_body": is_pem_body,
    "header_value": is_header_value,
    "basic_auth": is_basic_credential,
}
