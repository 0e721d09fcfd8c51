"""Reading the deployment example in deploy/ so that the tests run exactly what it says."""
from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNIT, ENV_FILE, AUTH_INI, COMPOSE = (DEPLOY / n for n in ("aitrack-mlflow.service", "mlflow.env", "basic_auth.ini",
                                                          "compose.yaml"))
MLFLOW_BIN = "/opt/aitrack-mlflow/bin/mlflow"


def unit_value(key: str) -> str:
    values = [line.split("=", 1)[1] for line in UNIT.read_text().splitlines() if line.startswith(f"{key}=")]
    assert len(values) == 1, f"{key} set {len(values)} times in {UNIT}"
    return values[0]


def env_file() -> dict[str, str]:
    out = {}
    for line in ENV_FILE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def server_command(overrides: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """ExecStart as systemd would run it: `${VAR}` from the env file (one argument each)."""
    values = env_file()
    missing = set(overrides) - set(values)
    assert not missing, f"mlflow.env lacks {sorted(missing)}: the example drifted from the tests"
    values.update(overrides)
    argv = shlex.split(unit_value("ExecStart"))
    used = {m for arg in argv for m in re.findall(r"\$\{(\w+)\}", arg)}
    assert used <= set(values), f"ExecStart uses {sorted(used - set(values))}, not in mlflow.env"
    argv = [re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], arg) for arg in argv]
    assert argv[0] == MLFLOW_BIN and argv[1] == "server"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_TRACKING_")}
    env.update(values)
    return [sys.executable, "-m", "mlflow", *argv[1:]], env


def auth_ini(**settings: str) -> str:
    text = AUTH_INI.read_text()
    for key, value in settings.items():
        text, n = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.MULTILINE)
        assert n == 1, f"{key} not in {AUTH_INI}"
    return text
