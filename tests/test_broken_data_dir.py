"""A broken data dir (a file where the folder should be) is one line and exit 1 from `sync`,
`sessions` and `doctor`, never a traceback (#20 item 8)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

AITRACK = Path(sys.executable).parent / "aitrack"


@pytest.mark.parametrize("command", ["sync", "sessions", "doctor"])
def test_a_data_dir_that_is_a_file_is_one_line(tmp_path: Path, command: str) -> None:
    home = tmp_path / "data"
    home.write_text("not a folder\n")
    env = dict(os.environ, AITRACK_HOME=str(home), MLFLOW_TRACKING_URI="http://127.0.0.1:9")
    res = subprocess.run([str(AITRACK), command], capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in res.stderr, res.stderr
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    (line,) = [ln for ln in res.stderr.splitlines() if ln.startswith("aitrack:")]
    assert f"data dir {home} is unusable" in line
