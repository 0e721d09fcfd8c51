"""aitrack.jsonread: json.loads's own C scanner without importing json — the same values, and a
ValueError wherever json.loads raises one."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from aitrack import jsonread

DOCUMENTS = [
    '{"a": [1, -2.5e3, null, true, false, "x\\u00e9\\n\\"q\\""], "b": {}}', " [] ", "12", '"s"', "-0", "1E400",
    "[NaN, Infinity, -Infinity]", '{"a": 1, "a": 2}', '\n\t{"deep": [[[[{"x": "\\ud83d\\ude00"}]]]]}\r\n',
    json.dumps({"session_id": "x", "prompts": ["é" * 50, "\x00\x1b[2J"], "n": 10**30}),
]
BROKEN = ["", " ", "{", "[1] x", '{"a":1,}', "nul", "[1,]", "'s'", '"\x01"', '{"a" 1}', "01", "[", "]", "\ufeff{}"]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_same_values_as_json_loads(text: str) -> None:
    ours, theirs = jsonread.loads(text), json.loads(text)
    if text.startswith("[NaN"):
        assert math.isnan(ours[0]) and ours[1:] == theirs[1:] == [math.inf, -math.inf]
    else:
        assert ours == theirs and json.dumps(ours) == json.dumps(theirs)


@pytest.mark.parametrize("text", BROKEN)
def test_a_value_error_wherever_json_loads_raises(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        jsonread.loads(text)


def test_read_a_file(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    path.write_text(DOCUMENTS[-1], encoding="utf-8")
    assert jsonread.read(str(path)) == json.loads(DOCUMENTS[-1])
    path.write_bytes(b'{"a": "\xff"}')  # not UTF-8
    with pytest.raises(ValueError):
        jsonread.read(str(path))
    path.write_bytes(b"\xef\xbb\xbf{}")  # as json.load on a UTF-8 text file refuses it
    with pytest.raises(ValueError):
        jsonread.read(str(path))
    with pytest.raises(OSError):
        jsonread.read(str(tmp_path / "missing.json"))
