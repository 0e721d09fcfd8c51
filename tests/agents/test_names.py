"""Nothing outside aitrack/agents/ (and the parsers and screen patterns its modules point to) names an
agent: adding one is its module, its fixtures and its e2e recipe, never an edit elsewhere.

"Names" means a string in the code (docstrings and comments may explain an agent's quirk) holding an
agent's command or provider tag as a word, or an import of an agent's parser or screen module.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from aitrack.agents import registry

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "aitrack"

# Each entry: why that file may name an agent. Keep it short; move anything else into the agent's module.
ALLOWED = {
    # Model-name families (`claude-…`, `gemini-…`, `gpt-…`): a model's vendor, not an agent.
    "aitrack/cost/price.py",
    # The config formats behind one agent's hook system (Spec.toml, Spec.dotenv): the agent's module
    # points at them through its hook_spec(); their markers name the file they edit.
    "aitrack/agenthooks/codex_toml.py",
    "aitrack/agenthooks/gemini_env.py",
    # Help text: the seed's documented search (`tags.provider = "claude_code"`) as the example.
    "aitrack/cli.py",
    "aitrack/store/localsearch.py",
}


def _words() -> re.Pattern[str]:
    names = {w for m in registry.modules() for w in (m.NAME, m.PROVIDER)}
    return re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True))
                      + r")(?![A-Za-z0-9_])", re.I)


def _pointed_to() -> set[str]:
    """The parsers and screen patterns the modules point to: the parser library's own files."""
    out = set()
    for m in registry.modules():
        if m.PARSER:
            out.add(f"aitrack/parse/{m.PARSER}.py")
        out.add(f"aitrack/parse/terminal/providers/{m.SCREEN}.py")
    return out


def _modules() -> set[str]:
    return {f"aitrack.parse.{m.PARSER}" for m in registry.modules() if m.PARSER} | {
        f"aitrack.parse.terminal.providers.{m.SCREEN}" for m in registry.modules() if m.SCREEN != "generic"} | {
        f"aitrack.agents.{m.__name__.rsplit('.', 1)[-1]}" for m in registry.modules()}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def namings(path: Path, words: re.Pattern[str], modules: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            hit = words.search(node.value)
            if hit:
                found.append(f"line {node.lineno}: {hit.group(0)!r} in {node.value[:60]!r}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                for target in (node.module, f"{node.module}.{alias.name}"):
                    if target in modules:
                        found.append(f"line {node.lineno}: imports {target}")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: imports {a.name}" for a in node.names if a.name in modules]
    return found


def test_nothing_outside_the_registry_names_an_agent() -> None:
    words, modules, allowed = _words(), _modules(), ALLOWED | _pointed_to()
    bad = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith("aitrack/agents/") or rel in allowed:
            continue
        found = namings(path, words, modules)
        if found:
            bad[rel] = found
    assert not bad, "agents named outside aitrack/agents/ (move it into the agent's module):\n" + "\n".join(
        f"{f}: {h}" for f, hits in bad.items() for h in hits)


def test_the_allow_list_is_needed() -> None:
    """An entry that no longer names an agent goes: the list stays the short list of exceptions."""
    words, modules = _words(), _modules()
    for rel in ALLOWED:
        assert namings(REPO / rel, words, modules), f"{rel} names no agent any more: drop it from ALLOWED"


def test_the_check_sees_a_named_agent(tmp_path: Path) -> None:
    """The scanner itself: a table keyed by a provider tag and an import of a parser are caught; a
    docstring is not."""
    sample = tmp_path / "x.py"
    sample.write_text('"""Claude Code writes JSONL."""\nfrom aitrack.parse import claude\nT = {"openai_codex": 1}\n')
    hits = namings(sample, _words(), _modules())
    assert len(hits) == 2 and "imports aitrack.parse.claude" in hits[0] and "openai_codex" in hits[1]
