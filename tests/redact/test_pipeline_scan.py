"""A full session full of secrets goes through the real ingest into a real SQLite MLflow store;
then every byte that left the private session files — the database, every artifact, session.json,
transcript.txt, the git note, `aitrack show --json` and `aitrack parse --json` — is scanned: 0 secrets.

Planted: the TUI output (secrets drawn between escape codes), a Claude Code JSONL log (prompts,
Bash commands, tool outputs), the prompt on the command line, and a commit message in a real repo.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aitrack.sessiondir import iso, write_meta
from aitrack.paths import data_dir, ensure_private_dir, sessions_dir
from redact.corpus import SECRETS, Secret, tui_bytes
from support import git as _git

AITRACK = Path(sys.executable).parent / "aitrack"
PRIVATE = {"meta.json", "output.raw", "timing", "commits"}  # the session's own files: never uploaded


def needles(s: Secret) -> list[bytes]:
    """What a leak looks like: the value (also JSON-escaped), each line of a key block, and each
    third of a long value (a secret drawn in pieces must not survive in pieces)."""
    parts = [ln for ln in s.value.splitlines() if not ln.startswith("-----")] if s.rule == "private_key" else [s.value]
    out: set[str] = set()
    for p in parts:
        out |= {p, json.dumps(p)[1:-1]}
        third = len(p) // 3
        out |= {q for q in (p[:third], p[third:2 * third], p[2 * third:]) if len(q) >= 12}
    return [n.encode() for n in out]


def leaks(data: bytes) -> list[str]:
    return [f"{s.rule}:{n[:16]!r}" for s in SECRETS for n in needles(s) if n in data]


def _claude_log(path: Path, cwd: Path, start: float) -> None:
    """A Claude Code session: each secret in a prompt, a Bash command or a tool's output, in turn."""
    lines = []
    t = start + 1
    for i, s in enumerate(SECRETS):
        t += 1
        ts, uid = iso(t), f"u{i:04d}"
        base = {"sessionId": "9c1f0c7e-2b7d-4d3e-9f0a-5b6c7d8e9f00", "cwd": str(cwd), "timestamp": ts, "uuid": uid,
                "gitBranch": "main", "version": "2.1.14"}
        if i % 3 == 0:
            lines.append({**base, "type": "user", "message": {"role": "user", "content": f"Deploy with this:\n{s.line}"}})
        else:
            call = f"toolu_{i:04d}"
            cmd = f"printf '%s\\n' '{s.line}' >> .env" if i % 3 == 1 else "cat .env"
            lines.append({**base, "type": "assistant", "message": {
                "id": f"msg_{i:04d}", "role": "assistant", "model": "claude-opus-4-5",
                "content": [{"type": "tool_use", "id": call, "name": "Bash", "input": {"command": cmd}}],
                "usage": {"input_tokens": 3, "output_tokens": 5}}})
            lines.append({**base, "uuid": uid + "r", "type": "user", "message": {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": call, "content": f"NODE_ENV=production\n{s.line}\n"}]}})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))


@pytest.mark.timeout(600)
def test_no_secret_leaves_the_session_folder(tmp_path: Path, isolated_home: Path) -> None:
    repo = tmp_path / "shop"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "README").write_text("shop\n")
    _git(repo, "add", "README")
    _git(repo, "commit", "-q", "-m", "Initial commit")
    first = _git(repo, "rev-parse", "HEAD")

    start = time.time() - 300
    (repo / ".env").write_text("x\n")
    _git(repo, "add", ".env")
    message = "Rotate deploy credentials (#7)\n\n" + "\n".join(s.line for s in SECRETS[::4]) + "\n"
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-F", "-"], input=message, text=True, check=True)
    sha = _git(repo, "rev-parse", "HEAD")
    end = time.time() + 1

    sid = time.strftime("%Y%m%dT%H%M%S", time.gmtime(start)) + "000Z-5ec4e7"
    folder = ensure_private_dir(sessions_dir() / sid)
    write_meta(folder, {
        "id": sid, "argv": ["claude", f"deploy with key {SECRETS[4].value}"], "tool": "claude",
        "tool_path": "/usr/bin/claude", "provider": "claude_code", "mode": "pty", "cwd": str(repo),
        "git_root": str(repo), "git_head": first, "git_branch": "main", "started_at": iso(start),
        "started_at_epoch": start, "ended_at": iso(end), "ended_at_epoch": end, "exit_code": 0, "signal": None,
        "term_cols": 100, "term_rows": 30, "aitrack_version": "0.1.0", "pid": os.getpid(),
        "hostname": "host", "user": "tester",
    })
    raw = b"\x1b[?1049h\x1b[H\x1b[2J" + b"".join(tui_bytes(s) for s in SECRETS) + b"\x1b[?1049l$ exit\r\n"
    fd = os.open(folder / "output.raw", os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, raw)
    os.close(fd)
    (folder / "commits").write_text(f"commit\t{sha}\t{int(end) - 2}\t{repo}\n")
    log = isolated_home / ".claude" / "projects" / str(repo).replace("/", "-").replace("_", "-").replace(".", "-") / "9c1f0c7e.jsonl"
    _claude_log(log, repo, start)

    env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true")
    done = subprocess.run([str(AITRACK), "ingest", sid], capture_output=True, env=env, timeout=500)
    assert done.returncode == 0, done.stderr.decode()
    assert (folder / "run.json").is_file()

    record = json.loads((folder / "session.json").read_text())
    assert sha in [c["sha"] for c in record["commits"]]
    assert record["agent_logs"], "the Claude log was not found: the scan would prove less"
    assert sum(record["redactions"].values()) >= len(SECRETS)
    assert {s.rule for s in SECRETS} <= set(record["redactions"]), record["redactions"]

    scanned: dict[str, list[str]] = {}
    files = [p for p in data_dir().rglob("*") if p.is_file() and not (p.parent == folder and p.name in PRIVATE)]
    assert any(p.name == "mlflow.db" for p in files) and any("artifacts" in p.parts for p in files)
    for path in files:
        scanned[str(path.relative_to(data_dir()))] = leaks(path.read_bytes())
    outputs = {
        "show --json": [str(AITRACK), "show", sha, "--json", "--repo", str(repo)],
        "parse --json (log)": [str(AITRACK), "parse", "--json", str(log)],
        "parse --json (raw)": [str(AITRACK), "parse", "--json", str(folder / "output.raw")],
        "git note": ["git", "-C", str(repo), "notes", "--ref=refs/notes/aitrack", "show", sha],
    }
    for name, argv in outputs.items():
        res = subprocess.run(argv, capture_output=True, env=env, timeout=120)
        assert res.returncode == 0, (name, res.stderr.decode())
        assert res.stdout.strip(), name
        scanned[name] = leaks(res.stdout + res.stderr)
    assert len(scanned) >= 8
    bad = {k: v for k, v in scanned.items() if v}
    assert not bad, f"secrets found after ingest: {bad}"
