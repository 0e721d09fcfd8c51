"""The command files install writes into the link folder (aitrack/shell/commandfile.py): Python
without site for the hot commands, site loaded for everything else, and only ours removed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from progs.helpers import REPO, VENV_BIN

from aitrack.shell import commandfile
from aitrack.shell.install import install, uninstall


def imported(stderr: str) -> set[str]:
    """Module names in PYTHONPROFILEIMPORTTIME (`-X importtime`) output."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines()
            if line.startswith("import time:") and "cumulative" not in line}


def run(command: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(command), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1", **env})


def test_hot_commands_start_without_site_and_the_others_load_it(tmp_path: Path) -> None:
    text = commandfile.text("aitrack")
    assert text is not None and text.startswith(f"#!{sys.executable} -S\n")
    command = tmp_path / "aitrack"
    assert commandfile.write(command, text) and not commandfile.write(command, text)  # the second: unchanged
    # An editable install (this checkout): the checkout's folder goes on sys.path, not the import hook.
    assert repr(str(REPO)) in text
    status = run(command, "status", AITRACK_SESSION_DIR="")
    assert status.returncode == 0 and status.stdout == "", status.stderr
    assert "site" not in imported(status.stderr) and "aitrack.main" in imported(status.stderr)
    listing = run(command, "sessions", "--help")  # click's: site first, for the environment's packages
    assert listing.returncode == 0 and "Usage:" in listing.stdout, listing.stderr
    assert {"site", "click"} <= imported(listing.stderr)


def test_a_library_reached_from_a_hot_command_loads_site_on_demand() -> None:
    # Under -S this venv's packages are not on sys.path (editable install: only the checkout is);
    # the first import nothing finds loads site, and is found then.
    code = (f"import sys; sys.path.append({str(REPO)!r}); import aitrack.main; assert 'site' not in sys.modules;"
            "import click; print('site' in sys.modules, click.__name__)")
    res = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.split() == ["True", "click"], res.stderr
    code = f"import sys; sys.path.append({str(REPO)!r}); import aitrack.main; import no_such_module_here"
    res = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "ModuleNotFoundError: No module named 'no_such_module_here'" in res.stderr


def test_install_writes_ours_leaves_a_foreign_file_and_uninstall_removes_only_ours(tmp_path: Path) -> None:
    link_dir = tmp_path / "bin"
    link_dir.mkdir()
    foreign = link_dir / "codex-with-tracking"
    foreign.write_text("#!/bin/sh\necho mine\n")
    old_link = link_dir / "gemini-with-tracking"
    old_link.symlink_to(VENV_BIN / "gemini-with-tracking")  # what an earlier install made
    assert install(VENV_BIN, link_dir, "existing", None, [], agent_hooks=False) == 0
    assert commandfile.is_ours(link_dir / "aitrack") and commandfile.is_ours(old_link)
    assert foreign.read_text() == "#!/bin/sh\necho mine\n" and not commandfile.is_ours(foreign)
    ran = subprocess.run([str(link_dir / "aitrack"), "init", "bash"], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0 and "__aitrack_wrap" in ran.stdout, ran.stderr
    assert uninstall() == 0
    assert sorted(p.name for p in link_dir.iterdir()) == ["codex-with-tracking"]


def test_no_command_file_where_a_shebang_cannot_hold_the_interpreter() -> None:
    assert commandfile.text("aitrack", "/opt/my tools/python") is None
    assert commandfile.text("no-such-command") is None
