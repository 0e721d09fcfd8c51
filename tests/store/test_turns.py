"""The per-turn layout (aitrack/store/turns.py, pure) on every shared agent-log fixture: one turn a
prompt, every tool call and API response in exactly one turn, every span inside its turn's window."""
from __future__ import annotations

import pytest

from aitrack.sessionrecord import SessionRecord
from aitrack.parse import parse_path
from aitrack.store.turns import turns
from support import FIXTURES, require_fixtures


def _logs() -> list[str]:
    if not FIXTURES.is_dir():
        return []
    return sorted(str(p.relative_to(FIXTURES)) for kind in ("claude", "codex", "gemini")
                  for p in (FIXTURES / kind).iterdir() if p.suffix in (".jsonl", ".json"))


@pytest.mark.parametrize("name", _logs() or ["(no fixtures)"])
def test_every_item_in_one_turn_inside_its_window(name: str) -> None:
    require_fixtures()
    record = parse_path(str(FIXTURES / name)).to_dict()
    cut = turns(SessionRecord.from_json(record), "what was typed")
    if record.get("started_at") is None:
        assert cut == []
        return
    assert len(cut) == max(1, len(record["prompts"]))
    placed = sorted((it.kind, it.index) for t in cut for it in t.items)
    expected = sorted([("llm", i) for i in range(len(record["usage"]))] +
                      [("tool", i) for i in range(len(record["tool_calls"]))])
    assert placed == expected
    for prev, nxt in zip(cut, cut[1:]):
        assert prev.start < nxt.start and prev.end <= nxt.start
    for t in cut:
        assert [it.start for it in t.items] == sorted(it.start for it in t.items)
        for it in t.items:
            assert t.start <= it.start <= it.end <= t.end, (t.index, it)
        for i, call in ((it.index, it.data) for it in t.items if it.kind == "tool"):
            if call.get("turn", -1) >= 0:
                assert call["turn"] == t.index  # the parser's own turn wins over the clock
