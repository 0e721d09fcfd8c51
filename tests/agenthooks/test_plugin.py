"""OpenCode and Kilo: aitrack's JS plugin file, installed and removed; then run by a real node the
way OpenCode runs it (its `event` hook fed session.created and session.idle, its `shell.env` hook
asked for a bash command's environment), with the real hook command and a real `git commit`."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from aitrack.agenthooks import manage
from aitrack.agenthooks.specs import SPECS

NODE = shutil.which("node")
# What OpenCode does with a plugin, reduced to the calls this one answers.
DRIVER = """
const mod = await import(process.argv[2]);
const cwd = process.argv[3];
const hooks = await mod.AitrackAgentHook({ directory: cwd });
const created = (id, parentID) => ({ type: "session.created", properties: { sessionID: id, info: { id, directory: cwd, parentID } } });
await hooks.event({ event: { type: "plugin.added", properties: { id: "x" } } });
await hooks.event({ event: created("ses_1") });
await hooks.event({ event: created("ses_2", "ses_1") });
const ask = async (sessionID) => { const out = { env: {} }; await hooks["shell.env"]({ cwd, sessionID, callID: "c" }, out); return out.env; };
const env = await ask("ses_1"), sub = await ask("ses_2"), other = await ask("ses_9");
await hooks.event({ event: { type: "session.idle", properties: { sessionID: "ses_1" } } });
await new Promise((r) => setTimeout(r, 1500));  // the Stop hook runs detached from the event
process.stdout.write(JSON.stringify({ env, sub, other }));
"""


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENCODE_PURE", "KILO_PURE", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AITRACK_INGEST", "0")


@pytest.mark.parametrize("name", ["opencode", "kilo"])
def test_install_uninstall_leave_the_agents_folder_as_it_was(isolated_home: Path, name: str) -> None:
    spec = SPECS[name]
    home = isolated_home / ".config" / name
    home.mkdir(parents=True)
    (home / f"{name}.json").write_text('{"autoupdate": false}')
    before = sorted((p.relative_to(home), p.read_bytes() if p.is_file() else None) for p in home.rglob("*"))
    assert manage.status(spec).state == "opt-in"
    res = manage.install(spec)
    assert res.status == "installed" and spec.config() == home / "plugins" / "aitrack.js"
    text = spec.config().read_text()
    assert text.startswith("// aitrack-agent-hook:") and f'"--aitrack-agent-hook", "{name}"' in text
    assert manage.install(spec).status == "already"
    assert manage.status(spec).state == "installed"
    spec.config().write_text(text.replace('"-I"', '"-E"'))  # another installation's plugin
    assert manage.status(spec).state == "stale"
    assert manage.install(spec).status == "updated"
    assert manage.uninstall(spec).status == "removed"
    after = sorted((p.relative_to(home), p.read_bytes() if p.is_file() else None) for p in home.rglob("*"))
    assert after == before  # plugins/ made by install is gone too
    assert manage.uninstall(spec).status == "absent"


def test_a_plain_install_leaves_the_plugin_agents_out(isolated_home: Path) -> None:
    """OpenCode and Kilo wait for npm before they start once a plugin is in their folder (offline: over
    a minute): `aitrack agents install` (and ./install.sh) registers the others; `--agent` opts in."""
    import sys

    from aitrack.commands import agents

    for folder in (".config/opencode", ".config/kilo", ".claude"):
        (isolated_home / folder).mkdir(parents=True)
    assert agents.install() == 0
    assert not (isolated_home / ".config/opencode/plugins/aitrack.js").exists()
    assert not (isolated_home / ".config/kilo/plugins/aitrack.js").exists()
    assert manage.status(SPECS["claude"]).state == "installed"
    status = subprocess.run([sys.executable, "-m", "aitrack", "agents", "status"], capture_output=True, text=True,
                            timeout=120)
    assert status.returncode == 0 and "opencode: opt-in (not installed unless asked: a plugin makes opencode fetch" \
        in status.stdout, status.stdout
    assert agents.install("opencode") == 0 and manage.status(SPECS["opencode"]).state == "installed"
    from aitrack.shell.install import _agent_hooks

    _agent_hooks("uninstall", ["claude"])  # `aitrack uninstall`: the manifest names what install.sh registered
    assert not (isolated_home / ".config/opencode/plugins").exists()  # the opted-in plugin goes too
    assert manage.status(SPECS["claude"]).state == "missing"


def _started_online(folder: Path, sdk: str, **extra: str) -> None:
    """A config folder as one OpenCode start online leaves it: the SDK installed, in the lock file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "node_modules" / sdk).mkdir(parents=True)
    deps = {sdk: "1.18.33", **extra}
    (folder / "package.json").write_text(json.dumps({"dependencies": deps}))
    (folder / "package-lock.json").write_text(json.dumps({"lockfileVersion": 3, "packages": {"": {"dependencies": deps}}}))


@pytest.mark.parametrize(("name", "sdk"), [("opencode", "@opencode-ai/plugin"), ("kilo", "@kilocode/plugin")])
def test_the_plugin_is_installed_by_default_where_the_agent_has_its_sdk(isolated_home: Path, name: str,
                                                                         sdk: str) -> None:
    """Where OpenCode's own check finds nothing to fetch (its SDK in node_modules and the lock file),
    a plugin costs its start nothing: a plain install registers it."""
    from aitrack.commands import agents

    folder = isolated_home / ".config" / name
    _started_online(folder, sdk)
    assert manage.status(SPECS[name]).state == "missing"  # a fault now: it would be installed
    assert agents.install() == 0 and manage.status(SPECS[name]).state == "installed"
    assert manage.uninstall(SPECS[name]).status == "removed"
    assert (folder / "node_modules" / sdk).is_dir()  # OpenCode's, not ours: left


@pytest.mark.parametrize("broken", ["no node_modules", "lock without the sdk", "a dependency not locked",
                                    "~/.opencode without it", "unreadable lock"])
def test_anything_opencode_would_fetch_keeps_it_opt_in(isolated_home: Path, broken: str) -> None:
    folder = isolated_home / ".config" / "opencode"
    _started_online(folder, "@opencode-ai/plugin", **({"left-pad": "1.3.0"} if broken == "a dependency not locked" else {}))
    _started_online(isolated_home / ".config" / "kilo", "@kilocode/plugin")
    if broken == "no node_modules":
        shutil.rmtree(folder / "node_modules")
    elif broken == "lock without the sdk":
        (folder / "package-lock.json").write_text('{"packages": {"": {}}}')
    elif broken == "a dependency not locked":
        (folder / "package-lock.json").write_text('{"packages": {"": {"dependencies": {"@opencode-ai/plugin": "1"}}}}')
    elif broken == "~/.opencode without it":
        (isolated_home / ".opencode").mkdir()
    else:
        (folder / "package-lock.json").write_text("{not json")
    st = manage.status(SPECS["opencode"])
    assert st.state == "opt-in" and "fetch its plugin SDK (@opencode-ai/plugin)" in st.detail, st
    assert manage.chosen(None, only_present=False, by_default=True) == [
        s for s in manage.chosen(None, only_present=False) if s.name != "opencode"]  # Kilo's folder is ready


@pytest.mark.parametrize("home_dir", [".kilocode", ".kilo"])
def test_kilos_home_folders_count_too(isolated_home: Path, home_dir: str) -> None:
    _started_online(isolated_home / ".config" / "kilo", "@kilocode/plugin")
    assert manage.status(SPECS["kilo"]).state == "missing"
    (isolated_home / home_dir).mkdir()  # a config folder of Kilo's without the SDK: it would fetch there
    st = manage.status(SPECS["kilo"])
    assert st.state == "opt-in" and str(isolated_home / home_dir) in st.detail, st


def test_a_users_plugin_of_that_name_is_left_alone(isolated_home: Path) -> None:
    spec = SPECS["opencode"]
    spec.config().parent.mkdir(parents=True)
    spec.config().write_text("export const Mine = async () => ({});\n")
    assert manage.install(spec).status == "left-alone"
    assert manage.uninstall(spec).status == "absent"
    assert spec.config().read_text() == "export const Mine = async () => ({});\n"


def test_pure_mode_reads_as_bypassed(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = SPECS["opencode"]
    manage.install(spec)
    monkeypatch.setenv("OPENCODE_PURE", "1")  # `opencode --pure`: no external plugins
    assert manage.status(spec).state == "bypassed"


@pytest.mark.skipif(NODE is None, reason="node not installed")
def test_the_plugin_under_node_records_the_session_and_its_commits_get_the_trailer(
        isolated_home: Path, tmp_path: Path) -> None:
    spec = SPECS["opencode"]
    manage.install(spec)
    module = tmp_path / "aitrack.mjs"  # node 20 reads a .js file as CommonJS; OpenCode (Bun) as a module
    shutil.copy(spec.config(), module)
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    driver = tmp_path / "driver.mjs"
    driver.write_text(DRIVER)
    res = subprocess.run([NODE or "node", str(driver), str(module), str(repo)], capture_output=True, text=True,
                         timeout=60, check=True)
    got = json.loads(res.stdout)
    [folder] = (isolated_home / ".local/share/aitrack/sessions").iterdir()
    assert got["env"]["AITRACK_SESSION_ID"] == folder.name and got["sub"] == got["env"] and got["other"] == {}
    meta = json.loads((folder / "meta.json").read_text())
    assert (meta["hook_agent"], meta["agent_session_id"], meta["cwd"]) == ("opencode", "ses_1", str(repo))
    assert meta["transcript_path"] == str(isolated_home / ".local/share/opencode/opencode.db")
    assert meta["turn_ended_at"]  # session.idle → Stop
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "Agent"], cwd=repo, check=True,
                   env={**os.environ, **got["env"]})
    message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo, capture_output=True, text=True).stdout
    assert f"Aitrack-Session: {folder.name}" in message
    deadline = time.monotonic() + 30  # node has exited: the watcher ends the session
    while json.loads((folder / "meta.json").read_text()).get("ended_at") is None and time.monotonic() < deadline:
        time.sleep(0.1)
    meta = json.loads((folder / "meta.json").read_text())
    assert (meta["exit_code"], meta["end_reason"]) == (0, "agent exited")


def test_doctor_shows_opencode_kilo_and_copilot(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Per agent: missing before install, installed after, bypassed by `--pure` / disableAllHooks."""
    import sys

    def doctor() -> str:
        return subprocess.run([sys.executable, "-m", "aitrack", "doctor"], capture_output=True, text=True,
                              timeout=120).stdout

    for folder in (".config/opencode", ".config/kilo", ".copilot"):
        (isolated_home / folder).mkdir(parents=True)
    labels = [SPECS[n].label for n in ("opencode", "kilo", "copilot")]
    out = doctor()
    for label in labels:
        assert f"{label} hook: missing" in out, out
    for name in ("opencode", "kilo", "copilot"):
        manage.install(SPECS[name])
    out = doctor()
    for label in labels:
        assert f"✔ {label} hook: installed" in out, out
    monkeypatch.setenv("OPENCODE_PURE", "1")
    settings = isolated_home / ".copilot" / "settings.json"
    settings.write_text(json.dumps({**json.loads(settings.read_text()), "disableAllHooks": True}))
    out = doctor()
    assert f"✘ {labels[0]} hook: installed but bypassed (plugins are off: OPENCODE_PURE" in out, out
    assert f"✘ {labels[2]} hook: installed but bypassed (hooks are off: disableAllHooks = True" in out, out
    assert f"✔ {labels[1]} hook: installed" in out, out
