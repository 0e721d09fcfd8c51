"""HOME unset or empty (cron, systemd units, `env -i`): aitrack never writes a literal
`./~/.local/share/aitrack` or a relative `.local/share` in the current directory (#20 item 8)."""
from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from aitrack import sessiondir as places
from aitrack.errors import AitrackError
from aitrack.paths import data_dir


@pytest.mark.parametrize("value", [None, "", "relative/home"])
def test_data_dir_is_under_the_passwd_home(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    monkeypatch.delenv("XDG_DATA_HOME")
    if value is None:
        monkeypatch.delenv("HOME")
    else:
        monkeypatch.setenv("HOME", value)
    expected = Path(pwd.getpwuid(os.getuid()).pw_dir) / ".local" / "share" / "aitrack"
    assert data_dir() == expected and places.data_dir() == str(expected)


def test_a_relative_xdg_dir_is_ignored(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "rel/share")
    assert data_dir() == isolated_home / ".local" / "share" / "aitrack"


def test_no_home_at_all_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOME")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: (_ for _ in ()).throw(KeyError(uid)))  # a uid with no entry
    with pytest.raises(AitrackError, match="set HOME"):
        data_dir()

