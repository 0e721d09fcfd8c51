"""install.sh and `aitrack uninstall` against a tmp HOME: idempotent, and byte-identical rc files after."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from progs.helpers import REPO, VENV_BIN

from aitrack.config import DEFAULT_TOOLS
from aitrack.shell import commandfile, rc

INSTALL = str(REPO / "install.sh")
# Awkward on purpose: no final newline, CRLF, a non-UTF-8 byte, an old-style conda block.
USER_FILES = {
    ".bashrc": b"export EDITOR=vi\r\n# >>> conda initialize >>>\r\nconda stuff\r\n# <<< conda initialize <<<\r\nalias ll='ls -l'",
    ".zshrc": b"PS1='%~ %# '\n\xe9t\xe9=1\n",
    # Claude Code's settings with a hook of the user's own, tab-indented: install.sh adds aitrack's hook.
    ".claude/settings.json": b'{\n\t"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "mine"}]}]}\n}',
}


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AITRACK_")}
    env.update(PATH=os.environ["PATH"], SHELL="/bin/zsh", AITRACK_HOOKS_AUTO="0")
    env.update(extra)
    return env


def snapshot(home: Path) -> dict[str, bytes | None]:
    """Every file under HOME with its bytes (None for folders and links)."""
    out: dict[str, bytes | None] = {}
    for path in sorted(home.rglob("*")):
        rel = str(path.relative_to(home))
        if rel.split("/")[0] in (".cache", ".rustup"):  # pip's cache; rustup's, when pip builds a wheel
            continue
        out[rel] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return out


def interpreter(command: Path) -> list[str]:
    """What an installed command's #! line runs."""
    return command.read_text().splitlines()[0][2:].split()


def sh(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    res = subprocess.run([INSTALL, *args], env=env_for(home), capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    return res


@pytest.fixture
def home(isolated_home: Path) -> Path:
    for name, data in USER_FILES.items():
        (isolated_home / name).parent.mkdir(parents=True, exist_ok=True)
        (isolated_home / name).write_bytes(data)
    (isolated_home / ".config" / "fish").mkdir(parents=True)  # fish is "had" by its config folder
    return isolated_home


def test_install_twice_changes_nothing_and_uninstall_restores_every_byte(home: Path) -> None:
    before = snapshot(home)
    first = sh(home, "--python", str(VENV_BIN / "python"), "--global-hooks")
    assert "added the aitrack block" in first.stdout and "shells: bash, zsh, fish" in first.stdout
    tools = DEFAULT_TOOLS  # every wrapped agent, the new ones too
    assert f"then run {', '.join(tools[:-1])} or {tools[-1]} as usual" in first.stdout and "opencode" in tools
    after_one = snapshot(home)
    assert (home / ".local/share/aitrack/session-hooks/commit-msg").is_file()  # written now, not by a session
    assert "git-template" in (home / ".gitconfig").read_text()  # --global-hooks: new clones get them too
    for name in ("aitrack", "claude-with-tracking"):  # command files run by this venv's Python, without site
        assert commandfile.is_ours(home / ".local/bin" / name)
        assert interpreter(home / ".local/bin" / name) == [str(VENV_BIN / "python"), "-S"]
    assert "--aitrack-agent-hook claude" in (home / ".claude/settings.json").read_text()  # agents install
    for path in rc.rc_paths(home).values():
        assert rc.has_block(path), path
    second = sh(home, "--python", str(VENV_BIN / "python"), "--global-hooks")
    assert "nothing changed" in second.stdout
    assert snapshot(home) == after_one
    res = subprocess.run([str(home / ".local/bin/aitrack"), "uninstall", "--yes"], env=env_for(home),
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert snapshot(home) == before


def test_install_sh_uninstall_works_without_the_installed_environment(home: Path) -> None:
    before = snapshot(home)
    sh(home, "--python", str(VENV_BIN / "python"), "--shells", "bash")
    (home / ".local/share/aitrack/install.json").write_text(
        (home / ".local/share/aitrack/install.json").read_text().replace(str(VENV_BIN), "/gone/bin"))
    out = sh(home, "--uninstall").stdout
    assert "removed the aitrack block" in out
    assert snapshot(home) == before


def test_rc_block_round_trips_on_its_own(tmp_path: Path) -> None:
    for original in (b"", b"x", b"x\n", b"a\r\nb", b"\xff\xfe\n"):
        path = tmp_path / "rc"
        path.write_bytes(original)
        assert rc.add(path, rc.block("bash", "/bin/aitrack"))
        assert not rc.add(path, rc.block("bash", "/bin/aitrack"))
        assert rc.add(path, rc.block("bash", "/elsewhere/aitrack"))  # refreshed in place, flags kept
        assert rc.remove(path) and path.read_bytes() == original
    missing = tmp_path / "new" / "conf.d" / "aitrack.fish"
    assert rc.add(missing, rc.block("fish", "/bin/aitrack"))
    assert rc.remove(missing) and not missing.exists()


def test_uninstall_never_takes_user_lines_after_a_stray_opening_marker(tmp_path: Path) -> None:
    # An old block whose end line the user deleted, their own lines, then our current block.
    user = b"export A=1\n# >>> aitrack >>>\nmy own line\nalias x=y\n"
    path = tmp_path / "rc"
    path.write_bytes(user)
    assert rc.add(path, rc.block("bash", "/bin/aitrack"))
    assert rc.remove(path) and path.read_bytes() == user
    assert rc.has_stray_marker(path)
    assert not rc.remove(path) and path.read_bytes() == user  # no end line: nothing to take


def test_a_symlinked_rc_file_stays_a_link(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "bashrc"
    dotfiles.parent.mkdir()
    dotfiles.write_bytes(b"export A=1\n")
    link = tmp_path / ".bashrc"
    link.symlink_to(dotfiles)
    assert rc.add(link, rc.block("bash", "/bin/aitrack"))
    assert link.is_symlink() and rc.has_block(dotfiles)
    assert rc.remove(link)
    assert link.is_symlink() and dotfiles.read_bytes() == b"export A=1\n"


def test_install_and_doctor_say_when_the_link_folder_is_not_on_path(home: Path) -> None:
    out = sh(home, "--python", str(VENV_BIN / "python"), "--shells", "bash").stdout
    bindir = home / ".local/bin"
    assert f"{bindir} is not on your PATH" in out
    assert "echo 'export PATH=\"$HOME/.local/bin:$PATH\"' >> ~/.zshrc" in out  # SHELL=/bin/zsh here
    doctor = [str(bindir / "aitrack"), "doctor"]
    res = subprocess.run(doctor, env=env_for(home), capture_output=True, text=True, timeout=120)
    assert f"✘ aitrack: {bindir} is not on PATH" in res.stdout and res.returncode == 1, res.stdout
    env = env_for(home, PATH=f"{bindir}:{os.environ['PATH']}")
    res = subprocess.run(doctor, env=env, capture_output=True, text=True, timeout=120)
    assert f"✔ aitrack: on PATH ({bindir / 'aitrack'})" in res.stdout, res.stdout
    assert "is not on your PATH" not in sh_env(home, env, "--python", str(VENV_BIN / "python"), "--shells", "bash")


def sh_env(home: Path, env: dict[str, str], *args: str) -> str:
    res = subprocess.run([INSTALL, *args], env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout


def test_bad_options_are_refused(home: Path) -> None:
    res = subprocess.run([INSTALL, "--frobnicate"], env=env_for(home), capture_output=True, text=True)
    assert res.returncode == 1 and "unknown option --frobnicate" in res.stderr
    base = Path(sys.base_prefix) / "bin" / "python3"  # the venv's own interpreter, without aitrack
    res = subprocess.run([INSTALL, "--python", str(base)], env=env_for(home), capture_output=True, text=True)
    assert res.returncode == 1 and "cannot import aitrack" in res.stderr


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_real_install_into_a_fresh_venv(home: Path) -> None:
    """What a user gets: pip installs this checkout into a venv under the data dir (minutes)."""
    env = env_for(home)
    env["PATH"] = ":".join(p for p in env["PATH"].split(":") if not p.endswith((".venv/bin",)))
    env["PATH"] = ":".join(p for p in env["PATH"].split(":") if "pipx" not in p)
    for tool in ("pipx", "uv"):  # the venv path is the one under test
        assert not any(Path(d, tool).exists() for d in env["PATH"].split(":")), f"{tool} on PATH"
    before = snapshot(home)
    res = subprocess.run([INSTALL], env=env, capture_output=True, text=True, timeout=1100)
    assert res.returncode == 0, res.stdout + res.stderr
    venv = home / ".local/share/aitrack/venv"
    aitrack = home / ".local/bin/aitrack"
    assert interpreter(aitrack) == [str(venv / "bin/python"), "-S"]
    out = subprocess.run([aitrack, "init", "bash"], env=env, capture_output=True, text=True, check=True).stdout
    assert "__aitrack_wrap" in out
    ran = subprocess.run([aitrack, "run", "--", "sh", "-c", "exit 4"], cwd=home,  # not the checkout's repo
                         env=dict(env, AITRACK_INGEST="0", AITRACK_HOOKS_AUTO="0"))
    assert ran.returncode == 4
    res = subprocess.run([aitrack, "uninstall", "--yes"], env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    after = snapshot(home)
    # The session recorded above stays (the user's data, and the folders holding it); everything
    # install.sh added is gone and every file that was there is as it was.
    assert {k: after.get(k, "missing") for k in before} == before
    kept = {k for k in after if k not in before}
    assert all(k.startswith(".local/share/aitrack/sessions") or k == ".local/share/aitrack" for k in kept), kept


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_real_install_with_uv(home: Path, tmp_path: Path) -> None:
    """A user who has uv: install.sh installs aitrack as a uv tool; uninstall takes it away again."""
    uv = VENV_BIN / "uv"
    if not uv.exists():
        pytest.skip("uv is not installed (test extras)") if not os.environ.get("CI") else pytest.fail("no uv")
    only_uv = tmp_path / "bin"
    only_uv.mkdir()
    (only_uv / "uv").symlink_to(uv)
    env = env_for(home)
    env["PATH"] = ":".join([str(only_uv), *(p for p in env["PATH"].split(":") if not p.endswith(".venv/bin"))])
    before = snapshot(home)
    res = subprocess.run([INSTALL], env=env, capture_output=True, text=True, timeout=1100)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Installing aitrack with uv" in res.stdout and "Resolved" not in res.stdout + res.stderr  # quiet
    aitrack = home / ".local/bin/aitrack"
    assert "uv/tools/aitrack/" in interpreter(aitrack)[0]
    out = subprocess.run([aitrack, "init", "bash"], env=env, capture_output=True, text=True, check=True).stdout
    assert "__aitrack_wrap" in out
    res = subprocess.run([INSTALL, "--uninstall"], env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert not aitrack.exists() and not (home / ".local/share/uv/tools/aitrack").exists()
    after = snapshot(home)
    assert {k: after.get(k, "missing") for k in before} == before
    kept = {k for k in after if k not in before}  # uv's own bookkeeping, and the folders it lives in
    assert all(k.startswith(".local/share/uv") or k in (".local", ".local/share", ".local/bin") for k in kept), kept
