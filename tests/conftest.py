"""Every test runs with HOME, XDG dirs, git config and aitrack's data dir redirected to tmp."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this run keeps an empty MLflow SQLite store (aitrack/store/template.py): made by MLflow's
    migrations for the first test that creates a store, copied for every later one. One per run,
    shared by the xdist workers (their base temp folders sit side by side)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base
    return root / "mlflow-store-template.db"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                  store_template: Path) -> Path:
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ZDOTDIR", str(home))
    gitconfig = home / ".gitconfig"
    gitconfig.write_text("[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("AITRACK_STORE_TEMPLATE", str(store_template))  # tests/store/test_fresh_store.py unsets it
    # Live updates are on by default; a test about something else must not race a detached
    # updater (and its MLflow pushes) for the session folder. Tests of live turn it on.
    monkeypatch.setenv("AITRACK_LIVE", "0")
    for var in (
        "AITRACK_HOME", "AITRACK_SESSION_ID", "AITRACK_SESSION_DIR", "AITRACK_DISABLE", "AITRACK_TOOLS",
        "AITRACK_CONFIG", "MLFLOW_TRACKING_URI", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
        "CLAUDECODE", "CODEX_THREAD_ID", "GEMINI_CLI", "QWEN_CODE_SESSION_ID",
    ):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def fixtures_dir() -> Path:
    from support import require_fixtures

    return require_fixtures()
