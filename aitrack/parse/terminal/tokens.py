"""Split a terminal byte stream into text runs, controls and escape sequences, chunk by chunk.

A sequence cut between two chunks is held back until the rest arrives, so no chunk boundary can
turn half a sequence into visible text. Strings (OSC, DCS, APC, PM, SOS) are bounded: one that
never ends is dropped after `MAX_STRING` characters instead of growing memory.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

MAX_STRING = 64 * 1024

# One token at a time; `lastgroup` says which kind. Order matters: text first (the common case).
TOKEN = re.compile(
    r"(?P<text>[^\x00-\x1f\x7f-\x9f]+)"
    r"|\x1b\[(?P<csi>[0-?]*[ -/]*[@-~])"
    r"|(?P<ctl>[\x00-\x1a\x1c-\x1f\x7f-\x9f])"
    r"|\x1b\](?P<osc>[^\x07\x1b]*)(?:\x07|\x1b\\)"
    r"|\x1b[P^_X](?P<str>.*?)\x1b\\"
    r"|\x1b(?P<esc>[ -/]*[0-OQ-WYZ\\`-~])"
    r"|(?P<lone>\x1b)",
    re.DOTALL,
)
_LONE_GROUP = TOKEN.groupindex["lone"]
# An ESC that starts none of TOKEN's sequences (a lone one, or one cut off by the chunk's end):
# only then does `feed` need to look at each token. It may also find an ESC inside a string
# (a false alarm, handled by the careful path), never miss one that would be a token of its own.
_LONE = re.compile(r"\x1b(?!\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[P^_X].*?\x1b\\"
                   r"|[ -/]*[0-OQ-WYZ\\`-~])", re.DOTALL)
# Sequences that draw nothing and change nothing a transcript shows, removed in one C-speed pass
# before tokenizing (colours are most of a TUI's bytes; dropping them also joins text runs):
# SGR, OSC (titles, hyperlinks, clipboard, colours), kitty keyboard and other CSI < = > forms,
# mouse/paste/focus/cursor modes, cursor style, keypad modes.
_IGNORED = re.compile(
    r"\x1b\[[0-9;:]*m"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b\[[<=>][0-?]*[ -/]*[@-~]"
    r"|\x1b\[\?(?:1|12|25|1000|1002|1003|1004|1005|1006|1015|1016|2004)(?:;(?:1|12|25|100[0-6]|1015|1016|2004))*[hl]"
    r"|\x1b\[\?[0-9;]*u"
    r"|\x1b\[[0-9]* q"
    r"|\x1b[=>]"
)
# Right after an escape sequence begun but not finished (ESC ESC …, an ESC inside an OSC), an
# ignorable sequence is kept: the tokenizer must see those bytes as they came, or a stream cut
# into chunks would not render like the same stream whole. `sub` keeps group `keep`, drops the rest.
_KEEP = re.compile(r"\x1b(?:\[[0-?]*+[ -/]*+|\][^\x07\x1b]*+|[ -/]*+)(?=\x1b)(?:" + _IGNORED.pattern + ")")
_DROP = re.compile(f"(?P<keep>{_KEEP.pattern})|{_IGNORED.pattern}")


def _drop_ignored(text: str) -> str:
    if _KEEP.search(text) is None:  # the normal case: one pass in C
        return _IGNORED.sub("", text)
    return _DROP.sub(lambda m: m.group("keep") or "", text)


# What the start of an unfinished sequence can look like at the end of a chunk.
_PARTIAL = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[P^_X].*|[ -/]*)\Z", re.DOTALL)
_STRING_END = {"]": re.compile(r"\x07|\x1b\\"), "P": re.compile(r"\x1b\\")}


class Tokenizer:
    """Incremental UTF-8 decoding plus sequence framing; `feed` yields regex matches."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._tail = ""
        self._skipping: re.Pattern[str] | None = None  # inside an over-long string being dropped

    def feed(self, data: bytes, final: bool = False) -> Iterator[re.Match[str]]:
        text = self._decoder.decode(data, final)
        if self._tail:
            text, self._tail = self._tail + text, ""
        if self._skipping is not None:
            text = self._skip(text)
        if "\x1b" in text:
            text = _drop_ignored(text)
            if _LONE.search(text) is not None:
                return self._tokens(text, final)
        return TOKEN.finditer(text)  # the usual case: every token is whole, straight from C

    def _tokens(self, text: str, final: bool) -> Iterator[re.Match[str]]:
        pos, end = 0, len(text)
        while pos < end:
            for m in TOKEN.finditer(text, pos):
                if m.lastindex != _LONE_GROUP:
                    yield m
                    continue
                start = m.start()
                if _PARTIAL.match(text, start):
                    if final:  # the stream ended inside a sequence: drop it
                        return
                    rest = text[start:]
                    if len(rest) <= MAX_STRING:
                        self._tail = rest
                        return
                    # An OSC/DCS that goes on and on (or a broken one): drop it up to its end.
                    self._skipping = _STRING_END["]" if rest[1:2] == "]" else "P"]
                    text = self._skip(rest)
                    pos, end = 0, len(text)
                    break
                # A lone ESC that starts nothing valid: drop it, keep what follows.
            else:
                return

    def _skip(self, text: str) -> str:
        assert self._skipping is not None
        m = self._skipping.search(text)
        if m is None:
            # Keep a trailing ESC: it may be the first half of the terminator.
            self._tail = "\x1b" if text.endswith("\x1b") else ""
            return ""
        self._skipping = None
        return text[m.end():]
