"""Price a session's API responses with genai-prices, each with its own model and cache counts.

Why a library and not a table of our own: prices change monthly, have cache read/write rates,
context tiers (above 200k input) and dated variants; genai-prices keeps all of that for many
providers and ships an offline snapshot, so pricing never needs the network.

Conventions: aitrack's `Usage` is Anthropic's (input without cache reads/writes); genai-prices'
`input_tokens` includes both, so they are added back before pricing. An unknown model is never
priced at $0: it is listed in `unpriced`. Config `[cost.prices."<model or glob>"]` (dollars per
million tokens: input, output, cache_read, cache_write) overrides the library for a model.
"""
from __future__ import annotations

import fnmatch
from datetime import datetime
from decimal import Decimal
from typing import Any

from aitrack import config
from aitrack.agents import registry
from aitrack.parse.record import Usage
from aitrack.parse.values import parse_time

# The provider tag → genai-prices' provider id (each agent module's PRICES; the others go by the model name).
PROVIDER_IDS = {m.PROVIDER: m.PRICES for m in registry.modules() if registry.get(m, "PRICES")}
# Model-name families (not agents): a model name's vendor when the agent does not say.
_FAMILIES = (("claude", "anthropic"), ("gpt-", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"),
             ("codex", "openai"), ("gemini", "google"), ("deepseek", "deepseek"), ("mistral", "mistral"))
_OVERRIDE_KEYS = {"input": "input", "output": "output", "cache_read": "cache_read", "cache_write": "cache_write"}
_MILLION = Decimal(1_000_000)
_TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens")
UNKNOWN = "(model not recorded)"  # a response whose log names no model: listed as unpriced


_ROUTED = {"anthropic", "openai", "google", "gemini", "deepseek", "mistral", "groq", "openrouter", "together",
           "fireworks", "cerebras", "x-ai", "xai", "moonshotai", "azure", "bedrock", "vertex_ai"}
_ALIASES = {"gemini": "google", "vertex_ai": "google", "xai": "x-ai", "bedrock": "aws"}


def provider_and_model(provider: str | None, model: str) -> tuple[str | None, str]:
    """(genai-prices provider id, model ref): `anthropic/claude-…` and `openrouter/…` (aider and
    litellm names) split off their provider; Bedrock ids (`us.anthropic.claude-…-v1:0`) are AWS's."""
    if "/" in model:
        head, tail = model.split("/", 1)
        if head in _ROUTED:
            return _ALIASES.get(head, head), tail
    if "anthropic." in model:
        return "aws", model
    pid = PROVIDER_IDS.get(provider or "")
    if pid:
        return pid, model
    lower = model.lower()
    return next((p for prefix, p in _FAMILIES if lower.startswith(prefix)), None), model


def overrides() -> dict[str, dict[str, Decimal]]:
    """`[cost.prices."model"]` from the config: per-million prices, checked once here."""
    from aitrack.errors import AitrackError

    table = config.get("cost.prices", {}) or {}
    if not isinstance(table, dict):
        raise AitrackError("config [cost.prices]: a table of models, e.g. [cost.prices.\"my-model\"] input = 3.0")
    out: dict[str, dict[str, Decimal]] = {}
    for pattern, prices in table.items():
        if not isinstance(prices, dict) or not prices:
            raise AitrackError(f"config [cost.prices.{pattern!r}]: give input/output/cache_read/cache_write in $ per million tokens")
        row: dict[str, Decimal] = {}
        for key, value in prices.items():
            if key not in _OVERRIDE_KEYS or isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise AitrackError(f"config [cost.prices.{pattern!r}] {key} = {value!r}: use input, output, cache_read, "
                                   "cache_write with a number of dollars per million tokens")
            row[key] = Decimal(str(value))
        out[str(pattern)] = row
    return out


def _override_for(model: str, table: dict[str, dict[str, Decimal]]) -> dict[str, Decimal] | None:
    if model in table:
        return table[model]
    return next((row for pattern, row in table.items() if fnmatch.fnmatchcase(model, pattern)), None)


def _priced_by_override(u: Usage, row: dict[str, Decimal]) -> Decimal:
    # A cache rate left out is charged as plain input: dearer, never silently free.
    inp = row.get("input", Decimal(0))
    return (u.input_tokens * inp + u.output_tokens * row.get("output", Decimal(0))
            + u.cache_read_tokens * row.get("cache_read", inp)
            + u.cache_write_tokens * row.get("cache_write", inp)) / _MILLION


def _library_price(u: Usage, provider: str | None, when: datetime | None) -> tuple[Decimal | None, bool]:
    """(dollars, whether the model's price is linear: no context tiers) for one response."""
    import genai_prices
    from genai_prices.types import TieredPrices

    pid, ref = provider_and_model(provider, u.model or "")
    usage = genai_prices.Usage(input_tokens=u.input_tokens + u.cache_read_tokens + u.cache_write_tokens,
                               output_tokens=u.output_tokens, cache_read_tokens=u.cache_read_tokens,
                               cache_write_tokens=u.cache_write_tokens)
    # The provider the agent implies first, then the library's own guess from the name alone
    # (Claude Code pointed at another provider's model, an unprefixed name in aider).
    for attempt in dict.fromkeys([pid, None]):
        try:
            calc = genai_prices.calc_price(usage, ref, provider_id=attempt, genai_request_timestamp=when)
        except (LookupError, ValueError):
            continue
        linear = not any(isinstance(v, TieredPrices) for v in vars(calc.model_price).values())
        return calc.total_price, linear
    return None, True


def _split(u: Usage) -> list[tuple[Usage, int]]:
    """A folded record as (one average response, how many) plus one carrying the remainder: the
    tokens add up exactly and a tier is judged on a response's size, not the sum's."""
    n = u.responses
    if n <= 1:
        return [(u, 1)]
    avg = Usage(u.model, u.input_tokens // n, u.output_tokens // n, u.cache_read_tokens // n, u.cache_write_tokens // n)
    last = Usage(u.model, u.input_tokens - avg.input_tokens * (n - 1), u.output_tokens - avg.output_tokens * (n - 1),
                 u.cache_read_tokens - avg.cache_read_tokens * (n - 1),
                 u.cache_write_tokens - avg.cache_write_tokens * (n - 1))
    return [(avg, n - 1), (last, 1)]


def price_model(usage: list[Usage], provider: str | None, when: datetime | None,
                table: dict[str, dict[str, Decimal]]) -> tuple[Decimal | None, str]:
    """(dollars, how) for all the responses of one model; how is `override`, `genai-prices` or
    `unpriced`. A price without tiers is linear, so the responses are priced summed, in one call
    (exact in Decimal); a tiered one response by response."""
    model = usage[0].model or ""
    row = _override_for(model, table) if model else None
    if row is not None:
        return sum((_priced_by_override(u, row) for u in usage), Decimal(0)), "override"
    if not model:
        return None, "unpriced"
    first, linear = _library_price(_split(usage[0])[0][0], provider, when)
    if first is None:
        return None, "unpriced"
    total = Decimal(0)
    if linear:
        summed = Usage(model, *(sum(getattr(u, k) for u in usage) for k in _TOKEN_FIELDS))
        usd, _ = _library_price(summed, provider, when)
        return usd, "genai-prices"
    for u in usage:
        for part, times in _split(u):
            usd, _ = _library_price(part, provider, when)
            total += (usd or Decimal(0)) * times
    return total, "genai-prices"


def price_session(usage: list[Usage], provider: str | None, started_at: str | None,
                  reported_usd: float | None = None) -> dict[str, Any]:
    """The `cost` block of a session record: dollars, per model, what could not be priced."""
    import genai_prices

    table = overrides()
    when = parse_time(started_at)
    groups: dict[str, list[Usage]] = {}
    for u in usage:
        groups.setdefault(u.model or UNKNOWN, []).append(u)
    by_model: dict[str, dict[str, Any]] = {}
    sums: dict[str, Decimal] = {}
    for name, members in groups.items():
        usd, how = price_model(members, provider, when, table)
        by_model[name] = {"usd": None if usd is None else float(usd), "responses": sum(u.responses for u in members),
                          **{k: sum(getattr(u, k) for u in members) for k in _TOKEN_FIELDS}, "priced_by": how}
        if usd is not None:
            sums[name] = usd
    return {
        "usd": float(sum(sums.values(), Decimal(0))) if sums else None,
        "by_model": by_model,
        "unpriced": [name for name in groups if name not in sums],
        "reported_usd": reported_usd,
        "prices": f"genai-prices {genai_prices.__version__}",
    }


def response_costs(usage: list[Usage], provider: str | None, started_at: str | None) -> list[dict[str, float] | None]:
    """Each response's cost as MLflow's `mlflow.llm.cost` wants it ({input_cost, output_cost,
    total_cost}, dollars; input includes the cache), None where its model has no price: the
    LLM spans of the per-turn traces."""
    return ResponsePricer(provider, started_at).costs(usage)


class ResponsePricer:
    """Prices responses one by one, as many calls as needed (the live updater prices only the
    responses a log gained). A linear price is read once per model as per-token rates (four
    library calls), so thousands of responses are not priced call by call."""

    def __init__(self, provider: str | None, started_at: str | None) -> None:
        self.provider, self.when, self.table = provider, parse_time(started_at), overrides()
        self.rates: dict[str | None, tuple[Decimal, ...] | None] = {}
        self.unpriced: set[str | None] = {None, ""}

    def costs(self, usage: list[Usage]) -> list[dict[str, float] | None]:
        out: list[dict[str, float] | None] = []
        for u in usage:
            if u.model not in self.rates:
                self.rates[u.model] = _rates(u, self.provider, self.when, self.table)
            cost = None if u.model in self.unpriced else _response_cost(u, self.rates[u.model], self.provider,
                                                                         self.when, self.table)
            if cost is None:
                self.unpriced.add(u.model)
            out.append(cost)
        return out


def _response_cost(u: Usage, rate: tuple[Decimal, ...] | None, provider: str | None, when: datetime | None,
                   table: dict[str, dict[str, Decimal]]) -> dict[str, float] | None:
    if rate is not None:
        inp = (u.input_tokens * rate[0] + u.cache_read_tokens * rate[2] + u.cache_write_tokens * rate[3]) / _MILLION
        outp = u.output_tokens * rate[1] / _MILLION
    else:  # a tiered price (or none): response by response, the input part priced alone
        total, _ = price_model([u], provider, when, table)
        if total is None:
            return None
        without = Usage(u.model, u.input_tokens, 0, u.cache_read_tokens, u.cache_write_tokens, u.responses)
        inp = price_model([without], provider, when, table)[0] or Decimal(0) if u.output_tokens else total
        outp = total - inp
    return {"input_cost": float(inp), "output_cost": float(outp), "total_cost": float(inp + outp)}


def _rates(u: Usage, provider: str | None, when: datetime | None,
           table: dict[str, dict[str, Decimal]]) -> tuple[Decimal, ...] | None:
    """Dollars per million (input, output, cache read, cache write) of a linear price; None for an
    unpriced or tiered model."""
    if not u.model:
        return None
    row = _override_for(u.model, table)
    if row is not None:
        inp = row.get("input", Decimal(0))
        return inp, row.get("output", Decimal(0)), row.get("cache_read", inp), row.get("cache_write", inp)
    found: list[Decimal] = []
    for i in range(4):
        c = [1_000_000 if k == i else 0 for k in range(4)]
        usd, linear = _library_price(Usage(u.model, c[0], c[1], c[2], c[3]), provider, when)
        if usd is None or not linear:
            return None
        found.append(usd)
    return tuple(found)
