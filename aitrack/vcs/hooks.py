"""Installing aitrack's git hooks without breaking anyone else's.

Rules (DESIGN.md): a foreign hook is kept as `<hook>.legacy` and run first by ours; pre-commit's
own script is left in place and runs ours as *its* `<hook>.legacy` (pre-commit refuses to run its
script from a `.legacy` name); uninstall puts everything back; a `core.hooksPath` outside the git
dir (husky, a tracked `.githooks/`) is never written to — we print the line to add instead; git
>= 2.54 gets config-based hooks (`hook.<name>.command`), which coexist with every manager.
Standard library only: `sessionhooks.ensure_hooks` imports this on the wrapper's path (session hooks off).
"""
from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from aitrack.paths import data_dir
from aitrack.vcs import git
from aitrack.vcs import notes
from aitrack.vcs.hooknames import HOOK_NAMES, MARKER, PRE_COMMIT_MARKER, hook_is_ours, write_hook

CONFIG_HOOKS_SINCE = (2, 54, 0)


@dataclass
class HookReport:
    where: str
    status: str  # "installed" | "config" | "bypassed" | "removed"
    messages: list[str] = field(default_factory=list)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _write_hook(path: Path, name: str) -> None:
    write_hook(str(path), name)


def config_hooks_supported() -> bool:
    return git.version() >= CONFIG_HOOKS_SINCE


def stable_hooks_dir() -> Path:
    """A copy of the hook scripts outside any repository, for config-based hooks and husky lines."""
    target = data_dir() / "hooks"
    target.mkdir(parents=True, exist_ok=True)
    for name in HOOK_NAMES:
        _write_hook(target / name, name)
    return target


def install_dir(hooks_dir: Path) -> list[str]:
    """Put our hooks into a hooks folder, chaining whatever is there. Returns problems, if any."""
    hooks_dir.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for name in HOOK_NAMES:
        path, legacy = hooks_dir / name, hooks_dir / (name + ".legacy")
        text = _read(path) if os.path.lexists(path) else None
        if text is None or MARKER in text:
            _write_hook(path, name)
        elif PRE_COMMIT_MARKER in text:
            ltext = _read(legacy) if os.path.lexists(legacy) else None
            if ltext is not None and MARKER not in ltext:
                deeper = hooks_dir / (name + ".legacy.legacy")
                if os.path.lexists(deeper):
                    problems.append(f"{path}: pre-commit already chains {legacy} and {deeper}; not touched")
                    continue
                os.replace(legacy, deeper)  # ours becomes pre-commit's legacy and chains it in turn
            _write_hook(legacy, name)
        elif os.path.lexists(legacy):
            problems.append(f"{path}: both it and {legacy.name} exist, so it cannot be chained; "
                            f"merge them into one, then run `aitrack hooks install` again")
        else:
            os.replace(path, legacy)
            _write_hook(path, name)
    return problems


def uninstall_dir(hooks_dir: Path) -> int:
    """Remove our hooks from a folder, putting chained hooks back. Returns how many were ours."""
    removed = 0
    for name in HOOK_NAMES:
        path, legacy = hooks_dir / name, hooks_dir / (name + ".legacy")
        text = _read(path) if os.path.lexists(path) else None
        if text is None:
            continue
        if MARKER in text:
            target, chained = path, legacy
        elif PRE_COMMIT_MARKER in text and MARKER in (_read(legacy) or ""):
            target, chained = legacy, hooks_dir / (name + ".legacy.legacy")
        else:
            continue
        if os.path.lexists(chained):
            os.replace(chained, target)
        else:
            target.unlink()
        removed += 1
    return removed


def _install_config(scope: str, cwd: Path | None) -> list[str]:
    """git >= 2.54: `[hook "aitrack-commit-msg"] event = commit-msg, command = …` per hook."""
    stable = stable_hooks_dir()
    for name in HOOK_NAMES:
        key = f"hook.aitrack-{name}"
        git.run(["config", scope, "--replace-all", f"{key}.event", name], cwd)
        git.run(["config", scope, "--replace-all", f"{key}.command", shlex.quote(str(stable / name))], cwd)
    return []


def _uninstall_config(scope: str, cwd: Path | None) -> None:
    for name in HOOK_NAMES:
        git.run(["config", scope, "--remove-section", f"hook.aitrack-{name}"], cwd, check=False)


def hooks_path_setting(root: Path) -> str | None:
    return git.try_out(["config", "core.hooksPath"], root) or None


def _is_inside(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent.resolve())
        return True
    except ValueError:
        return False


def manual_lines(hooks_dir: Path) -> list[str]:
    """The exact lines to add to a hook manager's files (husky, a tracked .githooks/)."""
    stable = stable_hooks_dir()
    # husky 9 generates `.husky/_` and runs the user's `.husky/<hook>` files from it.
    user_dir = hooks_dir.parent if hooks_dir.name == "_" and hooks_dir.parent.name == ".husky" else hooks_dir
    lines = []
    for name in HOOK_NAMES:
        script = shlex.quote(str(stable / name))
        lines.append(f"{user_dir / name}:  [ ! -x {script} ] || {script} \"$@\"")
    return lines


def install_repo(root: Path) -> HookReport:
    """Install into one repository (its hooks folder, or its config on git >= 2.54)."""
    root = git.toplevel(root)
    if config_hooks_supported():
        _install_config("--local", root)
        uninstall_dir(git.git_path(root, "hooks"))  # file hooks as well would run twice
        notes.ensure_rewrite_ref(root, remember=False)  # uninstall_repo takes it out again
        return HookReport(str(root), "config")
    hooks_dir = git.git_path(root, "hooks")
    common = Path(root, git.out(["rev-parse", "--git-common-dir"], root))
    if hooks_path_setting(root) and not _is_inside(hooks_dir, common):
        return HookReport(str(hooks_dir), "bypassed", [
            f"core.hooksPath is {hooks_path_setting(root)}: aitrack does not write there. "
            "Add these lines (file: line) to link commits to sessions:", *manual_lines(hooks_dir)])
    problems = install_dir(hooks_dir)
    notes.ensure_rewrite_ref(root, remember=False)
    return HookReport(str(hooks_dir), "installed", problems)


def uninstall_repo(root: Path) -> HookReport:
    root = git.toplevel(root)
    if config_hooks_supported():
        _uninstall_config("--local", root)
    count = uninstall_dir(git.git_path(root, "hooks"))
    notes.unset_rewrite_ref(root)
    return HookReport(str(root), "removed", [f"{count} hook(s) removed"] if count else [])


def _template_dir() -> tuple[Path, bool]:
    """init.templateDir if the user has one, else ours (and whether we must set it)."""
    current = git.try_out(["config", "--global", "--path", "init.templateDir"])
    if current:
        return Path(os.path.expanduser(current)), False
    return data_dir() / "git-template", True


def install_global() -> HookReport:
    """New clones and `git init`s get the hooks: config-based hooks, else init.templateDir."""
    if config_hooks_supported():
        _install_config("--global", None)
        return HookReport("global config", "config")
    tdir, must_set = _template_dir()
    problems = install_dir(tdir / "hooks")
    if must_set:
        gitconfig = _global_config_file()
        if not gitconfig.exists():  # ours alone: uninstall removes it again, leaving no trace
            (tdir / CREATED_GITCONFIG).write_text(str(gitconfig) + "\n", encoding="utf-8")
        git.run(["config", "--global", "init.templateDir", str(tdir)])
    return HookReport(str(tdir / "hooks"), "installed", problems)


CREATED_GITCONFIG = "created-gitconfig"  # beside our template dir: the global config file we created


def _global_config_file() -> Path:
    """The file `git config --global` writes: $GIT_CONFIG_GLOBAL, else ~/.gitconfig."""
    return Path(os.environ.get("GIT_CONFIG_GLOBAL") or Path.home() / ".gitconfig")


def uninstall_global() -> HookReport:
    if config_hooks_supported():
        _uninstall_config("--global", None)
    tdir, _ = _template_dir()
    count = uninstall_dir(tdir / "hooks")
    if tdir == data_dir() / "git-template":
        git.run(["config", "--global", "--unset", "init.templateDir"], check=False)
        marker = tdir / CREATED_GITCONFIG
        created = (_read(marker) or "").strip()
        text = _read(Path(created)) if created else None
        if text is not None and not text.strip():  # nothing but our key was ever in it
            Path(created).unlink()
        marker.unlink(missing_ok=True)
    return HookReport(str(tdir / "hooks"), "removed", [f"{count} hook(s) removed"] if count else [])


def repo_status(root: Path) -> tuple[str, str]:
    """("installed" | "bypassed" | "partial" | "missing", detail) for `aitrack doctor`."""
    root = git.toplevel(root)
    if config_hooks_supported() and git.try_out(["config", "--get", "hook.aitrack-commit-msg.command"], root):
        return "installed", "config-based hooks (hook.aitrack-*)"
    hooks_dir = git.git_path(root, "hooks")
    common = Path(root, git.out(["rev-parse", "--git-common-dir"], root))
    if hooks_path_setting(root) and not _is_inside(hooks_dir, common):
        stable = str(data_dir() / "hooks")
        user_dir = hooks_dir.parent if hooks_dir.name == "_" and hooks_dir.parent.name == ".husky" else hooks_dir
        wired = [n for n in HOOK_NAMES if stable in (_read(user_dir / n) or "")]
        if len(wired) == len(HOOK_NAMES):
            return "installed", f"called from {user_dir}"
        return "bypassed", f"core.hooksPath={hooks_path_setting(root)} runs other hooks; see `aitrack hooks install`"
    ours = [n for n in HOOK_NAMES if hook_is_ours(str(hooks_dir / n))]
    if len(ours) == len(HOOK_NAMES):
        return "installed", str(hooks_dir)
    if ours:
        missing = ", ".join(n for n in HOOK_NAMES if n not in ours)
        return "partial", f"{missing} missing in {hooks_dir}"
    return "missing", str(hooks_dir)
