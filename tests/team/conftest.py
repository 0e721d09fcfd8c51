"""One team set-up per test module: PostgreSQL in a tmp data dir, and `mlflow server` on it with
proxied artifacts and MLflow's basic-auth app, all on 127.0.0.1, always stopped.

Users (made through MLflow's auth API by the admin): alice and bob may edit the shared
experiment, carol has no permission on it (the server's default permission is NO_PERMISSIONS).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from aitrack.store import server
from team import deploy
from team.pg import Postgres, free_port, skip_without_runuser, start_postgres

ADMIN = ("admin", "admin-password-for-tests")
USERS = {"alice": "alice-password-1234", "bob": "bob-password-12345", "carol": "carol-password-123"}
EDITORS = ("alice", "bob")
EXPERIMENT = "ai-sessions"
SECRET_KEY = "flask-secret-for-tests"


class TeamServer:
    def __init__(self, pg: Postgres) -> None:
        self.pg = pg
        self.root = Path(tempfile.mkdtemp(prefix="aitrack-team-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.artifacts = self.root / "artifacts"
        self.log = self.root / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.experiment_id = ""
        # deploy/basic_auth.ini with two settings changed: the user DB in tmp, and no default
        # permission, so that a user nobody granted anything gets the 403 the tests look for.
        (self.root / "basic_auth.ini").write_text(deploy.auth_ini(
            database_uri=f"sqlite:///{self.root / 'basic_auth.db'}", default_permission="NO_PERMISSIONS"))

    @property
    def backend_uri(self) -> str:
        # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; the test extras ship psycopg2.
        return self.pg.uri.replace("postgresql://", "postgresql+psycopg2://", 1)

    def start(self) -> None:
        """Run deploy/aitrack-mlflow.service's ExecStart with deploy/mlflow.env, tmp values swapped in."""
        cmd, env = deploy.server_command(self.overrides())
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                         env=env, cwd=self.root, start_new_session=True)
        if not server.wait_healthy(self.url, self.proc, timeout=180):
            tail = self.log.read_text(errors="replace")[-3000:]
            self.stop()
            pytest.fail(f"mlflow server did not start:\n{tail}")

    def overrides(self) -> dict[str, str]:
        return {
            "MLFLOW_BACKEND_STORE_URI": self.backend_uri, "MLFLOW_ARTIFACTS_DESTINATION": str(self.artifacts),
            "MLFLOW_HOST": "127.0.0.1", "MLFLOW_PORT": str(self.port), "MLFLOW_WORKERS": "1",
            "MLFLOW_ALLOWED_HOSTS": f"127.0.0.1:{self.port},localhost:{self.port}",
            "MLFLOW_AUTH_CONFIG_PATH": str(self.root / "basic_auth.ini"),
            "MLFLOW_AUTH_ADMIN_USERNAME": ADMIN[0], "MLFLOW_AUTH_ADMIN_PASSWORD": ADMIN[1],
            "MLFLOW_FLASK_SERVER_SECRET_KEY": SECRET_KEY,
        }

    def stop(self) -> None:
        if self.proc is not None:
            server.stop(self.proc.pid, timeout=10)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc = None

    def env(self, user: str | None, password: str | None = None) -> dict[str, str]:
        """Client environment for `user` (its real password unless one is given)."""
        env = dict(os.environ, MLFLOW_TRACKING_URI=self.url, MLFLOW_HTTP_REQUEST_MAX_RETRIES="1",
                   MLFLOW_HTTP_REQUEST_TIMEOUT="10", AITRACK_INGEST_RETRY_FOR="0")
        env.pop("MLFLOW_TRACKING_USERNAME", None)
        env.pop("MLFLOW_TRACKING_PASSWORD", None)
        if user:
            env.update(MLFLOW_TRACKING_USERNAME=user, MLFLOW_TRACKING_PASSWORD=password or _password(user))
        return env

    def admin_client(self):  # type: ignore[no-untyped-def]
        from mlflow import MlflowClient

        os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"] = ADMIN
        return MlflowClient(self.url)

    def setup_users(self) -> None:
        from mlflow.server.auth.client import AuthServiceClient

        client = self.admin_client()
        auth = AuthServiceClient(self.url)
        for user, password in USERS.items():
            auth.create_user(user, password)
        self.experiment_id = client.create_experiment(EXPERIMENT)
        for user in EDITORS:
            auth.grant_user_permission(user, "experiment", self.experiment_id, "EDIT")

    def runs(self) -> list:  # type: ignore[type-arg]
        client = self.admin_client()
        return client.search_runs([self.experiment_id], 'tags.type = "ai_session"', max_results=1000)


def _password(user: str) -> str:
    return ADMIN[1] if user == ADMIN[0] else USERS[user]


def _require_module(name: str, package: str) -> None:
    """The server's Python needs it; skip locally, fail under CI (like require_program)."""
    import importlib.util

    if importlib.util.find_spec(name) is None:
        message = f"{package} is not installed (pip install {package}): the team server needs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def team() -> Iterator[TeamServer]:
    skip_without_runuser()
    _require_module("psycopg2", "psycopg2-binary")  # postgresql+psycopg2:// backend
    _require_module("flask_wtf", "Flask-WTF")  # MLflow's basic-auth app refuses to start without it
    pg = start_postgres()
    srv = TeamServer(pg)
    saved = {k: os.environ.get(k) for k in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD")}
    try:
        srv.start()
        srv.setup_users()
        yield srv
    finally:
        srv.stop()
        pg.close()
        shutil.rmtree(srv.root, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
