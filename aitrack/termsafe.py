"""Printable text only: what aitrack prints from untrusted sources cannot drive the terminal.

Prompts, commands, paths, commit subjects and run names come from agents, teammates' sessions on a
shared server and anyone who can write a commit message. Printed as they are, an OSC 52 writes the
viewer's clipboard, OSC 0/8 retitle the window or plant links, CSI 2J clears the screen, CSI 21t /
DA / DSR make the terminal type an answer into the shell. Pure (standard library only): used by
output.py for every line and by the commands for each untrusted field.

- `printable(text)`: escape sequences (CSI, OSC, DCS, SOS, PM, APC, two-byte ESC) removed whole,
  their 8-bit C1 forms too, then every other C0/C1 control and DEL; `\\n` and `\\t` stay unless
  `one_line`. Colours (SGR) stay only with `keep_sgr` — what aitrack's own `style()` adds.
- `csv_cell(text)`: printable, and a leading `= + - @` neutralised (a spreadsheet formula).
- `replay_filter(data)`: recorded terminal bytes for `show --replay` without OSC 52 and without
  the sequences that make the terminal answer (queries), everything else as recorded.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

# The patterns are compiled on first use: `show` prints through here, and on its usual text (no
# control character) it decides with str.isprintable, never paying for importing `re`.
# One alternation, tried left to right: string sequences (to their terminator, or the end of the
# text when it never comes), CSI, other ESC sequences, a lone ESC.
_SEQ = (
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|(?=\x1b)|\Z)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[ -/]*[0-~]?"
)
_SGR = r"\x1b\[[0-9;:]*m\Z"
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"
_ANY = _SEQ + r"|[\x00-\x1f\x7f-\x9f]"
_NUMBER = r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_NEWLINE_TAB = {ord("\n"): None, ord("\t"): None}


def _re(pattern: str) -> re.Pattern[str]:
    import re  # re caches what it compiled: a dictionary look-up after the first call

    return re.compile(pattern)


def _re_bytes(pattern: bytes) -> re.Pattern[bytes]:
    import re

    return re.compile(pattern)


def printable(text: str, *, one_line: bool = False, keep_sgr: bool = False) -> str:
    """`text` without escape sequences and control characters (see the module docstring)."""
    if text.isprintable():
        return text  # the usual case: C0, DEL and C1 (every escape sequence starts with one) are not
    if text.translate(_NEWLINE_TAB).isprintable():  # nothing to remove but newlines and tabs
        return text.replace("\n", " ").replace("\t", " ") if one_line else text
    control = _re(_CONTROL)
    sgr = _re(_SGR)

    def repl(m: re.Match[str]) -> str:
        s = m.group()
        if len(s) == 1 and not control.match(s):  # \t or \n
            return " " if one_line else s
        if len(s) == 1 and s != "\x1b":
            return " " if one_line and s == "\r" else ""
        return s if keep_sgr and sgr.match(s) else ""

    return _re(_ANY).sub(repl, text)


_FORMULA = ("=", "+", "-", "@")


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: printable, on one line, never a formula
    (`-1` stays a number)."""
    clean = printable(text, one_line=True)
    if clean.startswith(_FORMULA) and not _re(_NUMBER).fullmatch(clean):
        return "'" + clean
    return clean


# Terminal queries: the terminal answers them by typing into the tty, i.e. into whatever reads
# input after the replay — the shell. DA1/DA2/DA3 (`CSI c`, `CSI > c`, `CSI = c`), DSR/CPR
# (`CSI 5n`, `CSI 6n`, `CSI ? … n`), window reports (`CSI 11t, 13t, 14t, 15t, 16t, 18t, 19t, 20t,
# 21t, 22t/23t push/pop are harmless but dropped too`), DECREQTPARM (`CSI x`), DECRQM (`CSI ? … $p`),
# XTVERSION (`CSI > q`), XTGETTCAP and DECRQSS (DCS `+q` / `$q`), OSC colour/clipboard queries (`?`),
# ENQ. OSC 52 is dropped whatever it does: a recording must not set the viewer's clipboard.
_REPLAY_DROP = (
    rb"\x1b\[[>=]?[0-9;]*c"
    rb"|\x1b\[\??[0-9;]*n"
    rb"|\x1b\[[0-9;]*t"
    rb"|\x1b\[[0-9;]*x"
    rb"|\x1b\[\??[0-9;]*\$p"
    rb"|\x1b\[>[0-9;]*q"
    rb"|\x1bP[^\x1b\x07]*(?:\x1b\\|\x07|\Z)"
    rb"|\x1b\]52;[^\x07\x1b]*(?:\x07|\x1b\\|\Z)"
    rb"|\x1b\][0-9]+(?:;[0-9]+)*;\?(?:\x07|\x1b\\)"
    rb"|\x1b\][^\x07\x1b]*(?=\x1b[^\\])"  # an OSC cut off by the next sequence: never terminated
    rb"|\x05"
)


def replay_filter(data: bytes) -> bytes:
    """Recorded output without OSC 52, DCS strings and terminal queries (see `_REPLAY_DROP`)."""
    return _re_bytes(_REPLAY_DROP).sub(b"", data)


# A sequence whose end is in this chunk: held back from the last ESC unless one of these ends it.
_COMPLETE = (
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|[\]P^_X][^\x07\x1b]*(?:\x07|\x1b\\)|[ -/]*[0-~](?<!\x1b[\[\]P^_X]))")
_HOLD_MAX = 1 << 16  # an unterminated string sequence longer than this is dropped as it comes


def _last_opener(data: bytes) -> int:
    return max(data.rfind(b"\x1b" + bytes([c])) for c in b"]P^_X")


class ReplayFilter:
    """`replay_filter` over a stream of chunks: a sequence split between two recorded reads is
    held back until it is whole, so it is judged whole."""

    def __init__(self) -> None:
        self._held = b""

    def feed(self, chunk: bytes) -> bytes:
        data = self._held + chunk
        self._held = b""
        cut = len(data)
        esc = data.rfind(b"\x1b")
        complete = _re_bytes(_COMPLETE)
        if esc >= 0 and not complete.match(data, esc):
            cut = esc
        opener = _last_opener(data)
        if opener >= 0 and not complete.match(data, opener):
            cut = min(cut, opener)  # a string sequence still open: its ST may be the last ESC
        if len(data) - cut <= _HOLD_MAX:
            data, self._held = data[:cut], data[cut:]
        return replay_filter(data)

    def close(self) -> bytes:
        rest, self._held = self._held, b""
        return replay_filter(rest)
