"""AITRACK_STORE_TEMPLATE (aitrack/store/template.py): the first new embedded store is MLflow's
own, kept as the template before anything is written to it; later new stores start as its copy
and work as a store MLflow made."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from aitrack.store.mlflow_store import MlflowStore


def test_the_first_store_becomes_the_template_and_the_next_is_its_copy(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "template.db"
    monkeypatch.setenv("AITRACK_STORE_TEMPLATE", str(template))
    stores = []
    for name in ("first", "second"):
        monkeypatch.setenv("AITRACK_HOME", str(tmp_path / name))
        (tmp_path / name).mkdir()
        if name == "second":
            assert template.is_file()
            saved = template.read_bytes()
        old = os.umask(0o022)  # the copy is as private as a store MLflow made
        try:
            store = MlflowStore()
        finally:
            os.umask(old)
        stores.append(store)
        if name == "second":
            assert (tmp_path / name / "mlflow.db").read_bytes() == saved  # a copy, not migrated again
        run = store.client.create_run(store.experiment_id())
        store.client.set_tag(run.info.run_id, "type", "ai_session")
        assert [r.info.run_id for r in store.client.search_runs([store.experiment_id()])] == [run.info.run_id]
        assert oct((tmp_path / name / "mlflow.db").stat().st_mode & 0o777) == "0o600"
    assert template.read_bytes() == saved  # what the stores logged stays in them
    assert stores[0].experiment_id() == stores[1].experiment_id()  # each made its own, the same first id


def test_unset_nothing_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AITRACK_STORE_TEMPLATE")
    monkeypatch.setenv("AITRACK_HOME", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    MlflowStore().experiment_id()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
