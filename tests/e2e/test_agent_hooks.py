"""Issue 14: sessions started without the shell function, recorded through the agent's own hooks.

`./install.sh` registers aitrack's hook in the agent's user-wide config. Then the real agent, against
the scripted model, started the ways the wrapper never sees: a script under `env -i` (no rc files, no
terminal, print mode as CI runs it) and `command claude` typed in an interactive bash (the TUI). Each
time: one session folder (`captured_by: hook`), the commit's trailer names it, the run is logged,
`aitrack show HEAD` is exact. Typed through the shell function with the hook installed: still one
session. `aitrack uninstall` gives the agent's config back byte for byte.
"""
from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from agents import FINAL, PREFIX
from checks import check_show, find_runs, trailer_of, wait_file, wait_finished
from harness import Scenario, install_aitrack

# The agent configs `aitrack agents install` edits (Codex: its hooks, their trust and the shell environment).
HOOKED = {"claude": (".claude/settings.json",), "codex": (".codex/config.toml", ".codex/hooks.json"),
          "gemini": (".gemini/settings.json", ".gemini/.env"), "qwen": (".qwen/settings.json", ".qwen/.env"),
          # OpenCode and Kilo: aitrack's plugin file (uninstall removes it and the folder made for it).
          "opencode": (".config/opencode/plugins/aitrack.js",), "kilo": (".config/kilo/plugins/aitrack.js",),
          "copilot": (".copilot/settings.json",), "kimi": (".kimi/config.toml",),
          "openhands": (".openhands/hooks.json",), "droid": (".factory/settings.json",),
          "vibe": (".vibe/hooks.toml", ".vibe/.env"),
          # Cline CLI: one hook file per event (uninstall removes them and the folder made for them).
          "cline": (".cline/hooks/TaskStart", ".cline/hooks/TaskResume", ".cline/hooks/TaskComplete")}
# Copilot CLI, Kimi CLI, OpenHands and Cline give their shell commands their own environment and nothing a
# user-level setting can add to it: no trailer; the commit is linked by the session's reflog scan
# (and the note).
NO_TRAILER = ("copilot", "kimi", "openhands", "cline")
# Kimi's and OpenHands' hook events name no log (Kimi's folder is the md5 of the cwd): the ingest
# locates it. Kimi also retitles its process (setproctitle): /proc shows the hook its name only.
NO_LOG_PATH = ("kimi", "openhands")
RETITLED = ("kimi",)
PRINT_ONLY = ("droid",)  # its TUI asks for a Factory login: `command droid exec …` is typed instead
# OpenCode and Kilo fetch their plugin SDK (@opencode-ai/plugin, from npm) into their config folder
# until it is there, and once they have a plugin they wait for it before they start: offline, as
# here, until npm gives up (README). A user's folder after one start online has it: the tests seed
# the tmp config folder with the copy install-clis.sh fetched, and a plain install adds the plugin.
FETCHES_SDK = ("opencode", "kilo")
SDK_COPY = PREFIX / "plugin-sdk"


def seed_sdk(sc: Scenario, name: str) -> None:
    """The agent's config folder as one start online leaves it (node_modules linked: 64 MB)."""
    folder = sc.world.home / ".config" / name
    folder.mkdir(parents=True, exist_ok=True)
    for f in ("package.json", "package-lock.json"):
        shutil.copyfile(SDK_COPY / name / f, folder / f)
    (folder / "node_modules").symlink_to(SDK_COPY / name / "node_modules")


def waits_for_npm(name: str) -> bool:
    return name in FETCHES_SDK and not (SDK_COPY / name).is_dir()


def install_with_hooks(sc: Scenario, name: str) -> None:
    """./install.sh as a user runs it. OpenCode and Kilo: their folder with the plugin SDK, where the
    plain install registers the plugin; without a copy of it, `aitrack agents install --agent NAME`
    (what `agents status` tells such a user), and the agent waits for npm at every start."""
    if name in FETCHES_SDK and not waits_for_npm(name):
        seed_sdk(sc, name)
    install_aitrack(sc.world)
    plugin = sc.world.home / ".config" / name / "plugins" / "aitrack.js"
    if waits_for_npm(name):
        assert not plugin.exists()  # not by default
        res = sc.aitrack("agents", "install", "--agent", name)
        assert res.returncode == 0, res.stdout + res.stderr
    assert name not in FETCHES_SDK or plugin.exists()


def config_bytes(sc: Scenario) -> dict[str, bytes | None]:
    files = [f for names in HOOKED.values() for f in names]
    return {f: (sc.world.home / f).read_bytes() if (sc.world.home / f).exists() else None for f in files}


def verify_hook_session(sc: Scenario, argv: list[str]) -> str:
    """One session, recorded by the hook; trailer, run, `show HEAD`. Returns its id."""
    agent, world = sc.agent, sc.world
    sessions = world.sessions()
    assert len(sessions) == 1, f"expected one session folder, got {sessions}"
    folder = sessions[0]
    meta = wait_finished(folder)
    assert (meta["mode"], meta["captured_by"], meta["provider"]) == ("hook", "hook", agent.provider), meta
    assert meta["argv"] == (argv[:1] if agent.name in RETITLED else argv) and meta["exit_code"] == 0, meta
    assert meta["agent_session_id"] and (meta["transcript_path"] or agent.name in NO_LOG_PATH), meta
    message = world.git("log", "-1", "--format=%B")
    assert message.splitlines()[0] == "Add hello #42", message
    assert trailer_of(message) == (None if agent.name in NO_TRAILER else folder.name), message
    # Nothing written into the repository: the hooks came with the session's environment.
    assert not any("aitrack" in p.read_text(errors="replace") for p in (world.repo / ".git" / "hooks").iterdir())

    wait_file(folder / "run.json", timeout=120)
    sync = sc.aitrack("sync")
    assert sync.returncode == 0, f"aitrack sync: {sync.stdout}\n{sync.stderr}"
    record = json.loads((folder / "session.json").read_text())
    head = world.git("rev-parse", "HEAD").strip()
    assert [c.get("sha") for c in record.get("commits") or []] == [head], record.get("commits")
    assert (record.get("detection") or {}).get("source") == "structured", record.get("detection")
    show = sc.aitrack("show", "HEAD", "--json")
    assert show.returncode == 0, show.stderr
    check_show(json.loads(show.stdout), folder.name, agent.provider, agent.command, 2)
    uri = f"sqlite:///{world.data_dir / 'mlflow.db'}"
    for search in ('tags.type = "ai_session"', f'tags.provider = "{agent.provider}"', "metrics.success = 1",
                   'params.issue_number = "42"'):
        ids = [r.data.tags.get("aitrack.session_id") for r in find_runs(uri, search)]
        assert ids == [folder.name], f"{search}: {ids}"
    return folder.name


def without_ours(data: object) -> object:
    """A settings object with aitrack's matcher groups (and the containers left empty) taken out."""
    if not isinstance(data, dict) or not isinstance(data.get("hooks"), dict):
        return data
    hooks = {e: [g for g in groups if "--aitrack-agent-hook" not in json.dumps(g)]
             for e, groups in data["hooks"].items()}
    hooks = {e: g for e, g in hooks.items() if g}
    out = {k: v for k, v in data.items() if k != "hooks"}
    return {**out, "hooks": hooks} if hooks else out


def uninstall_restores(sc: Scenario, before: dict[str, bytes | None], installed: dict[str, bytes | None]) -> None:
    """Byte for byte; except a file the agent itself rewrote since (Gemini CLI migrates its
    settings.json on start): then exactly its content without aitrack's entries."""
    pre = config_bytes(sc)
    res = sc.aitrack("uninstall", "--yes")
    assert res.returncode == 0, res.stdout + res.stderr
    after = config_bytes(sc)
    for name, data in after.items():
        if pre[name] == installed[name]:
            assert data == before[name], name
        else:
            assert data is not None and b"aitrack" not in data, (name, data)
            assert json.loads(data) == without_ours(json.loads(pre[name] or b"{}")), name


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", list(HOOKED))
def test_script_under_env_i_print_mode(scenario, name: str) -> None:
    """A CI job: a script run by `env -i` (no rc files, no shell function), no terminal."""
    sc = scenario(name)
    before = config_bytes(sc)
    install_with_hooks(sc, name)
    installed = config_bytes(sc)
    assert all(installed[f] != before[f] for f in HOOKED[name])
    argv = [name, *sc.agent.print_args(sc.agent.prompt)]
    script = sc.world.root / "ci.sh"
    script.write_text("#!/bin/sh\nset -e\n" + shlex.join(argv) + "\n")
    script.chmod(0o755)
    env_i = ["env", "-i", *(f"{k}={v}" for k, v in sc.world.env.items()), str(script)]
    out = subprocess.run([*sc.prefix, *env_i], cwd=sc.world.repo, capture_output=True, text=True, timeout=180,
                         stdin=subprocess.DEVNULL, check=False)
    assert out.returncode == 0 and FINAL in out.stdout, out.stdout + out.stderr
    verify_hook_session(sc, argv)
    uninstall_restores(sc, before, installed)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", list(HOOKED))
def test_command_agent_in_an_interactive_shell(scenario, name: str) -> None:
    """`command claude` skips the shell function: the TUI session is recorded by the hook alone."""
    if waits_for_npm(name):
        pytest.skip(f"{name} waits for npm before its TUI starts without {SDK_COPY / name} (tests/e2e/install-clis.sh)")
    sc = scenario(name)
    install_with_hooks(sc, name)
    sc.start_shell("bash")
    if name in PRINT_ONLY:
        argv = [name, *sc.agent.print_args(sc.agent.prompt)]
        sc.tmux.type(shlex.join(["command", *argv]))
    else:
        argv = [name, *sc.agent.tui_args.split()]
        sc.tmux.type(shlex.join(["command", *argv]))
        sc.agent.drive(sc.tmux, sc.agent.prompt)
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=90)
    verify_hook_session(sc, argv)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", list(HOOKED))
def test_through_the_shell_function_with_the_hook_installed_is_one_session(scenario, name: str) -> None:
    sc = scenario(name)
    install_with_hooks(sc, name)
    sc.start_shell("bash")
    typed = shlex.join([name, *sc.agent.print_args(sc.agent.prompt)])
    sc.tmux.type(typed)
    sc.tmux.wait_for(r"(?m)^e2e\$\s*$", timeout=240 if waits_for_npm(name) else 90)
    sc.tmux.wait_shell("bash", timeout=30)
    sessions = sc.world.sessions()
    assert len(sessions) == 1, sessions
    folder = sessions[0]
    meta = wait_finished(folder)
    assert meta["mode"] in ("pty", "exec") and "captured_by" not in meta, meta  # the wrapper's session
    note = json.loads((folder / "agent-hook.json").read_text())  # the hook fired, and joined it
    assert note["agent"] == name and note["agent_session_id"], note
    assert trailer_of(sc.world.git("log", "-1", "--format=%B")) == folder.name
    wait_file(folder / "run.json", timeout=120)
    assert sc.world.sessions() == [folder]
    uri = f"sqlite:///{sc.world.data_dir / 'mlflow.db'}"
    assert len(find_runs(uri, 'tags.type = "ai_session"')) == 1


def _cline_hubs(sc: Scenario) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if (entry.name.isdigit() and b"--cline-hub-daemon" in (entry / "cmdline").read_bytes()
                    and f"HOME={sc.world.home}\0".encode() in (entry / "environ").read_bytes()):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.timeout(400)
def test_cline_sessions_its_hub_daemon_runs_are_recorded_each_once(scenario) -> None:
    """Cline's default: the first session starts a hub daemon, which runs every later session and
    its hooks (the hook's parent is the daemon, which outlives them all). Each session is still
    recorded once, as the cline process that asked for it (its argv, ended when it exits)."""
    sc = scenario("cline", command='git commit --allow-empty -m "Add hello #42"')
    install_with_hooks(sc, "cline")
    argv = ["cline", *sc.agent.print_args(sc.agent.prompt)]
    env_i = ["env", "-i", *(f"{k}={v}" for k, v in sc.world.env.items()), *argv]
    for turn in range(2):
        if turn:
            deadline = time.time() + 60
            while not _cline_hubs(sc) and time.time() < deadline:
                time.sleep(0.5)
            assert _cline_hubs(sc), "the first session started no hub daemon"
        out = subprocess.run([*sc.prefix, *env_i], cwd=sc.world.repo, capture_output=True, text=True, timeout=180,
                             stdin=subprocess.DEVNULL, check=False)
        assert out.returncode == 0 and FINAL in out.stdout, out.stdout + out.stderr
    folders = sc.world.sessions()
    assert len(folders) == 2, folders
    metas = [wait_finished(f) for f in folders]
    hubs = _cline_hubs(sc)
    assert hubs, "the hub daemon is gone"
    for meta in metas:
        assert (meta["captured_by"], meta["argv"], meta["exit_code"]) == ("hook", argv, 0), meta
        assert meta["pid"] not in hubs, meta
    assert len({m["agent_session_id"] for m in metas}) == 2, metas
    for folder in folders:
        wait_file(folder / "run.json", timeout=120)
    uri = f"sqlite:///{sc.world.data_dir / 'mlflow.db'}"
    assert sorted(r.data.tags.get("aitrack.session_id") for r in find_runs(uri, 'tags.type = "ai_session"')) == \
        sorted(f.name for f in folders)
