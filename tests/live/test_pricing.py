"""The live updater's pricing (#17): cards read off genai-prices by a real child process price
each response as the ingest's pricing does — the base and the tier above 200k tokens of a tiered
model, a linear model, an override, a model with no price — without genai-prices in the updater."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aitrack import config
from aitrack.cost.price import ResponsePricer
from aitrack.live.pricing import CardPricer
from aitrack.parse.record import Usage

STARTED = "2026-01-01T10:00:00Z"


@pytest.fixture(autouse=True)
def fresh_config() -> Iterator[None]:
    config.load.cache_clear()
    yield
    config.load.cache_clear()


def _usage() -> list[Usage]:
    out = []
    for model in ("claude-sonnet-4-5-20250929", "claude-opus-4-5-20251101", "my-local-model", "no-such-model", None):
        out += [Usage(model, 100, 50, 1000, 200), Usage(model, 3, 500, 250_000, 1000), Usage(model, 0, 10),
                Usage(model, 150_000, 10, 50_000), Usage(model, 150_001, 10, 50_000),
                Usage(model, 400_000, 300, 2_000_000, 0, responses=10)]  # folded: ten responses of 240k
    return out


def test_cards_price_as_the_ingest_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "config.toml"
    conf.write_text('[cost.prices."my-local-*"]\ninput = 0.5\noutput = 1.5\ncache_read = 0.05\n')
    monkeypatch.setenv("AITRACK_CONFIG", str(conf))
    usage = _usage()
    live, ingest = CardPricer("claude_code", STARTED), ResponsePricer("claude_code", STARTED)
    got, want = live.costs(usage[:7]) + live.costs(usage[7:]), ingest.costs(usage)  # new models as they come
    assert live._in_process is None  # the cards came from the child
    for g, w, u in zip(got, want, usage):
        if w is None:
            assert g is None, u
            continue
        assert g is not None, u
        for key in ("input_cost", "output_cost", "total_cost"):
            assert g[key] == pytest.approx(w[key], rel=1e-9, abs=1e-15), (u, key)
    assert {m for m in live.unpriced if m} == {m for m in ingest.unpriced if m} == {"no-such-model"}
    assert set(live.rates) == set(ingest.rates)


def test_the_updater_never_loads_genai_prices() -> None:
    code = ("import sys; from aitrack.live.pricing import CardPricer; from aitrack.parse.record import Usage; "
            "c = CardPricer('claude_code', None).costs([Usage('claude-sonnet-4-5-20250929', 10, 10)]); "
            "print(c[0] is not None and c[0]['total_cost'] > 0, "
            "sorted(m for m in sys.modules if m.split('.')[0] in ('genai_prices', 'pydantic', 'httpx')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True []"
