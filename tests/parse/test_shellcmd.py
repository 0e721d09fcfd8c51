"""`git <subcommand>` counting and command-line display."""
from __future__ import annotations

import pytest

from aitrack.parse.shellcmd import command_text, git_operations


@pytest.mark.parametrize("line, count", [
    ("git status", 1),
    ("git add . && git commit -m 'x'", 2),
    ("git add a; git commit -m b | tee log", 2),
    ("git status || git init", 2),
    ("git -C /some/dir status", 1),
    ("git -c user.name=x --no-pager log -1", 1),
    ("cd repo && GIT_PAGER=cat git diff", 1),
    ("sudo git pull\ngit push", 2),
    ("echo $(git rev-parse HEAD)", 1),
    ("/usr/bin/git fetch", 1),
    ("digit status", 0),
    ("cat .gitignore", 0),
    ("ls git-stuff/", 0),
    ("grep -r 'git commit' docs", 0),
    ("git", 0),
    ("git --version", 0),
    ("", 0),
])
def test_git_operations(line: str, count: int) -> None:
    assert git_operations(line) == count


@pytest.mark.parametrize("value, text", [
    ("ls -la", "ls -la"),
    (["bash", "-lc", "ls && pwd"], "ls && pwd"),
    (["/bin/zsh", "-c", "echo hi"], "echo hi"),
    (["ls", "a b"], "ls 'a b'"),
    (["powershell.exe", "-NoProfile", "-Command", "Get-ChildItem", "-Force"], "Get-ChildItem -Force"),
    (None, ""),
    ({"weird": 1}, "{'weird': 1}"),
])
def test_command_text(value: object, text: str) -> None:
    assert command_text(value) == text
