"""Credentials and refusals without a server: precedence, what is recorded, what a 401/403 says."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aitrack import config
from aitrack.store import auth


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("AITRACK_CONFIG", str(path))
    for key in (auth.USERNAME_ENV, auth.PASSWORD_ENV):
        monkeypatch.setenv(key, "")  # recorded, so apply_credentials' writes are undone after the test
        monkeypatch.delenv(key)
    config.load.cache_clear()
    yield path
    config.load.cache_clear()


def test_environment_wins_over_config_and_config_reaches_mlflow_via_env(cfg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert auth.credentials() is None
    cfg.write_text('tracking_username = "bob"\ntracking_password = "bob-secret-123"\n')
    config.load.cache_clear()
    assert auth.credentials() == ("bob", "bob-secret-123", "config file")
    auth.apply_credentials()
    import os

    assert (os.environ[auth.USERNAME_ENV], os.environ[auth.PASSWORD_ENV]) == ("bob", "bob-secret-123")
    monkeypatch.setenv(auth.USERNAME_ENV, "alice")
    monkeypatch.setenv(auth.PASSWORD_ENV, "alice-secret")
    assert auth.credentials() == ("alice", "alice-secret", "environment")


def test_readable_config_password_is_flagged(cfg: Path) -> None:
    cfg.write_text('tracking_username = "bob"\ntracking_password = "x"\n')
    config.load.cache_clear()
    cfg.chmod(0o644)
    assert auth.config_file_exposed()
    cfg.chmod(0o600)
    assert not auth.config_file_exposed()


@pytest.mark.parametrize("uri,shown", [
    ("postgresql+psycopg2://mlflow:pw@db:5432/mlflow", "postgresql+psycopg2://db:5432/mlflow"),
    ("https://alice:pw@mlflow.example/", "https://mlflow.example/"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
    ("sqlite:////home/a/.local/share/aitrack/mlflow.db", "sqlite:////home/a/.local/share/aitrack/mlflow.db"),
])
def test_public_uri_drops_credentials(uri: str, shown: str) -> None:
    assert auth.public_uri(uri) == shown


class Refused(Exception):
    def __init__(self, text: str, error_code: str | None = None) -> None:
        super().__init__(text)
        self.error_code = error_code


def test_refusals_become_one_line_without_the_password(cfg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.USERNAME_ENV, "carol")
    monkeypatch.setenv(auth.PASSWORD_ENV, "carol-secret-123")
    uri = "https://carol:carol-secret-123@mlflow.example"
    e401 = auth.denial(Refused("API request to endpoint /x failed with error code 401 != 200."), uri, "ai-sessions")
    e403 = auth.denial(Refused("denied", "PERMISSION_DENIED"), uri, "ai-sessions")
    assert e401 is not None and e403 is not None
    assert "rejected the password of user 'carol' (environment) (HTTP 401)" in str(e401)
    assert "'carol' has no permission on experiment 'ai-sessions' (HTTP 403)" in str(e403)
    for err in (e401, e403):
        assert "\n" not in str(err) and "carol-secret-123" not in str(err)
    assert auth.denial(Refused("error code 503 != 200"), uri, "x") is None
    assert auth.denial(Refused("session 20261127T040128403Z-aaa failed"), uri, "x") is None
