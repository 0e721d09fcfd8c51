"""`aitrack run`, `aitrack track` and `aitrack.procedure()` share one capture entry
(aitrack.capture.run.begin/end): nothing else creates a Recorder or asks the git facts."""
from __future__ import annotations

import ast
from pathlib import Path

import aitrack

PACKAGE = Path(aitrack.__file__).parent


def _calls(name: str) -> list[str]:
    """Where `…name(` is called in the package, as `file:function`."""
    found = []
    for file in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Call) and (ast.unparse(node.func) == name or ast.unparse(node.func).endswith("." + name)):
                    found.append(f"{file.relative_to(PACKAGE).as_posix()}:{fn.name}")
    return sorted(set(found))


def test_only_the_entry_creates_a_recorder_and_asks_the_git_facts() -> None:
    assert _calls("Recorder.create") == ["capture/run.py:begin"]
    assert _calls("git_facts") == ["capture/run.py:begin"]


def test_the_three_ways_in_go_through_it() -> None:
    begun = _calls("begin")
    assert {"capture/run.py:_recorded", "procedures/run.py:track", "procedures/api.py:__enter__"} <= set(begun), begun
    ended = _calls("end")
    assert {"capture/run.py:_recorded", "procedures/run.py:finish"} <= set(ended), ended
