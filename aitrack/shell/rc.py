"""The marked block in a user's rc file, conda style, added and removed byte for byte.

    # >>> aitrack >>>
    …
    # <<< aitrack <<<

Removing the block must give back the user's file exactly. Two things the block itself cannot
show are recorded inside it as flag lines right after the opening marker: that we added a newline
because the file did not end with one, and that the file did not exist before (then uninstall
deletes it once nothing but our block was in it).
"""
from __future__ import annotations

import os
from pathlib import Path

from aitrack.sessiondir import write_bytes_atomic
from aitrack.shell.init import TEMPLATES, cache_path, fish_quote, sh_quote, template, template_path

BEGIN = "# >>> aitrack >>>\n"
END = "# <<< aitrack <<<\n"
FLAG_NEWLINE = "# aitrack: added the newline before this block\n"
FLAG_CREATED = "# aitrack: created this file\n"


def rc_paths(home: Path | None = None) -> dict[str, Path]:
    """Where each shell's block goes: ~/.bashrc, ${ZDOTDIR:-~}/.zshrc, fish's conf.d."""
    home = home or Path(os.path.expanduser("~"))
    zdot = Path(os.environ.get("ZDOTDIR") or home)
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    return {"bash": home / ".bashrc", "zsh": zdot / ".zshrc", "fish": config / "fish" / "conf.d" / "aitrack.fish"}


def block(shell: str, bin_path: str) -> str:
    if shell == "fish":
        return template("rc-block.fish").replace("@AITRACK_BIN@", fish_quote(bin_path))
    text = template("rc-block.sh").replace("@AITRACK_BIN@", sh_quote(bin_path))
    text = text.replace("@AITRACK_TEMPLATE@", sh_quote(template_path(TEMPLATES[shell])))
    return text.replace("@AITRACK_INIT@", sh_quote(cache_path(shell))).replace("@SHELL@", shell)


def _split(text: str) -> tuple[str, str, str] | None:
    """(before, our block with flags, after), or None when the file has no complete block.

    A block is a closing marker line and the last opening marker line before it: a stray opening
    line the user left above (an old block whose end they deleted) stays theirs, never swallowed.
    """
    start = -1
    pos = 0
    for line in text.splitlines(keepends=True):
        if line == BEGIN:
            start = pos
        elif line == END and start >= 0:
            end = pos + len(line)
            return text[:start], text[start:end], text[end:]
        pos += len(line)
    return None


def _read(path: Path) -> str:
    # Bytes in, bytes out: no newline translation, no failure on a stray non-UTF-8 byte.
    return path.read_bytes().decode("utf-8", "surrogateescape")


def _write(path: Path, text: str) -> None:
    # A symlinked rc file (dotfiles repositories) stays a link: write where it points.
    path = Path(os.path.realpath(path))
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    write_bytes_atomic(path, text.encode("utf-8", "surrogateescape"), mode, exact_mode=True)  # never half an rc file


def add(path: Path, body: str) -> bool:
    """Put `body` (a block from `block()`) into `path`; False when it is already there as is."""
    created = not path.exists()
    text = "" if created else _read(path)
    parts = _split(text)
    if parts:  # already installed: refresh the block in place, keeping its flags
        before, old, after = parts
        flags = "".join(f for f in (FLAG_NEWLINE, FLAG_CREATED) if f in old)
        new = BEGIN + flags + body[len(BEGIN):]
        if new == old:
            return False
        _write(path, before + new + after)
        return True
    flags = (FLAG_CREATED if created else "") + (FLAG_NEWLINE if text and not text.endswith("\n") else "")
    sep = "\n" if FLAG_NEWLINE in flags else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, text + sep + BEGIN + flags + body[len(BEGIN):])
    return True


def remove(path: Path) -> bool:
    """Take our block out of `path`, restoring it byte for byte; False when there was none."""
    if not path.is_file():
        return False
    parts = _split(_read(path))
    if not parts:
        return False
    before, old, after = parts
    if FLAG_NEWLINE in old and before.endswith("\n"):
        before = before[:-1]
    rest = before + after
    if FLAG_CREATED in old and not rest:
        path.unlink()
    else:
        _write(path, rest)
    return True


def has_stray_marker(path: Path) -> bool:
    """An opening marker line left without a block: uninstall leaves it and says so."""
    try:
        text = _read(path)
    except OSError:
        return False
    return _split(text) is None and BEGIN in text.splitlines(keepends=True)


def has_block(path: Path) -> bool:
    try:
        return _split(_read(path)) is not None
    except OSError:
        return False
