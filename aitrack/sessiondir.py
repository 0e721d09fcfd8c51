"""The session folder, `<data dir>/sessions/<id>/`: the contract between capture and everything after it.

Every file name in the folder is spelled here and nowhere else in the package (tests/test_sessiondir.py
checks), with the readers and writers of the small JSON files (meta.json, run.json, ingest.json), the
journal and the data-dir paths. capture, the agent hooks, ingest, vcs, show, status and store all use it;
docs/internals.md describes each file.

Standard library only, and no pathlib, json or typing at import: the wrapper (`aitrack run`) imports
this before the tool starts and `aitrack status` at every prompt. Functions take a str or a Path.
"""
from __future__ import annotations

import os
import time

TYPE_CHECKING = False  # annotation-only imports: typing and pathlib cost the wrapper milliseconds
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from aitrack.meta import Meta

    PathLike = str | os.PathLike[str]

SESSIONS = "sessions"  # under the data dir: one folder per session
# What capture writes.
META = "meta.json"  # aitrack.meta.Meta: what ran, where, when, how it ended
OUTPUT = "output.raw"  # every byte the tool wrote (pty mode)
TIMING = "timing"  # util-linux `script` multi-stream timing
INPUT = "input.raw"  # keystrokes, opt-in (AITRACK_RECORD_INPUT=1)
# What the git hooks append (resources/hooks spell it too: they are sh).
JOURNAL = "commits"
# What the agent hook writes inside a wrapper session.
AGENT_HOOK = "agent-hook.json"
# What `aitrack track` / `aitrack.procedure()` write.
PROCEDURE = "procedure.json"
METRICS = "metrics.jsonl"
ARTIFACTS = "procedure_artifacts"
# What ingest writes.
RECORD = "session.json"  # aitrack.sessionrecord.SessionRecord
TRANSCRIPT = "transcript.txt"
COST = "cost.json"  # the roll-up row `aitrack cost` reads
STATE = "ingest.json"  # attempts, last error, next retry
LOCK = ".ingest.lock"
RUN = "run.json"  # {run_id, experiment_id, tracking_uri, run_url} once logged
# What the live updater writes.
LIVE = "live.json"
LIVE_PUSH = "live.push.json"  # {record, step}: what its push child writes to the run


# --- where -------------------------------------------------------------------------------------

def home() -> str:
    """$HOME when it is an absolute path, else the passwd entry's; never `~` or a relative path
    (HOME unset or empty made `./~/.local/share/aitrack` in the current directory)."""
    value = os.environ.get("HOME") or ""
    if not os.path.isabs(value):
        try:
            import pwd

            value = pwd.getpwuid(os.getuid()).pw_dir
        except (ImportError, KeyError):
            value = ""
    if not os.path.isabs(value):
        from aitrack.errors import AitrackError

        raise AitrackError("cannot find your home directory: set HOME (or AITRACK_HOME)")
    return value


def xdg(var: str, *default: str) -> str:
    """An XDG base directory; relative values are ignored, as the XDG spec says."""
    value = os.environ.get(var) or ""
    return value if os.path.isabs(value) else os.path.join(home(), *default)


def data_dir() -> str:
    """`$AITRACK_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/aitrack`."""
    explicit = os.environ.get("AITRACK_HOME")
    if explicit:
        return os.path.abspath(os.path.expanduser(explicit))
    return os.path.join(xdg("XDG_DATA_HOME", ".local", "share"), "aitrack")


def config_file() -> str:
    """`$AITRACK_CONFIG`, else `${XDG_CONFIG_HOME:-~/.config}/aitrack/config.toml`."""
    explicit = os.environ.get("AITRACK_CONFIG")
    if explicit:
        return explicit
    return os.path.join(xdg("XDG_CONFIG_HOME", ".config"), "aitrack", "config.toml")


def sessions_root() -> str:
    return os.path.join(data_dir(), SESSIONS)


def folder_of(session_id: str) -> str:
    return os.path.join(data_dir(), SESSIONS, session_id)


def path(folder: PathLike, name: str) -> str:
    """A file of the session folder: `path(folder, RUN)`."""
    return os.path.join(os.fspath(folder), name)


def is_session(folder: PathLike) -> bool:
    """A session folder is one with a meta.json."""
    return os.path.isfile(os.path.join(os.fspath(folder), META))


def new_session_id(now: float | None = None) -> str:
    """Sortable by start time, unique across parallel sessions: `20261127T031959123Z-4f3a9c`."""
    now = time.time() if now is None else now
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
    return f"{stamp}{int(now * 1000) % 1000:03d}Z-{os.urandom(3).hex()}"


def iso(epoch: float) -> str:
    """An epoch as meta.json spells times: `2026-11-27T03:19:59.123Z`."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch * 1000) % 1000:03d}Z"


# --- writing -----------------------------------------------------------------------------------

def write_bytes_atomic(target: PathLike, data: bytes, mode: int = 0o600, *, exact_mode: bool = False) -> None:
    """Replace `target` with `data` so that a reader never sees half of it: a temporary file beside
    it (named per process: two writers may race), then rename. `mode` 0o600 for anything private;
    the umask applies to it unless `exact_mode` (a launcher's 0755, an rc file's own mode)."""
    target = os.fspath(target)
    head, name = os.path.split(target)
    tmp = os.path.join(head, f".{name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
        try:
            if exact_mode:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_json(target: PathLike, obj: Any, mode: int = 0o600) -> None:
    """`obj` as sorted, indented JSON, atomically (meta.json, run.json, ingest.json…)."""
    write_bytes_atomic(target, (dumps(obj) + "\n").encode("utf-8"), mode)


def dumps(obj: Any) -> str:
    """`json.dumps(obj, indent=1, sort_keys=True)` without importing json.

    `import json` pulls in `re` (json.decoder), a few milliseconds the wrapper would spend before
    the tool starts. meta.json holds plain values; anything else goes through json itself
    (`default=str`, as the records are written). tests/capture checks the two agree.
    """
    quote: Callable[[str], str] | None
    try:
        from _json import encode_basestring_ascii as quote
    except ImportError:  # another Python implementation
        quote = None
    if quote is not None:
        try:
            return _dump(obj, 0, quote)
        except TypeError:
            pass
    import json

    return json.dumps(obj, indent=1, sort_keys=True, default=str)


def _dump(obj: Any, level: int, quote: Callable[[str], str]) -> str:
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    kind = type(obj)
    if kind is str:
        return quote(obj)
    if kind is int:
        return int.__repr__(obj)
    if kind is float and obj == obj and obj not in (float("inf"), float("-inf")):
        return float.__repr__(obj)
    pad, inner = "\n" + " " * level, "\n" + " " * (level + 1)
    if kind in (list, tuple):
        if not obj:
            return "[]"
        return "[" + ",".join(inner + _dump(v, level + 1, quote) for v in obj) + pad + "]"
    if kind is dict and all(type(k) is str for k in obj):
        if not obj:
            return "{}"
        items = (inner + quote(k) + ": " + _dump(obj[k], level + 1, quote) for k in sorted(obj))
        return "{" + ",".join(items) + pad + "}"
    raise TypeError(kind)


# --- reading -----------------------------------------------------------------------------------

def read_json(source: PathLike) -> dict[str, Any] | None:
    """A JSON object file; None when it is missing, half-written or not an object."""
    from aitrack.jsonread import read  # json's own C scanner without `import json` (hot commands)

    try:
        data = read(os.fspath(source))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_meta(folder: PathLike) -> Meta:
    """meta.json as an aitrack.meta.Meta; raises OSError (missing) or ValueError (not a JSON
    object): a session folder without a readable meta is an error wherever one is expected."""
    from aitrack.jsonread import read
    from aitrack.meta import Meta

    source = os.path.join(os.fspath(folder), META)
    data = read(source)
    if not isinstance(data, dict):
        raise ValueError(f"{source}: not a JSON object")
    return Meta.from_json(data)


def write_meta(folder: PathLike, meta: dict[str, Any] | Meta) -> None:
    """Replace meta.json atomically (0600), so a reader never sees half a file. Capture writes a
    plain dict (the wrapper imports no more than this module); a reader's changed Meta works too."""
    write_json(os.path.join(os.fspath(folder), META), meta if isinstance(meta, dict) else meta.to_json())


def read_run(folder: PathLike) -> dict[str, Any] | None:
    """run.json: the MLflow run the session was logged as, None before that."""
    return read_json(os.path.join(os.fspath(folder), RUN))


def read_journal(folder: PathLike) -> str:
    """The journal's text (tab-separated lines the git hooks append); "" when nothing was committed.
    aitrack.vcs.link.parse_journal reads it."""
    try:
        with open(os.path.join(os.fspath(folder), JOURNAL), encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""
