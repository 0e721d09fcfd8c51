"""The pure attribution core and the note format, without git (aitrack/attribution/)."""
from __future__ import annotations

from aitrack.attribution import lines as attr
from aitrack.attribution import note as fmt
from aitrack.attribution.hashing import hashes, line_hash

SRC = {"session_id": "s1", "provider": "claude_code", "cwd": "/repo"}


def index_of(*writes: dict[str, object]) -> attr.Index:
    index: attr.Index = {}
    attr.add_session(index, {**SRC, "writes": list(writes)}, "/repo")
    return index


def test_agent_lines_person_lines_and_runs() -> None:
    index = index_of({"file": "/repo/a.py", "lines": hashes("x = 1\ny = 2"), "tool": "Write", "prompt": 1, "model": "m"})
    added = {"a.py": [(1, "x = 1"), (2, "y = 3"), (3, "y = 2"), (7, "x = 1")]}
    runs = attr.attribute(added, index)
    assert [(r["start"], r["end"], r["by"]) for r in runs] == [(1, 1, "ai"), (2, 2, "human"), (3, 3, "ai"), (7, 7, "ai")]
    assert runs[0]["session_id"] == "s1" and runs[0]["prompt"] == 1 and runs[0]["tool"] == "Write"
    assert runs[1] == {"v": 1, "file": "a.py", "start": 2, "end": 2, "h": [line_hash("y = 3")], "by": "human"}


def test_later_calls_win_and_inferred_shell_lines_yield_to_known_text() -> None:
    index = index_of({"file": "a.py", "lines": [line_hash("b = 20")], "tool": "Edit", "prompt": 1},
                     {"file": "a.py", "lines": [line_hash("b = 20"), line_hash("a = 100")], "tool": "Bash", "prompt": 2,
                      "inferred": True},
                     {"file": "/elsewhere/x.py", "lines": [line_hash("z")], "tool": "Write"})
    assert index["a.py"][line_hash("b = 20")].tool == "Edit"
    assert index["a.py"][line_hash("a = 100")].tool == "Bash"
    assert list(index) == ["a.py"]  # outside the repository: not attributed


def test_blank_and_brace_lines_take_their_neighbours_author() -> None:
    index = index_of({"file": "a.py", "lines": hashes("def f():\n    pass\n\n}"), "tool": "Write"})
    added = {"a.py": [(1, "def f():"), (2, "    pass"), (3, ""), (4, "def mine():"), (5, ""), (6, "}"),
                      (7, "    return 1"), (10, "")]}
    by = [r["by"] for r in attr.attribute(added, index) for _ in r["h"]]
    # 3: after the agent's line; 5 and 6: after the person's; 10 alone: its own match (the agent wrote "").
    assert by == ["ai", "ai", "ai", "human", "human", "human", "human", "ai"]


def test_note_round_trip_folds_repeats_and_skips_junk() -> None:
    runs = attr.attribute({"a.py": [(1, "x = 1"), (2, "y")]}, index_of({"file": "a.py", "lines": [line_hash("x = 1")]}))
    text = fmt.dump(runs)
    assert fmt.parse(text + "\n" + text + "not json\n{\"file\": 1}\n") == runs  # concatenated by a squash
    at, by_hash = fmt.by_line(runs)
    assert fmt.lookup(at, by_hash, "a.py", 1, line_hash("x = 1"))["by"] == "ai"
    assert fmt.lookup(at, by_hash, "a.py", 9, line_hash("x = 1"))["by"] == "ai"  # moved: found by its hash
    assert fmt.lookup(at, by_hash, "a.py", 1, line_hash("other")) is None
    assert fmt.parse(text, only_file="b.py") == []


def test_paths_relative_to_the_agents_cwd() -> None:
    assert attr.rel_path("src/a.py", "/repo/pkg", "/repo") == "pkg/src/a.py"
    assert attr.rel_path("/repo/a.py", "/repo", "/repo") == "a.py"
    assert attr.rel_path("../other/a.py", "/repo", "/repo") is None
