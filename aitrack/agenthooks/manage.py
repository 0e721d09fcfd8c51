"""Install, remove and inspect aitrack's hook in each agent's user-wide config (per `specs.SPECS`)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from aitrack.agenthooks import codex_toml, gemini_env, jsonconf, plugin, toml_hooks
from aitrack.agenthooks.specs import SPECS, Spec, hook_argv, hook_command
from aitrack.errors import AitrackError


@dataclass(frozen=True)
class Status:
    agent: str
    state: str  # installed | missing | opt-in | bypassed | stale | unreadable | absent (agent not installed)
    detail: str


def chosen(agent: str | None, only_present: bool, by_default: bool = False) -> list[Spec]:
    """The named agent's spec, else every one (the installed agents' with `only_present`; without
    the opt-in ones with `by_default`: what a plain install registers)."""
    if agent is not None:
        if agent not in SPECS:
            raise AitrackError(f"no hook system aitrack knows for {agent!r}: choose from {', '.join(SPECS)}")
        return [SPECS[agent]]
    return [s for s in SPECS.values() if (s.present() or not only_present) and not (by_default and s.opt_in_reason())]


def _codex_block(spec: Spec) -> str:
    """Our config.toml block for the hooks.json as it is now (trust is per position)."""
    from aitrack.vcs.sessionhooks import session_hooks_env, session_hooks_folder

    session_hooks_env(None)  # the folder the block points git at exists from now on
    _, obj = jsonconf.load(spec.config())
    positions = {}
    for event in spec.events:
        groups = obj["hooks"][event]
        index = next(i for i, g in enumerate(groups) if jsonconf.is_our_group(g))
        positions[event] = (index, groups[index]["hooks"][0])
    return codex_toml.block(spec.config(), positions, session_hooks_folder())


def _plugin_text(spec: Spec, python: str | None = None) -> str:
    return plugin.render(spec.label, spec.name, hook_argv(spec.name, python), spec.plugin_log)


# Said once at a plugin's install: the agent's own doing, so a slow (offline, stalled) next start is no mystery.
PLUGIN_NOTE = " (with a plugin the agent fetches its plugin SDK from npm before it starts; offline it waits until npm gives up)"


def _scripts(spec: Spec, python: str | None = None) -> list[tuple[str, Path, str]]:
    """(state key, file, text) of each hook file of a `scripts` agent, the first one the folder's maker."""
    return [(f"{spec.name}-{event}", spec.config() / event, plugin.script(spec.label, event, hook_argv(spec.name, python)
                                                                            + [event])) for event in spec.events]


def _install_scripts(spec: Spec, python: str | None) -> jsonconf.Outcome:
    done: list[jsonconf.Outcome] = []
    try:
        for key, path, text in _scripts(spec, python):
            done.append(plugin.install(key, path, text))
    except jsonconf.Unusable:
        _uninstall_scripts(spec, len(done))  # no half installs
        raise
    status = "already" if all(o.status == "already" for o in done) else (
        "installed" if all(o.status == "installed" for o in done) else "updated")
    return jsonconf.Outcome(status, f"{spec.config()}: {', '.join(spec.events)}")


def _uninstall_scripts(spec: Spec, count: int | None = None) -> jsonconf.Outcome:
    files = _scripts(spec)[:count]
    outcomes = [plugin.uninstall(key, path) for key, path, _ in reversed(files)]  # the folder's maker last
    gone = any(o.status == "removed" for o in outcomes)
    return jsonconf.Outcome("removed" if gone else "absent", f"{spec.config()}: {', '.join(spec.events)}")


def install(spec: Spec, python: str | None = None) -> jsonconf.Outcome:
    try:
        if spec.is_plugin:
            return plugin.install(spec.name, spec.config(), _plugin_text(spec, python), PLUGIN_NOTE)
        if spec.scripts:
            return _install_scripts(spec, python)
        command = hook_command(spec.name, python)
        res = toml_hooks.install(spec, command) if spec.toml_hooks else jsonconf.install(spec, command)
        if spec.toml is not None:
            try:
                changed = codex_toml.install(spec.toml(), _codex_block(spec))
            except jsonconf.Unusable:
                jsonconf.uninstall(spec)  # no half installs: without trust Codex would not run it
                raise
            status = "updated" if changed and res.status == "already" else res.status
            res = jsonconf.Outcome(status, f"{res.detail} (+ trust and shell environment in {spec.toml()})")
        if spec.dotenv is not None:
            try:
                changed = gemini_env.install(spec.dotenv(), _gemini_block(), _env_key(spec))
            except jsonconf.Unusable:
                _remove_hooks(spec)  # no half installs
                raise
            status = "updated" if changed and res.status == "already" else res.status
            res = jsonconf.Outcome(status, f"{res.detail} (+ GIT_CONFIG_PARAMETERS in {spec.dotenv()})")
        return res
    except jsonconf.Unusable as exc:
        return jsonconf.Outcome("left-alone", str(exc))


def _remove_hooks(spec: Spec) -> jsonconf.Outcome:
    return toml_hooks.uninstall(spec) if spec.toml_hooks else jsonconf.uninstall(spec)


def _env_key(spec: Spec) -> str:
    return f"{spec.name}-env"  # "gemini-env", as before Qwen Code got its block too


def _gemini_block() -> str:
    from aitrack.vcs.sessionhooks import session_hooks_env, session_hooks_folder

    session_hooks_env(None)
    return gemini_env.block(session_hooks_folder())


def uninstall(spec: Spec) -> jsonconf.Outcome:
    try:
        if spec.is_plugin:
            return plugin.uninstall(spec.name, spec.config())
        if spec.scripts:
            return _uninstall_scripts(spec)
        if spec.toml is not None:
            codex_toml.uninstall(spec.toml())
        if spec.dotenv is not None:
            gemini_env.uninstall(spec.dotenv(), _env_key(spec))
        return _remove_hooks(spec)
    except jsonconf.Unusable as exc:
        return jsonconf.Outcome("left-alone", str(exc))


def _switched_off(obj: dict[str, object], spec: Spec) -> str | None:
    for keys, value in spec.off_switches:
        node: object = obj
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        if node == value:
            return f"{'.'.join(keys)} = {value!r} in {spec.config()}"
    return None


def _plugin_status(spec: Spec) -> Status:
    path = spec.config()
    problem = plugin.check(path, _plugin_text(spec))
    if problem and problem[0] == "missing" and not spec.present():
        return Status(spec.name, "absent", f"{spec.label} not found")
    if problem:
        return Status(spec.name, problem[0], problem[1])
    off = [v for v in spec.off_env if os.environ.get(v, "").strip() not in ("", "0", "false")]
    if off:
        return Status(spec.name, "bypassed", f"plugins are off: {off[0]} is set in this environment")
    return Status(spec.name, "installed", str(path))


def status(spec: Spec) -> Status:
    st = _status(spec)
    reason = spec.opt_in_reason() if st.state == "missing" else ""
    if reason:  # not a fault: a plain install leaves it out on purpose
        return Status(spec.name, "opt-in", f"not installed unless asked: {reason}")
    return st


def _scripts_status(spec: Spec) -> Status:
    problems = [p for p in (plugin.check(path, text) for _, path, text in _scripts(spec)) if p]
    if problems and all(p[0] == "missing" for p in problems) and not spec.present():
        return Status(spec.name, "absent", f"{spec.label} not found")
    if problems:
        return Status(spec.name, *problems[0])
    return Status(spec.name, "installed", f"{spec.config()}: {', '.join(spec.events)}")


def _status(spec: Spec) -> Status:
    if spec.is_plugin:
        return _plugin_status(spec)
    if spec.scripts:
        return _scripts_status(spec)
    if spec.toml_hooks:
        if not spec.present() and not spec.config().exists():
            return Status(spec.name, "absent", f"{spec.label} not found")
        state = toml_hooks.state(spec, hook_command(spec.name))
        return Status(spec.name, *(_dotenv_state(spec) if state[0] == "installed" and spec.dotenv else state))
    path = spec.config()
    try:
        raw, obj = jsonconf.load(path)
    except jsonconf.Unusable as exc:
        return Status(spec.name, "unreadable", str(exc))
    if not spec.present() and raw is None:
        return Status(spec.name, "absent", f"{spec.label} not found")
    ours = jsonconf.has_ours(obj, spec)
    if not all(ours.values()):
        missing = ", ".join(e for e, there in ours.items() if not there)
        return Status(spec.name, "missing", f"{missing} not registered in {path}")
    off = _switched_off(obj, spec)
    if off:
        return Status(spec.name, "bypassed", f"hooks are off: {off}")
    if not all(jsonconf.has_ours(obj, spec, hook_command(spec.name)).values()):
        return Status(spec.name, "stale", f"{path} runs another aitrack's hook (not this installation's)")
    if spec.toml is not None:
        try:
            text = spec.toml().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        problem = codex_toml.check(text, _codex_block(spec))
        if problem:
            return Status(spec.name, problem[0], f"{problem[1]} ({spec.toml()})")
    if spec.dotenv is not None:
        return Status(spec.name, *_dotenv_state(spec))
    return Status(spec.name, "installed", str(path))


def _dotenv_state(spec: Spec) -> tuple[str, str]:
    dotenv = spec.dotenv() if spec.dotenv else None
    if dotenv is not None and not gemini_env.has_block(dotenv, _gemini_block()):
        return "missing", f"GIT_CONFIG_PARAMETERS not in {dotenv}: commits get no trailer"
    return "installed", str(spec.config())
