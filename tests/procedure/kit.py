"""A real SQLite store holding sessions from the shared fixtures and a few procedures, for the
procedure, report, export and alert tests. Agent logs are read in place; nothing is copied."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

from ingest.kit import make_session

from aitrack.ingest.local import build_record
from aitrack.ingest.pipeline import ingest_one
from aitrack.store.mlflow_store import MlflowStore
from aitrack.store.uri import StoreLocation
from support import FIXTURES, require_fixtures, run_aitrack

REPO = Path(__file__).resolve().parents[2]
FIX = FIXTURES  # read in place; absent in a clone made elsewhere (require_fixtures skips)
DAY = 86400.0

# (tool, argv, fixture, exit code, duration, days ago)
SESSIONS: list[tuple[str, list[str], str, int, float, float]] = [
    ("claude", ["claude", "close-issue 123"], "claude/drmaciver-python-to-rust-port.jsonl", 0, 120.0, 9),
    ("claude", ["claude", "fix the flaky test"], "claude/drmaciver-coverage-test-fix.jsonl", 1, 20.0, 5),
    ("claude", ["claude", "look at issue 123"], "claude/kvsankar-claude_with_rejection.jsonl", 0, 300.0, 2),
    ("codex", ["codex", "close-issue 77"], "codex/kvsankar-codex_golden.jsonl", 0, 45.0, 8),
    ("codex", ["codex", "issue 77 again"], "codex/kvsankar-codex_with_escalation.jsonl", 1, 4000.0, 1),
    ("gemini", ["gemini", "look at issue 123"], "gemini/kvsankar-gemini_with_tool_error.jsonl", 0, 12.0, 3),
    ("aider", ["aider", "--yes"], "aider/aider-website-example-add-test.md", 0, 25.0, 4),
]


def store_at(home: Path) -> MlflowStore:
    return MlflowStore(StoreLocation(f"sqlite:///{home / 'mlflow.db'}", str(home / "artifacts"), True))


def populate(home: Path) -> dict[str, Any]:
    """Log the fixture sessions (spread over ten days) and two procedures into a store at `home`
    (AITRACK_HOME must point there). Returns {"store", "sessions": [folder…], "procedures": […]}."""
    require_fixtures()
    store = store_at(home)
    now = time.time()
    folders = []
    for tool, argv, fixture, code, duration, ago in SESSIONS:
        folder = make_session(tool=tool, argv=argv, exit_code=code, duration=duration,
                              started=now - ago * DAY, cwd="/tmp")
        build_record(folder, agent_logs=[FIX / fixture])
        ingest_one(folder, store)
        folders.append(folder)
    procedures = [track("extract-best-frame", ["--param", "issue_number=583"], ["sh", "-c", "echo frame; exit 2"]),
                  track("close-issue", ["--param", "issue_number=583"], ["true"])]
    for folder in procedures:
        ingest_one(folder, store)
    return {"store": store, "sessions": folders, "procedures": procedures}


def track(name: str, options: list[str], command: list[str], cwd: Path | None = None,
          env: dict[str, str] | None = None) -> Path:
    """`aitrack track` as a real process (no terminal); its session folder."""
    before = set(sessions_root().glob("*")) if sessions_root().is_dir() else set()
    run_cli(["track", name, *options, "--", *command], cwd=cwd, env=env)
    new = sorted(set(sessions_root().glob("*")) - before)
    assert len(new) == 1, new
    return new[0]


def run_cli(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_aitrack(*args, cwd=cwd, env={"AITRACK_INGEST": "0", **(env or {})}, input=input)


def sessions_root() -> Path:
    from aitrack.paths import sessions_dir

    return sessions_dir()


def isolated_env(mp: Any, home: Path) -> None:
    """What the root conftest's autouse fixture does, for module-scoped fixtures (which run first)."""
    for var, sub in (("HOME", "."), ("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        mp.setenv(var, str(home / sub))
    mp.setenv("AITRACK_HOME", str(home / "aitrack"))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    (home / ".gitconfig").write_text("[user]\n\tname = Test User\n\temail = test@example.com\n")
    mp.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    for var in ("AITRACK_SESSION_ID", "AITRACK_SESSION_DIR", "AITRACK_CONFIG", "MLFLOW_TRACKING_URI"):
        mp.delenv(var, raising=False)


def populated_store(tmp_path_factory: Any) -> dict[str, Any]:
    """A module's store: fixture sessions and procedures logged once; returns populate()'s dict + home."""
    import pytest

    home = tmp_path_factory.mktemp("populated")
    with pytest.MonkeyPatch.context() as mp:
        isolated_env(mp, home)
        data = populate(home / "aitrack")
    data["home"] = home / "aitrack"
    return data
