"""The package type-checks (STYLE.md: typed everything, mypy on the package)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(600)
def test_mypy_on_the_package() -> None:
    # --no-incremental: a stale cache once reported a module as missing that was there.
    res = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "aitrack"], cwd=REPO,
                         capture_output=True, text=True, timeout=580)
    assert res.returncode == 0, res.stdout[-5000:] + res.stderr[-2000:]
