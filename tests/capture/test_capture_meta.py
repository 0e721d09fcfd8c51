"""meta.json is written without importing json: the output must be exactly json.dumps'."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aitrack.sessiondir import dumps, read_meta, write_meta

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
values = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(), kids, max_size=4),
                      max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(values)
def test_dumps_is_json_dumps(value: object) -> None:
    assert dumps(value) == json.dumps(value, indent=1, sort_keys=True)


def test_awkward_strings_and_fallbacks() -> None:
    for value in ({"argv": ["claude", "\udcff\x00\"\\\u2028é"]}, {1: "int key"}, (1, [2.5, None]), {"s": {1, 2}.__len__()}):
        assert dumps(value) == json.dumps(value, indent=1, sort_keys=True)


def test_write_then_read(tmp_path: Path) -> None:
    meta = {"id": "x", "argv": ["a", "b c"], "exit_code": None, "term_rows": 24, "started_at_epoch": 1.5}
    write_meta(tmp_path, meta)
    assert read_meta(tmp_path).to_json() == meta
    assert oct((tmp_path / "meta.json").stat().st_mode & 0o777) == "0o600"


def test_the_wrapper_modules_do_not_import_json_re_typing_or_pathlib() -> None:
    code = ("import sys; import aitrack.main, aitrack.capture.run, aitrack.capture.session, aitrack.capture.pty_, "
            "aitrack.capture.resolve; print(' '.join(m for m in ('json', 're', 'typing', 'pathlib', 'subprocess') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(Path(__file__).resolve().parents[2])}).stdout
    assert out.strip() == ""
