"""The deployment example: the systemd unit passes systemd's own checker (and a broken copy does
not), the compose example says the same as the unit, the env file leaves nothing to guess.

That the unit and env file really serve aitrack is proven by tests/team/test_team.py, whose server
is started from them."""
from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import yaml
from support import require_program

from team import deploy


def _verify(unit: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_program("systemd-analyze"), "verify", str(unit)], capture_output=True,
                          text=True, timeout=120, cwd=unit.parent, check=False)


def test_systemd_unit_verifies_and_a_broken_copy_does_not(tmp_path: Path) -> None:
    # verify needs the binary and env file to exist: point them at stand-ins, nothing else changes.
    (tmp_path / "mlflow.env").write_text(deploy.ENV_FILE.read_text())
    text = deploy.UNIT.read_text().replace(deploy.MLFLOW_BIN, "/bin/true").replace(
        "/etc/aitrack-mlflow/mlflow.env", str(tmp_path / "mlflow.env"))
    good = tmp_path / "aitrack-mlflow.service"
    good.write_text(text)
    res = _verify(good)
    assert res.returncode == 0, res.stderr
    bad = tmp_path / "broken.service"
    bad.write_text(text.replace("ExecStart=/bin/true", "ExecStart=bin/true"))
    assert _verify(bad).returncode != 0


def test_env_file_sets_everything_the_unit_uses_and_marks_every_secret() -> None:
    values = deploy.env_file()
    used = set(re.findall(r"\$\{(\w+)\}", deploy.unit_value("ExecStart")))
    assert used and used <= set(values)
    for key in ("MLFLOW_AUTH_ADMIN_PASSWORD", "MLFLOW_FLASK_SERVER_SECRET_KEY"):
        assert values[key].startswith("CHANGE-ME")
    assert "CHANGE-ME" in values["MLFLOW_BACKEND_STORE_URI"]
    assert values["MLFLOW_BACKEND_STORE_URI"].startswith("postgresql+psycopg2://")
    assert deploy.unit_value("EnvironmentFile") == "/etc/aitrack-mlflow/mlflow.env"


def test_compose_example_runs_the_same_server_flags_as_the_unit() -> None:
    text = deploy.COMPOSE.read_text()
    assert text.startswith("# EXAMPLE, NOT TESTED")
    doc = yaml.safe_load(text)
    assert set(doc["services"]) == {"postgres", "mlflow"}
    command = doc["services"]["mlflow"]["command"]
    flags = {a for a in shlex.split(deploy.unit_value("ExecStart")) if a.startswith("--")}
    assert flags <= set(command.replace('"', " ").split())
    assert "psycopg2-binary" in command and "Flask-WTF" in command
