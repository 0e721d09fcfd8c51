"""The live updater's pricing: each response priced by its model's card (aitrack/cost/cards.py),
the cards read by a short-lived child once per new model, so genai-prices is never loaded into
the updater. If the child fails, the updater prices in process as the ingest does."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from aitrack.cost.cards import Card, card_cost
from aitrack.parse.record import Usage


class CardPricer:
    """`costs`, `unpriced`, `rates` as `aitrack.cost.price.ResponsePricer` has them."""

    def __init__(self, provider: str, started_at: str | None) -> None:
        from aitrack.cost.price import overrides

        overrides()  # a bad [cost.prices] table fails here, as ResponsePricer does: no pricing at all
        self.provider, self.started_at = provider, started_at
        self.rates: dict[str | None, Card | None] = {}
        self.unpriced: set[str | None] = {None, ""}
        self._in_process: Any = None

    def costs(self, usage: list[Usage]) -> list[dict[str, float] | None]:
        if self._in_process is not None:
            return list(self._in_process.costs(usage))
        new = sorted({u.model for u in usage if u.model and u.model not in self.rates})
        if new:
            cards = self._read_cards(new)
            if cards is None:  # the child failed: as the ingest prices (genai-prices loaded here)
                from aitrack.cost.price import ResponsePricer

                self._in_process = ResponsePricer(self.provider, self.started_at)
                self.rates, self.unpriced = self._in_process.rates, self._in_process.unpriced
                return list(self._in_process.costs(usage))
            self.rates.update(cards)
        out: list[dict[str, float] | None] = []
        for u in usage:
            card = self.rates.get(u.model)
            if card is None:
                self.rates.setdefault(u.model, None)
                self.unpriced.add(u.model)
            out.append(card_cost(card, u) if card else None)
        return out

    def _read_cards(self, models: list[str]) -> dict[str | None, Card | None] | None:
        from aitrack.capture.proc import python_m

        argv = python_m("aitrack.cost.cards", self.provider, self.started_at or "", *models)
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=dict(os.environ),
                                  stdin=subprocess.DEVNULL)
            got = json.loads(done.stdout) if done.returncode == 0 else None
        except (OSError, ValueError, subprocess.TimeoutExpired):
            got = None
        if not isinstance(got, dict):
            return None
        return {str(m): c if isinstance(c, list) else None for m, c in got.items()}
