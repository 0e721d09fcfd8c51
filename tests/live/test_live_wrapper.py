"""Live sessions end to end (#17), on by default: the real wrapper in a real PTY starts the live
updater; a stand-in agent named `claude` writes its log where Claude Code does, waits until the
session's live.json has its turns, and runs `aitrack status` as Claude Code's statusLine would.
The session's MLflow run (a real SQLite store in the data dir) is the one the updater pushed,
finished by the ingest: one run. `AITRACK_LIVE=0` (or `AITRACK_INGEST=0`) starts no updater."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pytest
from progs.helpers import AITRACK, sessions, wrapper_env

from aitrack.capture.live import CHRT
from aitrack.sessiondir import read_run
from store.turnlogs import logs

AGENT = """#!{python}
import json, os, re, subprocess, sys, time
src, home = sys.argv[1], os.environ["HOME"]
slug = re.sub(r"[^A-Za-z0-9]", "-", os.getcwd())
dst = os.path.join(home, ".claude", "projects", slug, "agent-sess-1.jsonl")
os.makedirs(os.path.dirname(dst), exist_ok=True)
with open(dst, "w") as fh:
    fh.write(open(src).read().replace('"cwd": "/tmp"', '"cwd": ' + json.dumps(os.getcwd())))
live = os.path.join(os.environ["AITRACK_SESSION_DIR"], "live.json")
deadline = time.time() + 60
while time.time() < deadline:
    try:
        if json.load(open(live))["metrics"]["user_prompts"] == 2:
            break
    except (OSError, ValueError, KeyError):
        pass
    time.sleep(0.1)
out = subprocess.run([{aitrack!r}, "status"], capture_output=True, text=True).stdout.strip()
print("STATUS " + out)
"""


# Sees whether its session has an updater (started before the agent, running until the session ends).
PEEK = """#!{python}
import os
me = os.environ["AITRACK_SESSION_DIR"].encode()
found = []
for pid in os.listdir("/proc"):
    try:
        cmd = open(f"/proc/{{pid}}/cmdline", "rb").read()
    except OSError:
        continue
    if b"aitrack.live.worker" in cmd and me in cmd:
        found.append(int(pid))
idle = bool(found) and all(os.sched_getscheduler(p) == os.SCHED_IDLE for p in found)
print("UPDATER", "yes" if found else "no", "idle" if idle else "normal")
"""


@pytest.mark.parametrize(("value", "expected", "ingest"),
                         [(None, "yes", "1"), ("1", "yes", "1"), ("0", "no", "1"), ("off", "no", "1"), (None, "no", "0")])
def test_live_is_on_unless_turned_off(tmp_path: Path, value: str | None, expected: str, ingest: str) -> None:
    """On by default; off with AITRACK_LIVE=0, and with AITRACK_INGEST=0 (a live run nobody ends)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "claude"
    tool.write_text(PEEK.format(python=sys.executable))
    tool.chmod(0o755)
    env = wrapper_env(bin_dir, AITRACK_HOME=str(tmp_path / "data"), AITRACK_INGEST=ingest)
    env.pop("AITRACK_LIVE", None)
    if value is not None:
        env["AITRACK_LIVE"] = value
    child = pexpect.spawn(AITRACK, ["run", "--", "claude"], env=env, encoding="utf-8", timeout=60, cwd=str(tmp_path))
    child.expect(r"UPDATER (\w+) (\w+)")
    assert child.match.group(1) == expected
    if expected == "yes" and os.access(CHRT, os.X_OK):  # idle from its start (else from worker.main on)
        assert child.match.group(2) == "idle"
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_wrapper_starts_the_live_updater_and_status_reads_it(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    main, _ = logs(tmp_path / "src", base=time.time())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "claude"
    tool.write_text(AGENT.format(python=sys.executable, aitrack=AITRACK))
    tool.chmod(0o755)
    data = tmp_path / "data"
    env = wrapper_env(bin_dir, AITRACK_HOME=str(data), AITRACK_LIVE_INTERVAL="0.2", MLFLOW_DISABLE_TELEMETRY="true",
                      AITRACK_INGEST="1")  # as a user has it: live needs the ingest that ends its run
    env.pop("MLFLOW_TRACKING_URI", None)
    env.pop("AITRACK_LIVE", None)  # the default
    child = pexpect.spawn(AITRACK, ["run", "--", "claude", str(main)], env=env, encoding="utf-8", timeout=90,
                          cwd=str(work))
    child.expect(r"STATUS (.*)\r\n")
    line = child.match.group(1)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert line.startswith("claude · 2 turns · 1 cmd · 0 err · "), line  # the main log only: no subagent file
    [folder] = sessions(data)
    # The updater stops once the session is over, and the ingest finishes the run it kept: one run.
    deadline = time.time() + 120
    while (_updater_running(folder) or read_run(folder) is None) and time.time() < deadline:
        time.sleep(0.2)
    assert not _updater_running(folder)
    logged = read_run(folder)
    assert logged is not None, "the ingest did not log the session"
    os.environ["AITRACK_HOME"] = str(data)
    from aitrack.store.mlflow_store import MlflowStore

    store = MlflowStore()
    runs = store.client.search_runs([store.experiment_id(create=False)], f"tags.`aitrack.session_id` = '{folder.name}'")
    assert [r.info.run_id for r in runs] == [logged["run_id"]]
    # (its figures are the ingest's own, of the log lines inside the session's time window: these
    # lines are dated from the session's start on, some after its end)
    assert runs[0].info.status == "FINISHED" and runs[0].data.tags["aitrack.status"] != "running"


def _updater_running(folder: Path) -> bool:
    for pid in os.listdir("/proc"):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"aitrack.live.worker" in cmd and str(folder).encode() in cmd:
            return True
    return False
