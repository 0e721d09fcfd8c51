"""`aitrack doctor` against real shells, repositories, session folders and executables."""
from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from aitrack.sessiondir import write_meta
from aitrack.cli import main
from aitrack.paths import ensure_private_dir, session_dir
from aitrack.shell.rc import add, block, rc_paths
from aitrack.vcs.hooks import install_global, install_repo
from vcs.conftest import make_repo

AITRACK = str(Path(sys.executable).with_name("aitrack"))


@pytest.fixture
def fake_claude(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An executable named claude on PATH that answers --version the way Claude Code does."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "claude"
    exe.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo '2.0.14 (Claude Code)'\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:/usr/bin:/bin")
    monkeypatch.setenv("AITRACK_TOOLS", "claude")
    return exe


def run_doctor(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = main(["doctor", "--repo", str(repo)])
    return rc, capsys.readouterr().out


def test_all_green(tmp_path: Path, fake_claude: Path, monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> None:
    """The default: hooks come with each session, nothing is installed into repositories."""
    monkeypatch.setenv("SHELL", "/bin/bash")
    add(rc_paths()["bash"], block("bash", AITRACK))
    repo = make_repo(tmp_path / "proj")
    husky = make_repo(tmp_path / "husky repo")
    husky.git("config", "core.hooksPath", ".husky/_")
    rc, out = run_doctor(repo.root, capsys)
    assert "✔ bash: `claude` is recorded" in out
    assert "✔ git hooks: every agent session gets them from " in out
    assert f"✔ hooks in {repo.root.resolve()}: from the session" in out
    assert "new clones" not in out
    assert "✔ store: sqlite:" in out and "✔ pending sessions: none" in out
    assert f"✔ claude: 2.0.14 (Claude Code) ({fake_claude})" in out
    assert rc == 0, out
    install_repo(repo.root)  # not needed, and it costs commits outside sessions: doctor says so
    rc, out = run_doctor(repo.root, capsys)
    assert f"- hooks in {repo.root.resolve()}: also installed there" in out
    assert f"fix: aitrack hooks uninstall --repo '{repo.root.resolve()}'" in out and rc == 0
    rc, out = run_doctor(husky.root, capsys)
    assert f"✔ hooks in {husky.root.resolve()}: from the session, forwarding to core.hooksPath=.husky/_" in out


def test_all_green_with_installed_hooks(tmp_path: Path, fake_claude: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SHELL", "/bin/bash")
    monkeypatch.setenv("AITRACK_SESSION_HOOKS", "0")
    add(rc_paths()["bash"], block("bash", AITRACK))
    repo = make_repo(tmp_path / "proj")
    install_repo(repo.root)
    install_global()
    rc, out = run_doctor(repo.root, capsys)
    assert f"✔ hooks in {repo.root.resolve()}: installed" in out
    assert "✔ new clones: get the hooks" in out
    assert rc == 0, out


def test_problems_come_with_their_fix(tmp_path: Path, fake_claude: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SHELL", "/bin/bash")
    monkeypatch.setenv("AITRACK_SESSION_HOOKS", "0")  # hooks installed per repository, the opt-in way
    husky = make_repo(tmp_path / "husky repo")
    (husky.root / ".husky" / "_").mkdir(parents=True)
    husky.git("config", "core.hooksPath", ".husky/_")
    plain = make_repo(tmp_path / "plain")
    # a recent session in the plain repository, which failed to log
    sid = "20261127T030000000Z-abcdef"
    folder = ensure_private_dir(session_dir(sid))
    write_meta(folder, {"id": sid, "git_root": str(plain.root), "started_at_epoch": 1.0, "ended_at": "x",
                        "ended_at_epoch": 2.0, "exit_code": 0})
    from aitrack.ingest import spool

    spool.record_failure(folder, "StoreUnavailable: connection refused")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://127.0.0.1:{port}")
    rc, out = run_doctor(husky.root, capsys)
    assert rc == 1
    assert "✘ bash: no aitrack block" in out
    assert "installed but bypassed" in out and f"aitrack hooks install --repo '{husky.root.resolve()}'" in out
    assert f"✘ hooks in {plain.root}: missing" in out
    assert "✘ new clones: do not get the hooks" in out
    assert f"✘ store: http://127.0.0.1:{port} does not answer" in out
    assert "pending sessions: 1 not logged, 1 failed; last error: StoreUnavailable" in out
    assert out.count("    fix: ") >= 5


def test_zsh_and_fish_probes(tmp_path: Path, fake_claude: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    for shell in ("zsh", "fish"):
        if not shutil.which(shell, path="/usr/bin:/bin"):
            pytest.skip(f"{shell} missing")
        add(rc_paths()[shell], block(shell, AITRACK))
    monkeypatch.setenv("SHELL", "/usr/bin/zsh")
    rc, out = run_doctor(tmp_path, capsys)
    assert "✔ zsh: `claude` is recorded" in out, out
    assert "✔ fish: `claude` is recorded" in out, out


def test_agents_that_commit_without_the_trailer_are_explained(tmp_path: Path, fake_claude: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("gemini", "aider"):
        exe = fake_claude.parent / name
        exe.write_text("#!/bin/sh\necho 1.0.0\n")
        exe.chmod(0o755)
    monkeypatch.setenv("AITRACK_TOOLS", "claude gemini aider")
    _, out = run_doctor(tmp_path, capsys)
    assert "- gemini: its commits carry the Aitrack-Session trailer (the session's hooks outrank" in out
    assert "- aider: its commits carry no Aitrack-Session trailer (commits with --no-verify)" in out
    assert "claude: its commits" not in out
    monkeypatch.setenv("AITRACK_SESSION_HOOKS", "0")  # hooks installed into repositories instead
    _, out = run_doctor(tmp_path, capsys)
    assert "- gemini: its commits carry no Aitrack-Session trailer (it gives git an empty core.hooksPath" in out
