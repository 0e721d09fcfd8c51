"""vcs/ is layered: hooknames (a leaf) ← gitdir ← hooks (the installer) ← sessionhooks, with no import
circle anywhere in vcs/ — lazy imports inside functions included, since they run all the same."""
from __future__ import annotations

import ast
from pathlib import Path

import aitrack.vcs

VCS = Path(aitrack.vcs.__file__).parent


def _imports(path: Path) -> set[str]:
    """The aitrack modules a file imports, at the top or inside a function."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aitrack"):
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)  # `from aitrack.vcs import git`
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("aitrack"))
    return out


def _graph() -> dict[str, set[str]]:
    modules = {f"aitrack.vcs.{p.stem}": p for p in VCS.glob("*.py") if p.stem != "__init__"}
    return {name: _imports(path) & set(modules) for name, path in modules.items()}


def test_no_import_circle_in_vcs() -> None:
    graph = _graph()
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        assert node not in path, " → ".join([*path[path.index(node):], node])
        if node in done:
            return
        for dep in sorted(graph[node]):
            visit(dep, [*path, node])
        done.add(node)

    for name in sorted(graph):
        visit(name, [])


def test_the_leaf_imports_nothing_of_ours_and_gitdir_only_the_leaf() -> None:
    # but the agents' generated facts table (data, importing nothing), when it writes a hook
    assert {m for m in _imports(VCS / "hooknames.py") if not m.startswith("aitrack.agents.facts")} == set()
    from aitrack.agents import facts

    tree = ast.parse(Path(facts.__file__).read_text(encoding="utf-8"))
    assert [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) and n.module != "__future__"] == []
    assert _imports(VCS / "gitdir.py") == {"aitrack.vcs.hooknames", "aitrack.vcs.hooknames.read_text"}


def test_the_installer_never_reaches_back_to_the_session_hooks() -> None:
    graph = _graph()
    seen, todo = set(), ["aitrack.vcs.hooks"]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph[node])
    assert "aitrack.vcs.sessionhooks" not in seen, seen
