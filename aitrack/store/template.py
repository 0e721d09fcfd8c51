"""A new embedded store as a copy of an empty one: `AITRACK_STORE_TEMPLATE=/path/empty.db`.

MLflow makes a new SQLite store by running its ~50 migrations, 2–8 s here; the test suite makes a
store in dozens of tests, so it sets this variable to one file per run (tests/conftest.py). The
first store made while it is set is made by MLflow as always and, before anything is written to
it, copied to that path; every later new store starts as a copy (the same bytes MLflow's
migrations give). Unset, nothing here runs. Called under the store's creation lock.
"""
from __future__ import annotations

import os
import shutil

VARIABLE = "AITRACK_STORE_TEMPLATE"


def template_path() -> str | None:
    return os.environ.get(VARIABLE) or None


def copy_into(db: str) -> bool:
    """Fill the new, empty file `db` from the template; False when there is none yet."""
    template = template_path()
    if template is None or not os.path.isfile(template) or os.path.getsize(template) == 0:
        return False
    with open(template, "rb") as src, open(db, "r+b") as dst:
        shutil.copyfileobj(src, dst)  # into the file made 0600: its mode stays
    return True


def save_from(db: str) -> None:
    """Keep the just-migrated store `db` as the template, unless there is one already."""
    template = template_path()
    if template is None or os.path.exists(template) or not os.path.getsize(db) \
            or os.path.exists(db + "-wal") or os.path.exists(db + "-journal"):
        return  # the store's content is all in its main file only without a WAL or journal beside it
    tmp = f"{template}.{os.getpid()}.tmp"
    try:
        shutil.copyfile(db, tmp)
        os.replace(tmp, template)  # another process saving at once: either copy is the same
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
