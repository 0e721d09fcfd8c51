"""Write the synthetic raw captures in this folder: `python tests/data/terminal/generate.py`.

Each capture imitates how a real TUI draws (described per function); the expected transcript next
to it (`*.expected.txt`) is written out by hand below, not produced by the renderer under test.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SYNC_ON, SYNC_OFF = "\x1b[?2026h", "\x1b[?2026l"
BOX_W = 40


def box(text: str) -> list[str]:
    inner = BOX_W - 2
    return ["╭" + "─" * inner + "╮", "│ " + text.ljust(inner - 1) + "│", "╰" + "─" * inner + "╯"]


class Ink:
    """Ink / log-update style: static lines printed once, the live area erased and redrawn."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.live = 0

    def frame(self, static: list[str], live: list[str], sync: bool = True) -> None:
        s = ""
        if self.live:  # eraseLines(n + 1): the cursor sits on the empty line under the live area
            s += "\x1b[2K" + "\x1b[1A\x1b[2K" * self.live + "\x1b[G"
        s += "".join(line + "\r\n" for line in static + live)
        self.live = len(live)
        self.out.append(SYNC_ON + s + SYNC_OFF if sync else s)


def claude_inline() -> tuple[str, str]:
    """Claude Code style: main screen, Ink repaints in synchronized output, kitty keyboard,
    bracketed paste, focus events, OSC title and hyperlink, colours with colon sub-parameters.

    Typing in the input box and spinner ticks are revisions of one line (kept once, last state);
    the live area (input box, hint) erased at exit is kept once, after the content above it."""
    ink = Ink()
    ink.out.append("user@host:~/repo$ claude\r\n")
    ink.out.append("\x1b]0;✳ Claude Code\x07\x1b[>1u\x1b[?2004h\x1b[?1004h\x1b[?25l")
    banner = ["\x1b[38;2;215;119;87m╭" + "─" * 30 + "╮\x1b[39m", "│ ✻ Welcome to Claude Code!    │",
              "╰" + "─" * 30 + "╯", ""]
    hint = "  \x1b[2m? for shortcuts\x1b[22m"
    ink.frame(banner, box(">") + [hint])
    typed = "fix the failing test"
    for i in range(1, len(typed) + 1, 4):
        ink.frame([], box("> " + typed[:i]) + [hint])
    ink.frame([], box("> " + typed) + [hint])
    for t, glyph in enumerate("✻✢✳✶"):
        ink.frame([] if t else ["\x1b[48;5;237m> " + typed + "\x1b[49m", ""],
                  [f"\x1b[38:2::215:119:87m{glyph}\x1b[39m Pondering… ({t + 1}s · esc to interrupt)", ""] + box(">"))
    ink.frame(["⏺ Bash(git status)", "  ⎿  On branch main", "     nothing to commit, working tree clean", ""],
              ["✻ Pondering… (5s · esc to interrupt)", ""] + box(">"))
    link = "\x1b]8;;https://example.com/docs\x1b\\the docs\x1b]8;;\x1b\\"
    ink.frame(["⏺ The tree is clean; see " + link + ".", ""], box(">") + [hint])
    ink.frame([], box(">") + [hint])
    ink.out.append("\x1b[2K" + "\x1b[1A\x1b[2K" * 4 + "\x1b[G")  # erase the live area on exit
    ink.out.append("\x1b[<u\x1b[?2004l\x1b[?1004l\x1b[?25h\x1b]0;\x07user@host:~/repo$ exit\r\n")
    border = "─" * (BOX_W - 2)
    expected = f"""user@host:~/repo$ claude
╭──────────────────────────────╮
│ ✻ Welcome to Claude Code!    │
╰──────────────────────────────╯

> fix the failing test

⏺ Bash(git status)
  ⎿  On branch main
     nothing to commit, working tree clean
✻ Pondering… (5s · esc to interrupt)

⏺ The tree is clean; see the docs.
╭{border}╮
│ >{" " * (BOX_W - 4)}│
╰{border}╯
  ? for shortcuts

user@host:~/repo$ exit
"""
    return "".join(ink.out), expected


def codex_alt() -> tuple[str, str]:
    """Full-screen style (ratatui on the alternate screen): every frame moves the cursor to each
    row and rewrites it; history scrolls inside the frame; mouse tracking on; a status timer."""
    rows = 10
    history = ["› list the files", "", "• Ran ls", "  └ README.md", "    src", "",
               "• Explored", "  └ Read README.md", "", "• The repo has a README and src/.", ""]
    s = "$ codex\r\n\x1b[?1049h\x1b[?1000h\x1b[?1006h\x1b[?2004h\x1b[H\x1b[2J"
    for n in range(1, len(history) + 1):
        view = history[:n][-(rows - 3):]
        screen = view + [""] * (rows - 3 - len(view)) + [
            f"  \x1b[1mWorking\x1b[0m ({n}s • Esc to interrupt)", "› ", "  ? for shortcuts"]
        s += SYNC_ON + "".join(f"\x1b[{y + 1};1H\x1b[2K{line}" for y, line in enumerate(screen)) + SYNC_OFF
    s += "\x1b[?1006l\x1b[?1000l\x1b[?2004l\x1b[?1049l$ exit\r\n"
    expected = """$ codex
› list the files

• Ran ls
  └ README.md
    src

• Explored
  └ Read README.md

• The repo has a README and src/.

  Working (11s • Esc to interrupt)
›
  ? for shortcuts
$ exit
"""
    return s, expected


def progress() -> tuple[str, str]:
    """A plain program: a carriage-return progress bar, backspaces, tabs, wrapped long lines."""
    s = "building\r\n"
    for pct in range(0, 101, 25):
        s += f"\r[{'#' * (pct // 10):<10}] {pct:3d}%"
    s += "\r\ncols\tx\ty\r\nab\bc\r\n" + "w" * 25 + "\r\ndone\r\n"
    expected = "building\n[##########] 100%\ncols    x       y\nac\n" + "w" * 20 + "\n" + "w" * 5 + "\ndone\n"
    return s, expected


def resize() -> tuple[str, str, str]:
    """A window made wider in the middle (timing file with a SIGWINCH line): later lines use it."""
    first = "narrow narrow\r\n"
    second = "wide " * 9 + "\r\n"
    timing = f"O 0.000100 {len(first.encode())}\nS 0.500000 SIGWINCH ROWS=5 COLS=60\nO 0.100000 {len(second.encode())}\n"
    expected = "narrow narrow\n" + ("wide " * 9).rstrip() + "\n"
    return first + second, expected, timing


def main() -> None:
    for name, fn in (("claude_inline", claude_inline), ("codex_alt", codex_alt), ("progress", progress)):
        raw, expected = fn()
        (HERE / f"{name}.raw").write_bytes(raw.encode())
        (HERE / f"{name}.expected.txt").write_text(expected, encoding="utf-8")
    raw, expected, timing = resize()
    (HERE / "resize.raw").write_bytes(raw.encode())
    (HERE / "resize.timing").write_text(timing)
    (HERE / "resize.expected.txt").write_text(expected, encoding="utf-8")


if __name__ == "__main__":
    main()
