"""Where aitrack's MLflow store is. Standard library only: `ui`, `sessions` and `doctor` ask this
without paying for the mlflow import.

Order: `MLFLOW_TRACKING_URI`, else config `tracking_uri`, else the embedded store — SQLite at
`<data dir>/mlflow.db` with artifacts under `<data dir>/artifacts`. The path is always absolute:
MLflow's own default (`sqlite:///mlflow.db`) is relative to the current directory, so a session
ingested from another folder would land in another database.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from aitrack import config
from aitrack.errors import AitrackError
from aitrack.paths import data_dir


class StoreLocation(NamedTuple):
    tracking_uri: str
    artifact_root: str | None  # set for the embedded store only; a server chooses its own
    embedded: bool


def embedded_db() -> Path:
    return data_dir() / "mlflow.db"


def embedded_artifacts() -> Path:
    return data_dir() / "artifacts"


def resolve() -> StoreLocation:
    """The store to log to; raises AitrackError for a file store (MLflow 3 refuses those)."""
    uri = os.environ.get("MLFLOW_TRACKING_URI") or str(config.get("tracking_uri", "") or "")
    if uri:
        _refuse_file_store(uri)
        return StoreLocation(uri, None, is_local_sqlite(uri))
    return StoreLocation(f"sqlite:///{embedded_db()}", str(embedded_artifacts()), True)


def is_local_sqlite(uri: str) -> bool:
    return uri.startswith("sqlite:")


def _refuse_file_store(uri: str) -> None:
    if uri.startswith(("http://", "https://", "databricks", "sqlite:", "postgresql", "mysql", "mssql")):
        return
    path = uri[len("file://"):] if uri.startswith("file://") else uri
    raise AitrackError(
        f"tracking URI {uri!r} is an MLflow file store, which MLflow 3 no longer writes to; "
        f"migrate it with `mlflow migrate-filestore --source {path} --target sqlite:///{path}.db` "
        "and point MLFLOW_TRACKING_URI at the result (or unset it to use aitrack's embedded store)"
    )


def old_file_store_hint(cwd: Path | None = None) -> str | None:
    """A one-line hint when an old `./mlruns` file store sits where the user works, else None.

    aitrack never writes there; the hint tells how to carry the old runs over.
    """
    base = Path.cwd() if cwd is None else cwd
    mlruns = base / "mlruns"
    if not (mlruns / "0").is_dir() and not any(mlruns.glob("*/meta.yaml")):
        return None
    return (
        f"found an old MLflow file store at {mlruns}; aitrack uses {resolve().tracking_uri}. "
        f"To keep those runs: mlflow migrate-filestore --source {mlruns} --target sqlite:///{mlruns}.db"
    )
