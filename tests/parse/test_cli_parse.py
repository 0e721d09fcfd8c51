"""`aitrack parse`: summary, --json object or list, directories and globs, one-line errors."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from aitrack.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["parse", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_summary(capsys: pytest.CaptureFixture[str], fixtures_dir: Path) -> None:
    code, out, err = run(capsys, str(fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl"))
    assert code == 0 and err == ""
    assert "claude_code" in out and "commands 5 · git ops 6 · errors 1" in out
    assert "✘ git add .gitignore && git commit" in out and "(exit 1)" in out


def test_json_object_for_one_session(capsys: pytest.CaptureFixture[str], fixtures_dir: Path) -> None:
    code, out, _ = run(capsys, "--json", str(fixtures_dir / "codex" / "kvsankar-codex_golden.jsonl"))
    data = json.loads(out)
    assert code == 0 and isinstance(data, dict)
    assert data["provider"] == "openai_codex" and data["metrics"]["commands_executed"] == 1
    assert data["commands"][0]["command"] == "ls -la" and data["detection"]["source"] == "structured"


def test_json_list_for_a_file_with_several(capsys: pytest.CaptureFixture[str], fixtures_dir: Path) -> None:
    code, out, _ = run(capsys, "--json", str(fixtures_dir / "aider" / "aider-repo-chat-history-EXCERPT.md"))
    data = json.loads(out)
    assert code == 0 and isinstance(data, list) and len(data) == 31
    assert sum(d["metrics"]["commands_executed"] for d in data) == 12  # 11 `> Running` + 1 `/run` (issue 18)


def test_directory_and_glob(capsys: pytest.CaptureFixture[str], fixtures_dir: Path, tmp_path: Path) -> None:
    for name in ("kvsankar-gemini_golden.json", "jazzyalex-stage0-small.json"):
        shutil.copy(fixtures_dir / "gemini" / name, tmp_path / name)
    code, out, _ = run(capsys, "--json", str(tmp_path))
    assert code == 0 and [d["agent_session_id"] for d in json.loads(out)] == [
        "session-2026-01-16T18-34-3739ef95", "golden-gemini-001"]
    code, out, _ = run(capsys, "--json", str(tmp_path / "kvsankar-*.json"))
    assert code == 0 and json.loads(out)["agent_session_id"] == "golden-gemini-001"


def test_forced_provider(capsys: pytest.CaptureFixture[str], fixtures_dir: Path) -> None:
    code, out, _ = run(capsys, "--json", "--provider", "aider", str(fixtures_dir / "aider" / "aider-website-example-add-test.md"))
    assert code == 0 and json.loads(out)["provider"] == "aider"


@pytest.mark.parametrize("arg", ["/nonexistent/log.jsonl", "/nonexistent/*.jsonl"])
def test_unreadable_path_is_one_line_exit_1(capsys: pytest.CaptureFixture[str], arg: str) -> None:
    code, out, err = run(capsys, arg)
    assert code == 1 and out == "" and err.count("\n") == 1 and err.startswith("aitrack: ")


def test_broken_symlink(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    link = tmp_path / "gone.jsonl"
    link.symlink_to(tmp_path / "missing")
    code, _, err = run(capsys, str(link))
    assert code == 1 and "no such file" in err


def test_bad_provider_is_one_line(capsys: pytest.CaptureFixture[str], fixtures_dir: Path) -> None:
    code, _, err = run(capsys, "--provider", "nope", str(fixtures_dir / "claude"))
    assert code == 1 and "unknown provider" in err
