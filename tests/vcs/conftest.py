"""Real git repositories in tmp dirs, and a way to pretend to be inside an aitrack session."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str, env: dict[str, str] | None = None, check: bool = True,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        res = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True,
                             env=full_env, input=input)
        if check and res.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({res.returncode}): {res.stderr}")
        return res

    def out(self, *args: str, **kw: object) -> str:
        return self.git(*args, **kw).stdout.strip()  # type: ignore[arg-type]

    def commit(self, msg: str, *extra: str, name: str | None = None, env: dict[str, str] | None = None,
               check: bool = True) -> subprocess.CompletedProcess[str]:
        name = name or f"f{len(list(self.root.iterdir()))}.txt"
        (self.root / name).write_text(msg + "\n")
        self.git("add", name)
        return self.git("commit", "-q", "-m", msg, *extra, env=env, check=check)

    def head(self) -> str:
        return self.out("rev-parse", "HEAD")

    def message(self, rev: str = "HEAD") -> str:
        return self.out("log", "-1", "--format=%B", rev)

    def trailers(self, rev: str = "HEAD") -> list[str]:
        text = self.out("log", "-1", "--format=%(trailers:key=Aitrack-Session,valueonly)", rev)
        return [t for t in text.splitlines() if t]


def make_repo(path: Path) -> Repo:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    return Repo(path)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return make_repo(tmp_path / "work tree")  # a space on purpose: hooks must quote paths


class Session:
    def __init__(self, sid: str, directory: Path) -> None:
        self.id, self.dir = sid, directory
        directory.mkdir(parents=True, exist_ok=True)

    @property
    def env(self) -> dict[str, str]:
        return {"AITRACK_SESSION_ID": self.id, "AITRACK_SESSION_DIR": str(self.dir)}

    def journal(self) -> list[list[str]]:
        path = self.dir / "commits"
        return [line.split("\t") for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    """Inside a session: the env of the test process (and so of every git it starts)."""
    s = Session("20261127T031959123Z-aaaaaa", tmp_path / "data" / "sessions" / "20261127T031959123Z-aaaaaa")
    for k, v in s.env.items():
        monkeypatch.setenv(k, v)
    return s


def other_session(tmp_path: Path, suffix: str = "bbbbbb") -> Session:
    sid = f"20261127T040000000Z-{suffix}"
    return Session(sid, tmp_path / "data" / "sessions" / sid)
