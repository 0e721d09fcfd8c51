"""`aitrack doctor`: is everything that links sessions to commits actually live? One ✔/✘ line each.

Checks: the shell integration (rc block present, and the wrapper function defined in a fresh
interactive shell), git hooks (the session-hooks folder; or, with those off, hooks installed in this
repository, the repositories of recent sessions and new clones), aitrack's hook in each agent's own hook
system (installed / missing / bypassed),
the tracking store (reachable, without importing mlflow; for a team server the credentials and the
experiment permission; whether remotes fetch refs/notes/aitrack), sessions waiting to be logged, and the
agent CLIs on PATH with their versions. Exit 1 when something needs fixing.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse

from aitrack import config, output
from aitrack.agents import facts, registry
from aitrack.errors import AitrackError
from aitrack.paths import sessions_dir
from aitrack.sessiondir import META

class Check(NamedTuple):
    ok: bool | None  # None: information only, never a failure
    text: str
    fix: str = ""


def _run(argv: list[str], timeout: float = 10.0, env: dict[str, str] | None = None) -> str | None:
    try:
        res = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                             env=env)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout if res.returncode == 0 else None


def shell_checks(tool: str) -> list[Check]:
    from aitrack.shell.rc import has_block, rc_paths

    checks: list[Check] = []
    current = os.path.basename(os.environ.get("SHELL", ""))
    for shell, rc in rc_paths().items():
        present = has_block(rc)
        if not present and shell != current:
            continue
        if not present:
            checks.append(Check(False, f"{shell}: no aitrack block in {rc}",
                                f"run ./install.sh, or add `eval \"$(aitrack init {shell})\"` to {rc}"))
            continue
        exe = shutil.which(shell)
        if exe is None:
            checks.append(Check(None, f"{shell}: block in {rc}, but {shell} is not installed"))
            continue
        # A fresh interactive shell reads the rc file: the function is what the user will get.
        probe = (["-i", "-c", f"functions -q {tool}; and echo function"] if shell == "fish"
                 else ["-ic", f"type {tool} >/dev/null 2>&1 && whence -w {tool} 2>/dev/null || type -t {tool}"])
        out = _run([exe, *probe], timeout=15) or ""
        if "function" in out:
            checks.append(Check(True, f"{shell}: `{tool}` is recorded (function from {rc})"))
        else:
            checks.append(Check(False, f"{shell}: block in {rc}, but `{tool}` is not a function in a new shell",
                                f"open a new terminal; if it persists, check that aitrack is still installed "
                                f"(`aitrack init {shell}` must work) and that nothing later in {rc} redefines {tool}"))
    if not checks:
        checks.append(Check(False, "shell integration: not installed", "run ./install.sh"))
    return checks


def path_check() -> Check:
    """install.sh links `aitrack` into ~/.local/bin, which some systems leave off PATH."""
    from aitrack.shell.install import installed_links, path_fix

    found = shutil.which("aitrack")
    link = next((Path(p) for p in installed_links() if Path(p).name == "aitrack"), None)
    if found and (link is None or Path(found).parent == link.parent):
        return Check(True, f"aitrack: on PATH ({found})")
    if link is None:
        return Check(None, "aitrack: not on PATH (this install did not link it anywhere)")
    return Check(False, f"aitrack: {link.parent} is not on PATH, so `aitrack` is " +
                 (f"{found}, not the installed one" if found else "not found"), path_fix(link.parent))


def _recent_repos(limit: int = 20) -> list[str]:
    try:
        folders = sorted((p for p in sessions_dir().iterdir() if p.is_dir()), reverse=True)[:limit]
    except OSError:
        return []
    repos: list[str] = []
    for folder in folders:
        try:
            root = json.loads((folder / META).read_text()).get("git_root")
        except (OSError, ValueError, AttributeError):
            continue
        if root and root not in repos and Path(root).is_dir():
            repos.append(root)
    return repos


def _repos(repo: str) -> list[str]:
    """This repository and those of recent sessions."""
    from aitrack.vcs import git

    here = git.try_out(["rev-parse", "--show-toplevel"], repo) if Path(repo).is_dir() else None
    return list(dict.fromkeys([r for r in [here, *_recent_repos()] if r]))


def session_hook_checks(repo: str) -> list[Check]:
    """The default: hooks come with each session's environment; repositories need nothing."""
    from aitrack.vcs import git, hooknames, sessionhooks

    folder = sessionhooks.session_hooks_folder()
    try:
        sessionhooks.session_hooks_env(None)  # writes the folder when missing or tampered with
    except OSError as exc:
        return [Check(False, f"git hooks: cannot write {folder}: {exc.strerror or exc}",
                      f"make {Path(folder).parent} writable, or set AITRACK_SESSION_HOOKS=0 and "
                      "run `aitrack hooks install` in each repository")]
    checks = [Check(True, f"git hooks: every agent session gets them from {folder} "
                          "(core.hooksPath for the session alone; they forward to each repository's own)")]
    for root in _repos(repo):
        ours = [n for n in hooknames.HOOK_NAMES if hooknames.hook_is_ours(str(git.git_path(root, "hooks") / n))]
        if ours:
            checks.append(Check(None, f"hooks in {root}: also installed there, which only costs commits "
                                      "made outside sessions", f"aitrack hooks uninstall --repo '{root}'"))
        else:
            own = git.try_out(["config", "core.hooksPath"], root)
            checks.append(Check(True, f"hooks in {root}: from the session" +
                                (f", forwarding to core.hooksPath={own}" if own else "")))
    return checks


def hook_checks(repo: str) -> list[Check]:
    """With session hooks turned off: hooks installed per repository and for new clones."""
    from aitrack.vcs import git
    from aitrack.vcs import hooks as vh

    checks: list[Check] = []
    for root in _repos(repo):
        try:
            state, detail = vh.repo_status(Path(root))
        except AitrackError as exc:
            checks.append(Check(False, f"hooks in {root}: {exc}"))
            continue
        if state == "installed":
            checks.append(Check(True, f"hooks in {root}: installed ({detail})"))
        elif state == "bypassed":
            checks.append(Check(False, f"hooks in {root}: installed but bypassed — {detail}",
                                f"aitrack hooks install --repo '{root}'  (prints the lines to add)"))
        else:
            checks.append(Check(False, f"hooks in {root}: {state} ({detail})", f"aitrack hooks install --repo '{root}'"))
    if vh.config_hooks_supported():
        glob = git.try_out(["config", "--global", "--get", "hook.aitrack-commit-msg.command"])
        checks.append(Check(bool(glob), "new repositories: config-based hooks " + ("set" if glob else "not set"),
                            "" if glob else "aitrack hooks install --global"))
        return checks
    tdir = git.try_out(["config", "--global", "--path", "init.templateDir"])
    from aitrack.vcs.hooknames import hook_is_ours

    ok = bool(tdir) and hook_is_ours(str(Path(os.path.expanduser(tdir or "")) / "hooks" / "commit-msg"))
    checks.append(Check(ok, f"new clones: {'get the hooks from ' + str(tdir) if ok else 'do not get the hooks'}",
                        "" if ok else "aitrack hooks install --global  (sets init.templateDir; never a global core.hooksPath)"))
    return checks


def agent_hook_checks() -> list[Check]:
    """aitrack's hook in each installed agent's own hook system (sessions started without the wrapper)."""
    from aitrack.agenthooks import manage

    checks: list[Check] = []
    for spec in manage.chosen(None, only_present=False):
        st = manage.status(spec)
        if st.state == "absent":
            continue
        fix = f"aitrack agents install --agent {spec.name}"
        if st.state == "installed":
            checks.append(Check(True, f"{spec.label} hook: installed ({st.detail}): sessions started without "
                                      "the shell function are recorded too"))
        elif st.state in ("missing", "opt-in"):  # a choice (install.sh --no-agent-hooks, an opt-in), not a fault
            checks.append(Check(None, f"{spec.label} hook: missing ({st.detail}): sessions started from an IDE, "
                                      "a script or `command " + spec.name + "` are not recorded", fix))
        elif st.state == "bypassed":
            checks.append(Check(False, f"{spec.label} hook: installed but bypassed ({st.detail})",
                                "turn the agent's hooks back on"))
        else:
            checks.append(Check(False, f"{spec.label} hook: {st.state} ({st.detail})", fix))
    return checks


def _tcp(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def store_check() -> Check:
    from aitrack.store.uri import resolve

    try:
        loc = resolve()
    except AitrackError as exc:
        return Check(False, f"store: {exc}", "fix MLFLOW_TRACKING_URI or `tracking_uri` in the config")
    from aitrack.store.auth import public_uri

    uri = public_uri(loc.tracking_uri)  # a postgresql://user:password@… URI is printed without the password
    if uri.startswith("sqlite:"):
        db = Path(uri.split(":///", 1)[-1])
        parent = next((p for p in [db.parent, *db.parent.parents] if p.exists()), None)
        if parent and os.access(parent, os.W_OK):
            state = "exists" if db.exists() else "created on first use"
            return Check(True, f"store: {uri} ({state})")
        return Check(False, f"store: {uri} is not writable", f"check the permissions of {db.parent}")
    parsed = urlparse(uri)
    if parsed.scheme in ("http", "https"):
        from aitrack.store.server import healthy

        if healthy(uri.rstrip("/"), timeout=3):
            return Check(True, f"store: {uri} answers")
        return Check(False, f"store: {uri} does not answer", "start the tracking server or fix MLFLOW_TRACKING_URI; "
                     "sessions wait in the spool meanwhile")
    if parsed.hostname and parsed.port:
        ok = _tcp(parsed.hostname, parsed.port)
        return Check(ok, f"store: {parsed.scheme} at {parsed.hostname}:{parsed.port} " + ("accepts connections" if ok else "refuses connections"),
                     "" if ok else "check the database server")
    return Check(None, f"store: {uri} (not checked)")


def team_checks(store: Check, repo: str) -> list[Check]:
    """A tracking server that answers: credentials and experiment permission. Any repository with
    a remote: does it fetch refs/notes/aitrack (teammates' links to their sessions)?"""
    checks: list[Check] = []
    try:
        from aitrack.store.team import server_findings
        from aitrack.store.uri import resolve

        uri = resolve().tracking_uri
        if store.ok and uri.startswith(("http://", "https://")):
            checks += [Check(*f) for f in server_findings(uri, config.experiment_name())]
    except AitrackError:
        pass  # store_check already said what is wrong with the store
    if not Path(repo).is_dir():
        return checks
    from aitrack.vcs.notes_remote import notes_sharing

    for r in notes_sharing(repo):
        what = {"beside ours": "brings teammates' notes beside yours",
                "over ours": "replaces your unpushed notes with the remote's"}.get(r.state, "skips refs/notes/aitrack")
        checks.append(Check(r.state == "beside ours", f"notes: `git fetch {r.remote}` {what}", r.fix))
    return checks


def pending_check() -> Check:
    from aitrack.ingest import spool

    waiting = spool.pending()
    if not waiting:
        return Check(True, "pending sessions: none")
    states = [spool.read_state(f) for f in waiting]
    failed = [s for s in states if s.get("last_error")]
    if not failed:  # just ended: the detached worker is on it
        return Check(None, f"pending sessions: {len(waiting)} being logged")
    return Check(False, f"pending sessions: {len(waiting)} not logged, {len(failed)} failed; "
                 f"last error: {str(failed[-1]['last_error']).splitlines()[0][:200]}", "aitrack sync")


def agent_checks() -> list[Check]:
    checks: list[Check] = []
    for tool in config.tools():
        path = shutil.which(tool)
        if path is None:
            module = registry.by_name(tool)
            checks.append(Check(None, f"{tool}: not found on PATH", module.INSTALL_HINT if module else ""))
            continue
        # AITRACK_DISABLE: a PATH shim must not record `--version` as a session.
        out = _run([path, "--version"], env={**os.environ, "AITRACK_DISABLE": "1"})
        version = (out or "").strip().splitlines()[0] if (out or "").strip() else "version unknown"
        checks.append(Check(True, f"{tool}: {version} ({path})"))
        note = agent_note(tool)
        if note:
            checks.append(Check(None, note))
    if checks and not any(c.ok for c in checks):
        checks.append(Check(False, "no agent CLI found", "install one of: " + ", ".join(config.tools())))
    return checks


def agent_note(tool: str) -> str:
    """What the agent's module says about its commits: its own check (`doctor()`), else why they
    carry no trailer (`NO_TRAILER`), else nothing."""
    module = registry.by_name(tool)
    if module is None:
        return ""
    own = registry.get(module, "doctor")
    if own is not None:
        text: str = own()
        return text
    if module.NO_TRAILER:
        return (f"{tool}: its commits carry no Aitrack-Session trailer ({module.NO_TRAILER}); "
                "they are linked through the session's journal and the git note")
    return ""


def doctor(repo: str = ".") -> int:
    tools = config.tools()
    store = store_check()
    from aitrack.vcs.sessionhooks import session_hooks_enabled

    hooks = session_hook_checks(repo) if session_hooks_enabled() else hook_checks(repo)
    checks = [path_check(), *shell_checks(tools[0] if tools else facts.SHELL_TOOLS[0]), *hooks, *agent_hook_checks(), store,
              *team_checks(store, repo), pending_check(), *agent_checks()]
    failed = False
    for check in checks:
        if check.ok is True:
            line = output.ok(check.text)
        elif check.ok is None:
            line = "- " + check.text
        else:  # False, or any other non-answer: printed with ✘, so the exit status says 1
            line, failed = output.bad(check.text), True
        output.out(line)
        if check.fix and check.ok is not True:
            output.out(f"    fix: {check.fix}")
    return 1 if failed else 0
