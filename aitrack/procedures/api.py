"""`aitrack.procedure(...)`: a block of Python (or a function) tracked as a procedure.

    with aitrack.procedure("close-issue", issue_number=583) as p:
        for i, frame in enumerate(frames):
            p.log_metric("frames", i + 1, step=i)

    @aitrack.procedure("extract-best-frame")
    def extract(video): ...

Local first: metrics go to the session folder's metrics.jsonl the moment they are logged (one
O_APPEND write, no mlflow import, works offline or with the server down) and reach MLflow with
their steps and timestamps when the folder is ingested — the same spool, retries and run as any
session. Logging straight to a run would cost the ~2 s mlflow import inside the user's program and
fail whenever the store is away. An exception inside marks success=0 and is re-raised.
"""
from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from aitrack.procedures import files

if TYPE_CHECKING:
    from aitrack.capture.session import Recorder

F = TypeVar("F", bound=Callable[..., Any])


class Procedure:
    def __init__(self, name: str, **params: Any) -> None:
        self.name = files.check_key(name, "procedure name")
        self.params = {files.check_key(str(k), "param name"): str(v) for k, v in params.items()}
        self.dir: Path | None = None
        self.session_id: str | None = None
        self._session: Recorder | None = None
        self._steps: dict[str, int] = {}
        self._artifacts: list[str] = []
        self._saved_env: dict[str, str | None] = {}
        self._entered = False

    # --- context manager -----------------------------------------------------------------------
    def __enter__(self) -> Procedure:
        from aitrack.capture.run import begin

        argv = [self.name] + [f"{k}={v}" for k, v in self.params.items()]
        self._entered = True
        parent = os.environ.get("AITRACK_SESSION_ID")
        try:
            self._session, env = begin(argv, sys.executable, "generic", pty=False)
            self.dir, self.session_id = Path(self._session.dir), self._session.id
            files.write_procedure(self.dir, {
                "name": self.name, "params": self.params, "artifacts": [], "command": [sys.executable, *sys.argv],
                "parent_session": parent, "api": "python",
            })
        except OSError as exc:  # unwritable data dir, full disk: the user's code runs untracked
            from aitrack import output

            output.err(f"aitrack: procedure {self.name!r} not tracked: {exc.strerror or exc}")
            self._session = self.dir = None
            return self
        # Commits made by the block's subprocesses carry this procedure's trailer and journal.
        for key, value in env.items():
            self._saved_env[key] = os.environ.get(key)
            os.environ[key] = value
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._session is None:
            return  # untracked (see __enter__)
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        code = 0 if exc is None else (130 if isinstance(exc, KeyboardInterrupt) else 1)
        from aitrack.procedures.run import finish

        if exc is not None:
            self._save({"error": f"{type(exc).__name__}: {exc}"[:2000]})
        finish(self._session, code, None, self._artifacts)  # returns None: the exception propagates

    # --- decorator -----------------------------------------------------------------------------
    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with Procedure(self.name, **self.params):  # a fresh run per call
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    # --- inside the block ------------------------------------------------------------------------
    def log_metric(self, key: str, value: float, step: int | None = None) -> None:
        """Append now; shipped to the run's metric history (with this step) at ingest."""
        if self._session is None and self._entered:
            return
        folder = self._folder()
        if step is None:
            step = self._steps.get(key, -1) + 1
        self._steps[key] = max(step, self._steps.get(key, -1))
        files.append_metric(folder, key, value, step, int(time.time() * 1000))

    def log_param(self, key: str, value: Any) -> None:
        self.params[files.check_key(str(key), "param name")] = str(value)
        self._save({"params": self.params})

    def log_artifact(self, path: str | os.PathLike[str]) -> None:
        """Copied when the procedure ends (the file as it is then)."""
        self._artifacts.append(os.fspath(path))

    def _folder(self) -> Path:
        if self.dir is None:
            raise RuntimeError("use the procedure inside `with` (or as a decorator)")
        return self.dir

    def _save(self, update: dict[str, Any]) -> None:
        if self._session is None and self._entered:
            return  # untracked
        folder = self._folder()
        data = files.read_procedure(folder) or {"name": self.name}
        data.update(update)
        files.write_procedure(folder, data)


def procedure(name: str, **params: Any) -> Procedure:
    """A tracked procedure: `with aitrack.procedure(name, **params) as p:` or `@aitrack.procedure(name)`."""
    return Procedure(name, **params)


def log_metric(key: str, value: float, step: int | None = None) -> bool:
    """From a program run by `aitrack track` (or inside `with aitrack.procedure`): log a metric of
    the enclosing procedure, found through AITRACK_SESSION_DIR. False when there is none (the call
    is then a no-op, so a script can log unconditionally)."""
    folder = os.environ.get("AITRACK_SESSION_DIR")
    if not folder or files.read_procedure(Path(folder)) is None:
        return False
    if step is None:
        step = sum(1 for m in files.read_metrics(Path(folder)) if m["key"] == key)
    files.append_metric(Path(folder), key, value, step)
    return True
