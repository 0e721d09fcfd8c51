"""JSON reading for the hot commands, without the `json` package.

`import json` pulls in `re`, and `re` pulls in `enum`, `functools` and `collections`: ~4 ms of the
~10 ms `aitrack show` adds to its interpreter. The C scanner that `json.loads` itself runs is in
`_json`, a built-in module, so this is the same parser at the same speed, minus the imports:
`loads(text)` returns what `json.loads(text)` returns, and raises ValueError where it does (the
C code imports json.decoder only to raise its error).
"""
from __future__ import annotations

import _json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_CONSTANTS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}
_WHITESPACE = " \t\n\r"


class _Context:
    """What the C scanner reads off a `json.JSONDecoder()` with the default options."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


_scan = _json.make_scanner(_Context())  # type: ignore[arg-type]  # typeshed wants a scanner: it reads these attributes


def loads(text: str) -> Any:
    """`json.loads(text)` for a str."""
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        value, end = _scan(text, start)
    except StopIteration as stop:
        raise ValueError(f"Expecting value: char {stop.value}") from None
    if text[end:].strip(_WHITESPACE):
        raise ValueError(f"Extra data: char {end}")
    return value


def read(path: str) -> Any:
    """The JSON value in the file at `path`. OSError when unreadable, ValueError when not JSON
    (undecodable UTF-8 included)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if data.startswith(b"\xef\xbb\xbf"):
        raise ValueError("Unexpected UTF-8 BOM")  # as json.loads refuses it
    return loads(data.decode("utf-8"))  # UnicodeDecodeError is a ValueError
