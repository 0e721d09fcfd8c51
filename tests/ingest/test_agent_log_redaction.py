"""The uploaded agent-log artifact is redacted on the log's decoded strings (issue #20, item 1).

Real files through the real staging code: a Claude-style JSONL log and a Gemini-style whole-file
JSON log whose tool results carry secrets in the places raw-text redaction missed — a token at the
start of a line inside a JSON string (`…below:\\nghp_…`), an INI `token = dapi…` line, a JSON
`client_secret` printed by a tool, and a GCP service-account key read with `cat sa.json`.
"""
from __future__ import annotations

import json
from pathlib import Path

from aitrack.sessionrecord import SessionRecord
from aitrack.ingest.artifacts import stage

GHP = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
DAPI = "dapi" + "3f9a1c7e5b2d8f4a6c0e9b7d5f3a1c8e"
GOCSPX = "GOCSPX-" + "Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz1"
KEY_LINE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"
SA = json.dumps({
    "type": "service_account", "client_email": "ci@proj.iam.gserviceaccount.com",
    "private_key": f"-----BEGIN PRIVATE KEY-----\n{KEY_LINE}\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n"
                   "-----END PRIVATE KEY-----\n"}, indent=2)
OUTPUT = (f"The token is printed below:\n{GHP}\n[default]\ntoken = {DAPI}\n"
          + json.dumps({"installed": {"client_id": "1.apps.googleusercontent.com", "client_secret": GOCSPX}})
          + "\n" + SA + "\n")
SECRETS = (GHP, DAPI, GOCSPX, KEY_LINE)


def _staged(tmp_path: Path, log: Path) -> str:
    session = tmp_path / "s"
    session.mkdir()
    (session / "session.json").write_text("{}")
    dest = tmp_path / "dest"
    dest.mkdir()
    warnings: list[str] = []
    stage(session, SessionRecord.from_json({"agent_logs": [str(log)]}), dest, warnings)
    assert warnings == []
    return (dest / "agent_log" / log.name).read_text()


def _leaks(text: str) -> list[str]:
    return [s[:10] for s in SECRETS if s in text or json.dumps(s)[1:-1] in text]


def test_jsonl_log_is_redacted_on_decoded_strings(tmp_path: Path) -> None:
    lines = [
        {"type": "user", "message": {"role": "user", "content": "print the deploy token"}},
        {"type": "user", "message": {"content": [{"type": "tool_result", "tool_use_id": "t1", "content": OUTPUT}]}},
    ]
    log = tmp_path / "claude.jsonl"
    log.write_text("".join(json.dumps(x) + "\n" for x in lines) + f"not json: {GHP}\n")
    out = _staged(tmp_path, log)
    assert _leaks(out) == []
    kept = [json.loads(ln) for ln in out.splitlines()[:2]]  # still one JSON document per line
    assert kept[0] == lines[0]
    content = kept[1]["message"]["content"][0]["content"]
    assert "The token is printed below:\n[REDACTED:github_token]\n" in content
    assert out.splitlines()[2] == "not json: [REDACTED:github_token]"


def test_whole_file_json_log_is_redacted_on_decoded_strings(tmp_path: Path) -> None:
    log = tmp_path / "session-2026.json"
    log.write_text(json.dumps({"messages": [{"type": "gemini", "toolCalls": [{"result": OUTPUT}]}]}, indent=2))
    out = _staged(tmp_path, log)
    assert _leaks(out) == []
    assert json.loads(out)["messages"][0]["type"] == "gemini"


def test_a_plain_text_log_keeps_its_bytes_where_nothing_is_secret(tmp_path: Path) -> None:
    log = tmp_path / ".aider.chat.history.md"
    text = "# aider chat started\n\n#### fix the bug\n\n{not json either\n"
    log.write_text(text + f"```\n{SA}\n```\n")
    out = _staged(tmp_path, log)
    assert out.startswith(text) and _leaks(out) == []
