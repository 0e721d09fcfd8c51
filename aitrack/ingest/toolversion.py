"""The agent CLI's version when its log does not say (some agents' logs carry none).

Read from the installed package next to the binary the wrapper ran (`meta.tool_path`): npm CLIs
(`…/node_modules/@google/gemini-cli/bundle/gemini.js` → its package.json) and Python ones in a
venv (`…/bin/aider` → `site-packages/aider_chat-0.86.2.dist-info`). Files only: running
`gemini --version` would start Node for a second, and the tool may be gone by ingest time.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from aitrack.agents import registry

# npm package and Python distribution of each wrapped command (aitrack/agents).
NPM: dict[str, str] = registry.table("NPM_PACKAGE")
PYTHON: dict[str, str] = registry.table("PYTHON_DIST")


def installed_version(tool_path: str | None, tool: str | None) -> str | None:
    if not tool_path or not tool:
        return None
    name = os.path.basename(tool)
    try:
        real = Path(os.path.realpath(tool_path))
    except OSError:
        return None
    if name in NPM:
        for folder in real.parents:
            manifest = folder / "package.json"
            if manifest.is_file():
                try:
                    data = json.loads(manifest.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    return None
                if isinstance(data, dict) and data.get("name") == NPM[name] and isinstance(data.get("version"), str):
                    return str(data["version"])
    if name in PYTHON:
        lib = real.parent.parent / "lib"  # the venv of `…/venv/bin/aider`
        for dist in sorted(lib.glob(f"python3*/site-packages/{PYTHON[name]}-*.dist-info")):
            return dist.name[len(PYTHON[name]) + 1:-len(".dist-info")]
    return None
