"""Price cards: a model's prices as plain numbers, so the live updater prices responses without
holding genai-prices (and the pydantic and httpx it loads: ~17 MB) for a whole session.

A card is what genai-prices charges a response of that model, read off the library by asking it
the price of a few probe responses: per region of context size, dollars per million input,
output, cache-read and cache-write tokens. A region applies when the response's whole input
(cache included) is above its start (-1: the base price); a tiered price ("above 200k tokens")
has one region per tier, a linear one a single region. The cards of new models come from a
short-lived child, `python -m aitrack.cost.cards PROVIDER STARTED_AT MODEL…` (JSON on stdout),
started once per model the session meets; `card_cost` is plain arithmetic.
"""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

from aitrack.parse.record import Usage

_MILLION = Decimal(1_000_000)
Card = list[list[str]]  # [[start, input, output, cache_read, cache_write], …] as decimal strings


def make_card(model: str, provider: str | None, started_at: str | None) -> Card | None:
    """The model's card; None when it has no price (not in genai-prices, no override)."""
    from aitrack.cost.price import _library_price, _override_for, _rates, overrides
    from aitrack.parse.values import parse_time

    table, when = overrides(), parse_time(started_at)
    if _override_for(model, table) is not None:  # an override is linear
        linear = _rates(Usage(model, 1), provider, when, table)
        return [["-1", *(str(r) for r in linear)]] if linear else None
    starts = _tier_starts(model, provider, when)
    if starts is None:
        return None
    card: Card = []
    bounds = [-1, *starts]
    for i, start in enumerate(bounds):
        # A whole input inside the region: above its start, not above the next one's.
        size = start + 1 if start >= 0 else (bounds[1] if len(bounds) > 1 else 1_000_000)

        def usd(inp: int = 0, out: int = 0, read: int = 0, write: int = 0) -> Decimal:
            got, _ = _library_price(Usage(model, inp, out, read, write), provider, when)
            if got is None:
                raise LookupError(model)
            return Decimal(got)

        try:
            base = usd(inp=size)
            probed = [base, usd(inp=size, out=1_000_000) - base, usd(read=size), usd(write=size)]
        except LookupError:
            return None
        per_million = [probed[0] / size * _MILLION, probed[1], probed[2] / size * _MILLION, probed[3] / size * _MILLION]
        card.append([str(start), *(str(r) for r in per_million)])
    return card


def _tier_starts(model: str, provider: str | None, when: Any) -> list[int] | None:
    """The context sizes where the model's price changes (sorted), [] for a linear price."""
    import genai_prices
    from genai_prices.types import TieredPrices

    from aitrack.cost.price import provider_and_model

    pid, ref = provider_and_model(provider, model)
    probe = genai_prices.Usage(input_tokens=1, output_tokens=1)
    for attempt in dict.fromkeys([pid, None]):
        try:
            calc = genai_prices.calc_price(probe, ref, provider_id=attempt, genai_request_timestamp=when)
        except (LookupError, ValueError):
            continue
        starts = {t.start for v in vars(calc.model_price).values() if isinstance(v, TieredPrices) for t in v.tiers}
        return sorted(starts)
    return None


def card_cost(card: Card, u: Usage) -> dict[str, float]:
    """{input_cost, output_cost, total_cost} of one response (or a folded record: its average
    response's size picks the region), as `price.response_costs` gives them."""
    whole = (u.input_tokens + u.cache_read_tokens + u.cache_write_tokens) // max(u.responses, 1)
    row = next((r for r in reversed(card) if whole > int(r[0])), card[0])
    inp_rate, out_rate, read_rate, write_rate = (Decimal(x) for x in row[1:])
    inp = (u.input_tokens * inp_rate + u.cache_read_tokens * read_rate + u.cache_write_tokens * write_rate) / _MILLION
    outp = u.output_tokens * out_rate / _MILLION
    return {"input_cost": float(inp), "output_cost": float(outp), "total_cost": float(inp + outp)}


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        sys.stderr.write("usage: python -m aitrack.cost.cards PROVIDER STARTED_AT MODEL...\n")
        return 2
    provider, started = argv[0] or None, argv[1] or None
    sys.stdout.write(json.dumps({m: make_card(m, provider, started) for m in argv[2:]}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
