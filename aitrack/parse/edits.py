"""What an agent's tool call wrote into files: the lines, as content hashes, for line attribution.

Pure (no git): `writes_of(name, input, command)` reads one tool call as the parsers see it, before
the stored copy is capped, and returns [(path, line hashes | None)]. None means "the shell wrote
this file and its text is not in the call" (`sed -i`, `> file`, a generator): ingest fills those in
from the working tree (vcs/attribution.py). Hashes, not text: the record keeps no extra copy of
the code, and a hash matches the same line after amend, rebase or cherry-pick moved it.
"""
from __future__ import annotations

import os
import re
from typing import Any

from aitrack.attribution.hashing import hashes, line_hash

# Claude Code Write/Edit/MultiEdit, Gemini CLI and Qwen write_file/replace, OpenCode write/edit.
_TEXT_KEYS = ("content", "new_string", "newString", "new_str", "file_text")
_PATH_KEYS = ("file_path", "path", "filePath", "absolute_path")
_EDIT_TOOLS = {"Write", "Edit", "MultiEdit", "write_file", "replace", "edit", "write", "str_replace_based_edit_tool",
               "create_file", "edit_file", "WriteFile",
               "file_editor"}  # WriteFile: Kimi CLI; file_editor: OpenHands (file_text / new_str)
# Codex apply_patch: `*** Add File: p` / `*** Update File: p` then `+line`s.
_PATCH_FILE = re.compile(r"^\*\*\* (?:Add|Update) File: (.+)$")
_PATCH_MOVE = re.compile(r"^\*\*\* Move to: (.+)$")
# A heredoc's start (`<<'EOF'`, `<<-END`); the body runs to the line holding only the tag.
_HEREDOC = re.compile(r"(?<!<)<<(?!<)-?\s*(['\"]?)(\w+)\1")  # not a `<<<` here-string
_P = r"[^\s;&|<>'\"]+"
# The heredoc line writes its text to a file: `cat > f <<EOF`, `cat <<EOF >> f`, `tee [-a] f <<EOF`.
_CAT_TO = re.compile(rf"\b(?:cat\s+(?:<<-?\s*['\"]?\w+['\"]?\s*)?>>?\s*(['\"]?)({_P})\1|tee(?:\s+-a)?\s+(['\"]?)({_P})\3)")
# Where one simple command ends (the `sed -i` / `perl -pi` scan reads tokens).
_SEPARATORS = {";", "&&", "||", "|", "&", "(", ")", "\n"}
# A file a shell command writes by redirection, content unknown.
_REDIRECT = re.compile(r"(?<![<0-9&])>>?\s*(['\"]?)([^\s;&|<>'\"]+)\1")


__all__ = ["hashes", "line_hash", "writes_of"]


def writes_of(name: str, tool_input: Any, command: str | None = None) -> list[tuple[str, list[str] | None]]:
    """[(path, line hashes or None)] written by one tool call; [] for calls that write nothing."""
    out: list[tuple[str, list[str] | None]] = []
    if command is not None:
        text = command.strip()
        if text.startswith("apply_patch"):
            return _patch(text)
        return _shell(command)
    if name == "apply_patch":
        # Codex: {"input": …} or the bare text; OpenCode: {"patchText": …}
        patch = next((tool_input[k] for k in ("input", "patchText", "patch") if isinstance(tool_input.get(k), str)),
                     None) if isinstance(tool_input, dict) else tool_input
        return _patch(patch) if isinstance(patch, str) else []
    if name not in _EDIT_TOOLS or not isinstance(tool_input, dict):
        return out
    path = next((tool_input[k] for k in _PATH_KEYS if isinstance(tool_input.get(k), str)), None)
    if not path:
        return out
    texts = [tool_input[k] for k in _TEXT_KEYS if isinstance(tool_input.get(k), str)]
    edits = tool_input.get("edits")
    for edit in edits if isinstance(edits, list) else []:  # MultiEdit
        if isinstance(edit, dict):
            texts += [edit[k] for k in _TEXT_KEYS if isinstance(edit.get(k), str)]
    if texts:
        out.append((path, [h for text in texts for h in hashes(text)]))
    return out


def _patch(patch: str) -> list[tuple[str, list[str] | None]]:
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in patch.splitlines():
        found = _PATCH_FILE.match(line) or _PATCH_MOVE.match(line)
        if found and found.group(1).strip():
            current = files.setdefault(found.group(1).strip(), [])
        elif line.startswith("*** "):
            current = None if not line.startswith("*** End of File") else current
        elif current is not None and line.startswith("+"):
            current.append(line_hash(line[1:]))
    return [(path, lines) for path, lines in files.items()]


def _shell(command: str) -> list[tuple[str, list[str] | None]]:
    out: list[tuple[str, list[str] | None]] = []
    rest, pos = [], 0  # the command without its heredoc bodies (their `>` are no redirections)
    for m in _HEREDOC.finditer(command):
        if m.start() < pos:
            continue  # inside an earlier body
        line_start = command.rfind("\n", 0, m.start()) + 1
        body_start = command.find("\n", m.end())
        if body_start < 0:
            break
        end = re.compile(rf"^\s*{re.escape(m.group(2))}\s*$", re.M).search(command, body_start + 1)
        body_end = end.start() if end else len(command)
        line = command[line_start:body_start]
        target = _CAT_TO.search(line)
        if target:
            out.append((target.group(2) or target.group(4), hashes(command[body_start + 1:body_end])))
            line = line[:target.start()] + line[target.end():]  # its redirection is accounted for
        rest.append(command[pos:line_start] + line + "\n")
        pos = end.end() if end else len(command)
    rest.append(command[pos:])
    text = "".join(rest)
    named = {p for p, _ in out}
    for path in _in_place(text) if ("sed" in text or "perl" in text) else []:
        if path not in named:
            out.append((path, None))
            named.add(path)
    for m in _REDIRECT.finditer(text):
        path = m.group(2)
        if path not in named and not path.startswith(("/dev/", "&")):
            out.append((path, None))
            named.add(path)
    return out


def _in_place(text: str) -> list[str]:
    """The files `sed -i` / `perl -pi` commands edit in place (tokens, not a backtracking regex)."""
    import shlex

    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()")
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError:  # an unclosed quote
        return []
    files: list[str] = []
    argv: list[str] = []
    for token in tokens + [";"]:
        if token not in _SEPARATORS:
            argv.append(token)
            continue
        if argv and os.path.basename(argv[0]) in ("sed", "gsed", "perl"):
            files += _in_place_files(argv)
        argv = []
    return files


def _in_place_files(argv: list[str]) -> list[str]:
    perl = os.path.basename(argv[0]) == "perl"
    in_place, script_given, operands = False, False, []
    args = iter(argv[1:])
    for arg in args:
        if arg == "--in-place" or arg.startswith("--in-place=") or (arg.startswith("-") and not arg.startswith("--")
                                                                      and "i" in arg.split(".", 1)[0][1:]):
            in_place = True
        if arg in ("-e", "-f", "--expression", "--file") or (perl and arg.endswith("e") and arg.startswith("-")):
            next(args, None)
            script_given = True
        elif arg.startswith("--expression=") or arg.startswith("--file="):
            script_given = True
        elif not arg.startswith("-"):
            operands.append(arg)
    if not in_place:
        return []
    return [op for op in (operands if script_given else operands[1:]) if op]  # `''` names no file
