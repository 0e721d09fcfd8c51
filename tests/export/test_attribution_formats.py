"""`aitrack export --format agent-trace | git-ai` (issue 16), checked against the published specs:
Agent Trace 0.1.0's JSON Schema (tests/data/specs, copied verbatim) and the MUST rules of the Git
AI Standard v3.0.0, section by section. The lines come from a session played for real
(tests/attribution/kit.py), so what each record must say is known."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema

from attribution.kit import MODEL, git
from attribution.test_attribution import played  # noqa: F401  (a fixture)
from support import run_aitrack

SPECS = Path(__file__).resolve().parents[1] / "data" / "specs"


def aitrack(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    res = run_aitrack(*args, cwd=root)
    assert res.returncode == 0, res.stderr
    return res


def test_agent_trace_records_validate_against_the_published_schema(played: dict[str, Any]) -> None:  # noqa: F811
    root = played["root"]
    aitrack(root, "attribute")
    records = [json.loads(line) for line in aitrack(root, "export", "--format", "agent-trace").stdout.splitlines()]
    schema = json.loads((SPECS / "agent-trace-0.1.0.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for rec in records:
        errors = [e.message for e in validator.iter_errors(rec)]
        assert not errors, errors
        uuid.UUID(rec["id"])  # format "uuid", "date-time": checked here whatever jsonschema's extras
        assert datetime.fromisoformat(rec["timestamp"]).tzinfo is not None
    assert [r["vcs"]["revision"] for r in records] == [played["c1"], played["c2"]]
    files = {f["path"]: f["conversations"] for f in records[0]["files"]}
    ai, human = files["gen.py"]
    assert ai["contributor"] == {"type": "ai", "model_id": f"anthropic/{MODEL}"}
    assert [(r["start_line"], r["end_line"]) for r in ai["ranges"]] == [(1, 2), (4, 4)]
    assert human == {"contributor": {"type": "human"}, "ranges": [
        {"start_line": 3, "end_line": 3, "content_hash": human["ranges"][0]["content_hash"]}]}
    assert ai["related"] == [{"type": "session", "url": f"urn:aitrack:session:{played['agent'].id}"}]
    assert records[0]["metadata"]["dev.aitrack"]["sessions"][played["agent"].id]["prompts"] == [2, 1]
    # The same commit exports the same record id (a consumer can de-duplicate).
    again = json.loads(aitrack(root, "export", "--format", "agent-trace", "--range", "HEAD~1").stdout.splitlines()[0])
    assert again == records[0]


_KEY = re.compile(r"^(s_[0-9a-f]{14}::t_[0-9a-f]{14}|h_[0-9a-f]{14}|[0-9a-f]{16})$")
_RANGES = re.compile(r"^\d+(-\d+)?(,\d+(-\d+)?)*$")


def check_git_ai_log(text: str, sha: str) -> dict[str, dict[str, list[int]]]:
    """The MUST rules of Git AI Standard v3.0.0 §1.2; returns {file: {key: lines}}."""
    lines = text.rstrip("\n").split("\n")
    assert lines.count("---") >= 1, "§1.2: a divider line of exactly ---"
    cut = lines.index("---")
    attest, meta = lines[:cut], json.loads("\n".join(lines[cut + 1:]))
    files: dict[str, dict[str, list[int]]] = {}
    current: dict[str, list[int]] | None = None
    for line in attest:
        if not line.startswith(" "):  # §1.2.3 file path lines: at the start, quoted when they hold spaces
            path = line[1:-1] if line.startswith('"') else line
            assert line.startswith('"') or not any(c in path for c in " \t"), line
            current = files.setdefault(path, {})
            continue
        assert line.startswith("  ") and not line.startswith("   "), "§1.2.3: entries indented exactly two spaces"
        key, sep, spec = line[2:].partition(" ")
        assert sep and _KEY.match(key) and _RANGES.match(spec) and " " not in spec, line
        nums: list[int] = []
        for part in spec.split(","):
            a, _, b = part.partition("-")
            assert int(a) >= 1 and (not b or int(b) >= int(a)), part
            nums.extend(range(int(a), int(b or a) + 1))
        assert nums == sorted(nums), "§1.2.3: ascending"
        assert current is not None
        current[key] = nums
    assert all(files.values()), "§1.2.3: files with no attestations MUST NOT be included"
    assert meta["schema_version"] == "authorship/3.0.0" and meta["base_commit_sha"] == sha  # §1.2.4
    assert isinstance(meta["prompts"], dict)
    for keys in files.values():
        for key in keys:
            if key.startswith("s_"):  # §1.2.3.1: resolved through metadata.sessions by the part before ::
                record = meta["sessions"][key.split("::")[0]]
                agent = record["agent_id"]
                assert {"tool", "id", "model"} <= set(agent)
                assert not {"messages", "messages_url", "total_additions"} & set(record)
                expected = "s_" + hashlib.sha256(f"{agent['tool']}:{agent['id']}".encode()).hexdigest()[:14]
                assert key.split("::")[0] == expected, "§1.2.3.1 session id generation"
    return files


def test_git_ai_authorship_logs_follow_the_standard(played: dict[str, Any]) -> None:  # noqa: F811
    root = played["root"]
    aitrack(root, "attribute")
    res = aitrack(root, "export", "--format", "git-ai")
    assert "2 authorship log(s) attached under refs/notes/ai" in res.stderr
    files = check_git_ai_log(git(root, "notes", "--ref=refs/notes/ai", "show", played["c1"]) + "\n", played["c1"])
    assert set(files) == {"app.py", "gen.py", "notes.txt"}  # human.txt: a person's, left untracked
    assert [nums for nums in files["gen.py"].values()] == [[1, 2, 4]]  # one Write call; line 3 the person's
    assert sorted(files["app.py"].values()) == [[1], [2, 3]]  # the sed (a Bash call) and the Edit: two traces
    (session_key,) = {k.split("::")[0] for f in files.values() for k in f}
    meta = json.loads(git(root, "notes", "--ref=refs/notes/ai", "show", played["c1"]).split("\n---\n", 1)[1])
    assert meta["sessions"][session_key]["agent_id"] == {"tool": "claude", "id": played["agent"].id, "model": MODEL}
    later = check_git_ai_log(git(root, "notes", "--ref=refs/notes/ai", "show", played["c2"]) + "\n", played["c2"])
    assert [list(v.values()) for v in later.values()] == [[[1, 2]]]
    # §1.1: at most one log a commit — a second export leaves the existing ones alone.
    assert "2 commit(s) already had one, left alone" in aitrack(root, "export", "--format", "git-ai").stderr
