"""meta.json typed (aitrack.meta.Meta): every meta.json in the repository reads and writes back
unchanged, unknown fields kept, and the modules that read meta read fields, not a dict."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from aitrack import sessiondir
from aitrack.meta import Meta
from aitrack.sessionrecord import SessionRecord

ROOT = Path(__file__).resolve().parents[1]
METAS = sorted((ROOT / "tests" / "data").rglob(sessiondir.META))


@pytest.mark.parametrize("path", METAS, ids=lambda p: str(p.relative_to(ROOT / "tests" / "data").parent))
def test_every_recorded_meta_reads_and_writes_back_unchanged(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    meta = Meta.from_json(data)
    assert meta.to_json() == data
    assert meta.id == data.get("id") and meta.argv == data.get("argv", [])


def test_unknown_and_odd_fields_are_kept_and_missing_ones_read_as_none(tmp_path: Path) -> None:
    data = {"id": "s1", "argv": "not a list", "future_field": {"x": 1}, "ended_at": None}
    sessiondir.write_meta(tmp_path, data)
    meta = sessiondir.read_meta(tmp_path)
    assert meta.argv == [] and meta.extra == {"argv": "not a list", "future_field": {"x": 1}}
    assert meta.interrupted and meta.has("ended_at") and not meta.has("git_root") and meta.git_root is None
    ended = meta.replace(ended_at="2026-01-01T00:00:00.000Z", exit_code=0)
    assert not ended.interrupted and meta.interrupted  # a copy: the value read is frozen
    with pytest.raises(AttributeError):
        meta.id = "other"  # type: ignore[misc]
    sessiondir.write_meta(tmp_path, ended)
    assert json.loads((tmp_path / sessiondir.META).read_text()) == {**data, "ended_at": "2026-01-01T00:00:00.000Z",
                                                                    "exit_code": 0}


def test_the_record_keeps_its_meta_typed() -> None:
    record = SessionRecord.from_json({"session_id": "s", "meta": {"id": "s", "tool": "claude", "x": 1}})
    assert isinstance(record.meta, Meta) and record.meta.tool == "claude" and record.meta.extra == {"x": 1}
    assert record.to_json() == {"session_id": "s", "meta": {"id": "s", "tool": "claude", "x": 1}}
    assert SessionRecord.from_json({"session_id": "s"}).to_json() == {"session_id": "s"}


# The modules that read a session's meta: a `meta.get("x")` or `meta["x"]` there is a regression to
# the untyped dict (mypy catches it where the parameter is annotated; this where it is annotated back).
READERS = ["ingest/local.py", "ingest/spool.py", "ingest/artifacts.py", "ingest/pipeline.py", "vcs/link.py",
           "vcs/attribution.py", "vcs/link_facts.py", "store/mapping.py", "store/description.py", "store/trace.py",
           "store/turns.py", "store/localsearch.py", "store/localrows.py", "store/mlflow_store.py", "store/live.py",
           "commands/show.py", "commands/ingest.py", "commands/purge.py", "export/otlp.py"]


@pytest.mark.parametrize("module", READERS)
def test_readers_read_meta_fields_not_a_dict(module: str) -> None:
    tree = ast.parse((ROOT / "aitrack" / module).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        target = node.value if isinstance(node, (ast.Subscript, ast.Attribute)) else None
        if isinstance(target, ast.Attribute):
            target_name = target.attr
        elif isinstance(target, ast.Name):
            target_name = target.id
        else:
            continue
        if target_name == "meta" and (isinstance(node, ast.Subscript)
                                      or (isinstance(node, ast.Attribute) and node.attr in ("get", "setdefault"))):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert found == [], found
