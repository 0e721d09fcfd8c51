"""`aitrack hooks install|uninstall [--repo PATH] [--global]`."""
from __future__ import annotations

from pathlib import Path

from aitrack import output
from aitrack.vcs import hooks as vcs_hooks

_NOTES_HELP = ("notes: share them with `aitrack notes sync` (fetch, merge, push); see teammates' after "
               "`git fetch` with `git config --add remote.origin.fetch "
               "'+refs/notes/aitrack:refs/notes/remotes/origin/aitrack'`")


def _print(report: vcs_hooks.HookReport) -> int:
    if report.status == "installed":
        output.out(output.ok(f"hooks installed in {report.where}"))
    elif report.status == "config":
        output.out(output.ok(f"config-based hooks (hook.aitrack-*) set for {report.where}"))
    elif report.status == "removed":
        output.out(output.ok(f"hooks removed from {report.where}"))
    elif report.status == "bypassed":
        output.out(output.bad(f"hooks not installed: {report.where} belongs to another hook manager"))
    for line in report.messages:
        output.out("  " + line)
    return 1 if report.status == "bypassed" or (report.status == "installed" and report.messages) else 0


def install(repo: str | None = None, global_: bool = False) -> int:
    from aitrack.vcs.sessionhooks import session_hooks_enabled

    if session_hooks_enabled():  # installing is allowed, but rarely what the user needs
        output.out("note: sessions started by aitrack already get the hooks (core.hooksPath for the "
                   "session alone); installed hooks serve sessions started some other way, and cost "
                   "every commit made outside a session a hook process")
    rc = 0
    if global_:
        rc |= _print(vcs_hooks.install_global())
    if repo is not None or not global_:
        rc |= _print(vcs_hooks.install_repo(Path(repo or ".")))
        output.out("  " + _NOTES_HELP)
    return rc


def uninstall(repo: str | None = None, global_: bool = False) -> int:
    rc = 0
    if global_:
        rc |= _print(vcs_hooks.uninstall_global())
    if repo is not None or not global_:
        rc |= _print(vcs_hooks.uninstall_repo(Path(repo or ".")))
    return rc
