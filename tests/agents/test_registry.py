"""The agent modules (aitrack/agents) reach every table that names agents."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aitrack import agents, config
from aitrack.backfill import sources
from aitrack.capture import run
from aitrack.commands import doctor, init
from aitrack.parse import record
from aitrack.shell import install


def test_the_wrappers_mirror_of_tool_providers_matches_the_parser() -> None:
    assert run.TOOL_PROVIDERS == record.TOOL_PROVIDERS


def test_the_wrappers_mirror_of_child_env_matches_the_modules() -> None:
    assert run.TOOL_ENV == {m.NAME: m.CHILD_ENV for m in agents.MODULES if getattr(m, "CHILD_ENV", None)}


def test_each_agent_module_is_in_every_table() -> None:
    for m in agents.MODULES:
        assert record.TOOL_PROVIDERS[m.NAME] == m.PROVIDER and m.PROVIDER in record.PROVIDERS
        assert m.NAME in config.DEFAULT_TOOLS and m.NAME in init.DEFAULT_TOOLS  # shell functions
        assert f"{m.NAME}-with-tracking" in install.COMMANDS
        assert m.NAME in sources.AGENTS and sources.PROVIDER[m.NAME] == m.PROVIDER
        assert doctor.INSTALL_HINTS[m.NAME] == m.INSTALL_HINT


def test_with_tracking_console_scripts_exist() -> None:
    import tomllib
    from pathlib import Path

    scripts = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]["scripts"]
    for m in agents.MODULES:
        target = scripts[f"{m.NAME}-with-tracking"]
        module, func = target.split(":")
        assert callable(getattr(__import__(module, fromlist=[func]), func))


def test_init_stays_light() -> None:
    """`aitrack init SHELL` runs in every new shell: the agent table costs it no mlflow/click."""
    code = ("import sys, aitrack.main as m; m.main(['init', 'bash']); "
            "print(' '.join(x for x in ('click', 'mlflow', 'aitrack.parse') if x in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "opencode" in out and out.strip().splitlines()[-1] != "click"
    assert not {"click", "mlflow", "aitrack.parse"} & set(out.strip().splitlines()[-1].split())


def test_a_real_bash_gets_a_function_per_agent(tmp_path) -> None:
    """What `eval "$(aitrack init bash)"` gives an interactive bash: each new agent is wrapped."""
    import shutil

    aitrack = shutil.which("aitrack", path=str(Path(sys.executable).parent))
    assert aitrack, "aitrack console script missing from the venv"
    names = " ".join(m.NAME for m in agents.MODULES)
    script = f'eval "$({aitrack} init bash)"; for t in {names}; do printf "%s=%s\\n" "$t" "$(type -t "$t")"; done'
    out = subprocess.run(["bash", "--norc", "-ic", script], capture_output=True, text=True, timeout=30,
                         check=True).stdout
    assert out.split() == [f"{m.NAME}=function" for m in agents.MODULES]


def test_a_home_like_folder_with_several_agents() -> None:
    """`aitrack parse tests/data/agents`: each agent's own log found and parsed by its own parser."""
    from aitrack.parse import iter_sessions

    data = Path(__file__).resolve().parents[1] / "data" / "agents"
    found = sorted((s.provider, s.metrics.commands_executed) for s in iter_sessions(data)
                   if s.detection.source == "structured" and s.provider != "generic")
    assert found == [("cline", 4), ("continue_cli", 4), ("copilot_cli", 4), ("factory_droid", 4), ("kilo_code", 4), ("kimi_cli", 4),
                     ("mistral_vibe", 4), ("opencode", 4), ("openhands", 4), ("qwen_code", 4)]


def test_the_readme_agent_table_names_each_module_with_its_tested_version() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("| ") and "tested version" not in line]
    for m in agents.MODULES:
        row = next((r for r in rows if f"(`{m.PROVIDER}`)" in r), None)
        assert row is not None, f"README: no agent table row for {m.PROVIDER}"
        assert m.TESTED_VERSION in row, f"README row for {m.PROVIDER} lacks its tested version {m.TESTED_VERSION}"


def test_install_clis_pins_the_tested_versions() -> None:
    script = (Path(__file__).resolve().parents[1] / "e2e" / "install-clis.sh").read_text()
    for m in agents.MODULES:
        assert f"_VERSION={m.TESTED_VERSION}" in script, m.NAME


def test_aitrack_parse_on_file_data_folder_and_home(tmp_path, capsys) -> None:
    """`aitrack parse PATH --json` on each new agent's log, its data folder, and a HOME holding all
    their data (our recordings laid out as the agents keep them): every session once, by its parser."""
    import json
    import shutil

    from aitrack.cli import main as cli_main

    data = Path(__file__).resolve().parents[1] / "data" / "agents"
    logs = {"kilo_code": ".local/share/kilo/kilo.db",
            "cline": ".cline/data/sessions/1796277038465_khdn3/1796277038465_khdn3.messages.json",
            "continue_cli": ".continue/sessions/8de17531-db39-4c47-95fd-f6ef962f701f.json"}
    home = tmp_path / "home"
    for agent in ("kilo", "cline", "cn"):
        for src in (data / agent).rglob("*"):
            rel = src.relative_to(data / agent)
            if src.is_file() and rel.parts[0] not in ("tui", "requests.txt"):
                (home / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, home / rel)

    def parsed(path: Path) -> list[tuple[str, int]]:
        assert cli_main(["parse", str(path), "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        return sorted((s["provider"], s["metrics"]["commands_executed"]) for s in (out if isinstance(out, list) else [out]))

    for provider, rel in logs.items():
        assert parsed(home / rel) == [(provider, 4)]
        assert parsed((home / rel).parent) == [(provider, 4)]
    assert parsed(home) == [("cline", 4), ("continue_cli", 4), ("kilo_code", 4)]
