"""The report's cost and session counts per issue read the `issues` tag as mapping writes it:
each number with where it was named (`77:commit,12:prompt+argument`)."""
from __future__ import annotations

from aitrack.sessionrecord import SessionRecord
from aitrack.report.costs import per_issue
from aitrack.report.html import sessions_per_issue
from aitrack.store.mapping import issues_tag


def test_per_issue_reads_numbers_with_their_sources() -> None:
    tag = issues_tag(SessionRecord.from_json({"issue_numbers": [77, 12], "issue_sources": {"77": ["commit"], "12": ["prompt", "argument"]}}))
    assert tag == "77:commit,12:prompt+argument"
    rows = [{"tags": {"issues": tag}, "metrics": {"cost_usd": 3.0}},
            {"tags": {"issues": "12"}, "metrics": {"cost_usd": 1.0}},  # a run logged before sources were kept
            {"tags": {}, "metrics": {"cost_usd": 5.0}}]
    assert per_issue(rows) == [("#12", 2.5), ("#77", 1.5)]
    assert sessions_per_issue(rows) == [("#12", 2), ("#77", 1)]
