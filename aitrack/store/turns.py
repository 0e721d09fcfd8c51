"""A session record cut into user turns, with times for every span: what the per-turn traces draw.

Pure (no mlflow), so the layout is tested apart from the store. A turn runs from its prompt to
the next one (the last to the session's end). Tool calls and API responses belong to the turn the
parser saw them in (`turn`); a subagent's own log has no prompts (`turn` -1), so its items go to
the turn their time falls in. Items without a time are laid out in order inside their turn.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from aitrack.parse.values import epoch
from aitrack.sessionrecord import SessionRecord

MAX_SPANS = 1000  # per turn: beyond this the trace UI is unusable; the count is noted on the root


@dataclass(slots=True)
class Item:
    kind: str  # "llm" | "tool"
    data: dict[str, Any]
    index: int  # in record["usage"] or record["tool_calls"]
    start: int = 0
    end: int = 0
    agent: str | None = None


@dataclass(slots=True)
class Turn:
    index: int
    prompt: str
    start: int
    end: int
    items: list[Item] = field(default_factory=list)
    omitted: int = 0

    def agents(self) -> dict[str, tuple[int, int]]:
        """Each subagent of the turn → (first start, last end) of its items."""
        out: dict[str, tuple[int, int]] = {}
        for it in self.items:
            if it.agent is not None:
                s, e = out.get(it.agent, (it.start, it.end))
                out[it.agent] = (min(s, it.start), max(e, it.end))
        return out


def ns(iso: Any) -> int | None:
    # Naive times are ambiguous (parse_time refuses them): the ordered layout is safer than a wrong offset.
    seconds = epoch(iso)
    return int(seconds * 1e9) if seconds is not None else None


def epoch_ns(epoch: Any) -> int | None:
    return int(float(epoch) * 1e9) if isinstance(epoch, (int, float)) and not isinstance(epoch, bool) else None


def session_window(record: SessionRecord) -> tuple[int, int] | None:
    meta = record.meta
    start = ns(record.started_at) or epoch_ns(meta.started_at_epoch)
    if start is None:
        return None
    # The later of the wrapper's end and the log's last record: an imported log's clock wins.
    end = max(epoch_ns(meta.ended_at_epoch) or 0, ns(record.ended_at) or 0)
    return start, max(end, start + 1_000_000)


def turns(record: SessionRecord, first_ask: str = "") -> list[Turn]:
    """The record's turns with their items timed; [] when the record has no time at all."""
    window = session_window(record)
    if window is None:
        return []
    start, end = window
    prompts = [str(p) for p in record.prompts]
    times = list(record.prompt_times)
    out: list[Turn] = []
    for i, text in enumerate(prompts or [first_ask]):
        sent = ns(times[i]) if i < len(times) else None
        floor = out[-1].start + 1 if out else start
        out.append(Turn(i, text, min(max(sent or floor, floor), end), end))
    for prev, nxt in zip(out, out[1:]):
        prev.end = max(nxt.start, prev.start + 1)
    out[-1].end = max(end, out[-1].start + 1)
    starts = [t.start for t in out]
    items = [Item("llm", u, i) for i, u in enumerate(record.usage) if isinstance(u, dict)]
    items += [Item("tool", c, i) for i, c in enumerate(record.tool_calls) if isinstance(c, dict)]
    for it in items:
        it.agent = it.data.get("agent") if isinstance(it.data.get("agent"), str) else None
        at = ns(it.data.get("at") if it.kind == "llm" else it.data.get("started_at"))
        turn = it.data.get("turn")
        if isinstance(turn, int) and 0 <= turn < len(out):
            host = out[turn]
        elif at is not None:
            host = out[max(bisect.bisect_right(starts, at) - 1, 0)]
        else:
            host = out[0]
        it.start = at or 0
        host.items.append(it)
    for turn_ in out:
        _lay_out(turn_)
    return out


def _lay_out(turn: Turn) -> None:
    """Times inside the turn's window: known ones clamped to it, unknown ones spread in order; an
    item ends where the next begins (a tool call at its own end time when the log has one)."""
    if len(turn.items) > MAX_SPANS:
        turn.omitted = len(turn.items) - MAX_SPANS
        del turn.items[MAX_SPANS:]
    n = len(turn.items)
    step = max((turn.end - turn.start) // (n + 1), 1)
    for i, it in enumerate(turn.items):
        it.start = min(max(it.start or turn.start + step * (i + 1), turn.start), turn.end)
    turn.items.sort(key=lambda it: it.start)
    for i, it in enumerate(turn.items):
        nxt = turn.items[i + 1].start if i + 1 < n else turn.end
        own = ns(it.data.get("ended_at")) if it.kind == "tool" else None
        it.end = min(max(own or max(nxt, it.start + 1), it.start), turn.end)
