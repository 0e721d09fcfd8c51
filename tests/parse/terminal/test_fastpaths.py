"""The renderer's fast paths must agree exactly with what they replace."""
from __future__ import annotations

import random
from difflib import SequenceMatcher

from aitrack.parse.terminal.frames import _opcodes
from aitrack.parse.terminal.tokens import TOKEN, Tokenizer, _drop_ignored


def test_opcodes_match_difflib() -> None:
    rnd = random.Random(7)
    for _ in range(20000):
        alphabet = ["", "", "x", "y", "z", "w", "v"][:rnd.randint(1, 7)]
        a = [rnd.choice(alphabet) for _ in range(rnd.randint(0, 20))]
        b = [rnd.choice(alphabet) for _ in range(rnd.randint(0, 20))]
        if rnd.random() < 0.3:  # a screen scrolled: rows shifted, new ones below
            b = a[rnd.randint(0, 3):] + b[:rnd.randint(0, 3)]
        assert _opcodes(a, b) == SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), (a, b)


def _tokens_one_by_one(chunks: list[bytes]) -> list[tuple[str | None, str]]:
    """What the tokenizer's careful path gives: every chunk through the per-token loop."""
    t = Tokenizer()
    out = []
    for k, chunk in enumerate(chunks):
        final = k == len(chunks) - 1
        text = t._decoder.decode(chunk, final)
        if t._tail:
            text, t._tail = t._tail + text, ""
        if t._skipping is not None:
            text = t._skip(text)
        out += [(m.lastgroup, m.group()) for m in t._tokens(_drop_ignored(text), final)]
    return out


def test_tokenizer_fast_path_agrees() -> None:
    rnd = random.Random(3)
    pieces = [b"\x1b", b"[", b"12", b";", b"H", b"m", b"]0;t", b"\x07", b"\\", b"P", b"abc", b"(", b"B",
              b"7", b"?25h", b"\r\n", b"\xe2\x94", b"\x80", b" x ", b"X", b"_", b"^", b"\x9b"]
    for _ in range(5000):
        data = b"".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        cuts = sorted(rnd.sample(range(len(data) + 1), min(len(data) + 1, rnd.randint(0, 5))))
        chunks = [data[i:j] for i, j in zip([0, *cuts], [*cuts, len(data)])]
        t = Tokenizer()
        fast = [(m.lastgroup, m.group()) for k, c in enumerate(chunks)
                for m in t.feed(c, k == len(chunks) - 1)]
        assert fast == _tokens_one_by_one(chunks), chunks
    assert TOKEN.groupindex["lone"] == 7
