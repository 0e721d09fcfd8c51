"""Issue numbers in prompts, branch names and commit messages. Pure text: no git, no I/O.

Only explicit forms count, because a bare number in a prompt ("fix the 3 failing tests", "port
5830", "line 583") is almost never an issue. Strong forms (a closing keyword, `issue 583`,
`close-issue 583`, `GH-583`, an issues URL, a branch's leading number) come first, then plain
`#583` / `org/repo#583` references, each group in text order. The first number is the primary
issue; all of them go to the `issues` tag.
"""
from __future__ import annotations

import re
from typing import Literal

Kind = Literal["prompt", "branch", "commit"]

_N = r"([1-9]\d{0,6})"  # issue numbers: no leading zero, at most 7 digits
# After a number: not more digits/letters, not a version (`583.1`), time or line (`583:10`).
_END = r"(?![\w]|[.:/]\d)"
_REPO = r"(?:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?"
# GitHub's closing keywords; "refs #12" / "see #12" are mere mentions and stay plain references.
_CLOSING = r"(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)"

_STRONG_TEXT = [
    # close-issue 583, /fix-issue 583, close_issue #583 (procedure names and slash commands)
    re.compile(r"(?<![\w-])(?:close|fix|resolve|work|solve)[-_]issue\s*[-_:#]?\s*#?" + _N + _END, re.I),
    # issue 583, issue #583, issue-583, issues/583, Issue No. 583
    re.compile(r"(?<![\w-])issues?(?:\s*(?:no\.?|number))?\s*[-_/:]?\s*#?" + _N + _END, re.I),
    # Fixes #583, closes: org/repo#583, resolved GH-583
    re.compile(r"(?<![\w-])" + _CLOSING + r"\s*:?\s+" + _REPO + r"(?:#|GH-)" + _N + _END, re.I),
    re.compile(r"(?<![\w-])GH-" + _N + _END, re.I),
    re.compile(r"github\.com/[\w.-]+/[\w.-]+/issues/" + _N + _END, re.I),
]
# A plain reference: `#583`, `(#583)`, `org/repo#583`; not `&#583;`, `page#583`, `#L583`.
_PLAIN = re.compile(r"(?:(?<=[\s(\[{,;])|^)" + _REPO + r"#" + _N + _END, re.M)

# Branch segments: `583-fix-x`, `583`, `issue-583`, `gh-583`, `bug_583`, but not `2024-01-05-x`.
_BRANCH_SEGMENT = [
    re.compile(r"^(?:issues?|gh|bug|fix|ticket)[-_]?" + _N + r"(?:[-_.]|$)", re.I),
    re.compile(r"^" + _N + r"(?:[-_]|$)"),
]
_DATE = re.compile(r"^\d{4}[-_]\d{1,2}(?:[-_]\d{1,2})?(?:[-_]|$)")
_VERSIONISH = re.compile(r"^(?:v|release|rel|version)[-_]?\d", re.I)


def _dedupe(numbers: list[int]) -> list[int]:
    seen: set[int] = set()
    return [n for n in numbers if not (n in seen or seen.add(n))]  # type: ignore[func-returns-value]


def _in_order(patterns: list[re.Pattern[str]], text: str) -> list[int]:
    hits: list[tuple[int, int]] = []
    for pat in patterns:
        hits.extend((m.start(), int(m.group(1))) for m in pat.finditer(text))
    return [n for _, n in sorted(hits)]


def _from_branch(name: str) -> list[int]:
    found: list[int] = []
    segments = [s for s in name.strip().split("/") if s]
    for seg in segments:
        if _DATE.match(seg) or _VERSIONISH.match(seg):
            continue
        for pat in _BRANCH_SEGMENT:
            m = pat.match(seg)
            if m:
                found.append(int(m.group(1)))
                break
        else:
            # `feature/fix-issue-583-x`, `user/gh-12`: the text forms inside a segment
            found.extend(_in_order(_STRONG_TEXT, seg.replace("_", "-")))
    return found


def find_issue_numbers(text: str | None, kind: Kind = "prompt") -> list[int]:
    """Issue numbers mentioned in `text`, primary first, without duplicates.

    kind="branch" reads a branch name (`issue-583`, `583-fix-x`, `fix/583`); "prompt" and "commit"
    read free text (`close-issue 583`, `#583`, `issue 583`, `GH-583`, `Fixes org/repo#583`).
    """
    if not text:
        return []
    if kind == "branch":
        return _dedupe(_from_branch(text))
    if kind not in ("prompt", "commit"):
        raise ValueError(f"unknown kind {kind!r}: expected 'prompt', 'branch' or 'commit'")
    strong = _in_order(_STRONG_TEXT, text)
    plain = [int(m.group(1)) for m in _PLAIN.finditer(text)]
    return _dedupe(strong + plain)


def primary_issue(numbers: list[int]) -> int | None:
    return numbers[0] if numbers else None
