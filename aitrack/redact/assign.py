"""Secrets found by their name: `API_KEY=…`, `export DB_PASSWORD=…`, `"api_key": "…"`,
`password: …` (YAML), `--token …`, `client_secret = '…'`.

A regex alone either misses these or flags every `password=password` in Python code, so a cheap
scan finds the secret words, the key around each is classified from its name components, and the
value must look like a literal secret (not a reference, a placeholder, a type or an identifier).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from aitrack.redact import values as V
from aitrack.redact.rules import ASSIGN_PRIORITY, HIGH_ENTROPY, PASSWORD, SECRET_ASSIGNMENT

_WORD_LIST = ("pass", "pwd", "secret", "token", "key", "credential", "auth")
_WORDS = re.compile("(?i)" + "|".join(_WORD_LIST))
_KEYCHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_COMPONENT = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_ENV_KEY = re.compile(r"[A-Z][A-Z0-9_]*\Z")
# After the key: a closing quote, the operator, an opening quote, the value (line-bound).
_VALUE = (
    r"[ \t]*(?:\\?\"(?P<dq>(?:[^\"\\\n]|\\[^\"\n]){0,1000})\\?\""
    r"|\\?'(?P<sq>[^'\\\n]{0,1000})\\?'"
    r"|(?P<bare>[^\s\"'`,;&|<>(){}\\]{1,1000}))"
)
_ASSIGN = re.compile(r"(?:\\?[\"'])?[ \t]*(?P<op>:=|=>|=(?!=)|:(?![:/\\]))" + _VALUE)
_FLAG = re.compile(r"(?P<op>=|[ \t]+)" + _VALUE)

_PASSWORD_WORDS = frozenset({"password", "passwd", "passphrase", "pwd", "pass", "pw"})
_SECRET_WORDS = frozenset({"secret", "token", "apikey", "credential", "credentials", "auth", "authtoken",
                           "accesstoken", "secretkey", "privatekey", "accesskey"})
_KEY_OWNERS = frozenset({"api", "access", "secret", "private", "auth", "master", "encryption", "signing",
                         "client", "account", "app", "service", "license", "deploy", "webhook", "admin",
                         "subscription", "consumer", "storage", "shared", "session", "jwt", "hmac"})
# Trailing components that do not change what the key holds: SECRET_KEY_BASE, TOKEN_VALUE.
_NEUTRAL_TAIL = frozenset({"base", "value", "b64", "base64", "raw", "str", "plain", "env"})
# Any of these in the name means it holds something else: max_token, token_type, secret_name.
_NOT_SECRET = frozenset({"max", "min", "count", "limit", "num", "size", "len", "length", "type", "name",
                         "id", "ids", "path", "file", "dir", "url", "uri", "endpoint", "header", "prefix",
                         "format", "usage", "expires", "expiry", "expiration", "ttl", "timeout", "cost",
                         "budget", "kind", "mode", "field", "param", "index", "idx", "policy", "strength",
                         "reset", "hint", "label", "required", "enabled", "provider", "method", "scope",
                         "scopes", "ref", "version", "fingerprint", "pub", "public", "sig", "signature"})

Hit = tuple[int, int, str, int]  # start, end, rule name, priority


def classify(key: str) -> str | None:
    """The rule a key's value falls under: password, secret_assignment, high_entropy_secret or None."""
    comps = [c.lower() for c in _COMPONENT.findall(key)]
    while len(comps) > 1 and comps[-1] in _NEUTRAL_TAIL:
        comps.pop()
    if not comps or any(c in _NOT_SECRET for c in comps):
        return None
    last = comps[-1]
    if last in _PASSWORD_WORDS or last.endswith("password"):
        return PASSWORD
    if last in _SECRET_WORDS or last.endswith(("secret", "apikey")):
        return SECRET_ASSIGNMENT
    if last == "key":
        return SECRET_ASSIGNMENT if len(comps) > 1 and comps[-2] in _KEY_OWNERS else HIGH_ENTROPY
    return None


def is_env_key(key: str) -> bool:
    """`DB_PASSWORD`: the shell/dotenv style, where any literal value is the secret itself."""
    return bool(_ENV_KEY.match(key))


def value_ok(rule: str, value: str, *, env_style: bool, quoted: bool) -> bool:
    """Is this value a literal secret for a key classified as `rule`?"""
    v = value.strip()
    if V.has_marker(v) or V.is_placeholder(v) or V.is_path(v) or V.is_short_number(v):
        return False
    if rule == HIGH_ENTROPY:
        return V.is_high_entropy(v)
    if len(v) < (3 if env_style else 4):
        return False
    if env_style:  # `PASSWORD=hunter` in a shell or .env file: any literal counts
        return not (v.startswith("-") and not quoted)
    if any(c.isspace() for c in v) or V.is_wordish(v):
        return False
    return quoted or not V.is_code_ref(v)


def _word_hits(text: str, lowered: str | None) -> list[tuple[int, int]]:
    """Where a secret word starts and ends: `find` loops on the lowercased text (C speed), or a
    case-insensitive regex when lowercasing changed the length (a few non-ASCII characters)."""
    low = lowered if lowered is not None else text.lower()
    if len(low) != len(text):
        return [m.span() for m in _WORDS.finditer(text)]
    out: list[tuple[int, int]] = []
    for w in _WORD_LIST:
        i = low.find(w)
        while i >= 0:
            out.append((i, i + len(w)))
            i = low.find(w, i + 1)
    out.sort()
    return out


def find(text: str, allowed: Callable[[str], bool], lowered: str | None = None,
         others: Iterable[tuple[int, int]] = ()) -> Iterator[Hit]:
    """Every assignment of a secret in `text`, as (start, end, rule, priority) of the value.

    `others` are the spans other rules will replace: a key never reaches into one, so the key
    read now is the key read next to the marker on a second pass (idempotent).
    """
    edges = {e for span in others for e in span}
    last_end = -1
    n = len(text)
    for ws, we in _word_hits(text, lowered):
        if ws < last_end:
            continue
        i, j = ws, we
        while i > 0 and text[i - 1] in _KEYCHARS and ws - i < 64 and i not in edges:
            i -= 1
        while j < n and text[j] in _KEYCHARS and j - we < 64 and j not in edges:
            j += 1
        last_end = j
        key = text[i:j]
        flag = key.startswith("-")
        key = key.lstrip("-.")
        rule = classify(key)
        if rule is None:
            continue
        a = (_FLAG if flag else _ASSIGN).match(text, j)
        if a is None:
            continue
        group = "dq" if a.group("dq") is not None else "sq" if a.group("sq") is not None else "bare"
        start, end = a.span(group)
        value = a.group(group)
        env_style = bool(_ENV_KEY.match(key)) and a.group("op") in ("=", ":")
        if allowed(value) or not value_ok(rule, value, env_style=env_style, quoted=group != "bare"):
            continue
        last_end = end
        yield start, end, rule, ASSIGN_PRIORITY
