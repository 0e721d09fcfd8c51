"""Alert rules at ingest on a real SQLite store: the run's `alert` tag, the pending line printed
once at the next prompt of a real interactive bash, a command, and a webhook POSTed to a real HTTP
server on 127.0.0.1."""
from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from ingest.kit import make_session
from procedure.kit import FIX, store_at, track
from support import require_fixtures

from aitrack.sessionrecord import SessionRecord
from aitrack import alerts, config
from aitrack.errors import AitrackError
from aitrack.ingest.local import build_record
from aitrack.ingest.pipeline import ingest_one
from aitrack.ingest.spool import read_state

RULES = ["errors_encountered > 1", "duration_seconds > 3600", "success = 0 and type = procedure"]


class Hook(BaseHTTPRequestHandler):
    posts: list[Any] = []

    def do_POST(self) -> None:
        self.posts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[Any]]]:
    Hook.posts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", Hook.posts
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def setup(isolated_home: Path, monkeypatch: pytest.MonkeyPatch, webhook: tuple[str, list[Any]]) -> dict[str, Any]:
    home = isolated_home / "aitrack"
    monkeypatch.setenv("AITRACK_HOME", str(home))
    got = isolated_home / "command-got.jsonl"
    cfg = isolated_home / ".config" / "aitrack" / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    command = f"{sys.executable} -c \"import sys; open({str(got)!r}, 'a').write(sys.stdin.read() + chr(10))\""
    cfg.write_text(f"[alerts]\nrules = {json.dumps(RULES)}\ncommand = {json.dumps(command)}\n"
                   f"webhook = {json.dumps(webhook[0])}\n")
    config.load.cache_clear()
    yield {"home": home, "store": store_at(home), "got": got, "posts": webhook[1]}
    config.load.cache_clear()


def _session(fixture: str, duration: float, code: int = 0) -> Path:
    require_fixtures()
    folder = make_session(tool="claude", argv=["claude", "go"], exit_code=code, duration=duration)
    build_record(folder, agent_logs=[FIX / fixture])
    return folder


def test_rules_tag_runs_and_notify_once(setup: dict[str, Any]) -> None:
    store, home = setup["store"], setup["home"]
    quiet = _session("claude/drmaciver-coverage-test-fix.jsonl", 20)  # 1 error: no rule
    noisy = _session("claude/kvsankar-claude_with_rejection.jsonl", 30)  # 2 errors
    slow = _session("claude/drmaciver-hello-world-script.jsonl", 4000)
    failed = track("extract-best-frame", [], ["false"])
    fine = track("extract-best-frame", [], ["true"])
    for folder in (quiet, noisy, slow, failed, fine):
        ingest_one(folder, store)
    tags = {r["session_id"]: r["tags"].get("alert") for r in store.search_all()}
    assert tags == {quiet.name: None, noisy.name: "errors_encountered > 1", slow.name: "duration_seconds > 3600",
                    failed.name: "success = 0 and type = procedure", fine.name: None}
    assert store.search('tags.alert = "duration_seconds > 3600"')[0]["session_id"] == slow.name
    pending = (home / alerts.PENDING).read_text().splitlines()
    assert len(pending) == 3 and pending[0].startswith("aitrack alert: errors_encountered > 1 — claude")
    assert noisy.name in pending[0] and "http" in pending[0]  # the run's URL to open
    sent = [json.loads(line) for line in setup["got"].read_text().splitlines()]
    assert [s["session_id"] for s in sent] == [noisy.name, slow.name, failed.name]
    posts = setup["posts"]
    assert [p["rules"] for p in posts] == [[r] for r in RULES]
    assert posts[2]["type"] == "procedure" and posts[2]["procedure_name"] == "extract-best-frame"
    assert posts[0]["run_id"] and posts[0]["text"] == pending[0]
    # Ingesting again (a retry, `aitrack sync`) notifies nobody twice.
    for folder in (noisy, slow, failed):
        ingest_one(folder, store)
    assert len((home / alerts.PENDING).read_text().splitlines()) == 3 and len(posts) == 3


def test_a_bad_rule_or_a_dead_webhook_never_blocks_logging(setup: dict[str, Any], tmp_path: Path) -> None:
    cfg = Path(os.environ["XDG_CONFIG_HOME"]) / "aitrack" / "config.toml"
    cfg.write_text('[alerts]\nrules = ["errors_encountered >> 5"]\n')
    config.load.cache_clear()
    folder = _session("claude/kvsankar-claude_with_rejection.jsonl", 30)
    run, fresh = ingest_one(folder, setup["store"])
    assert fresh and run["run_id"]
    assert "cannot read" in read_state(folder)["note_error"]
    cfg.write_text('[alerts]\nrules = ["errors_encountered > 0"]\nwebhook = "http://127.0.0.1:9/nothing"\n')
    config.load.cache_clear()
    folder = _session("claude/kvsankar-claude_with_rejection.jsonl", 30)
    run, fresh = ingest_one(folder, setup["store"])
    assert fresh and "alert webhook" in read_state(folder)["note_error"]


def test_rule_language() -> None:
    record = {"metrics": {"errors_encountered": 6, "duration_seconds": 10.0}, "success": False, "exit_code": 1,
              "type": "procedure", "provider": "generic", "procedure_name": "close-issue", "issue_number": 5}
    assert alerts.evaluate(["errors_encountered > 5", "errors_encountered > 6"], SessionRecord.from_json(record)) == ["errors_encountered > 5"]
    assert alerts.evaluate(['success = 0 and type = "procedure"', "tags.type = ai_session"], SessionRecord.from_json(record)) == \
        ['success = 0 and type = "procedure"']
    assert alerts.evaluate(["params.procedure_name = close-issue AND exit_code != 0"], SessionRecord.from_json(record)) != []
    assert alerts.evaluate(["no_such_metric > 0", "model = x"], SessionRecord.from_json(record)) == []
    with pytest.raises(AitrackError):
        alerts.parse_rule("errors_encountered")


def test_pending_alert_printed_once_at_the_next_bash_prompt(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pexpect

    home = isolated_home / "aitrack"
    home.mkdir()
    monkeypatch.setenv("AITRACK_HOME", str(home))
    from aitrack.shell.init import aitrack_bin, render

    init = isolated_home / "init.bash"
    init.write_text(render("bash", ["claude"], aitrack_bin()))
    child = pexpect.spawn("bash", ["--norc", "--noprofile", "-i"], env=dict(os.environ, PS1="PROMPT> "),
                          encoding="utf-8", timeout=20)
    try:
        child.sendline(f"source {init}")
        child.expect_exact("PROMPT> ")
        # Raised while a command runs: not printed during it, printed at the prompt that follows.
        child.sendline(f"sleep 0.5; echo 'aitrack alert: x > 1 — demo' > {home / alerts.PENDING}; echo done")
        child.expect_exact("done")
        before_prompt = child.expect_exact(["aitrack alert: x > 1 — demo", "PROMPT> "])
        assert before_prompt == 0
        child.expect_exact("PROMPT> ")
        child.sendline("echo second")
        child.expect_exact("second")
        child.expect_exact("PROMPT> ")
        assert "aitrack alert" not in child.before
        assert not (home / alerts.PENDING).exists()
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert not list(home.glob("alerts.pending*"))
