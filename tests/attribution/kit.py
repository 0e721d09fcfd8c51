"""An agent session played for real in a tmp git repository: each tool call changes the files on
disk as the agent would (an Edit replaces text, a Bash command runs in bash) and is written to a
Claude Code JSON Lines log, so which lines the agent wrote is known by construction."""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

from aitrack.sessiondir import read_meta, write_meta
from ingest.kit import make_session
from support import git as git  # re-exported: the attribution tests import it from here

MODEL = "claude-sonnet-4-5-20250929"


def make_repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    for name, text in files.items():
        (root / name).write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


class Agent:
    def __init__(self, root: Path, model: str = MODEL) -> None:
        self.root, self.model, self.n = root, model, 0
        start = time.time() - 1
        self.folder = make_session(cwd=str(root), git_root=str(root), git_head=git(root, "rev-parse", "HEAD"),
                                   git_branch="main", started=start, duration=3600)
        self.id = self.folder.name
        self.log = root.parent / f"{self.id}.jsonl"
        self.log.write_text("")

    def _append(self, rec: dict[str, Any]) -> None:
        self.records = getattr(self, "records", 0) + 1
        rec.update(uuid=f"{self.id}-{self.records}", timestamp=time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()), sessionId="agent-" + self.id,
                   cwd=str(self.root))
        with open(self.log, "a") as fh:
            fh.write(json.dumps(rec) + "\n")

    def prompt(self, text: str) -> None:
        self._append({"type": "user", "message": {"role": "user", "content": text}})

    def _call(self, name: str, tool_input: dict[str, Any], result: str = "ok") -> None:
        self.n += 1
        cid = f"toolu_{self.n:03d}"
        self._append({"type": "assistant", "message": {"id": f"msg_{self.n}", "role": "assistant", "model": self.model,
                      "content": [{"type": "tool_use", "id": cid, "name": name, "input": tool_input}],
                      "usage": {"input_tokens": 10, "output_tokens": 5}}})
        self._append({"type": "user", "message": {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": cid, "content": result}]}})

    def write(self, rel: str, content: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        self._call("Write", {"file_path": str(path), "content": content})

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text()
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new))
        self._call("Edit", {"file_path": str(path), "old_string": old, "new_string": new})

    def bash(self, command: str) -> None:
        res = subprocess.run(["bash", "-c", command], cwd=self.root, capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        self._call("Bash", {"command": command, "description": "run"}, res.stdout)

    def commit(self, message: str) -> str:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", f"{message}\n\nAitrack-Session: {self.id}")
        return git(self.root, "rev-parse", "HEAD")

    def finish(self) -> dict[str, Any]:
        """The agent exits: the session ends now and ingest builds its record and notes."""
        from aitrack.ingest.local import build_record
        from aitrack.ingest.pipeline import attribute
        from aitrack.sessionrecord import SessionRecord

        now = time.time()
        meta = read_meta(self.folder).replace(ended_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
                                              ended_at_epoch=now)
        write_meta(self.folder, meta)
        record = build_record(self.folder, agent_logs=[self.log])
        attribute(self.folder, SessionRecord.from_json(record))
        return record


def person_commit(root: Path, message: str, when: float) -> str:
    """A person commits after the session (committer date later than its end: not the session's)."""
    stamp = f"@{int(when)} +0000"
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, env={"GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp})
    return git(root, "rev-parse", "HEAD")
