"""Credentials for a team tracking server, and what a refusal (HTTP 401/403) means to the user.

Standard library only: `doctor` uses it without importing mlflow. MLflow itself reads
`MLFLOW_TRACKING_USERNAME`/`MLFLOW_TRACKING_PASSWORD` (or `MLFLOW_TRACKING_TOKEN`) from the
environment on every request; aitrack's config file may hold them instead
(`tracking_username`, `tracking_password`), and `apply_credentials()` hands those to MLflow
through the environment of this process only. Credentials never go into tags, notes, trailers or
run.json: `public_uri()` strips any user:password from a URI before it is recorded or printed.
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit, urlunsplit

from aitrack import config
from aitrack.errors import AitrackError
from aitrack.paths import config_file

USERNAME_ENV, PASSWORD_ENV, TOKEN_ENV = "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"


class StoreDenied(AitrackError):
    """The server refused us (bad credentials, or no permission): retrying will not help until a
    person acts, so the session stays queued and the message says what to do."""


class Credentials(NamedTuple):
    username: str
    password: str
    source: str  # "environment" or "config file": doctor says where they came from


def credentials() -> Credentials | None:
    """Username and password for the tracking server: environment first, then the config file."""
    user, password = os.environ.get(USERNAME_ENV), os.environ.get(PASSWORD_ENV)
    if user and password:
        return Credentials(user, password, "environment")
    cfg_user, cfg_password = config.get("tracking_username"), config.get("tracking_password")
    if cfg_user and cfg_password:
        return Credentials(str(user or cfg_user), str(password or cfg_password), "config file")
    return None


def apply_credentials() -> None:
    """Hand config-file credentials to MLflow (it only reads the environment); env wins."""
    if os.environ.get(USERNAME_ENV) and os.environ.get(PASSWORD_ENV):
        return
    creds = credentials()
    if creds is not None:
        os.environ[USERNAME_ENV], os.environ[PASSWORD_ENV] = creds.username, creds.password


def config_file_exposed() -> bool:
    """A password in a config file that others can read: doctor warns."""
    if not config.get("tracking_password"):
        return False
    try:
        return bool(os.stat(config_file()).st_mode & 0o077)
    except OSError:
        return False


def public_uri(uri: str) -> str:
    """The URI without user:password, for run.json, notes, run URLs and messages."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


_STATUS = re.compile(r"error code (40[13])\b|\bHTTP (40[13])\b")


def http_status(exc: BaseException) -> int | None:
    """401 or 403 when `exc` (an MlflowException/RestException or its text) says the server refused."""
    code = getattr(exc, "error_code", None)
    if code == "UNAUTHENTICATED":
        return 401
    if code == "PERMISSION_DENIED":
        return 403
    match = _STATUS.search(str(exc))
    return int(match.group(1) or match.group(2)) if match else None


def denial(exc: BaseException, uri: str, experiment: str) -> StoreDenied | None:
    """A one-line, actionable StoreDenied for a 401/403, else None."""
    status = http_status(exc)
    if status is None:
        return None
    where = public_uri(uri)
    creds = credentials()
    if status == 401:
        who = f"the password of user {creds.username!r} ({creds.source})" if creds else "the request: no credentials were given"
        return StoreDenied(
            f"{where} rejected {who} (HTTP 401); set {USERNAME_ENV}/{PASSWORD_ENV}, or tracking_username/"
            f"tracking_password in {config_file()}"
        )
    who = f"user {creds.username!r}" if creds else "an anonymous user"
    return StoreDenied(
        f"{where}: {who} has no permission on experiment {experiment!r} (HTTP 403); ask an MLflow admin "
        "for EDIT (to log sessions) or READ (to show them)"
    )


F = TypeVar("F", bound=Callable[..., Any])


def refusals_as_errors(method: F) -> F:
    """Decorator for MlflowStore methods: a 401/403 from MLflow becomes StoreDenied (one line, no
    stack trace); anything else passes through unchanged."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except AitrackError:
            raise
        except Exception as exc:
            denied = denial(exc, self.location.tracking_uri, self.experiment_name)
            if denied is None:
                raise
            raise denied from None

    return wrapper  # type: ignore[return-value]
