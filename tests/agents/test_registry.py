"""The agent modules (aitrack/agents) reach every table that names agents."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aitrack import config
from aitrack.agents import facts, generate, registry
from aitrack.backfill import sources
from aitrack.capture import run
from aitrack.commands import doctor, init
from aitrack.parse import record
from aitrack.shell import install

REPO = Path(__file__).resolve().parents[2]
AGENTS = registry.agents()


def test_the_generated_facts_table_is_fresh() -> None:
    """aitrack/agents/facts.py is what `python -m aitrack.agents.generate` writes from the modules."""
    text = (REPO / "aitrack" / "agents" / "facts.py").read_text(encoding="utf-8")
    assert text == generate.render(), "stale: run `python -m aitrack.agents.generate`"


def test_every_module_in_the_package_is_registered() -> None:
    found = {p.stem for p in (REPO / "aitrack" / "agents").glob("*.py")} - generate.NOT_AGENTS - {"__init__"}
    assert set(facts.MODULES) == found  # a module with no NAME/PROVIDER would be silently skipped


def test_each_module_holds_what_the_registry_needs() -> None:
    for m in registry.modules():
        for attr in ("NAME", "PROVIDER", "LABEL", "TESTED_VERSION", "INSTALL_HINT", "NO_TRAILER", "READS",
                     "PARSER", "SCREEN"):
            assert isinstance(getattr(m, attr), str), (m.__name__, attr)
        assert callable(m.log_roots) and callable(m.wanted) and callable(m.locate), m.__name__
        if m.PARSER:
            __import__(f"aitrack.parse.{m.PARSER}")
        __import__(f"aitrack.parse.terminal.providers.{m.SCREEN}")
        if getattr(m, "HOOK", None):
            assert m.hook_spec().name == m.NAME
    names = [m.NAME for m in registry.modules()]
    providers = [m.PROVIDER for m in registry.modules()]
    assert len(set(names)) == len(names) and len(set(providers)) == len(providers)


def test_the_wrapper_reads_the_table_the_parser_reads() -> None:
    assert run.TOOL_PROVIDERS == record.TOOL_PROVIDERS
    assert run.TOOL_ENV == {m.NAME: m.CHILD_ENV for m in registry.modules() if getattr(m, "CHILD_ENV", None)}


def test_each_agent_module_is_in_every_table() -> None:
    for m in AGENTS:
        assert record.TOOL_PROVIDERS[m.NAME] == m.PROVIDER and m.PROVIDER in record.PROVIDERS
        assert m.NAME in config.DEFAULT_TOOLS and m.NAME in init.DEFAULT_TOOLS  # shell functions
        assert f"{m.NAME}-with-tracking" in install.COMMANDS
        assert m.NAME in sources.AGENTS and sources.PROVIDER[m.NAME] == m.PROVIDER
        assert registry.by_name(f"/usr/local/bin/{m.NAME}") is m and registry.by_provider(m.PROVIDER) is m
    assert config.DEFAULT_TOOLS == init.DEFAULT_TOOLS


def test_doctor_says_what_the_module_says() -> None:
    aider = registry.by_name("aider")
    assert aider is not None and aider.NO_TRAILER in doctor.agent_note("aider")
    for m in AGENTS:
        if not m.NO_TRAILER and not hasattr(m, "doctor"):
            assert doctor.agent_note(m.NAME) == ""


def test_with_tracking_console_scripts_exist() -> None:
    import tomllib
    from pathlib import Path

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    ours = {k: v for k, v in scripts.items() if k.endswith("-with-tracking")}
    assert set(ours) == set(facts.WITH_TRACKING)  # one per agent module, the seed's gpt included
    for target in ours.values():
        module, func = target.split(":")
        assert callable(getattr(__import__(module, fromlist=[func]), func))


def test_a_with_tracking_script_runs_its_own_tool(tmp_path) -> None:
    """`X-with-tracking ARGS` is `aitrack run -- X ARGS`, X read from the script's name (no tty: exec'd)."""
    import os
    import shutil

    script = shutil.which("cn-with-tracking", path=str(Path(sys.executable).parent))
    assert script, "console script missing from the venv"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "cn").write_text("#!/bin/sh\necho \"cn ran: $*\"\n")
    (bin_dir / "cn").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    out = subprocess.run([script, "--version"], capture_output=True, text=True, env=env, timeout=30,
                         stdin=subprocess.DEVNULL)
    assert (out.returncode, out.stdout) == (0, "cn ran: --version\n")


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
    names = " ".join(m.NAME for m in AGENTS)
    script = f'eval "$({aitrack} init bash)"; for t in {names}; do printf "%s=%s\\n" "$t" "$(type -t "$t")"; done'
    out = subprocess.run(["bash", "--norc", "-ic", script], capture_output=True, text=True, timeout=30,
                         check=True).stdout
    assert out.split() == [f"{m.NAME}=function" for m in AGENTS]


def test_a_home_like_folder_with_several_agents() -> None:
    """`aitrack parse tests/data/agents`: each agent's own log found and parsed by its own parser."""
    from aitrack.parse import iter_sessions

    data = Path(__file__).resolve().parents[1] / "data" / "agents"
    found = sorted((s.provider, s.metrics.commands_executed) for s in iter_sessions(data)
                   if s.detection.source == "structured" and s.provider != "generic")
    assert found == [("cline", 4), ("continue_cli", 4), ("copilot_cli", 4), ("factory_droid", 4), ("kilo_code", 4), ("kimi_cli", 4),
                     ("mistral_vibe", 4), ("opencode", 4), ("openhands", 4), ("qwen_code", 4)]


def test_the_readme_agent_table_is_the_registry() -> None:
    """One row per agent module, none more: its label, provider tag and tested version."""
    import re

    lines = (REPO / "README.md").read_text().splitlines()
    start = lines.index("| agent (`tags.provider`) | tested version | read from its log |") + 2
    rows = lines[start:lines.index("", start)]
    in_table = [re.search(r"\(`([a-z_]+)`\)", r.split("|")[1]) for r in rows]
    assert [m.group(1) if m else r for m, r in zip(in_table, rows)] == [m.PROVIDER for m in AGENTS]
    for m, row in zip(AGENTS, rows):
        assert row.startswith(f"| {m.LABEL} (`{m.PROVIDER}`)"), f"README row for {m.PROVIDER}: label {m.LABEL!r}"
        assert m.TESTED_VERSION in row.split("|")[2], f"README row for {m.PROVIDER} lacks its tested version"


def test_install_clis_pins_the_tested_versions() -> None:
    script = (Path(__file__).resolve().parents[1] / "e2e" / "install-clis.sh").read_text()
    for m in AGENTS:
        assert f"_VERSION={m.TESTED_VERSION}" in script, m.NAME


def test_aitrack_parse_on_file_data_folder_and_home(tmp_path, capsys) -> None:
    """`aitrack parse PATH --json` on each new agent's log, its data folder, and a HOME holding all
    their data (our recordings laid out as the agents keep them): every session once, by its parser."""
    import shutil

    from parse.agentkit import parsed

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

    def found(path: Path) -> list[tuple[str, int]]:
        return sorted(parsed(path, capsys))

    for provider, rel in logs.items():
        assert found(home / rel) == [(provider, 4)]
        assert found((home / rel).parent) == [(provider, 4)]
    assert found(home) == [("cline", 4), ("continue_cli", 4), ("kilo_code", 4)]


def test_hot_paths_import_no_agent_module() -> None:
    """The wrapper, the agent hook and `aitrack init` read the generated table, never the modules."""
    code = ("import sys, aitrack.capture.run, aitrack.agenthooks.hook, aitrack.commands.init, aitrack.main; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('aitrack.agents.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["aitrack.agents.facts"]


def test_the_readme_lists_every_command_and_shell_tool() -> None:
    """The README's command table, shell-function list and config default name the registry's commands."""
    import re

    readme = (REPO / "README.md").read_text()
    scripts = next(line for line in readme.splitlines() if line.startswith("| `claude-with-tracking`"))
    assert set(re.findall(r"`([a-z]+-with-tracking)`", scripts)) == set(facts.WITH_TRACKING)
    functions = re.search(r"Defines a function per tool \(`([^`]+)`", readme)
    default = re.search(r"\| `tools` / `AITRACK_TOOLS` \| `([^`]+)`", readme)
    assert functions and default
    assert set(functions.group(1).split()) == set(default.group(1).split()) == set(facts.SHELL_TOOLS)
