"""What install.sh does after the package is in place, and how `aitrack uninstall` undoes all of it.

    python -m aitrack.shell.install install --bin-dir VENV/bin --link-dir ~/.local/bin \
        --installer venv|pipx|uv|existing [--venv DIR] [--shells bash,zsh] [--global-hooks] [--no-agent-hooks]
    python -m aitrack.shell.install uninstall

Everything added is listed in `<data dir>/install.json`, so uninstall removes exactly that (plus
any of our rc blocks it finds). Standard library only: install.sh --uninstall runs this module
from the checkout when the installed environment is already gone.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from aitrack import output
from aitrack.agents import facts
from aitrack.paths import data_dir
from aitrack.sessiondir import write_bytes_atomic
from aitrack.shell import commandfile, rc

COMMANDS = ("aitrack", *facts.WITH_TRACKING)
SHELLS = ("bash", "zsh", "fish")


def manifest_path() -> Path:
    return data_dir() / "install.json"


def detect_shells(home: Path | None = None) -> list[str]:
    """The shells this user has: the one running us (shellingham), $SHELL, and existing rc files."""
    found: set[str] = set()
    try:
        import shellingham

        found.add(shellingham.detect_shell()[0])
    except Exception:  # not installed, or no shell among our parents (CI, a test)
        pass
    found.add(os.path.basename(os.environ.get("SHELL", "")))
    paths = rc.rc_paths(home)
    for shell in ("bash", "zsh"):
        if paths[shell].exists():
            found.add(shell)
    if paths["fish"].parent.parent.is_dir():  # ~/.config/fish
        found.add("fish")
    return [s for s in SHELLS if s in found]


def _mkdirs(path: Path, created: list[str]) -> None:
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for p in reversed(missing):
        p.mkdir()
        created.append(str(p))


def _hooks(bin_path: str, action: str) -> str:
    """Run `aitrack hooks ACTION --global` when this aitrack has that command."""
    try:
        res = subprocess.run([bin_path, "hooks", action, "--global"], capture_output=True, text=True, timeout=60)
    except OSError as exc:
        return f"skipped git hooks ({exc})"
    text = (res.stdout + res.stderr).strip()
    if res.returncode != 0 and ("No such command" in text or "No module named" in text):
        return "skipped git hooks (this aitrack has no `hooks` command)"
    return text or f"aitrack hooks {action} --global: exit {res.returncode}"


def _session_hooks() -> str:
    """Write the session-hooks folder now, so the first session does not."""
    from aitrack.vcs.sessionhooks import session_hooks_env, session_hooks_folder

    try:
        session_hooks_env(None)
    except OSError as exc:
        return f"git hooks: the first session will write {session_hooks_folder()} ({exc.strerror or exc})"
    return (f"git hooks: each agent session gets them from {session_hooks_folder()} "
            "(no repository or global git config is changed)")


def _agent_hooks(action: str, names: list[str] | None = None) -> tuple[list[str], list[str]]:
    """`aitrack agents install` (each installed agent with a hook system) or uninstall of `names`:
    (the agents whose config now holds our hook, one line per agent)."""
    from aitrack.agenthooks import manage

    ours, lines = [], []
    # Uninstall: what install registered, and any hook of ours added since (`agents install --agent`).
    specs = manage.chosen(None, only_present=True, by_default=True) if action == "install" else \
        [s for s in manage.chosen(None, only_present=False)
         if s.name in (names or []) or manage.status(s).state in ("installed", "stale", "bypassed")]
    for spec in specs:
        res = manage.install(spec) if action == "install" else manage.uninstall(spec)
        if action == "install" and res.status != "left-alone":
            ours.append(spec.name)
        lines.append(f"{spec.label} hook: {res.status} ({res.detail})")
    return ours, lines


def _shell_files(shell: str, bin_path: str) -> None:
    """What the rc block sources (so the first new shell starts no process) and the launcher."""
    from aitrack.commands.init import _tools
    from aitrack.errors import AitrackError
    from aitrack.shell.init import render, write_files

    try:
        text = render(shell, _tools(), bin_path) if os.environ.get("AITRACK_TOOLS") is None else None
        write_files(shell, text)
    except (AitrackError, OSError) as exc:  # the rc block runs `aitrack init` instead: slower, same
        output.err(f"aitrack: could not write the shell files: {exc}")


def installed_links() -> list[str]:
    return [str(p) for p in _load().get("links", [])]


def on_path(folder: Path) -> bool:
    entries = [e for e in os.environ.get("PATH", "").split(os.pathsep) if e]
    try:
        return any(os.path.samefile(e, folder) for e in entries if os.path.isdir(e))
    except OSError:
        return False


def path_fix(folder: Path) -> str:
    """The line that puts `folder` on PATH, for the user's shell."""
    home = str(Path.home())
    shown = "$HOME" + str(folder)[len(home):] if str(folder).startswith(home + "/") else str(folder)
    shell = os.path.basename(os.environ.get("SHELL", ""))
    if shell == "fish":
        return f"fish_add_path {shown.replace('$HOME', '~')}"
    rc_file = "~/.zshrc" if shell == "zsh" else "~/.bashrc"
    return f"echo 'export PATH=\"{shown}:$PATH\"' >> {rc_file}, then open a new shell"


def install(bin_dir: Path, link_dir: Path, installer: str, venv: Path | None, shells: list[str],
            global_hooks: bool = False, agent_hooks: bool = True) -> int:
    old: dict[str, Any] = _load()
    created: list[str] = list(old.get("created_dirs", []))
    links: list[str] = list(old.get("links", []))
    done: list[str] = []
    _mkdirs(data_dir(), created)  # first: the hooks and the manifest go under it
    os.chmod(data_dir(), 0o700)
    if bin_dir.resolve() != link_dir.resolve():
        _mkdirs(link_dir, created)
        for name in COMMANDS:
            target, link = bin_dir / name, link_dir / name
            if not target.exists():
                continue
            if link.exists() and not link.is_symlink() and not commandfile.is_ours(link):
                output.err(f"aitrack: {link} exists and is not ours; left alone")
                continue
            content = commandfile.text(name)  # a command file that starts Python without site
            if content is not None:
                if link.is_symlink():
                    link.unlink()
                if commandfile.write(link, content):
                    done.append(f"wrote {link} (the {name} of {bin_dir}, started without site)")
            elif not (link.is_symlink() and os.readlink(link) == str(target)):
                link.unlink(missing_ok=True)
                link.symlink_to(target)
                done.append(f"linked {link} -> {target}")
            links.append(str(link))
    bin_path = str(link_dir / "aitrack") if (link_dir / "aitrack").exists() else str(bin_dir / "aitrack")
    paths = rc.rc_paths()
    for shell in shells:
        path = paths[shell]
        _mkdirs(path.parent, created)
        if rc.add(path, rc.block(shell, bin_path)):
            done.append(f"added the aitrack block to {path}")
        _shell_files(shell, bin_path)
    hooks_note = _session_hooks()
    if global_hooks:
        hooks_note += "\n" + _hooks(bin_path, "install")
    hooked = list(old.get("agent_hooks", []))
    if agent_hooks:
        names, lines = _agent_hooks("install")
        hooked = sorted(set(hooked) | set(names))
        hooks_note += "".join("\n" + line for line in lines)
    manifest = {"installer": installer, "venv": str(venv) if venv else old.get("venv"),
                "python": sys.executable, "bin": bin_path, "links": sorted(set(links)),
                "created_dirs": created, "shells": sorted(set(shells) | set(old.get("shells", []))),
                "hooks_global": global_hooks or bool(old.get("hooks_global")), "agent_hooks": hooked}
    if manifest != old:
        _save(manifest)
    output.out("aitrack installed" + (" (nothing changed)" if not done else "") + ":")
    for line in done:
        output.out("  " + line)
    output.out("  shells: " + (", ".join(shells) or "none found (use --shells)"))
    output.out("  " + hooks_note.replace("\n", "\n  "))
    if (link_dir / "aitrack").exists() and not on_path(link_dir):
        output.out(f"Note: {link_dir} is not on your PATH, so typing `aitrack` finds nothing (the agents are "
                   f"wrapped anyway). Fix: {path_fix(link_dir)}")
    from aitrack.commands.init import _tools

    tools = _tools()
    output.out(f"Open a new shell (or `exec $SHELL`), then run {', '.join(tools[:-1])} or {tools[-1]} as usual."
               if len(tools) > 1 else "Open a new shell (or `exec $SHELL`), then run your agents as usual.")
    output.out("Undo everything: `aitrack uninstall` or `./install.sh --uninstall`.")
    return 0


def uninstall() -> int:
    from aitrack.vcs.sessionhooks import session_hooks_folder

    hooks = session_hooks_folder()  # now: the venv holding aitrack may be removed below
    manifest = _load()
    done: list[str] = []
    if manifest.get("hooks_global") and manifest.get("bin") and os.access(manifest["bin"], os.X_OK):
        done.append(_hooks(manifest["bin"], "uninstall"))
    done += _agent_hooks("uninstall", list(manifest.get("agent_hooks", [])))[1]
    from aitrack.errors import AitrackError
    from aitrack.vcs.notes import remove_rewrite_refs

    try:
        for repo in remove_rewrite_refs():
            done.append(f"removed notes.rewriteRef from the git config of {repo}")
    except AitrackError as exc:  # git gone: say so, remove the rest
        done.append(f"left notes.rewriteRef in repositories: {exc}")
    for path in rc.rc_paths().values():
        if rc.remove(path):
            done.append(f"removed the aitrack block from {path}")
        if rc.has_stray_marker(path):
            done.append(f"left {path} alone where it has `{rc.BEGIN.strip()}` without its end line: "
                        "remove what is left of the block by hand")
    for link in manifest.get("links", []):
        p = Path(link)
        if p.is_symlink() or commandfile.is_ours(p):
            p.unlink()
            done.append(f"removed {p}")
    installer, venv = manifest.get("installer"), manifest.get("venv")
    env_dir = venv if installer == "venv" else sys.prefix if installer in ("pipx", "uv") else None
    if env_dir:  # their code goes next: a worker left running fails and logs into our emptied data dir
        from aitrack.workers import stop

        if stopped := stop(env_dir):
            done.append(f"stopped {stopped} background process{'es' if stopped > 1 else ''} of aitrack "
                        "(a session not logged yet is logged by `aitrack sync` after a reinstall)")
    if installer in ("pipx", "uv"):
        cmd = ["pipx", "uninstall", "aitrack"] if installer == "pipx" else ["uv", "tool", "uninstall", "aitrack"]
        subprocess.run(cmd, capture_output=True)
        done.append("ran " + " ".join(cmd))
    elif installer == "venv" and venv and Path(venv).is_dir():
        shutil.rmtree(venv)
        done.append(f"removed the virtualenv {venv}")
    manifest_path().unlink(missing_ok=True)
    shell_dir = data_dir() / "shell"
    if shell_dir.is_dir():
        shutil.rmtree(shell_dir, ignore_errors=True)
        done.append(f"removed the shell files {shell_dir}")
    if os.path.isdir(hooks):
        shutil.rmtree(hooks, ignore_errors=True)
        Path(hooks + ".stamp").unlink(missing_ok=True)
        done.append(f"removed the session hooks {hooks}")
    for root, _dirs, _files in os.walk(data_dir(), topdown=False):
        try:
            os.rmdir(root)  # empty folders left in our data dir (the hook template, logs)
        except OSError:
            pass
    for d in sorted(manifest.get("created_dirs", []), key=len, reverse=True):
        try:
            os.rmdir(d)  # only when empty: the user may have put things there since
        except OSError:
            pass
    output.out("aitrack uninstalled:" if done else "aitrack: nothing to uninstall")
    for line in done:
        output.out("  " + line.replace("\n", "\n  "))
    sessions = data_dir() / "sessions"
    if sessions.is_dir():
        output.out(f"Recorded sessions are kept in {sessions}; delete that folder to remove them too.")
    return 0


def _load() -> dict[str, Any]:
    try:
        data = json.loads(manifest_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(manifest: dict[str, Any]) -> None:
    from aitrack.paths import ensure_private_dir

    ensure_private_dir(data_dir())
    write_bytes_atomic(manifest_path(), (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8"), 0o644)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m aitrack.shell.install")
    sub = ap.add_subparsers(dest="action", required=True)
    ins = sub.add_parser("install")
    ins.add_argument("--bin-dir", type=Path, default=Path(sys.executable).parent)
    ins.add_argument("--link-dir", type=Path, default=Path.home() / ".local" / "bin")
    ins.add_argument("--installer", choices=("venv", "pipx", "uv", "existing"), default="existing")
    ins.add_argument("--venv", type=Path)
    ins.add_argument("--shells", help="comma-separated; default: detected")
    ins.add_argument("--global-hooks", action="store_true")
    ins.add_argument("--no-agent-hooks", action="store_true")
    sub.add_parser("uninstall")
    opts = ap.parse_args(argv)
    if opts.action == "uninstall":
        return uninstall()
    shells = [s for s in (opts.shells or "").replace(",", " ").split() if s] or detect_shells()
    bad = [s for s in shells if s not in SHELLS]
    if bad:
        output.err(f"aitrack: unsupported shell(s): {', '.join(bad)}; choose from {', '.join(SHELLS)}")
        return 2
    return install(opts.bin_dir, opts.link_dir, opts.installer, opts.venv, shells, global_hooks=opts.global_hooks,
                   agent_hooks=not opts.no_agent_hooks)


if __name__ == "__main__":
    sys.exit(main())
