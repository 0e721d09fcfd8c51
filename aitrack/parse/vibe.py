"""Mistral Vibe sessions: `~/.vibe/logs/session/unified/<uuid>/journal/NNNN.jsonl` + `meta.json`.

The journal is the harness's recovery log, hash-chained: every record {type, sequence, payload,
previous_record_sha256, record_sha256} names the hash of the one before it. What is read (3.0.2):
- `command_reserved` with `payload.method = "turn/start"`: the prompt (`params.message[].text`) and
  the session id;
- `action_intent` of `kind = "tool"`: `request.call` {name, arguments} and `request.call_id`, a tool
  call (`file_system.bash` runs `arguments.command`; `file_system.write_file`/`edit` name `path`);
- `action_result`: a tool's `tool_succeeded`/`tool_failed` (its `structured_content.returncode`,
  `stdout`, `stderr`), or a model response's `completion_succeeded` with its `usage`;
- `projection_delta` entries' `createdAt` (epoch ms): when things happened.
The rest (`core_input` echoes of results, UI envelopes, hooks) repeats what is above. `meta.json`,
two folders up from a journal file, gives the cwd, branch, model and start/end times. A broken
chain (a record whose predecessor hash is not the previous record's) is kept but said in warnings.

Vibe folds its journal into a generation now and then (its TUI at exit, deleting the journal files
it folded): `generations/<N>/manifest.json` names the content-addressed `chunks/<sha256>.json` of
its checkpoint, the model's history up to record N (user text, assistant `tool_call`s, `tool`
results whose text is the JSON of a command's returncode/stdout/stderr). When the session's folder
has one, prompts and tools come from the latest checkpoint plus the journal records after N; the
tokens always from the journal's completions (the checkpoint has none). Tool names are the model's
(`bash`, `write_file`): the journal's `file_system.` group prefix is dropped.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aitrack.parse.builder import Builder
from aitrack.parse.record import Session
from aitrack.parse.values import text_of

PROVIDER = "mistral_vibe"
SHELL = {"bash"}
FILE_KEYS = ("path", "file_path")
NO_FILES = {"bash", "read_file", "search_tool_functions"}
_META_MAX = 1024 * 1024


def looks_like(record: dict[str, Any]) -> bool:
    """A journal record: payload plus the two hashes of the chain."""
    return "payload" in record and "record_sha256" in record and "previous_record_sha256" in record


def parse_records(records: Iterable[dict[str, Any]], evidence: str, path: str | None) -> Iterator[Session]:
    b = Builder(PROVIDER, evidence, path)
    s = b.session
    meta = _meta(Path(path)) if path else {}
    model = _dig(meta, "config", "model_name")
    b.model(model)
    s.cwd = _str(_dig(meta, "environment", "working_directory"))
    s.git_branch = _str(meta.get("git_branch"))
    s.agent_session_id = _str(meta.get("session_id"))
    for stamp in (meta.get("start_time"), meta.get("end_time")):
        b.seen(_iso(stamp))
    folded = _checkpoint(b, Path(path)) if path else -1
    last_hash: str | None = None
    for rec in records:
        if not isinstance(rec, dict):
            continue
        if last_hash is not None and rec.get("previous_record_sha256") != last_hash:
            b.warn(f"journal hash chain broken before sequence {rec.get('sequence')}")
        last_hash = _str(rec.get("record_sha256"))
        payload = rec.get("payload")
        if not isinstance(payload, dict):
            continue
        kind = rec.get("type")
        seq = rec.get("sequence")
        if kind != "action_result" and isinstance(seq, int) and seq <= folded:
            continue  # in the checkpoint already (a completion's tokens are not)
        if kind == "action_result" and isinstance(seq, int) and seq <= folded:
            _result(b, payload.get("result"), model, tools=False)
        elif kind == "command_reserved" and payload.get("method") == "turn/start":
            params = _d(payload.get("params"))
            if s.agent_session_id is None:
                s.agent_session_id = _str(params.get("sessionId"))
            text = text_of(params.get("message"))
            if text.strip():
                b.prompt(text)
        elif kind == "action_intent" and payload.get("kind") == "tool":
            req = _d(payload.get("request"))
            call = _d(req.get("call"))
            name = _tool_name(call.get("name"))
            args = call.get("arguments")
            command = b.shell_and_files(name, args, SHELL, FILE_KEYS, NO_FILES)
            b.tool_call(name, args, req.get("call_id"), None, command)
        elif kind == "action_result":
            _result(b, payload.get("result"), model)
        elif kind == "projection_delta":
            for d in payload.get("delta") or []:
                entry = d.get("entry") if isinstance(d, dict) else None
                if isinstance(entry, dict):
                    b.seen(_iso(entry.get("createdAt")))
    yield b.finish()


def _result(b: Builder, result: Any, model: Any, tools: bool = True) -> None:
    if not isinstance(result, dict):
        return
    kind = result.get("type")
    inner = _d(result.get("result"))
    if kind == "completion_succeeded":
        u = inner.get("usage")
        if isinstance(u, dict):
            cached = _int(u.get("cached_input_tokens"))
            b.tokens(input_tokens=u.get("input_tokens"), output_tokens=u.get("output_tokens"),
                     cache_read_input_tokens=cached)
            # OpenAI's convention (input includes cached): priced as Anthropic's, uncached apart.
            total = _int(u.get("input_tokens"))
            b.usage(model, max(total - cached, 0), u.get("output_tokens"), cached)
    elif tools and kind in ("tool_succeeded", "tool_failed"):
        sc = _d(inner.get("structured_content"))
        code = sc.get("returncode")
        exit_code = code if isinstance(code, int) and not isinstance(code, bool) else None
        output = "".join(text_of(sc.get(k)) for k in ("stdout", "stderr")) or text_of(inner.get("content"))
        failed = kind == "tool_failed" or inner.get("type") == "error"
        b.result(result.get("call_id"), output, failed, exit_code)


def _tool_name(raw: Any) -> str:
    name = str(raw or "unknown")
    return name[len("file_system."):] if name.startswith("file_system.") else name


def _checkpoint(b: Builder, journal: Path) -> int:
    """Feed the latest generation's checkpoint history; the journal sequence it covers (-1: none)."""
    folder = journal.parent.parent
    # Only the session's latest non-empty journal file carries the checkpoint (the next file Vibe
    # opens is empty): the session is counted once however many journal files a folder walk meets.
    latest = max((p for p in journal.parent.glob("*.jsonl") if _size(p)), default=None)
    for manifest in sorted((folder / "generations").glob("*/manifest.json"), reverse=True):
        try:
            doc = json.loads(manifest.read_bytes()[:_META_MAX])
            chunks = [json.loads((folder / "chunks" / f"{c}.json").read_bytes())
                      for c in _d(doc.get("checkpoint")).get("chunks") or [] if isinstance(c, str)]
            upto = int(doc.get("generation"))
        except (OSError, ValueError, TypeError):
            continue
        if latest == journal:
            for chunk in chunks:
                for item in chunk if isinstance(chunk, list) else []:
                    _history(b, _d(_d(item).get("message")))
        return upto
    return -1


def _history(b: Builder, msg: dict[str, Any]) -> None:
    content = [c for c in msg.get("content") or [] if isinstance(c, dict)]
    role = msg.get("role")
    if role == "user":
        text = "\n".join(c["text"] for c in content if c.get("type") == "text" and isinstance(c.get("text"), str))
        if text.strip():
            b.prompt(text)
    elif role == "assistant":
        for c in content:
            if c.get("type") == "tool_call":
                name = _tool_name(c.get("name"))
                args = _d(c.get("arguments")).get("value")
                command = b.shell_and_files(name, args, SHELL, FILE_KEYS, NO_FILES)
                b.tool_call(name, args, c.get("id"), None, command)
    elif role == "tool":
        text = text_of(content)
        try:
            sc = _d(json.loads(text))
        except ValueError:
            sc = {}
        code = sc.get("returncode")
        exit_code = code if isinstance(code, int) and not isinstance(code, bool) else None
        output = "".join(text_of(sc.get(k)) for k in ("stdout", "stderr")) if sc else text
        b.result(msg.get("tool_call_id"), output, msg.get("outcome") not in (None, "success"), exit_code)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _meta(journal: Path) -> dict[str, Any]:
    try:
        with open(journal.parent.parent / "meta.json", "rb") as fh:
            doc = json.loads(fh.read(_META_MAX))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _iso(value: Any) -> str | None:
    """An ISO time with Z from meta.json's `+00:00` times or an epoch in milliseconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e14:
        when = datetime.fromtimestamp(value / 1000, timezone.utc)
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value).astimezone(timezone.utc)
        except ValueError:
            return None
    else:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _dig(doc: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        doc = doc.get(k) if isinstance(doc, dict) else None  # type: ignore[assignment]
    return doc


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
