"""`aitrack doctor`'s checks of a team tracking server: credentials, experiment permission.

Standard library only (urllib against MLflow's REST API), so doctor never pays for the mlflow
import. The endpoints are those of MLflow's basic-auth app (`mlflow server --app-name basic-auth`);
a server without it answers 404 there, which is reported as "no authentication", not a failure.
"""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, NamedTuple

from aitrack.paths import config_file
from aitrack.store.auth import (
    PASSWORD_ENV,
    USERNAME_ENV,
    Credentials,
    config_file_exposed,
    credentials,
    public_uri,
)

WRITE = {"EDIT", "MANAGE"}
READ = {"READ", "USE", *WRITE}


class Finding(NamedTuple):
    ok: bool | None  # None: information only
    text: str
    fix: str = ""


def _get(base: str, path: str, params: dict[str, str], creds: Credentials | None,
         timeout: float) -> tuple[int, Any]:
    url = f"{base}{path}?{urllib.parse.urlencode(params)}" if params else f"{base}{path}"
    req = urllib.request.Request(url, headers={"Accept": "application/json"})
    if creds is not None:
        token = base64.b64encode(f"{creds.username}:{creds.password}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, _json(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, _json(exc.read())


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def server_findings(uri: str, experiment: str, timeout: float = 5.0) -> list[Finding]:
    """Who we are on the server, and whether we may read and log to `experiment`."""
    base, where = public_uri(uri).rstrip("/"), public_uri(uri)
    creds = credentials()
    found: list[Finding] = []
    if config_file_exposed():
        found.append(Finding(False, f"credentials: {config_file()} holds a password others can read",
                             f"chmod 600 {config_file()}"))
    try:
        status, body = _get(base, "/api/2.0/mlflow/users/current", {}, creds, timeout)
    except OSError as exc:
        return [*found, Finding(False, f"credentials: {where} did not answer ({exc})")]
    auth = status != 404
    set_creds = f"set {USERNAME_ENV}/{PASSWORD_ENV}, or tracking_username/tracking_password in {config_file()}"
    if status == 401:
        text = (f"credentials: {where} rejects user {creds.username!r} ({creds.source})" if creds
                else f"credentials: {where} requires a login and none is set")
        return [*found, Finding(False, text, set_creds)]
    if not auth:
        found.append(Finding(None, f"credentials: {where} has no authentication (not the basic-auth app)"))
    elif status == 200 and isinstance(body, dict):
        user = body.get("user") or {}
        admin = " (admin)" if user.get("is_admin") else ""
        found.append(Finding(True, f"credentials: signed in as {user.get('username')}{admin} ({creds.source if creds else '?'})"))
        if where.startswith("http://") and urllib.parse.urlsplit(where).hostname not in ("127.0.0.1", "localhost", "::1"):
            found.append(Finding(None, "credentials: sent over plain http; put the server behind TLS (https://)"))
    else:
        return [*found, Finding(False, f"credentials: {where} answered HTTP {status}")]
    found.append(_experiment_finding(base, where, experiment, creds, auth, body, timeout))
    return found


def _experiment_finding(base: str, where: str, experiment: str, creds: Credentials | None, auth: bool,
                        me: Any, timeout: float) -> Finding:
    status, body = _get(base, "/api/2.0/mlflow/experiments/get-by-name", {"experiment_name": experiment},
                        creds, timeout)
    label = f"experiment {experiment!r}"
    ask = f"ask an MLflow admin to grant {creds.username if creds else 'you'} EDIT on {label}"
    if status == 404:
        return Finding(None, f"{label}: not created yet on {where}; the first sync creates it "
                             "(or an admin creates it and grants EDIT)")
    if status == 403:
        return Finding(False, f"{label}: no permission to read it on {where}", ask)
    if status != 200 or not isinstance(body, dict):
        return Finding(False, f"{label}: {where} answered HTTP {status}")
    exp_id = str((body.get("experiment") or {}).get("experiment_id", ""))
    if not auth or (isinstance(me, dict) and (me.get("user") or {}).get("is_admin")):
        return Finding(True, f"{label}: id {exp_id}, readable and writable")
    status, perm = _get(base, "/api/3.0/mlflow/users/permissions/get",
                        {"username": creds.username if creds else "", "resource_type": "experiment",
                         "resource_id": exp_id}, creds, timeout)
    name = str(perm.get("permission")) if status == 200 and isinstance(perm, dict) else "?"
    if name in WRITE:
        return Finding(True, f"{label}: id {exp_id}, permission {name} (can log and show sessions)")
    if name in READ:
        return Finding(False, f"{label}: permission {name}: can show sessions but not log them", ask)
    if name == "?":
        return Finding(None, f"{label}: id {exp_id}, readable (permission not reported: HTTP {status})")
    return Finding(False, f"{label}: permission {name}", ask)
