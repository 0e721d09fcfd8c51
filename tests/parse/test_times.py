"""aitrack's one ISO-time parser (parse.values.parse_time / epoch): what the parsers, the trace, the
OTLP export and backfill read times with."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from aitrack.parse.values import epoch, parse_time

WHEN = datetime(2026, 11, 27, 3, 19, 59, 123000, tzinfo=timezone.utc).timestamp()


@pytest.mark.parametrize("text", ["2026-11-27T03:19:59.123Z", "2026-11-27T03:19:59.123+00:00",
                                  "2026-11-27T04:19:59.123+01:00", "2026-11-27 03:19:59.123Z"])
def test_zoned_times_are_read_as_the_same_instant(text: str) -> None:
    assert epoch(text) == pytest.approx(WHEN)
    when = parse_time(text)
    assert when is not None and when.tzinfo is not None


@pytest.mark.parametrize("value", [None, "", "[trimmed for fixture]", "yesterday", 17, 1.5, ["2026-11-27T03:19:59Z"]])
def test_anything_else_is_none(value: object) -> None:
    assert parse_time(value) is None and epoch(value) is None and epoch(value, naive=True) is None


def test_a_time_without_a_zone_is_ambiguous_unless_asked_for_as_local_time() -> None:
    text = "2026-11-27T03:19:59"
    assert epoch(text) is None
    assert epoch(text, naive=True) == time.mktime(time.strptime(text, "%Y-%m-%dT%H:%M:%S"))
