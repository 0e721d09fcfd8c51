"""The agent's version from its installed npm package when its log names none (Continue's)."""
from __future__ import annotations

import json
from pathlib import Path

from aitrack.ingest.toolversion import installed_version


def test_an_agent_modules_npm_package_gives_the_version(tmp_path: Path) -> None:
    """`npm install -g --prefix P @continuedev/cli`: P/bin/cn → ../lib/node_modules/@continuedev/cli/dist/cn.js."""
    pkg = tmp_path / "lib" / "node_modules" / "@continuedev" / "cli"
    (pkg / "dist").mkdir(parents=True)
    (pkg / "dist" / "cn.js").write_text("#!/usr/bin/env node\n")
    (pkg / "package.json").write_text(json.dumps({"name": "@continuedev/cli", "version": "1.5.47"}))
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "cn").symlink_to(Path("..") / "lib" / "node_modules" / "@continuedev" / "cli" / "dist" / "cn.js")
    assert installed_version(str(tmp_path / "bin" / "cn"), "cn") == "1.5.47"
    # Another package's manifest on the way up is not this tool's version.
    (pkg / "package.json").write_text(json.dumps({"name": "something-else", "version": "9.9.9"}))
    assert installed_version(str(tmp_path / "bin" / "cn"), "cn") is None
