"""What an agent's tool call wrote into files: the lines, as content hashes, for line attribution.

Pure (no git): `writes_of(name, input, command)` reads one tool call as the parsers see it, before
the stored copy is capped, and returns [(path, line hashes | None)]. None means "the shell wrote
this file and its text is not in the call" (`sed -i`, `> file`, a generator): ingest fills those in
from the working tree (vcs/attribution.py). Hashes, not text: the record keeps no extra copy of
the code, and a hash matches the same line after amend, rebase or cherry-pick moved it.
"""
from __future__ import annotations

import re
from typing import Any

from aitrack.attribution.hashing import hashes, line_hash

# Claude Code Write/Edit/MultiEdit, Gemini CLI and Qwen write_file/replace, OpenCode write/edit.
_TEXT_KEYS = ("content", "new_string", "newString", "new_str", "file_text")
_PATH_KEYS = ("file_path", "path", "filePath", "absolute_path")
_EDIT_TOOLS = {"Write", "Edit", "MultiEdit", "write_file", "replace", "edit", "write", "str_replace_based_edit_tool",
               "create_file", "edit_file"}
# Codex apply_patch: `*** Add File: p` / `*** Update File: p` then `+line`s.
_PATCH_FILE = re.compile(r"^\*\*\* (?:Add|Update) File: (.+)$")
_PATCH_MOVE = re.compile(r"^\*\*\* Move to: (.+)$")
# `cat > f <<'EOF'` … `EOF` (also `>>`, `tee f <<EOF`, `<<-EOF`).
_HEREDOC = re.compile(r"(?:>>?|\btee(?:\s+-a)?)\s*(['\"]?)([^\s;&|<>'\"]+)\1[^\n]*?<<-?\s*(['\"]?)(\w+)\3[^\n]*\n")
_HEREDOC_FIRST = re.compile(r"<<-?\s*(['\"]?)(\w+)\1[^\n]*?(?:>>?|\btee(?:\s+-a)?)\s*(['\"]?)([^\s;&|<>'\"]+)\3[^\n]*\n")
# Files a shell command changes in place or by redirection, content unknown.
_SED_I = re.compile(r"\b(?:sed|perl)\s+(?:-\S*\s+)*-[a-zA-Z]*i\S*\s+(?:(?:-e\s+)?(?:'[^']*'|\"[^\"]*\"|\S+)\s+)+?([^\s;&|<>'\"-][^\s;&|<>'\"]*)\s*(?:$|[;&|\n])")
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
    for edit in tool_input.get("edits") or []:  # MultiEdit
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
        if found:
            current = files.setdefault(found.group(1).strip(), [])
        elif line.startswith("*** "):
            current = None if not line.startswith("*** End of File") else current
        elif current is not None and line.startswith("+"):
            current.append(line_hash(line[1:]))
    return [(path, lines) for path, lines in files.items()]


def _shell(command: str) -> list[tuple[str, list[str] | None]]:
    out: list[tuple[str, list[str] | None]] = []
    spans: list[tuple[int, int]] = []
    for pattern, path_group, tag_group in ((_HEREDOC, 2, 4), (_HEREDOC_FIRST, 4, 2)):
        for m in pattern.finditer(command):
            tag = m.group(tag_group)
            end = re.compile(rf"^\s*{re.escape(tag)}\s*$", re.M).search(command, m.end())
            body = command[m.end():end.start() if end else len(command)]
            if any(s <= m.start() < e for s, e in spans):
                continue
            spans.append((m.start(), end.end() if end else len(command)))
            out.append((m.group(path_group), hashes(body)))
    rest = command
    for start, end_at in sorted(spans, reverse=True):  # heredoc bodies are no redirections
        rest = rest[:start] + " " * (end_at - start) + rest[end_at:]
    named = {p for p, _ in out}
    for m in _SED_I.finditer(rest):
        if m.group(1) not in named:
            out.append((m.group(1), None))
            named.add(m.group(1))
    for m in _REDIRECT.finditer(rest):
        path = m.group(2)
        if path not in named and not path.startswith(("/dev/", "&")):
            out.append((path, None))
            named.add(path)
    return out
