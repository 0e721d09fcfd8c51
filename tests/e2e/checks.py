"""What a finished journey must show: the commit, `aitrack show`, the MLflow run, the transcript."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

TRAILER = "Aitrack-Session"


def wait_finished(session: Path, timeout: float = 30) -> dict[str, Any]:
    """meta.json once the wrapper wrote `ended_at`."""
    deadline = time.monotonic() + timeout
    meta: dict[str, Any] = {}
    while time.monotonic() < deadline:
        try:
            meta = json.loads((session / "meta.json").read_text())
        except (OSError, ValueError):
            meta = {}
        if meta.get("ended_at"):
            return meta
        time.sleep(0.2)
    raise AssertionError(f"session {session.name} never ended: {meta}")


def wait_file(path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            listing = sorted(p.name for p in path.parent.iterdir())
            raise AssertionError(f"{path.name} did not appear in {timeout}s; folder has {listing}")
        time.sleep(0.5)


def dig(data: Any, key: str) -> Any:
    """The first value stored under `key` anywhere in nested JSON (show's layout may nest)."""
    if isinstance(data, dict):
        if key in data:
            return data[key]
        for value in data.values():
            found = dig(value, key)
            if found is not None:
                return found
    elif isinstance(data, list):
        for value in data:
            found = dig(value, key)
            if found is not None:
                return found
    return None


def command_strings(commands: Any) -> list[str]:
    return [str(c.get("command")) if isinstance(c, dict) else str(c) for c in commands or []]


def trailer_of(message: str) -> str | None:
    m = re.search(rf"^{TRAILER}:\s*(\S+)\s*$", message, re.MULTILINE)
    return m.group(1) if m else None


def check_show(show: dict[str, Any], session_id: str, provider: str, command: str, git_ops: int) -> None:
    text = json.dumps(show)
    assert session_id in text, f"show does not name session {session_id}: {text[:2000]}"
    assert dig(show, "provider") == provider, text[:2000]
    assert command in command_strings(dig(show, "commands")), f"{command!r} not in {dig(show, 'commands')}"
    metrics = dig(show, "metrics") or {}
    assert metrics.get("git_operations") == git_ops, metrics
    assert 42 in (dig(show, "issue_numbers") or []), dig(show, "issue_numbers")


DRAWING = r"[\u2500-\u259f\u2800-\u28ff│╭╮╰╯─]+"  # box drawing, blocks (a cursor `▋`), braille spinners


def screen_lines(screen: str) -> list[str]:
    """Lines of text a person read on the screen: box-drawing and blank lines dropped."""
    out = []
    for line in screen.splitlines():
        if line.startswith("e2e$"):  # the user's shell, not the session
            continue
        words = re.sub(DRAWING, " ", line).split()
        if len(words) >= 3:
            out.append(" ".join(words))
    return out


def transcript_coverage(screen: str, transcript: str) -> tuple[float, list[str]]:
    """Share of the screen's text lines that the cleaned transcript contains, and the missing ones."""
    # The same drawing characters dropped on both sides: a row the screen shows with the cursor
    # block in it (`● ▋Ask anything`) is in the transcript as it was drawn.
    flat = " ".join(re.sub(DRAWING, " ", transcript).split())
    lines = screen_lines(screen)
    missing = [line for line in lines if line not in flat]
    return (1 - len(missing) / len(lines) if lines else 1.0), missing


def find_runs(tracking_uri: str, filter_string: str) -> list[Any]:
    """Runs in every experiment matching an MLflow search, as the UI's search box would find them."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=tracking_uri)
    ids = [e.experiment_id for e in client.search_experiments()]
    return list(client.search_runs(ids, filter_string)) if ids else []
