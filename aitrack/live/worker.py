"""The live updater of one session: `python -m aitrack.live.worker SESSION_DIR`.

Detached from the agent (own session, SCHED_IDLE: CPU time nobody else wants; started once the
wrapper's session folder exists),
it wakes every `AITRACK_LIVE_INTERVAL` seconds (default 5): finds the agent's logs, reads what was
appended (aitrack.parse.incremental), and when something changed rewrites `live.json`. It never
imports mlflow: the session's MLflow run is created (RUNNING) and updated by a short-lived child,
`python -m aitrack.live.push` (push.py), started when there is something new, at once for the
first update, then at most once per `AITRACK_LIVE_PUSH_INTERVAL` seconds (default 30), never two
at once. So the run exists within seconds of the first prompt, a killed session leaves a run with
everything up to the last push (ingest later recovers the rest), and what stays resident for the
session's length is an interpreter, the parsers and their state. It stops when the session is over.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aitrack.live.push import Pusher
from aitrack.meta import Meta
from aitrack.sessiondir import LIVE, LIVE_PUSH

if TYPE_CHECKING:  # imported when first used: main() lowers the priority before the parsers load
    from aitrack.parse.incremental import LiveLog

FIND_EVERY = 6  # look for new log files (a subagent's) every this many wakes once one is found
PUSH_EVERY = 30.0  # seconds between pushes: each imports mlflow in a new process (~2 s of CPU)


class Updater:
    """One session's logs and live.json; `push` updates its run (default: a child per push; tests
    hand in `push.InlinePush` with a real SQLite store), at most once per `push_every` seconds."""

    def __init__(self, folder: Path, push: Pusher | None = None, push_every: float | None = None) -> None:
        self.folder = folder
        self.push: Pusher = push or ChildPush(folder)
        self.push_every = push_interval() if push_every is None else push_every
        self.logs: dict[str, LiveLog] = {}
        self.wakes = 0
        self.updates = 0
        self.pushes = 0
        self._unpushed: dict[str, Any] | None = None
        self._sent: tuple[dict[str, Any], int] | None = None  # the last record pushed, its step
        self._pushed_at = -float("inf")
        self.failures = 0  # pushes failed in a row
        self._judged = 0  # the pushes whose outcome was looked at
        # Pricing as the logs grow: each response once (path → (the parser's session, responses
        # priced, their dollars)); a log parsed again whole is priced again.
        self._pricer: Any = None
        self._priced: dict[str, tuple[int, int, float]] = {}
        # Redacted once each (redaction is most of an update's cost): the prompts as they come,
        # the meta while it does not change.
        self._prompts: list[str] = []
        self._meta: tuple[dict[str, Any], dict[str, Any]] = ({"": None}, {})
        self._models: tuple[list[str], list[str]] = ([""], [])
        self.live_file = LiveFile(folder / LIVE)

    def meta(self) -> dict[str, Any]:
        from aitrack.sessiondir import read_meta

        return read_meta(self.folder).to_json()  # read as JSON here: parse.locate takes that

    def poll(self, meta: dict[str, Any], over: bool = False) -> bool:
        """Read what the logs gained; True when live.json was rewritten. Pushes what is new to
        the run when the interval allows, unless the session is `over` (the ingest's turn)."""
        self.wakes += 1
        if not self.logs or self.wakes % FIND_EVERY == 0:
            from aitrack.parse.incremental import LiveLog
            from aitrack.parse.locate import find_agent_logs

            provider = str(meta.get("provider") or "")
            for path in find_agent_logs(meta):
                self.logs.setdefault(str(path), LiveLog(str(path), provider))
        changed = any([log.read() for log in self.logs.values()])
        if changed:
            self.write_live(meta)
        if not over:
            self.maybe_push()
        return changed

    def record(self, meta: dict[str, Any]) -> dict[str, Any]:
        """The live record: what live.json holds and the run is updated from (redacted)."""
        from aitrack.parse.incremental import snapshot
        from aitrack.redact import redact_obj

        snap = snapshot(list(self.logs.values()))
        cost = self.cost(meta)
        start = meta.get("started_at_epoch")
        if isinstance(start, (int, float)):
            snap["metrics"]["duration_seconds"] = round(time.time() - start, 3)
        if meta != self._meta[0]:
            self._meta = (dict(meta), redact_obj(meta))
        self._prompts += [redact_obj(p) for p in snap["prompts"][len(self._prompts):]]
        if snap["models"] != self._models[0]:
            self._models = (snap["models"], redact_obj(snap["models"]))
        rec = {"session_id": meta.get("id") or self.folder.name, "provider": meta.get("provider"),
               "meta": self._meta[1], "metrics": snap["metrics"], "models": self._models[1],
               "prompts": self._prompts, "cost": cost, "updated_at_epoch": time.time(),
               "bytes_read": sum(x.bytes_read for x in self.logs.values())}
        if cost and cost.get("usd") is not None:
            rec["metrics"]["cost_usd"] = cost["usd"]
        return rec

    def cost(self, meta: dict[str, Any]) -> dict[str, Any] | None:
        """{usd, unpriced} of the responses so far; None before any, or without prices."""
        if self._pricer is None:
            try:
                from aitrack.live.pricing import CardPricer

                started = meta.get("started_at")
                self._pricer = CardPricer(str(meta.get("provider") or ""), started if isinstance(started, str) else None)
            except Exception:  # genai-prices missing or a bad [cost.prices] table: the tokens still show
                self._pricer = False
        if self._pricer is False:
            return None
        total, seen = 0.0, 0
        for path, log in self.logs.items():
            s = log.session()
            if s is None:
                continue
            owner, done, usd = self._priced.get(path, (id(s), 0, 0.0))
            if owner != id(s):
                done, usd = 0, 0.0
            new = s.usage[done:]
            usd += sum(c["total_cost"] for c in self._pricer.costs(new) if c is not None)
            self._priced[path] = (id(s), len(s.usage), usd)
            total += usd
            seen += len(s.usage)
        if not seen:
            return None
        unpriced = sorted(str(m) for m in self._pricer.unpriced if m)
        return {"usd": round(total, 6) if len(unpriced) < len(self._pricer.rates) or not unpriced else None,
                "unpriced": unpriced}

    def write_live(self, meta: dict[str, Any]) -> None:
        rec = self.record(meta)
        shown = {k: v for k, v in rec.items() if k != "meta"}
        self.live_file.write(json.dumps(shown, sort_keys=True))
        self.updates += 1
        self._unpushed = rec

    def maybe_push(self) -> None:
        """The latest record to the run: something new (or the last push failed), the interval
        past, no push in flight."""
        if self.push.busy():
            return
        if self._judged != self.pushes:  # the last push is over: how it went
            self._judged = self.pushes
            self.failures = self.failures + 1 if self.push.failed else 0
        # A store that is down is asked again later and later (30 s, 1, 2, 4, 8 min): each try
        # costs a child's `import mlflow`.
        if time.monotonic() - self._pushed_at < self.push_every * 2 ** min(self.failures, 4):
            return
        if self._unpushed is not None:
            self._sent = (self._unpushed, self.updates)  # the step: one per live.json update, so it only grows
        elif not (self.push.failed and self._sent):
            return
        self._unpushed = None
        self._pushed_at = time.monotonic()
        self.pushes += 1
        self.push(*self._sent)


class ChildPush:
    """Each push a short-lived `python -m aitrack.live.push SESSION_DIR` (it inherits SCHED_IDLE),
    handed the record in live.push.json. Its exit is collected at the next wake."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.pid, self.failed = folder, 0, False

    def busy(self) -> bool:
        if not self.pid:
            return False
        try:
            done, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            done, status = self.pid, 0
        if done:
            self.pid, self.failed = 0, status != 0
        return not done

    def __call__(self, rec: dict[str, Any], step: int) -> None:
        from aitrack.fileio import write_atomic

        write_atomic(self.folder / LIVE_PUSH, json.dumps({"record": rec, "step": step}), 0o600)
        from aitrack.capture.proc import LIVE_PUSHER, python_m

        argv = python_m(*LIVE_PUSHER, str(self.folder))
        try:
            self.pid, self.failed = os.posix_spawn(sys.executable, argv, dict(os.environ)), False
        except OSError as exc:
            self.failed = True
            log_error(self.folder, f"push not started: {exc}")

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.1)


def push_interval() -> float:
    try:
        return max(float(os.environ.get("AITRACK_LIVE_PUSH_INTERVAL") or PUSH_EVERY), 0.0)
    except ValueError:
        return PUSH_EVERY


class LiveFile:
    """live.json rewritten in place: a temporary file and a rename cost 1.7 ms an update here
    (the directory's journal), one pwrite 5 µs. A shorter text is padded with spaces to the old
    length (valid JSON still) so a reader never sees an old tail; the whole text goes in one
    write of a few hundred bytes, and a reader that still catches it half-way (status) reads
    invalid JSON and shows less for that once."""

    def __init__(self, path: Path) -> None:
        self.path, self.fd, self.size = path, -1, 0

    def write(self, text: str) -> None:
        if self.fd < 0:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        data = text.encode()
        os.pwrite(self.fd, data + b" " * (self.size - len(data)), 0)
        self.size = max(self.size, len(data))

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def run(folder: Path, interval: float) -> int:
    from aitrack.ingest.spool import is_over

    updater = Updater(folder)
    while True:
        meta = updater.meta()
        over = is_over(Meta.from_json(meta))
        try:
            updater.poll(meta, over)
        except Exception as exc:  # a bad line, a full disk: the next wake tries again
            log_error(folder, f"{type(exc).__name__}: {exc}")
        if over:
            updater.push.wait(120.0)  # a push in flight lands before the updater is gone
            return 0
        time.sleep(interval)


def log_error(folder: Path, message: str) -> None:
    try:
        from aitrack.paths import data_dir

        logs = data_dir() / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / "live.log", "a", encoding="utf-8") as fh:
            fh.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {folder.name} {message}\n")
    except OSError:
        pass


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m aitrack.live.worker SESSION_DIR\n")
        return 2
    try:  # the agent and its terminal come first: this runs only on CPU time nobody else wants
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        try:
            os.nice(19)
        except OSError:
            pass
    interval = float(os.environ.get("AITRACK_LIVE_INTERVAL") or 5.0)
    return run(Path(argv[0]), max(interval, 0.2))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
