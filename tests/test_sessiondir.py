"""The session folder's file names are spelled in aitrack/sessiondir.py alone, and its writers are atomic."""
from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

from aitrack import sessiondir

PACKAGE = Path(sessiondir.__file__).parent
# Names that are nothing but a session-folder file: any string literal spelling one is a second spelling.
DISTINCT = {sessiondir.META, sessiondir.OUTPUT, sessiondir.INPUT, sessiondir.AGENT_HOOK, sessiondir.PROCEDURE,
            sessiondir.METRICS, sessiondir.RECORD, sessiondir.TRANSCRIPT, sessiondir.COST, sessiondir.STATE,
            sessiondir.LOCK, sessiondir.RUN, sessiondir.LIVE}
# Names that are also JSON keys ("commits", "timing"): a second spelling only as a path part.
AMBIGUOUS = {sessiondir.JOURNAL, sessiondir.TIMING, sessiondir.ARTIFACTS}
# Mistral Vibe keeps a `meta.json` of its own in its log folders: the agent's file, not ours.
OTHERS = {"agents/vibe.py": {"meta.json"}, "parse/vibe.py": {"meta.json"}}


def _path_parts(tree: ast.AST) -> set[int]:
    """ids of the string constants used to build a path: `x / "name"`, `os.path.join(…, "name")`."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            ids.update(id(n) for n in (node.left, node.right) if isinstance(n, ast.Constant))
        elif isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name.endswith(("path.join", "Path", "joinpath", "with_name")):
                ids.update(id(a) for a in node.args if isinstance(a, ast.Constant))
    return ids


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def test_session_folder_names_are_spelled_once() -> None:
    found = []
    for file in sorted(PACKAGE.rglob("*.py")):
        rel = file.relative_to(PACKAGE).as_posix()
        if rel == "sessiondir.py":
            continue
        tree = ast.parse(file.read_text(encoding="utf-8"))
        skip, parts = _docstrings(tree), _path_parts(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in skip:
                continue
            value = node.value
            if value in OTHERS.get(rel, ()):
                continue
            if value in DISTINCT or (value in AMBIGUOUS and id(node) in parts):
                found.append(f"aitrack/{rel}:{node.lineno}: {value!r}")
    assert not found, "use the aitrack.sessiondir constant instead:\n" + "\n".join(found)


def test_vcs_does_not_import_capture() -> None:
    """The session folder is its own module, so vcs/ (below capture in the layering) needs nothing of capture/."""
    for file in sorted((PACKAGE / "vcs").rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [n for n in names if n.startswith("aitrack.capture")], file


@pytest.mark.parametrize("name", ["sessiondir", "meta", "jsonvalue"])
def test_the_session_folder_modules_import_only_the_standard_library(name: str) -> None:
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert modules <= {"__future__", "os", "time", "json", "pwd", "_json", "collections.abc", "typing",
                       "aitrack.errors", "aitrack.meta", "aitrack.jsonvalue", "aitrack.jsonread"}, modules


@pytest.mark.parametrize("obj", [{"a": 1, "b": [1.5, None, True], "c": {"d": "é\n"}}, {}, [], {"x": []}])
def test_write_json_is_what_json_dumps_writes(tmp_path: Path, obj: object) -> None:
    target = tmp_path / "x.json"
    sessiondir.write_json(target, obj)
    assert target.read_text(encoding="utf-8") == json.dumps(obj, indent=1, sort_keys=True) + "\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["x.json"]  # no temporary file left beside it


def test_write_bytes_atomic_replaces_and_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "f"
    sessiondir.write_bytes_atomic(target, b"one")
    sessiondir.write_bytes_atomic(target, b"two", 0o644)
    assert target.read_bytes() == b"two"
    with pytest.raises(OSError):
        sessiondir.write_bytes_atomic(tmp_path / "missing" / "f", b"x")
    assert sorted(os.listdir(tmp_path)) == ["f"]


def test_readers_tolerate_missing_and_broken_files(tmp_path: Path) -> None:
    assert sessiondir.read_json(tmp_path / "none.json") is None
    (tmp_path / sessiondir.RUN).write_text("[1]")
    assert sessiondir.read_run(tmp_path) is None
    (tmp_path / sessiondir.RUN).write_text('{"run_id": "r"')
    assert sessiondir.read_run(tmp_path) is None
    assert sessiondir.read_journal(tmp_path) == ""
    (tmp_path / sessiondir.JOURNAL).write_text("commit\tabc\t1\t/r\n")
    assert sessiondir.read_journal(tmp_path) == "commit\tabc\t1\t/r\n"
    assert not sessiondir.is_session(tmp_path)
    with pytest.raises(OSError):
        sessiondir.read_meta(tmp_path)
    (tmp_path / sessiondir.META).write_text("[]")
    assert sessiondir.is_session(tmp_path)
    with pytest.raises(ValueError):
        sessiondir.read_meta(tmp_path)


def test_exact_mode_is_not_narrowed_by_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        sessiondir.write_bytes_atomic(tmp_path / "launch", b"#!/bin/sh\n", 0o755, exact_mode=True)
        sessiondir.write_bytes_atomic(tmp_path / "plain", b"x", 0o644)
    finally:
        os.umask(old)
    assert (tmp_path / "launch").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "plain").stat().st_mode & 0o777 == 0o600
