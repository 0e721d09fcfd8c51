"""The procedure files of a session folder. Standard library only: the runner and the Python API
write them before and while the procedure runs; ingest reads them.

    procedure.json          {"name", "params": {k: v}, "artifacts": [names], "parent_session"}
    metrics.jsonl           one {"key", "value", "step", "timestamp"} (ms) per line, appended live
    procedure_artifacts/    copies of --artifact files, taken when the procedure ends
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

from aitrack.sessiondir import ARTIFACTS, METRICS, PROCEDURE, read_json, write_json


# MLflow's rule for param and metric keys (letters, digits, `_ - . / :` and space, no `..`).
_KEY = re.compile(r"^[A-Za-z0-9_\-./: ]{1,250}$")


def check_key(key: str, what: str = "key") -> str:
    if not _KEY.match(key) or ".." in key or key.startswith("/"):
        raise ValueError(f"bad {what} {key!r}: use letters, digits, _ - . / : or space (at most 250)")
    return key


def parse_params(pairs: list[str]) -> dict[str, str]:
    """`["issue_number=583", "video=a.mp4"]` → {"issue_number": "583", "video": "a.mp4"}."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--param {pair!r}: expected KEY=VALUE")
        out[check_key(key.strip(), "param name")] = value
    return out


def write_procedure(folder: Path, data: dict[str, Any]) -> None:
    write_json(folder / PROCEDURE, data)


def read_procedure(folder: Path) -> dict[str, Any] | None:
    data = read_json(folder / PROCEDURE)
    return data if data and data.get("name") else None


def append_metric(folder: Path, key: str, value: float, step: int, timestamp_ms: int | None = None) -> None:
    """One line, one write (O_APPEND): a crash leaves whole lines; `tail -f` shows progress live."""
    check_key(key, "metric name")
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"metric {key!r}: {value!r} is not a finite number")
    line = json.dumps({"key": key, "value": number, "step": int(step),
                       "timestamp": int(time.time() * 1000) if timestamp_ms is None else timestamp_ms})
    fd = os.open(folder / METRICS, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def read_metrics(folder: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    try:
        text = (folder / METRICS).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    for line in text.splitlines():
        try:
            item = json.loads(line)
            out.append({"key": str(item["key"]), "value": float(item["value"]),
                        "step": int(item.get("step") or 0), "timestamp": int(item["timestamp"])})
        except (ValueError, KeyError, TypeError):
            continue  # a torn last line after a crash
    return out


def copy_artifacts(folder: Path, paths: list[str]) -> tuple[list[str], list[str]]:
    """Copy files (or folders) into the session folder as they are now; (names, warnings)."""
    dest = folder / ARTIFACTS
    names: list[str] = []
    warnings: list[str] = []
    for raw in paths:
        src = Path(raw).expanduser()
        name = src.name or "artifact"
        while name in names:
            name = f"{len(names)}-{src.name}"
        try:
            dest.mkdir(mode=0o700, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dest / name)
            else:
                shutil.copyfile(src, dest / name)
        except OSError as exc:
            warnings.append(f"artifact {raw}: not saved ({exc.strerror or exc})")
            continue
        names.append(name)
    return names, warnings
