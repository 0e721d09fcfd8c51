"""Command output is what the command printed, not the wrapper the agent shows its model
(Codex's `Chunk ID…` header, Gemini CLI's <untrusted_context> and field list). Logs recorded from
the real CLIs (tests/data/captures) and the shared fixtures."""
from __future__ import annotations

from pathlib import Path

import pytest

from aitrack.parse import parse_path

CAPTURES = Path(__file__).resolve().parents[1] / "data" / "captures"
COMMIT_OUTPUT = " 1 file changed, 1 insertion(+)\n create mode 100644 hello.txt"


@pytest.mark.parametrize("cli", ["codex", "gemini"])
def test_real_cli_command_output_is_unwrapped(cli: str) -> None:
    s = parse_path(CAPTURES / cli / "agent-log.jsonl")
    (cmd,) = s.commands
    assert cmd.exit_code == 0 and not cmd.is_error
    assert cmd.output.startswith("[main ") and COMMIT_OUTPUT in cmd.output, cmd.output
    for wrapper in ("Chunk ID", "Wall time", "Original token count", "Output:", "untrusted_context", "PGID"):
        assert wrapper not in cmd.output
    (call,) = [c for c in s.tool_calls if c.name in ("exec_command", "run_shell_command")]
    assert call.output == cmd.output  # the trace's span shows the same


def test_older_gemini_field_list_is_unwrapped() -> None:
    from aitrack.parse.gemini import unwrap_output

    old = ("Command: ls /x\nDirectory: /tmp\nOutput: ls: /x: No such file or directory\nError: (none)\n"
           "Exit Code: 2\nSignal: 0\nBackground PIDs: (none)\nProcess Group PGID: 12345")
    assert unwrap_output(old) == "ls: /x: No such file or directory"
    # A printed line that looks like a field stays: only the ends are the wrapper's.
    assert unwrap_output("Output: a\nError: printed by the program\nb\nProcess Group PGID: 1") == (
        "a\nError: printed by the program\nb")
    assert unwrap_output("Output: (empty)\nProcess Group PGID: 1") == ""
    assert unwrap_output("just text") == "just text"
