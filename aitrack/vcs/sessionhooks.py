"""The session hooks: a session's processes get aitrack's git hooks through core.hooksPath, set in
their environment alone (GIT_CONFIG_PARAMETERS); outside sessions git finds no hook of ours at all.

Standard library only, and usually no subprocess at all: the wrapper calls this in every session.
`session_hooks_env` costs a few stats once the folder exists; `ensure_hooks` (session hooks off:
hooks installed into the repository instead) only looks at files when our hooks are already there,
which is the common case. Layering: hooknames ← gitdir ← hooks (the installer) ← this module.
"""
from __future__ import annotations

import os

from aitrack.agents import facts
from aitrack.vcs.gitdir import config_hooks_present, find_git_dirs
from aitrack.vcs.hooknames import (AGENT_SESSIONS_TEMPLATE, FORWARD, FORWARDED_HOOKS, HOOK_NAMES, RESOURCES,
                                   hook_is_ours, read_text, session_hooks_folder_in, session_hooks_param,
                                   without_param, write_hook)

_FALSEY = ("0", "false", "no", "off")


def _switch(env_name: str, key: str) -> bool:
    """An on-by-default setting: `env_name`=0 or `key = false` in the config turn it off."""
    env = os.environ.get(env_name)
    if env is not None:
        return env.strip().lower() not in _FALSEY
    try:
        from aitrack.sessiondir import config_file

        if not os.path.exists(config_file()):
            return True
        from aitrack import config

        value = config.get(key, True)
    except Exception:  # a broken config file must not stop a session; be conservative
        return False
    return value is not False and str(value).lower() not in _FALSEY


def auto_install_enabled() -> bool:
    """AITRACK_HOOKS_AUTO=0 or `[hooks] auto_install = false` in the config turn auto-install off."""
    return _switch("AITRACK_HOOKS_AUTO", "hooks.auto_install")


def session_hooks_enabled() -> bool:
    """AITRACK_SESSION_HOOKS=0 or `[hooks] session = false`: install hooks into repositories instead."""
    return _switch("AITRACK_SESSION_HOOKS", "hooks.session")


def _resources_stamp() -> str:
    """Changes when the hook scripts or the forwarded names do (an upgrade): a few stats."""
    parts = []
    for path in (*(os.path.join(RESOURCES, n) for n in (*HOOK_NAMES, FORWARD)), AGENT_SESSIONS_TEMPLATE, facts.__file__):
        st = os.stat(path)
        parts.append(f"{os.path.basename(path)}:{st.st_size}:{st.st_mtime_ns}")
    return " ".join(parts) + "\n" + " ".join(FORWARDED_HOOKS) + "\n"


def folder_state(folder: str) -> str:
    """Every file in the folder with its size and mtime (~0.1 ms): a hook manager run inside a
    session, where `git rev-parse --git-path hooks` answers our folder, may write there."""
    try:
        entries = sorted((e.name, e.stat(follow_symlinks=False)) for e in os.scandir(folder))
    except OSError:
        return "missing\n"
    return "".join(f"{name}:{st.st_size}:{st.st_mtime_ns}\n" for name, st in entries)


def write_session_hooks(folder: str, stamp_file: str, stamp: str) -> None:
    """The folder a session's core.hooksPath points at: a forwarder under every hook name, and
    our hooks, which run the forwarder as `<name>.legacy` first. The stamp beside it records the
    scripts' version and every file in the folder: whatever else writes there is undone."""
    os.makedirs(folder, exist_ok=True)
    wanted = {name: name if name in HOOK_NAMES else FORWARD for name in FORWARDED_HOOKS}
    wanted.update({name + ".legacy": FORWARD for name in HOOK_NAMES})
    for entry in os.scandir(folder):
        if entry.name not in wanted and ".aitrack-tmp-" not in entry.name:  # another writer's leftovers
            try:
                os.unlink(entry.path)
            except OSError:  # a folder, or gone already: it does not stop the session
                pass
    for name, source in wanted.items():
        write_hook(os.path.join(folder, name), source)
    from aitrack.sessiondir import write_bytes_atomic

    write_bytes_atomic(stamp_file, (stamp + folder_state(folder)).encode("utf-8"), 0o644)


def session_hooks_env(params: str | None) -> dict[str, str]:
    """The environment that gives a session's processes our hooks, given its GIT_CONFIG_PARAMETERS:
    core.hooksPath, for the session's process tree only, names a folder of forwarders."""
    folder = session_hooks_folder()
    stamp = _resources_stamp()
    if read_text(folder + ".stamp") != stamp + folder_state(folder):
        write_session_hooks(folder, folder + ".stamp", stamp)
    param = session_hooks_param(folder)
    if params and param in params:
        return {}  # already there (a session inside a session)
    return {"GIT_CONFIG_PARAMETERS": f"{params} {param}" if params else param}


def without_session_hooks(params: str) -> str:
    """GIT_CONFIG_PARAMETERS without our entry: aitrack's own git commands want the real hooks dir."""
    return without_param(params, session_hooks_param(session_hooks_folder()))


def session_hooks_folder() -> str:
    """The folder a session's core.hooksPath names."""
    from aitrack.sessiondir import data_dir

    return session_hooks_folder_in(data_dir())


def ensure_hooks(root: str | os.PathLike[str]) -> None:
    """Install aitrack's hooks into the repository at `root` if they are missing. Quiet; never raises."""
    try:
        if not auto_install_enabled():
            return
        dirs = find_git_dirs(os.fspath(root))
        if dirs is None:
            return
        hooks_dir = os.path.join(dirs[2], "hooks")
        if all(hook_is_ours(os.path.join(hooks_dir, name)) for name in HOOK_NAMES):
            return  # the common case: nothing to fork
        if config_hooks_present(dirs[2]):
            return  # git >= 2.54 config-based hooks, set for this repository or globally
        from pathlib import Path

        from aitrack.vcs.hooks import install_repo

        install_repo(Path(os.fspath(root)))
    except Exception:  # the wrapper must start the tool whatever happens here
        return
