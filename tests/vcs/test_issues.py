"""Issue numbers from prompts, branch names and commit messages: tables and properties."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aitrack.parse.issues import find_issue_numbers, primary_issue


@pytest.mark.parametrize("text,expected", [
    ("close-issue 583", [583]),
    ("/close-issue 583 please", [583]),
    ("#583", [583]),
    ("work on issue 583", [583]),
    ("Issue #583: login broken", [583]),
    ("fix #583", [583]),
    ("GH-583", [583]),
    ("look at gh-12 and GH-13", [12, 13]),
    ("see https://github.com/org/repo/issues/583 for details", [583]),
    ("(#45) and [#46]", [45, 46]),
    ("see #12, then fix issue 583", [583, 12]),   # explicit first, plain mentions after
    ("#7 #7 #7", [7]),
    ("issues/99", [99]),
])
def test_prompts(text: str, expected: list[int]) -> None:
    assert find_issue_numbers(text, "prompt") == expected


@pytest.mark.parametrize("text,expected", [
    ("Fix login\n\nFixes #583", [583]),
    ("Closes org/repo#583", [583]),
    ("Resolve crash\n\nresolves: #9\nRefs #3", [9, 3]),
    ("Merge pull request #77 from org/branch", [77]),
    ("Bump version to 1.2.3", []),
    ("Revert \"x\"\n\nThis reverts commit 4f3a9c1d2b7e8f60a1b2c3d4e5f60718293a4b5c.", []),
])
def test_commit_messages(text: str, expected: list[int]) -> None:
    assert find_issue_numbers(text, "commit") == expected


@pytest.mark.parametrize("branch,expected", [
    ("issue-583", [583]), ("583-fix-x", [583]), ("fix/583", [583]), ("feature/583-thing", [583]),
    ("issues/583", [583]), ("user/gh-12", [12]), ("bug_17", [17]), ("fix/issue-583", [583]),
    ("feature/fix-issue-583-x", [583]), ("main", []), ("release-1.2", []), ("v2", []),
    ("2024-01-05-cleanup", []), ("update-deps-2", []), ("dependabot/pip/mlflow-3.17.2", []),
    ("", []),
])
def test_branch_names(branch: str, expected: list[int]) -> None:
    assert find_issue_numbers(branch, "branch") == expected


@pytest.mark.parametrize("text", [
    "file.py:583", "src/app.py:583:10 error", "at 10:30", "10:30:45", "port 5830", "localhost:5830",
    "version 1.2.3", "v583", "commit a1b2c3d", "sha 4f3a9c1d2b7e8f60a1b2c3d4e5f60718293a4b5c",
    "1234567", "&#583;", "page#583", "README.md#L583", "fixed 3 tests", "issue 5.2", "#0", "color #ff8800",
    "PID 583 exited", "HTTP 404", "583 files changed",
])
def test_no_false_positives(text: str) -> None:
    assert find_issue_numbers(text, "prompt") == []
    assert find_issue_numbers(text, "commit") == []


def test_primary_issue_and_bad_kind() -> None:
    assert primary_issue(find_issue_numbers("see #1, close-issue 2")) == 2
    assert primary_issue([]) is None
    assert find_issue_numbers(None) == []
    with pytest.raises(ValueError):
        find_issue_numbers("x", "title")  # type: ignore[arg-type]


hexsha = st.text(alphabet="0123456789abcdef", min_size=7, max_size=40)
clock = st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]:02d}:{t[1]:02d}")
version = st.lists(st.integers(0, 999), min_size=2, max_size=4).map(lambda v: ".".join(map(str, v)))
line_ref = st.tuples(st.from_regex(r"[a-z_]{1,8}\.(py|ts|go)", fullmatch=True), st.integers(1, 99999)).map(
    lambda t: f"{t[0]}:{t[1]}")
port = st.integers(1, 65535).map(lambda p: f"localhost:{p}")
noise = st.one_of(hexsha, clock, version, line_ref, port)


@given(st.lists(noise, max_size=8))
def test_noise_never_yields_issues(parts: list[str]) -> None:
    text = " ".join(parts)
    for kind in ("prompt", "commit"):
        assert find_issue_numbers(text, kind) == []  # type: ignore[arg-type]


@given(st.lists(noise, max_size=4), st.integers(1, 9_999_999), st.lists(noise, max_size=4),
       st.sampled_from(["#{n}", "issue {n}", "close-issue {n}", "Fixes #{n}", "GH-{n}", "org/repo#{n}"]))
def test_an_explicit_reference_is_found_among_noise(before: list[str], n: int, after: list[str], form: str) -> None:
    text = " ".join([*before, form.format(n=n), *after])
    assert find_issue_numbers(text, "prompt") == [n]


@given(st.integers(1, 9_999_999), st.sampled_from(["issue-{n}", "{n}-fix-thing", "fix/{n}", "gh-{n}", "feature/{n}"]))
def test_branch_forms(n: int, form: str) -> None:
    assert find_issue_numbers(form.format(n=n), "branch") == [n]


@given(st.text(max_size=200))
def test_never_crashes_and_returns_unique_positive_ints(text: str) -> None:
    for kind in ("prompt", "branch", "commit"):
        found = find_issue_numbers(text, kind)  # type: ignore[arg-type]
        assert len(found) == len(set(found)) and all(isinstance(n, int) and n > 0 for n in found)
