"""The package type-checks (STYLE.md: typed everything, mypy on the package)."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_mypy_is_strict_in_the_project_config() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config.get("strict") is True, config


@pytest.mark.timeout(600)
def test_mypy_on_the_package() -> None:
    # --no-incremental: a stale cache once reported a module as missing that was there.
    # The project's own config (strict) and not whatever mypy would find first from the cwd.
    res = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--config-file",
                          str(REPO / "pyproject.toml"), "aitrack"], cwd=REPO,
                         capture_output=True, text=True, timeout=580)
    assert res.returncode == 0, res.stdout[-5000:] + res.stderr[-2000:]
