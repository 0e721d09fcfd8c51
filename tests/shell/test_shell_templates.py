"""Every template, as shipped and as rendered by `aitrack init`, passes its shell's own checker."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from aitrack.errors import AitrackError
from aitrack.shell import rc
from aitrack.shell.init import render, template
from support import require_program

RESOURCES = Path(__file__).resolve().parents[2] / "aitrack" / "resources" / "shell"
CHECK = {"bash": ["shellcheck", "-s", "bash", "-"], "zsh": ["zsh", "-n"], "fish": ["fish", "-n"]}
TEMPLATE = {"bash": "bash.sh", "zsh": "zsh.zsh", "fish": "fish.fish"}


def check(shell: str, text: str) -> None:
    require_program(CHECK[shell][0])
    res = subprocess.run(CHECK[shell], input=text, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_templates_and_rendered_code_pass_the_checkers(shell: str) -> None:
    check(shell, template(TEMPLATE[shell]))
    check(shell, render(shell, ["claude", "codex", "my-tool.v2"], "/opt/it's here/aitrack"))
    block = rc.block(shell, "/home/me/.local/bin/aitrack")
    check("fish" if shell == "fish" else shell, block)
    if shell == "bash":  # the rc block is plain POSIX sh as well
        res = subprocess.run(["shellcheck", "-s", "sh", "-"], input=block, capture_output=True, text=True)
        assert res.returncode == 0, res.stdout


def test_init_command_prints_code_for_the_configured_tools(tmp_path: Path) -> None:
    out = subprocess.run(["aitrack", "init", "bash"], capture_output=True, text=True, check=True,
                         env={"PATH": str(Path(__import__("sys").executable).parent), "HOME": str(tmp_path),
                              "AITRACK_TOOLS": "claude,aider"}).stdout
    assert "__aitrack_tools='claude aider'" in out and "@AITRACK" not in out


def test_tool_names_are_checked() -> None:
    for bad in ("rm -rf /;", "-x", "", "a$b", "é"):
        with pytest.raises(AitrackError):
            render("bash", ["ok", bad], "/bin/aitrack")
    with pytest.raises(AitrackError):
        render("tcsh", ["claude"], "/bin/aitrack")


def test_readers_entry_points_point_at_the_packaged_templates() -> None:
    top = RESOURCES.parents[2] / "shell"
    for name in TEMPLATE.values():
        assert (top / name).resolve() == (RESOURCES / name).resolve()


def test_init_defaults_match_the_config_module(tmp_path: Path) -> None:
    from aitrack import config
    from aitrack.commands.init import DEFAULT_TOOLS

    assert DEFAULT_TOOLS == config.DEFAULT_TOOLS
