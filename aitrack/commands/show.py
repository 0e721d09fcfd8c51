"""`aitrack show [REV]`: which session(s) made a commit — what was asked, what ran, what failed.

Resolution: the commit's `Aitrack-Session` trailers → its refs/notes/aitrack note → the local
journal index. Records come from the session folder (session.json, else built from meta.json),
and only when no folder exists from the tracking server: with a local record mlflow is never
imported, which keeps `show` near `git log -1` speed. For the same reason the common path (a
trailer, a local record) imports neither click, typing, pathlib nor subprocess: paths are str,
and nor json, re, enum, functools or collections (tests/show/test_hot.py).
"""
from __future__ import annotations

import os
import sys
import time

from aitrack import output
from aitrack.errors import AitrackError
from aitrack.meta import Meta
from aitrack.paths import session_path
from aitrack.sessiondir import META, OUTPUT, RECORD, RUN, TIMING, TRANSCRIPT, read_json
from aitrack.sessionrecord import SessionRecord
from aitrack.vcs.commit import CommitInfo, resolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

_RUN_KEYS = ("run_id", "experiment_id", "tracking_uri", "run_url")


def _from_meta(folder: str, meta: Meta, warnings: list[str]) -> dict[str, Any]:
    """No record yet (session running, or ingest not there): what meta.json and git know."""
    from aitrack.vcs.link import session_commits

    commits: list[dict[str, Any]] = []
    try:
        commits = session_commits(folder, meta)
        for c in commits:  # straight from git: not redacted like a record's commits
            for key in ("subject", "message"):
                if isinstance(c.get(key), str):
                    c[key] = redacted(c[key])
    except AitrackError as exc:
        warnings.append(f"listing commits failed: {exc}")
    start, end = meta.started_at_epoch, meta.ended_at_epoch
    duration = round(end - start, 3) if isinstance(start, (int, float)) and isinstance(end, (int, float)) else None
    return {"session_id": meta.id or os.path.basename(folder), "provider": meta.provider, "meta": meta.to_json(),
            "started_at": meta.started_at, "ended_at": meta.ended_at, "exit_code": meta.exit_code,
            "metrics": {"duration_seconds": duration}, "commits": commits}


def load_record(session_id: str, warnings: list[str],
                note_uri: str | None = None) -> tuple[SessionRecord | None, str]:
    """(record, where it came from): local record → built from meta → tracking server (the
    configured one, else the one the commit's note names) → nothing. A server that refuses
    (401/403) raises: `show` then exits 1 with that one line."""
    folder = session_path(session_id)
    record = read_json(os.path.join(folder, RECORD))
    if record is not None:
        return SessionRecord.from_json(record), "local"
    data = read_json(os.path.join(folder, META))
    if data is not None:
        meta = Meta.from_json(data)
        if meta.ended_at:  # never build a record for a running session: ingest would reuse it
            try:
                from pathlib import Path

                from aitrack.ingest.local import build_record

                return SessionRecord.from_json(build_record(Path(folder))), "local"
            except Exception as exc:  # a parser bug must not hide what meta.json knows
                warnings.append(f"building the session record failed: {exc}")
        return SessionRecord.from_json(_from_meta(folder, meta, warnings)), "meta"
    from aitrack.store import fetch_session
    from aitrack.store.auth import StoreDenied

    try:
        found = fetch_session(session_id, fallback_uri=note_uri)
        return (SessionRecord.from_json(found) if found is not None else None), "store"
    except StoreDenied:
        raise
    except AitrackError as exc:
        warnings.append(f"tracking server: {exc}")
    return None, "none"


def session_view(session_id: str, found_by: str, note: dict[str, Any]) -> dict[str, Any]:
    """Everything `show` prints about one session, as plain JSON-able values."""
    warnings: list[str] = []
    record, source = load_record(session_id, warnings, note.get("tracking_uri"))
    rec = record if record is not None else SessionRecord.from_json({})
    meta = rec.meta
    # A record fetched from the store, or an older one, may carry the run's keys itself.
    run = read_json(os.path.join(session_path(session_id), RUN)) or rec.extra.get("run") or {}
    view: dict[str, Any] = {
        "session_id": session_id, "found_by": found_by, "source": source if record else "note",
        "provider": (rec.provider if rec.has("provider") else None) or note.get("provider") or meta.provider,
        "tool": meta.tool, "tool_version": rec.tool_version,
        "started_at": rec.started_at or meta.started_at,
        "ended_at": rec.ended_at or meta.ended_at,
        "exit_code": rec.exit_code if rec.has("exit_code") else meta.exit_code,
        "interrupted": rec.interrupted if rec.has("interrupted") else None,
        "metrics": rec.metrics.to_json(), "models": rec.models,
        "prompts": rec.prompts, "commands": [c.to_json() for c in rec.commands],
        "files": rec.files, "issue_numbers": rec.issue_numbers,
        "commits": [c.to_json() for c in rec.commits], "cost": rec.cost.to_json() if rec.cost is not None else None,
    }
    for key in _RUN_KEYS:
        view[key] = run.get(key) or rec.extra.get(key) or note.get(key)
    view["run_url"] = _local_run_url(view) or view["run_url"]
    transcript = os.path.join(session_path(session_id), TRANSCRIPT)
    view["transcript"] = transcript if os.path.isfile(transcript) else None
    view["warnings"] = [*rec.warnings, *warnings]
    return view


def _local_run_url(view: dict[str, Any]) -> str | None:
    """A run in the embedded store is seen through `aitrack ui`, on whatever port it runs now:
    the URL recorded at ingest named the port of that moment."""
    uri, exp, rid = str(view.get("tracking_uri") or ""), view.get("experiment_id"), view.get("run_id")
    if not (exp and rid) or uri.startswith(("http://", "https://")):
        return None
    from aitrack.store.server import ui_base_url  # standard library only: no mlflow

    return f"{ui_base_url()}/#/experiments/{exp}/runs/{rid}"


def _ui_hint(view: dict[str, Any]) -> str:
    if not view.get("run_url") or str(view.get("tracking_uri") or "").startswith(("http://", "https://")):
        return ""
    from aitrack.store.server import read_state

    return "" if read_state() else "  (start the UI first: aitrack ui)"


def _duration(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)):
        return "?"
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{seconds:.1f}s"


def _first_line(text: Any, width: int = 100) -> str:
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def cleaned(value: Any) -> Any:
    """Every string of a view as printable text: records and notes come from agents, teammates'
    sessions on a shared server and whoever wrote the commit messages."""
    if isinstance(value, str):
        return output.clean(value, one_line=False)
    if isinstance(value, dict):
        return {k: cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    return value


# Only text that could hold a secret pays for loading the redaction rules (~60 ms, more than
# `show` itself): a long token, a URL, a key block or a secret-like word. Anything else is plain.
# Checked by hand, not with a regex: `re` alone costs `show` more than the check does.
_SECRET_WORDS = ("://", "pass", "secret", "token", "key", "auth", "bearer", "basic", "-----")
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/=.-")
_TOKEN_MIN = 12


def secretish(text: str) -> bool:
    """Whether `text` has a secret-like word or a run of 12 or more token characters
    ([A-Za-z0-9_+/=.-]) in it."""
    lower = text.lower()
    if any(word in lower for word in _SECRET_WORDS):
        return True
    for word in text.split():  # a run of token characters has no white space in it
        if len(word) >= _TOKEN_MIN:
            run = 0
            for ch in word:
                run = run + 1 if ch in _TOKEN_CHARS else 0
                if run >= _TOKEN_MIN:
                    return True
    return False


def redacted(text: str) -> str:
    """A commit subject or message as `show` prints it: the record's commits are redacted at
    ingest, but git's own copy of the message is not."""
    if not secretish(text):
        return text
    from aitrack.redact import redact_text

    return redact_text(text)


def render(info: CommitInfo, views: list[dict[str, Any]]) -> list[str]:
    lines = [f"commit {info.sha[:12]}  {output.clean(redacted(info.subject))}"]
    for v in cleaned(views):
        m = v["metrics"]
        version = f" {v['tool_version']}" if v.get("tool_version") else ""
        lines += ["", output.style(f"session {v['session_id']}", "1") + f"  {v['provider'] or 'unknown'}{version}"
                  f"  (found by {v['found_by']}, record: {v['source']})"]
        status = "interrupted" if v.get("interrupted") else f"exit {v['exit_code']}" if v["exit_code"] is not None else "running"
        lines.append(f"  started   {v['started_at'] or '?'} · {_duration(m.get('duration_seconds'))} · {status}")
        if v["models"] or m.get("input_tokens") is not None:
            from aitrack.cost.fmt import tokens_line

            tokens = tokens_line(m, v.get("cost"))
            lines.append(f"  model     {', '.join(v['models']) or '?'} · {tokens}")
        if v["issue_numbers"]:
            lines.append("  issues    " + " ".join(f"#{n}" for n in v["issue_numbers"]))
        for i, prompt in enumerate(v["prompts"][:5]):
            lines.append(("  prompts   " if i == 0 else "            ") + f"{i + 1}. {_first_line(prompt)}")
        if len(v["prompts"]) > 5:
            lines.append(f"            … {len(v['prompts']) - 5} more")
        cmds = v["commands"]
        if cmds:
            failed = sum(1 for c in cmds if c.get("is_error"))
            lines.append(f"  commands  {len(cmds)} run, " + (output.style(f"{failed} failed", "31") if failed else "0 failed"))
            shown = [c for c in cmds if c.get("is_error")][:10] + [c for c in cmds if not c.get("is_error")][:5]
            for c in sorted(shown, key=cmds.index):
                code = f"  (exit {c.get('exit_code')})" if c.get("exit_code") not in (None, 0) else ""
                text = _first_line(c.get("command", ""), 90)
                lines.append("            " + (output.bad(text + code) if c.get("is_error") else output.ok(text)))
        if v["files"]:
            more = f" … +{len(v['files']) - 8}" if len(v["files"]) > 8 else ""
            lines.append(f"  files     {len(v['files'])}: {', '.join(v['files'][:8])}{more}")
        for i, c in enumerate(v["commits"]):
            mark = " ←" if c.get("sha") == info.sha else ""
            lines.append(("  commits   " if i == 0 else "            ") + f"{str(c.get('sha'))[:12]} {c.get('subject', '')}{mark}")
        if v.get("run_url") or v.get("run_id"):
            lines.append(f"  run       {v.get('run_url') or v['run_id'] + ' @ ' + str(v.get('tracking_uri'))}"
                         + _ui_hint(v))
        else:
            lines.append("  run       not logged yet (`aitrack sync` logs pending sessions)")
        lines += [f"  warning   {w}" for w in v["warnings"][:3]]
    return lines


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()


def _page(text: str) -> None:
    if not sys.stdout.isatty():
        output.out(text.rstrip("\n"))
        return
    import shlex
    import subprocess

    pager = shlex.split(os.environ.get("PAGER") or "less -R")
    try:
        subprocess.run(pager, input=text.encode("utf-8", "replace"), check=False)
    except OSError:
        output.out(text.rstrip("\n"))


def play(folder: Path, speed: float, write: Callable[[bytes], None],
           sleep: Callable[[float], None] = time.sleep) -> None:
    """Write output.raw in the rhythm of the timing file, `speed` times faster — without OSC 52
    (clipboard) and without the queries a terminal answers by typing (termsafe.ReplayFilter)."""
    from aitrack.parse.terminal.timing import read_timing
    from aitrack.termsafe import ReplayFilter

    safe = ReplayFilter()

    raw, timing = folder / OUTPUT, folder / TIMING
    if not raw.is_file() or not timing.is_file():
        raise AitrackError(f"session {folder.name} has no terminal recording to replay")
    with open(raw, "rb") as fh:
        for kind, delay, value in read_timing(timing):
            if delay > 0:
                sleep(delay / speed)
            if kind == "o" and isinstance(value, int):
                write(safe.feed(fh.read(value)))
        rest = safe.feed(fh.read()) + safe.close()  # bytes after the last timing line (a killed wrapper)
        if rest:
            write(rest)


def _fd(stream: Any) -> int:
    try:
        return int(stream.fileno())
    except (AttributeError, ValueError, OSError):  # closed, or replaced by a test's capture
        return -1


def show(rev: str = "HEAD", repo: str = ".", as_json: bool = False, transcript: bool = False,
         replay: bool = False, speed: float = 1.0) -> int:
    if speed <= 0:
        raise AitrackError("--speed must be greater than 0")
    if ".." in rev and not (transcript or replay):
        from aitrack.commands.show_range import show_range  # a pull request's range: what it cost

        return show_range(rev, repo, as_json)
    info = resolve(rev, repo)
    found = info.session_ids()
    if not found:
        from aitrack.vcs.index import sessions_for_commit

        found = [(sid, "journal") for sid in sessions_for_commit(info.sha)]
    views = [session_view(sid, how, info.note_for(sid)) for sid, how in found]
    if as_json:
        import json

        output.out(json.dumps({"commit": info.sha, "subject": redacted(info.subject), "repo": info.repo, "sessions": views},
                              indent=1, default=str))
        return 0 if views else 1
    if not views:
        output.out(f"commit {info.sha[:12]}  {output.clean(redacted(info.subject))}")
        output.out("no aitrack session is linked to this commit (no trailer, no note, not in a local journal)")
        return 1
    if transcript:
        texts = [_read_text(v["transcript"]) for v in views if v["transcript"]]
        if not texts:
            raise AitrackError("no transcript of this commit's session(s) on this machine")
        _page(output.clean("\n".join(texts), one_line=False))
        return 0
    if replay:
        from pathlib import Path

        from aitrack.capture.pty_.quiet import quiet_input

        with quiet_input(_fd(sys.stdin), _fd(sys.stdout)):  # the terminal's answers never reach the shell
            for v in views:
                play(Path(session_path(v["session_id"])), speed, output.write_bytes)
        return 0
    for line in render(info, views):
        output.out(line)
    return 0
