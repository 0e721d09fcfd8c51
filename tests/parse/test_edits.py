"""What each agent's edit tool calls wrote (issue 16), read from the calls as the logs hold them."""
from __future__ import annotations

import json

from aitrack.parse import parse_text
from aitrack.parse.edits import hashes, line_hash, writes_of


def test_claude_write_edit_multiedit() -> None:
    assert writes_of("Write", {"file_path": "/r/a.py", "content": "x = 1\ny = 2\n"}) == [("/r/a.py", hashes("x = 1\ny = 2"))]
    assert writes_of("Edit", {"file_path": "/r/a.py", "old_string": "x = 1", "new_string": "x = 10"}) == \
        [("/r/a.py", [line_hash("x = 10")])]
    multi = {"file_path": "/r/b.py", "edits": [{"old_string": "a", "new_string": "b\nc"}, {"old_string": "d", "new_string": "e"}]}
    assert writes_of("MultiEdit", multi) == [("/r/b.py", hashes("b\nc\ne"))]
    assert writes_of("Read", {"file_path": "/r/a.py"}) == []


def test_gemini_write_file_and_replace() -> None:
    assert writes_of("write_file", {"file_path": "/r/g.txt", "content": "one\n"}) == [("/r/g.txt", [line_hash("one")])]
    assert writes_of("replace", {"file_path": "/r/g.txt", "old_string": "one", "new_string": "two"}) == \
        [("/r/g.txt", [line_hash("two")])]


def test_codex_apply_patch_as_a_tool_and_as_a_shell_command() -> None:
    patch = ("*** Begin Patch\n*** Add File: new.py\n+print('hi')\n+x = 1\n*** Update File: old.py\n@@ def f():\n"
             "-    return 1\n+    return 2\n     pass\n*** End Patch")
    expected = [("new.py", hashes("print('hi')\nx = 1")), ("old.py", [line_hash("    return 2")])]
    assert writes_of("apply_patch", {"input": patch}) == expected
    assert writes_of("apply_patch", patch) == expected
    assert writes_of("exec_command", None, f"apply_patch <<'EOF'\n{patch}\nEOF\n") == expected


def test_shell_heredocs_sed_and_redirections() -> None:
    assert writes_of("Bash", {}, "cat > notes.md <<'EOF'\n# Notes\ntext\nEOF") == [("notes.md", hashes("# Notes\ntext"))]
    assert writes_of("Bash", {}, "cat <<EOF >> log.txt\nline\nEOF\necho done") == [("log.txt", [line_hash("line")])]
    assert writes_of("Bash", {}, "tee -a out.txt <<-END\n\tindented\nEND") == [("out.txt", [line_hash("\tindented")])]
    # The shell's output is unknown: None, filled from the work tree at ingest.
    assert writes_of("Bash", {}, "sed -i 's/a/b/' src/app.py") == [("src/app.py", None)]
    assert writes_of("Bash", {}, "sed -i.bak -e 's/a/b/' conf.ini && git add -A") == [("conf.ini", None)]
    assert writes_of("Bash", {}, "python gen.py > out.json 2>&1") == [("out.json", None)]
    assert writes_of("Bash", {}, "pytest -q 2>/dev/null; ls >/dev/null") == []
    assert writes_of("Bash", {}, "git status") == []


def test_claude_log_records_prompt_number_model_and_call() -> None:
    base = {"sessionId": "s", "cwd": "/r", "timestamp": "2026-11-27T03:00:00.000Z"}

    def call(n: int, name: str, tool_input: dict[str, object], model: str) -> str:
        return json.dumps(base | {"type": "assistant", "uuid": f"a{n}", "message": {"id": f"m{n}", "role": "assistant", "model": model,
                                  "content": [{"type": "tool_use", "id": f"t{n}", "name": name, "input": tool_input}]}})

    lines = [json.dumps(base | {"type": "user", "uuid": "u1", "message": {"role": "user", "content": "first"}}),
             call(1, "Write", {"file_path": "/r/a.py", "content": "a\n"}, "claude-opus-4-5"),
             json.dumps(base | {"type": "user", "uuid": "u2", "message": {"role": "user", "content": "second"}}),
             call(2, "Bash", {"command": "echo b > b.txt"}, "claude-sonnet-4-5")]
    s = parse_text("\n".join(lines) + "\n")
    got = [(w.file, w.lines, w.tool, w.call_id, w.prompt, w.model, w.shell) for w in s.writes]
    assert got == [("/r/a.py", [line_hash("a")], "Write", "t1", 1, "claude-opus-4-5", False),
                   ("b.txt", None, "Bash", "t2", 2, "claude-sonnet-4-5", True)]


def test_long_edits_are_hashed_whole_though_the_stored_input_is_capped() -> None:
    content = "".join(f"line {i}\n" for i in range(2000))  # far beyond the 2000 characters kept of an input
    base = {"sessionId": "s", "cwd": "/r", "timestamp": "2026-11-27T03:00:00.000Z"}
    rec = base | {"type": "assistant", "uuid": "a1", "message": {"id": "m", "role": "assistant", "model": "m", "content": [
        {"type": "tool_use", "id": "t", "name": "Write", "input": {"file_path": "/r/big.txt", "content": content}}]}}
    s = parse_text(json.dumps(rec) + "\n")
    assert s.writes[0].lines == hashes(content) and len(s.writes[0].lines) == 2000


def test_real_captures_of_opencode_qwen_and_copilot_name_the_lines_they_wrote() -> None:
    """Recorded from the real CLIs (tests/data/agents): each wrote notes.txt with one line."""
    from pathlib import Path

    from aitrack.parse import parse_path

    data = Path(__file__).resolve().parents[1] / "data" / "agents"
    logs = {"opencode": next((data / "opencode").rglob("opencode.db")),
            "qwen_code": next((data / "qwen").rglob("*.jsonl")), "copilot_cli": next((data / "copilot").rglob("events.jsonl"))}
    for provider, log in logs.items():
        s = parse_path(log)
        assert s.provider == provider
        assert [(Path(w.file).name, w.lines, w.prompt, w.model) for w in s.writes] == \
            [("notes.txt", [line_hash("first note for #42")], 1, "gpt-scripted")], provider


def test_codex_without_user_message_events_numbers_the_prompt_of_each_write() -> None:
    """Found by the e2e journey: Codex 0.171's `exec` rollout has no `user_message` event (the
    prompts are read from the user messages at the end), so every write said prompt 0."""
    recs = [{"type": "session_meta", "payload": {"id": "x", "cwd": "/r", "cli_version": "0.171.0"}},
            {"type": "response_item", "payload": {"type": "message", "role": "user",
                                                  "content": [{"type": "input_text", "text": "write notes"}]}},
            {"type": "response_item", "payload": {"type": "function_call", "name": "exec_command", "call_id": "c1",
                                                  "arguments": json.dumps({"cmd": "echo a > notes.txt"})}},
            {"type": "response_item", "payload": {"type": "message", "role": "user",
                                                  "content": [{"type": "input_text", "text": "and more"}]}},
            {"type": "response_item", "payload": {"type": "function_call", "name": "exec_command", "call_id": "c2",
                                                  "arguments": json.dumps({"cmd": "echo b >> notes.txt"})}}]
    text = "".join(json.dumps({"timestamp": "2026-11-27T03:00:00.000Z", **r}) + "\n" for r in recs)
    s = parse_text(text, provider="openai_codex")
    assert s.metrics.user_prompts == 2
    assert [(w.file, w.prompt) for w in s.writes] == [("notes.txt", 1), ("notes.txt", 2)]


def test_a_failed_edit_wrote_nothing(fixtures_dir) -> None:  # type: ignore[no-untyped-def]
    """Gemini's edit_file that found 0 occurrences (SOURCES.md: 3 edit_file, 1 error): two writes."""
    from aitrack.parse import parse_path

    s = parse_path(fixtures_dir / "gemini" / "kvsankar-gemini_with_tool_error.jsonl")
    assert [(w.file, w.tool, w.prompt, w.lines) for w in s.writes] == [
        ("config.json", "edit_file", 1, [line_hash('"port": 9000')]),
        ("config.json", "edit_file", 3, [line_hash('"host": "localhost"')])]


def test_a_heredoc_fed_to_a_program_is_not_the_file_it_redirects_to() -> None:
    """`python - <<EOF > out.txt`: the script is not out.txt's text (read off the tree instead),
    and a `>` inside the script is no redirection."""
    cmd = "python - <<'EOF' > out.txt\nif a > b:\n    print(1)\nEOF"
    assert writes_of("Bash", {}, cmd) == [("out.txt", None)]
    two = "cat > a.txt <<EOF\nA\nEOF\ncat > b.txt <<'X'\nB > c\nX\n"
    assert writes_of("Bash", {}, two) == [("a.txt", [line_hash("A")]), ("b.txt", [line_hash("B > c")])]


def test_here_strings_and_huge_commands() -> None:
    assert writes_of("Bash", {}, 'cat <<< "x" > f.txt\nx\necho after > g.txt') == [("f.txt", None), ("g.txt", None)]
    # Many options: read in linear time (a regex over them backtracked for seconds at 100).
    big = "sed -i " + "-e 's/a/b/' " * 3000 + "file.txt"
    assert writes_of("Bash", {}, big) == [("file.txt", None)]
    assert writes_of("Bash", {}, "sed -i " + "-e 's/a/b/' " * 3000) == []
    assert writes_of("Bash", {}, "perl -pi -e 's/a/b/' x.pl y.pl; sed -n p keep.txt") == [("x.pl", None), ("y.pl", None)]
    assert writes_of("Bash", {}, "sed -i 's/unclosed") == []


def test_any_command_or_input_is_read_without_error() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["cat > f <<EOF\n", "EOF\n", "<<'X'", "<<<", " > ", ">>", "sed -i ", "perl -pi -e ",
                              "'s/a/b/'", "\"", "'", "; ", "&& ", "| tee -a g ", "\n", "*** Add File: p\n", "+x\n"])
    text = st.lists(st.one_of(pieces, st.text(max_size=8)), max_size=30).map("".join)

    @settings(max_examples=300, deadline=None)
    @given(text, st.sampled_from(["Bash", "apply_patch", "Write", "Edit", "MultiEdit", "replace"]),
           st.one_of(st.none(), st.dictionaries(st.sampled_from(["file_path", "content", "new_string", "edits",
                                                                  "input", "patchText"]), st.one_of(st.text(), st.integers(), st.none(),
                                                                  st.lists(st.dictionaries(st.text(), st.text()))))))
    def check(command: str, name: str, tool_input: object) -> None:
        for cmd in (command, None):
            for path, lines in writes_of(name, tool_input if cmd is None else {}, cmd):
                assert isinstance(path, str) and path
                assert lines is None or all(isinstance(h, str) and len(h) == 16 for h in lines)

    check()


def test_a_malformed_multiedit_is_read_as_far_as_it_goes() -> None:
    assert writes_of("MultiEdit", {"file_path": "a", "edits": 5, "new_string": "x"}) == [("a", [line_hash("x")])]


def test_an_empty_quoted_operand_names_no_file() -> None:
    """Found by the property test: `sed -i EOF ""` gave a write to the path ''."""
    assert writes_of("Bash", {}, 'sed -i EOF\n""') == []
    assert writes_of("Bash", {}, "sed -i 's/a/b/' '' f.txt") == [("f.txt", None)]
