"""Several processes opening a brand-new embedded store at once (the detached worker and a
`aitrack sync` typed the moment the agent exits): each must get a working store."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

OPEN = """
from aitrack.store.mlflow_store import MlflowStore
store = MlflowStore()
print(store.experiment_id())
"""


def fresh_env() -> dict[str, str]:
    """Stores made by MLflow's migrations, as outside the test suite: not copied from its template."""
    return {k: v for k, v in os.environ.items() if k != "AITRACK_STORE_TEMPLATE"}


def test_processes_creating_a_fresh_store_at_once_all_succeed(tmp_path: Path) -> None:
    env = {**fresh_env(), "AITRACK_HOME": str(tmp_path / "data")}
    (tmp_path / "data").mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", OPEN], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(timeout=240), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, err[-2000:]
    ids = {out.strip().splitlines()[-1] for _, out, _ in results}
    assert len(ids) == 1, ids  # one experiment, whoever created it


def test_a_new_store_is_private_whatever_the_umask(tmp_path: Path) -> None:
    """#20 item 8: mlflow.db holds every prompt and command; under umask 022 it was 0644."""
    env = {**fresh_env(), "AITRACK_HOME": str(tmp_path / "data")}
    (tmp_path / "data").mkdir()
    code = "import os; os.umask(0o022); " + OPEN.replace("\n", "; ").strip("; ")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    db = tmp_path / "data" / "mlflow.db"
    assert oct(db.stat().st_mode & 0o777) == "0o600"
