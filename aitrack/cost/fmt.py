"""How cost and tokens read on a terminal line: `tokens in 294k (286k cached) / out 158 · $0.19`.

Standard library only: `show` and `aitrack cost` format records without importing the price data."""
from __future__ import annotations

TYPE_CHECKING = False  # typing costs show's hot path ~3 ms; mypy reads the block all the same
if TYPE_CHECKING:
    from typing import Any


def count(n: Any) -> str:
    """294,215 → `294k`, 1,234,567 → `1.2M`, 158 → `158` (cut, not rounded: never more than was used)."""
    if not isinstance(n, (int, float)) or isinstance(n, bool):
        return "?"
    n = int(n)
    if n >= 1_000_000:
        return f"{n // 100_000 / 10:g}M"
    return f"{n // 1000}k" if n >= 10_000 else f"{n:,}"


def usd(value: Any) -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "?"
    return f"${value:,.2f}" if value >= 0.01 or value == 0 else f"${value:.4f}"


def input_total(metrics: dict[str, Any]) -> int | None:
    """All input tokens, cache reads and writes included (what the bill is mostly made of)."""
    total = metrics.get("total_input_tokens")
    if isinstance(total, (int, float)):
        return int(total)
    parts = [metrics.get(k) for k in ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")]
    known = [int(p) for p in parts if isinstance(p, (int, float))]
    return sum(known) if known else None


def cost_text(cost: dict[str, Any] | None) -> str:
    """`$0.19`, `$0.19 + unpriced: gpt-4.5-turbo`, `unpriced: gpt-4.5-turbo`, or ``; the agent's own
    figure, when it gave one, follows apart."""
    if not cost:
        return ""
    parts = []
    if cost.get("usd") is not None:
        parts.append(usd(cost["usd"]))
    if cost.get("unpriced"):
        parts.append("unpriced: " + ", ".join(str(m) for m in cost["unpriced"]))
    text = " + ".join(parts)
    if cost.get("reported_usd") is not None:
        text += f" (the agent reported {usd(cost['reported_usd'])})"
    return text.strip()


def tokens_line(metrics: dict[str, Any], cost: dict[str, Any] | None) -> str:
    total = input_total(metrics)
    cached = metrics.get("cache_read_input_tokens")
    text = f"tokens in {count(total or 0)}"
    if isinstance(cached, (int, float)) and cached:
        text += f" ({count(cached)} cached)"
    text += f" / out {count(metrics.get('output_tokens') or 0)}"
    money = cost_text(cost)
    return f"{text} · {money}" if money else text
