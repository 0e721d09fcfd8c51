"""Live sessions (#17): the agent's log read as it grows, `live.json` and a RUNNING MLflow run kept
current, a killed session's run kept up to the last update and finished by the ingest.

The logs are appended as an agent appends them (in pieces, a line cut mid-way); the store is a
real SQLite MLflow store; the updater process is the real detached worker.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from aitrack.sessionrecord import SessionRecord
from aitrack.ingest.local import build_record
from aitrack.ingest.spool import is_over
from aitrack.live.push import InlinePush
from aitrack.live.worker import Updater
from aitrack.meta import Meta
from aitrack.parse import parse_path
from aitrack.parse.incremental import LiveLog, snapshot
from aitrack.store import mapping
from aitrack.store.mlflow_store import MlflowStore
from aitrack.store.uri import StoreLocation
from ingest.kit import dead_pid, make_session
from store.turnlogs import SECRET, logs
from support import FIXTURES, free_port, require_fixtures

COUNTED = ("user_prompts", "tool_uses", "commands_executed", "errors_encountered", "input_tokens",
           "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "files_touched")


def _grow(src: bytes, dst: Path, pieces: int) -> list[int]:
    """Cut points that split `src` into `pieces` appends, most of them in the middle of a line."""
    dst.write_bytes(b"")
    return [len(src) * i // pieces + (7 if i < pieces else 0) for i in range(1, pieces + 1)]


@pytest.mark.parametrize("fixture", ["claude/drmaciver-python-to-rust-port.jsonl", "codex/kvsankar-codex_golden.jsonl"])
def test_appended_reads_add_up_to_one_full_parse(tmp_path: Path, fixture: str) -> None:
    require_fixtures()
    src = (FIXTURES / fixture).read_bytes()
    provider = "claude_code" if fixture.startswith("claude") else "openai_codex"
    log = tmp_path / "agent.jsonl"
    live = LiveLog(str(log), provider)
    done = 0
    for cut in _grow(src, log, 40):
        with open(log, "ab") as fh:
            fh.write(src[done:cut])
        done = cut
        live.read()
    assert live.bytes_read == len(src)  # every byte read once: no re-parse
    whole = parse_path(str(log), provider).metrics
    got = snapshot([live])["metrics"]
    for key in COUNTED:
        if key == "files_touched":
            continue  # counted when the parser finishes: the final ingest does
        assert got.get(key) == getattr(whole, key), key
    assert live.read() is False  # nothing new, nothing parsed


def test_a_replaced_log_is_read_again_from_its_start(tmp_path: Path) -> None:
    main, _ = logs(tmp_path / "a")
    live = LiveLog(str(main), "claude_code")
    live.read()
    assert snapshot([live])["metrics"]["user_prompts"] == 2
    main.write_bytes(main.read_bytes().split(b"\n")[0] + b"\n")  # rewritten shorter
    live.read()
    assert snapshot([live])["metrics"]["user_prompts"] == 1


def _store(tmp_path: Path) -> MlflowStore:
    return MlflowStore(StoreLocation(f"sqlite:///{tmp_path / 'mlflow.db'}", str(tmp_path / "artifacts"), True))


def _place(home: Path, folder: Path, pieces: list[bytes]) -> Path:
    """Where Claude Code writes the log of a session run in `/tmp`."""
    path = home / ".claude" / "projects" / "-tmp" / "agent-sess-1.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(pieces))
    return path


def test_the_run_is_running_after_the_first_prompt_and_a_killed_session_keeps_it(tmp_path: Path) -> None:
    store = _store(tmp_path)
    started = time.time() - 5
    folder = make_session(tool="claude", argv=["claude"], started=started, ended=False)
    main, sub = logs(tmp_path / "src", base=started + 1)
    lines = main.read_bytes().splitlines(keepends=True)
    home = Path(os.environ["HOME"])
    updater = Updater(folder, InlinePush(folder, store), push_every=0)
    meta = updater.meta()
    assert updater.poll(meta) is False and store.find_run(folder.name) is None  # no log yet
    path = _place(home, folder, lines[:1])  # the first prompt
    assert updater.poll(meta) is True
    run = store.find_run(folder.name)
    assert run is not None and run.info.status == "RUNNING"
    assert run.data.metrics["user_prompts"] == 1 and run.data.tags["aitrack.status"] == "running"
    live = json.loads((folder / "live.json").read_text())
    assert live["metrics"]["user_prompts"] == 1
    with open(path, "ab") as fh:  # a response, and half of the next line
        fh.write(b"".join(lines[1:3]) + lines[3][:20])
    assert updater.poll(meta) is True
    with open(path, "ab") as fh:
        fh.write(lines[3][20:] + b"".join(lines[4:]))
    updater.wakes = 5  # the next wake looks for new files: the subagent's
    (path.parent / path.stem / "subagents").mkdir(parents=True)
    (path.parent / path.stem / "subagents" / "agent-a1.jsonl").write_bytes(sub.read_bytes())
    assert updater.poll(meta) is True
    run = store.client.get_run(run.info.run_id)
    m = run.data.metrics
    assert m["user_prompts"] == 2 and m["commands_executed"] == 2 and m["errors_encountered"] == 1
    assert m["output_tokens"] == 250 and m["cost_usd"] > 0
    history = store.client.get_metric_history(run.info.run_id, "user_prompts")
    assert [p.value for p in history] == [1.0, 1.0, 2.0]  # one step per update
    live = json.loads((folder / "live.json").read_text())
    assert SECRET not in json.dumps(live) and live["cost"]["usd"] == pytest.approx(m["cost_usd"])

    # Killed here: the wrapper dies without writing ended_at. The run keeps the last update.
    meta["pid"] = dead_pid()
    (folder / "meta.json").write_text(json.dumps(meta))
    last = json.loads(lines[-1])  # a prompt the agent logged as it died: live.json has it, the run not
    prompt = dict(last, type="user", uuid="late", message={"role": "user", "content": "one more thing"})
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(prompt) + "\n")
    assert updater.poll(meta, is_over(Meta.from_json(meta))) is True
    assert json.loads((folder / "live.json").read_text())["metrics"]["user_prompts"] == 3
    kept = store.client.get_run(run.info.run_id)
    assert kept.info.status == "RUNNING" and kept.data.metrics["user_prompts"] == 2
    # The ingest recovers the session into the same run: KILLED, final values one step further.
    record = build_record(folder, agent_logs=[path, path.parent / path.stem / "subagents" / "agent-a1.jsonl"])
    done = store.log_session(SessionRecord.from_json(record))
    assert done["run_id"] == run.info.run_id
    runs = store.client.search_runs([done["experiment_id"]], f"tags.`{mapping.SESSION_TAG}` = '{folder.name}'")
    assert len(runs) == 1 and runs[0].info.status == "KILLED"
    assert runs[0].data.metrics["user_prompts"] == 3 and runs[0].data.tags["aitrack.status"] == "interrupted"
    assert runs[0].data.metrics["duration_seconds"] == pytest.approx(record["metrics"]["duration_seconds"])


def test_pushes_wait_for_the_interval_and_the_latest_goes_later(tmp_path: Path) -> None:
    store = _store(tmp_path)
    started = time.time() - 5
    folder = make_session(tool="claude", argv=["claude"], started=started, ended=False)
    main, _ = logs(tmp_path / "src", base=started + 1)
    lines = main.read_bytes().splitlines(keepends=True)
    path = _place(Path(os.environ["HOME"]), folder, lines[:1])
    push = InlinePush(folder, store)
    updater = Updater(folder, push, push_every=3600)
    meta = updater.meta()
    assert updater.poll(meta) is True and updater.pushes == 1  # the first at once: the run is there
    with open(path, "ab") as fh:
        fh.write(b"".join(lines[1:]))
    assert updater.poll(meta) is True and updater.pushes == 1  # within the interval: live.json only
    assert json.loads((folder / "live.json").read_text())["metrics"]["user_prompts"] == 2
    run = store.client.get_run(str(push.run_id))
    assert run.data.metrics["user_prompts"] == 1
    updater.push_every = 0  # the interval is over: the latest record goes, though nothing is new
    assert updater.poll(meta) is False and updater.pushes == 2
    assert store.client.get_run(str(push.run_id)).data.metrics["user_prompts"] == 2
    assert updater.poll(meta) is False and updater.pushes == 2  # nothing new, nothing pushed


def test_a_failed_push_is_sent_again(tmp_path: Path) -> None:
    started = time.time() - 5
    folder = make_session(tool="claude", argv=["claude"], started=started, ended=False)
    main, _ = logs(tmp_path / "src", base=started + 1)
    _place(Path(os.environ["HOME"]), folder, [main.read_bytes()])
    down = MlflowStore(StoreLocation(f"http://127.0.0.1:{free_port()}", str(tmp_path / "artifacts"), False))
    push = InlinePush(folder, down)  # a tracking server that is not there
    updater = Updater(folder, push, push_every=0)
    meta = updater.meta()
    assert updater.poll(meta) is True and push.failed and updater.pushes == 1
    push.store = store = _store(tmp_path)  # the server is back: the same record goes again
    assert updater.poll(meta) is False and updater.pushes == 2 and not push.failed
    run = store.find_run(folder.name)
    assert run is not None and run.data.metrics["user_prompts"] == 2
    assert updater.poll(meta) is False and updater.pushes == 2  # sent: nothing more to push


def test_a_logged_session_is_not_pushed_again(tmp_path: Path) -> None:
    store = _store(tmp_path)
    folder = make_session(tool="claude", argv=["claude"], ended=False)
    rec = {"session_id": folder.name, "meta": {"id": folder.name, "tool": "claude"}, "metrics": {"user_prompts": 1}}
    (folder / "run.json").write_text(json.dumps({"run_id": "x"}))
    push = InlinePush(folder, store)
    push(rec, 1)
    assert push.run_id is None and store.find_run(folder.name) is None


# The updater's own process: the real entry point, and what it imported (never mlflow or click).
_WORKER = ("import sys; from aitrack.live import worker; code = worker.main(sys.argv[1:]); "
           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mlflow', 'click', 'sqlalchemy', 'genai_prices'))); "
           "sys.exit(code)")


def test_the_worker_runs_detached_and_stops_with_the_session(tmp_path: Path) -> None:
    holder = subprocess.Popen(["sleep", "60"])  # stands for the wrapper: the session runs while it lives
    try:
        started = time.time() - 2
        folder = make_session(tool="claude", argv=["claude"], started=started, ended=False, pid=holder.pid)
        main, _ = logs(tmp_path / "src", base=started + 1)
        _place(Path(os.environ["HOME"]), folder, [main.read_bytes()])
        env = dict(os.environ, AITRACK_LIVE_INTERVAL="0.2", MLFLOW_TRACKING_URI=f"sqlite:///{tmp_path / 'w.db'}",
                   MLFLOW_DISABLE_TELEMETRY="true")
        worker = subprocess.Popen([sys.executable, "-c", _WORKER, str(folder)], env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.time() + 90
        while not (folder / "live.json").exists() and time.time() < deadline and worker.poll() is None:
            time.sleep(0.1)
        live: dict[str, Any] = json.loads((folder / "live.json").read_text())
        assert live["metrics"]["user_prompts"] == 2 and worker.poll() is None
        # The run, from a short-lived child of the updater's (the updater holds no MLflow client).
        store = MlflowStore(StoreLocation(env["MLFLOW_TRACKING_URI"], str(tmp_path / "artifacts"), True))
        while store.find_run(folder.name) is None and time.time() < deadline and worker.poll() is None:
            time.sleep(0.2)
        run = store.find_run(folder.name)
        assert run is not None and run.info.status == "RUNNING" and run.data.metrics["user_prompts"] == 2
        holder.kill()
        holder.wait()
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        assert out.strip() == "[]"  # the updater never imported mlflow, click, sqlalchemy or genai-prices
    finally:
        holder.kill()
        holder.wait()
