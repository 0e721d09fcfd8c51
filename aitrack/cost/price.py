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
from aitrack.parse.record import Usage
from aitrack.parse.values import parse_time

# The provider tag → genai-prices' provider id (aider and terminal sessions go by the model name).
PROVIDER_IDS = {"claude_code": "anthropic", "openai_codex": "openai", "gpt": "openai", "gemini_cli": "google"}
_FAMILIES = (("claude", "anthropic"), ("gpt-", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"),
             ("codex", "openai"), ("gemini", "google"), ("deepseek", "deepseek"), ("mistral", "mistral"))
_OVERRIDE_KEYS = {"input": "input", "output": "output", "cache_read": "cache_read", "cache_write": "cache_write"}
_MILLION = Decimal(1_000_000)
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


def price_one(u: Usage, provider: str | None, when: datetime | None,
              table: dict[str, dict[str, Decimal]]) -> tuple[Decimal | None, str]:
    """(dollars, how): how is `override`, `genai-prices` or `unpriced`."""
    model = u.model or ""
    row = _override_for(model, table) if model else None
    if row is not None:
        return _priced_by_override(u, row), "override"
    if not model:
        return None, "unpriced"
    import genai_prices

    pid, ref = provider_and_model(provider, model)
    n = max(u.responses, 1)
    # Tiered prices go by one request's input: folded responses are priced as n average ones.
    usage = genai_prices.Usage(
        input_tokens=(u.input_tokens + u.cache_read_tokens + u.cache_write_tokens) // n,
        output_tokens=u.output_tokens // n, cache_read_tokens=u.cache_read_tokens // n,
        cache_write_tokens=u.cache_write_tokens // n)
    # The provider the agent implies first, then the library's own guess from the name alone
    # (Claude Code pointed at another provider's model, an unprefixed name in aider).
    for attempt in dict.fromkeys([pid, None]):
        try:
            calc = genai_prices.calc_price(usage, ref, provider_id=attempt, genai_request_timestamp=when)
        except (LookupError, ValueError):
            continue
        return calc.total_price * n, "genai-prices"
    return None, "unpriced"


def price_session(usage: list[Usage], provider: str | None, started_at: str | None,
                  reported_usd: float | None = None) -> dict[str, Any]:
    """The `cost` block of a session record: dollars, per model, what could not be priced."""
    import genai_prices

    table = overrides()
    when = parse_time(started_at)
    by_model: dict[str, dict[str, Any]] = {}
    sums: dict[str, Decimal] = {}
    unpriced: dict[str, None] = {}
    for u in usage:
        usd, how = price_one(u, provider, when, table)
        name = u.model or UNKNOWN
        row = by_model.setdefault(name, {"usd": None, "responses": 0, "input_tokens": 0, "output_tokens": 0,
                                         "cache_read_tokens": 0, "cache_write_tokens": 0, "priced_by": how})
        row["responses"] += u.responses
        for key in ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"):
            row[key] += getattr(u, key)
        if usd is None:
            unpriced[name] = None
        else:
            sums[name] = sums.get(name, Decimal(0)) + usd
    for name, usd in sums.items():
        by_model[name]["usd"] = float(usd)
    return {
        "usd": float(sum(sums.values(), Decimal(0))) if sums else None,
        "by_model": by_model,
        "unpriced": list(unpriced),
        "reported_usd": reported_usd,
        "prices": f"genai-prices {genai_prices.__version__}",
    }
