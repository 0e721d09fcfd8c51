"""The local stage of ingest: a session folder → its redacted record (session.json + transcript.txt).

No mlflow here (so `aitrack show` and tests stay fast): parse, link, redact, write. The agent's own
log is preferred (exact tool calls, tokens, model); the terminal transcript is rendered whenever
output.raw exists and becomes the source only when no log was found.
"""
from __future__ import annotations

import json
import os
import re
import signal
from collections import Counter
from pathlib import Path
from typing import Any

from aitrack import __version__, config
from aitrack.errors import AitrackError
from aitrack.fileio import write_atomic
from aitrack.meta import Meta
from aitrack.parse.record import Detection, Session
from aitrack.sessiondir import COST, OUTPUT, RECORD, TIMING, TRANSCRIPT, read_meta

SHELL_WRITES_FRESH = 600.0  # seconds after the session's end the work tree still shows its shell's writes

# `close-issue`, `fix_bug`, `review:pr`, `/release` — a slug, not an ordinary first word ("fix").
_PROCEDURE = re.compile(r"^([a-z][a-z0-9]*(?:[-_:][a-z0-9]+)+)$")
_SLASH = re.compile(r"^/([a-z][a-z0-9]*(?:[-_:][a-z0-9]+)*)$")


def build_record(session_dir: str | os.PathLike[str], agent_logs: list[Path] | None = None,
                 parsed: Session | None = None) -> dict[str, Any]:
    """Parse, link and redact one session folder; write session.json and transcript.txt (0600).

    `agent_logs` names the agent's log files instead of looking for them (then parsed whole, not
    cut to the session's time window): for logs kept elsewhere, and for tests. `parsed` is a Session
    already parsed (backfill: one of several sessions in a log), used as is with `agent_logs` as sources.
    """
    folder = Path(session_dir)
    try:
        meta = read_meta(folder)
    except (OSError, ValueError) as exc:
        raise AitrackError(f"{folder}: no readable meta.json ({exc})") from exc
    warnings: list[str] = []
    structured: Session | None
    if parsed is not None:
        logs, structured = [Path(p) for p in agent_logs or []], parsed
    else:
        logs, structured = _structured(meta, warnings, agent_logs)
    transcript, terminal = _terminal(folder, meta, need_session=structured is None, warnings=warnings)
    session = structured or terminal or Session(provider=str(meta.provider or "generic"))
    if structured is not None and transcript is not None:
        from aitrack.agents import registry

        agent = registry.by_provider(structured.provider)
        with_screen = registry.get(agent, "with_screen") if agent else None
        if with_screen is not None:  # what only the screen shows (an exit summary, a command's output)
            with_screen(structured, transcript)
    if session.tool_version is None:
        from aitrack.ingest.toolversion import installed_version

        session.tool_version = installed_version(meta.tool_path, meta.tool)
    if structured is None:
        _provider_from_command(session, meta)
    record = session.to_dict()
    record["warnings"] = list(session.warnings) + warnings
    if transcript is not None and ended_by_ctrl_c(transcript):
        record["interrupted"] = True  # the agent read the keys itself and exited 0
    meta = _fill_from_meta(record, meta, folder)
    record["commits"] = _commits(folder, meta, record["warnings"])
    _shell_writes(record, meta)
    _git_facts(record, meta)
    sources = issue_sources(record, meta)
    numbers = list(sources)
    record["issue_numbers"] = numbers
    record["issue_sources"] = {str(n): where for n, where in sources.items()}
    record["issue_number"] = numbers[0] if numbers else None
    record["procedure_name"] = procedure_name(record, meta)
    from aitrack.procedures.record import apply as apply_procedure

    apply_procedure(record, folder)  # `aitrack track` / aitrack.procedure(): type, params, live metrics
    record["agent_logs"] = [str(p) for p in logs]
    record["transcript"] = TRANSCRIPT if transcript is not None else None
    record["aitrack_version"] = __version__
    from aitrack.cost.record import add_cost, rollup_row

    add_cost(record, record["warnings"])  # priced once here: show and `aitrack cost` only read it
    from aitrack.redact import redact_obj, redact_transcript

    found: Counter[str] = Counter()
    record = dict(redact_obj(record, found))  # redact_obj keeps a dict a dict
    if transcript is not None:
        # The raw bytes saw each secret whole; the rendered screen may hold it wrapped or scattered.
        from aitrack.parse.terminal.timing import iter_file

        write_private(folder / TRANSCRIPT, redact_transcript(transcript, iter_file(folder / OUTPUT), found))
    record["redactions"] = dict(found)  # counts by rule, never the values
    write_private(folder / RECORD, json.dumps(record, indent=1, sort_keys=True, default=str) + "\n")
    write_private(folder / COST, json.dumps(rollup_row(record), default=str) + "\n")
    return record


def _structured(meta: Meta, warnings: list[str],
                given: list[Path] | None) -> tuple[list[Path], Session | None]:
    from aitrack.parse import iter_sessions, merge_sessions
    from aitrack.parse.locate import find_agent_logs, session_window

    window: tuple[float, float] | None = None
    if given is not None:
        logs = [Path(p) for p in given]
    else:
        try:
            logs = list(find_agent_logs(meta.to_json()))
        except Exception as exc:  # a broken locator must not cost the session: the terminal remains
            warnings.append(f"finding the agent's log failed: {exc}")
            return [], None
        # Only what was written during this session: aider's history and resumed logs hold more.
        window = session_window(meta.to_json())
    hint = meta.provider if meta.provider not in (None, "generic") else None
    parsed: list[Session] = []
    for path in logs:
        try:
            parsed.extend(iter_sessions(path, hint, window=window))
        except Exception as exc:
            warnings.append(f"parsing {path} failed: {exc}")
    return logs, merge_sessions(parsed) if parsed else None


def _terminal(folder: Path, meta: Meta, *, need_session: bool,
              warnings: list[str]) -> tuple[str | None, Session | None]:
    raw_path = folder / OUTPUT
    if not raw_path.is_file():
        return None, None
    from aitrack.parse.terminal import parse_text, render_transcript

    timing = folder / TIMING
    cols, rows = int(meta.term_cols or 80), int(meta.term_rows or 24)
    try:
        # Rendered once, from the file (streamed), with the timing file's frames and resizes.
        text = render_transcript(raw_path, cols, rows, timing=timing if timing.is_file() else None)
    except Exception as exc:
        warnings.append(f"rendering the terminal transcript failed: {exc}")
        return None, None
    session: Session | None = None
    if need_session:
        hint = meta.provider if meta.provider not in (None, "generic") else None
        try:
            session = parse_text(text, provider=hint, source_path=str(raw_path))
        except Exception as exc:
            warnings.append(f"parsing the terminal transcript failed: {exc}")
    return text, session


def _provider_from_command(session: Session, meta: Meta) -> None:
    """No agent log: the command the person typed (`claude`) names the provider better than the screen."""
    provider = meta.provider
    if provider and provider != "generic":
        seen = session.detection.evidence
        session.provider = str(provider)
        session.detection = Detection("command", f"wrapped command {meta.tool!r}" + (f"; {seen}" if seen else ""))


def _fill_from_meta(record: dict[str, Any], meta: Meta, folder: Path) -> Meta:
    """The record's fields meta.json knows; returns the meta as the record keeps it."""
    record["session_id"] = str(meta.id or folder.name)
    interrupted = stopped_by_person(meta) or bool(record.get("interrupted"))
    record["interrupted"] = interrupted
    record["exit_code"] = meta.exit_code
    record["success"] = (not interrupted) and meta.exit_code == 0
    record["cwd"] = record.get("cwd") or meta.cwd
    record["git_branch"] = meta.git_branch or record.get("git_branch")
    record["started_at"] = record.get("started_at") or meta.started_at
    record["ended_at"] = meta.ended_at or record.get("ended_at")
    start, end = meta.started_at_epoch, meta.ended_at_epoch
    if interrupted and isinstance(start, (int, float)):
        # The wrapper died: the last byte it wrote is the best end time there is.
        end = max((p.stat().st_mtime for p in folder.iterdir() if p.name in (OUTPUT, TIMING)), default=start)
        meta = meta.replace(last_output_epoch=end)
    if isinstance(start, (int, float)) and isinstance(end, (int, float)):
        record["metrics"]["duration_seconds"] = round(max(end - start, 0.0), 3)
    record["meta"] = meta.to_json()
    return meta


def _commits(folder: Path, meta: Meta, warnings: list[str]) -> list[dict[str, Any]]:
    from aitrack.vcs.link import session_commits

    try:
        return list(session_commits(folder, meta))
    except Exception as exc:  # repo deleted or moved: the session is still worth logging
        warnings.append(f"linking commits failed: {exc}")
        return []


def _shell_writes(record: dict[str, Any], meta: Meta) -> None:
    """The lines the agent's shell commands wrote, read off the work tree now (vcs/attribution.py)."""
    if not any(w.get("lines") is None for w in record.get("writes") or []):
        return
    import time

    ended = meta.ended_at_epoch
    if meta.mode == "import" or (isinstance(ended, (int, float)) and time.time() - ended > SHELL_WRITES_FRESH):
        # Backfill, or a record rebuilt long after: the work tree is no longer what the agent left.
        record["warnings"].append("lines the agent's shell wrote are not attributed: the work tree has changed since")
        return
    from aitrack.vcs.attribution import fill_shell_writes

    try:
        fill_shell_writes(record, meta)
    except Exception as exc:  # attribution is worth less than the session
        record["warnings"].append(f"reading the shell's writes failed: {exc}")


# Signals a person sends by stopping the agent: Ctrl-C, closing the terminal, `kill`. The shell
# reports a child killed by signal n as 128+n; agents that catch Ctrl-C exit 130 themselves.
_STOP_SIGNALS = (signal.SIGINT, signal.SIGHUP, signal.SIGTERM)


# What an agent shows when Ctrl-C at its prompt will make it exit (Claude Code 2.1: "Press Ctrl-C
# again to exit"; Gemini CLI: "Press Ctrl+C again to exit."): left on the last screen, the second
# Ctrl-C ended the session. The agent reads the keys in raw mode, so no signal is involved.
_CTRL_C_EXIT = re.compile(r"Press Ctrl[-+]C again to (?:exit|quit)", re.I)


def ended_by_ctrl_c(transcript: str) -> bool:
    tail = [line for line in transcript[-20_000:].splitlines() if line.strip()][-8:]
    return any(_CTRL_C_EXIT.search(line) for line in tail)


def stopped_by_person(meta: Meta) -> bool:
    """Interrupted: the wrapper died (no end time), or the agent ended by Ctrl-C, SIGHUP or SIGTERM."""
    if meta.interrupted:
        return True
    sig, code = meta.signal, meta.exit_code
    return sig in _STOP_SIGNALS or (isinstance(code, int) and code - 128 in _STOP_SIGNALS)


def _git_facts(record: dict[str, Any], meta: Meta) -> None:
    """Branches the commits landed on, and the files the session changed whatever tool changed them."""
    commits = record.get("commits") or []
    start = meta.started_at_epoch
    end = meta.ended_at_epoch or meta.last_output_epoch
    from aitrack.vcs.link_facts import add_branches, changed_files, session_branches

    try:
        add_branches(commits)
        record["git_branches"] = session_branches(commits)
        if isinstance(start, (int, float)) and isinstance(end, (int, float)):
            files = dict.fromkeys(record.get("files") or [])
            cwd = str(record.get("cwd") or meta.cwd or "")
            for path in changed_files(meta, commits, float(start), float(end)):
                files[_relative(path, cwd)] = None
            record["files"] = list(files)
            record["metrics"]["files_touched"] = len(record["files"])
    except Exception as exc:  # a repository that vanished must not cost the session
        record["warnings"].append(f"reading the commits' branches and files failed: {exc}")


def _relative(path: str, cwd: str) -> str:
    # As the parsers store an agent's files: relative to the session's directory when inside it.
    base = cwd.rstrip("/") + "/"
    for prefix in {base, os.path.realpath(cwd).rstrip("/") + "/"}:
        if cwd and path.startswith(prefix):
            return path[len(prefix):]
    return path


def issue_sources(record: dict[str, Any], meta: Meta) -> dict[int, list[str]]:
    """Issue numbers of a session → where each was named ("prompt", "argument", "commit", "branch"),
    primary first. A number named by the person or the session's commits wins over the branch;
    the branch counts only when the session names none and worked on it (committed onto it, or
    changed files while it was checked out): a repository left on `fix-77` does not make every
    later session about #77."""
    from aitrack.parse.issues import find_issue_numbers
    from aitrack.store.mapping import command_argument

    found: dict[int, list[str]] = {}

    def add(numbers: list[int], where: str) -> None:
        for n in numbers:
            if where not in found.setdefault(n, []):
                found[n].append(where)

    add(find_issue_numbers(command_argument(meta), "prompt"), "argument")
    for prompt in record.get("prompts") or []:
        add(find_issue_numbers(str(prompt), "prompt"), "prompt")
    commits = record.get("commits") or []
    for commit in commits:
        add(find_issue_numbers(str(commit.get("message") or commit.get("subject") or ""), "commit"), "commit")
    if found:
        return found
    branches = list(record.get("git_branches") or [])
    if not commits and (record.get("metrics") or {}).get("files_touched"):
        branches = [b for b in (meta.git_branch or record.get("git_branch"),) if b]
    for branch in branches:
        add(find_issue_numbers(str(branch), "branch"), "branch")
    return found


def procedure_name(record: dict[str, Any], meta: Meta) -> str | None:
    """`claude "close-issue 583"` → `close-issue`: the first word of the initial prompt or of an
    argument, when it is a slug, a slash command, or listed in config `procedures`."""
    known = {str(p) for p in config.get("procedures", []) or []}
    prompts = record.get("prompts") or []
    argv = [str(a) for a in meta.argv or []][1:]
    candidates = ([str(prompts[0])] if prompts else []) + [a for a in argv if not a.startswith("-")]
    for text in candidates:
        words = text.split()
        if not words:
            continue
        first = words[0]
        if first in known or _PROCEDURE.match(first):
            return first
        slash = _SLASH.match(first)
        if slash:
            return slash.group(1)
    return None


def write_private(path: Path, text: str) -> None:
    write_atomic(path, text, 0o600)
