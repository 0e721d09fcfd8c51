"""Session cost on the shared fixtures: the expected dollars come from genai-prices' own data
(the model's per-million prices times the fixture's token counts), not through aitrack's pricing."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aitrack.sessionrecord import SessionRecord
from aitrack import config
from aitrack.cost.fmt import tokens_line
from aitrack.ingest.local import build_record

from ingest.kit import make_session  # tests/ is on sys.path


def library_price(model: str, provider: str, tokens: dict[str, int]) -> Decimal:
    """Dollars for one response, straight from the snapshot's price table (Anthropic convention)."""
    from genai_prices import data_snapshot

    _, info = data_snapshot.get_snapshot().find_provider_model(model, None, provider, None)
    p = info.get_prices(datetime.now(timezone.utc))

    def rate(value: Any) -> Decimal:  # these fixtures stay below every context tier: the base price
        return Decimal(0) if value is None else getattr(value, "base", value)

    return (tokens.get("input", 0) * rate(p.input_mtok) + tokens.get("output", 0) * rate(p.output_mtok)
            + tokens.get("cache_read", 0) * rate(p.cache_read_mtok)
            + tokens.get("cache_write", 0) * rate(getattr(p, "cache_write_mtok", None))) / Decimal(1_000_000)


@pytest.fixture(autouse=True)
def fresh_config() -> Iterator[None]:
    config.load.cache_clear()
    yield
    config.load.cache_clear()


def record_of(log: Path, tool: str) -> dict[str, Any]:
    return build_record(make_session(tool=tool), agent_logs=[log])


def test_claude_session_priced_per_response_with_cache(fixtures_dir: Path) -> None:
    rec = record_of(fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl", "claude")
    # SOURCES.md: 14 unique API responses, tokens in/out/cache write/cache read 9/158/7610/286596.
    expected = library_price("claude-opus-4-5-20251101", "anthropic",
                             {"input": 9, "output": 158, "cache_write": 7610, "cache_read": 286596})
    assert rec["cost"]["usd"] == pytest.approx(float(expected), rel=1e-12)
    assert rec["metrics"]["cost_usd"] == rec["cost"]["usd"]
    assert rec["cost"]["by_model"]["claude-opus-4-5-20251101"]["responses"] == 14  # 21 lines, deduplicated
    assert rec["metrics"]["total_input_tokens"] == 9 + 7610 + 286596
    assert tokens_line(rec["metrics"], rec["cost"]) == "tokens in 294k (286k cached) / out 158 · $0.19"
    from aitrack.alerts import evaluate

    assert evaluate(["cost_usd > 0.15", "cost_usd > 0.2"], SessionRecord.from_json(rec)) == ["cost_usd > 0.15"]  # an alert on spend


def test_a_session_that_switches_model_prices_each_response_with_its_own(fixtures_dir: Path) -> None:
    log = fixtures_dir / "claude" / "ccusage-project-alpha-chat.jsonl"
    expected = Decimal(0)
    for line in log.read_text().splitlines():
        msg = json.loads(line)["message"]
        u = msg["usage"]
        expected += library_price(msg["model"], "anthropic", {
            "input": u["input_tokens"], "output": u["output_tokens"],
            "cache_read": u.get("cache_read_input_tokens", 0), "cache_write": u.get("cache_creation_input_tokens", 0)})
    rec = record_of(log, "claude")
    assert set(rec["cost"]["by_model"]) == {"claude-sonnet-4-20250514", "claude-opus-4-20250514"}
    assert rec["cost"]["usd"] == pytest.approx(float(expected), rel=1e-12)
    # Claude Code's own costUSD figures are kept apart, never mixed into ours.
    assert rec["cost"]["reported_usd"] == pytest.approx(0.12 + 0.34 + 0.56)
    assert "(the agent reported $1.02)" in tokens_line(rec["metrics"], rec["cost"])


def test_codex_model_switch_prices_the_growth_of_its_running_total(fixtures_dir: Path) -> None:
    # SOURCES.md: gpt-5.2-codex 1000 in (250 cached) / 125 out, then gpt-5.3-codex to 3500/750/425.
    # OpenAI's input includes the cached part.
    expected = (library_price("gpt-5.2-codex", "openai", {"input": 750, "cache_read": 250, "output": 125})
                + library_price("gpt-5.3-codex", "openai", {"input": 2000, "cache_read": 500, "output": 300}))
    rec = record_of(fixtures_dir / "codex" / "ccusage-session-alpha.jsonl", "codex")
    assert rec["cost"]["usd"] == pytest.approx(float(expected), rel=1e-12)
    assert rec["metrics"]["total_input_tokens"] == 3500


def test_an_unknown_model_is_unpriced_never_zero(fixtures_dir: Path) -> None:
    rec = record_of(fixtures_dir / "codex" / "kvsankar-codex_golden.jsonl", "codex")
    assert rec["cost"]["usd"] is None
    assert rec["cost"]["unpriced"] == ["gpt-4.5-turbo"]
    assert "cost_usd" not in rec["metrics"]
    line = tokens_line(rec["metrics"], rec["cost"])
    assert line.endswith("· unpriced: gpt-4.5-turbo") and "$" not in line


def test_a_config_override_prices_an_unknown_model_and_wins_over_the_library(fixtures_dir: Path, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[cost.prices."gpt-4.5-turbo"]\ninput = 2.0\noutput = 8\ncache_read = 0.5\n'
                   '[cost.prices."claude-opus-4-5-*"]\ninput = 1\noutput = 1\ncache_read = 1\ncache_write = 1\n')
    monkeypatch.setenv("AITRACK_CONFIG", str(cfg))
    rec = record_of(fixtures_dir / "codex" / "kvsankar-codex_golden.jsonl", "codex")
    u = rec["cost"]["by_model"]["gpt-4.5-turbo"]
    assert rec["cost"]["unpriced"] == []
    assert u["priced_by"] == "override"
    assert rec["cost"]["usd"] == pytest.approx((u["input_tokens"] * 2 + u["output_tokens"] * 8
                                                + u["cache_read_tokens"] * 0.5) / 1e6)
    rec = record_of(fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl", "claude")
    assert rec["cost"]["usd"] == pytest.approx((9 + 158 + 7610 + 286596) / 1e6)


def test_a_bad_override_keeps_the_session_and_says_why(fixtures_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[cost.prices."gpt-4.5-turbo"]\ninput = "two dollars"\n')
    monkeypatch.setenv("AITRACK_CONFIG", str(cfg))
    rec = record_of(fixtures_dir / "codex" / "kvsankar-codex_golden.jsonl", "codex")
    assert "cost" not in rec
    assert any(w.startswith("pricing failed: config [cost.prices.'gpt-4.5-turbo'] input") for w in rec["warnings"])
    assert rec["metrics"]["commands_executed"] > 0  # nothing else lost


def test_gemini_counts_cached_tool_and_thought_tokens(fixtures_dir: Path) -> None:
    # The fixture's two replies: input 150 (+10 tool), output 60 (+20 thoughts); input 250 with 50
    # cached, output 120 (+15 thoughts). Gemini's input includes the cached part.
    expected = (library_price("gemini-2.5-pro", "google", {"input": 160, "output": 80})
                + library_price("gemini-2.5-pro", "google", {"input": 200, "cache_read": 50, "output": 135}))
    rec = record_of(fixtures_dir / "gemini" / "kvsankar-gemini_golden.json", "gemini")
    assert rec["cost"]["usd"] == pytest.approx(float(expected), rel=1e-12)
    assert rec["metrics"]["total_input_tokens"] == 160 + 250


def test_aider_cost_lines_are_the_agents_own_figure_kept_apart(tmp_path: Path) -> None:
    log = tmp_path / ".aider.chat.history.md"
    log.write_text("# aider chat started at 2026-11-27 14:00:00\n\n> Aider v0.86.1\n"
                   "> Main model: gpt-4o with diff edit format\n\n#### fix the cart total\n\n"
                   "> Tokens: 2.5k sent, 120 received. Cost: $0.0075 message, $0.0075 session.\n\n"
                   "#### and the tests\n\n> Tokens: 3.1k sent, 1.2k cache hit, 80 received. "
                   "Cost: $0.0090 message, $0.02 session.\n")
    rec = record_of(log, "aider")
    expected = (library_price("gpt-4o", "openai", {"input": 2500, "output": 120})
                + library_price("gpt-4o", "openai", {"input": 3100, "cache_read": 1200, "output": 80}))
    assert rec["cost"]["usd"] == pytest.approx(float(expected), rel=1e-12)
    assert rec["cost"]["reported_usd"] == pytest.approx(0.0075 + 0.0090)


def test_a_response_without_a_model_is_unpriced_by_name(fixtures_dir: Path) -> None:
    # This rollout's token_count comes before any turn_context: no model to price it with.
    rec = record_of(fixtures_dir / "codex" / "jazzyalex-codex_053_rate_limit.jsonl", "codex")
    assert rec["cost"]["unpriced"] == ["(model not recorded)"] and rec["cost"]["usd"] is None


@pytest.mark.parametrize(("provider", "model", "library_provider", "library_model"), [
    ("aider", "anthropic/claude-3-5-sonnet-20241022", "anthropic", "claude-3-5-sonnet-20241022"),  # litellm name
    ("aider", "openrouter/anthropic/claude-sonnet-4", "openrouter", "anthropic/claude-sonnet-4"),
    ("claude_code", "us.anthropic.claude-sonnet-4-20250514-v1:0", "aws", "us.anthropic.claude-sonnet-4-20250514-v1:0"),
    ("claude_code", "deepseek-chat", "deepseek", "deepseek-chat"),  # Claude Code pointed at another API
    ("generic", "gpt-4o", "openai", "gpt-4o"),
])
def test_model_names_as_the_agents_write_them_resolve(provider: str, model: str, library_provider: str,
                                                      library_model: str) -> None:
    from aitrack.cost.price import price_session
    from aitrack.parse.record import Usage

    cost = price_session([Usage(model, 1000, 100, 0, 0)], provider, None)
    assert cost["usd"] == pytest.approx(float(library_price(library_model, library_provider,
                                                            {"input": 1000, "output": 100})), rel=1e-12)


def test_the_runs_description_says_what_it_cost(fixtures_dir: Path) -> None:
    from aitrack.store.description import summary_markdown

    rec = record_of(fixtures_dir / "claude" / "drmaciver-coverage-test-fix.jsonl", "claude")
    assert "tokens in 294k (286k cached) / out 158 · $0.19 (API list prices)" in summary_markdown(SessionRecord.from_json(rec))


def test_past_the_cap_responses_fold_per_model_and_cost_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aitrack.parse import builder, parse_path

    monkeypatch.setattr(builder, "MAX_USAGE", 3)
    lines = []
    for i in range(6):
        model = "claude-sonnet-4-20250514" if i % 2 else "claude-opus-4-20250514"
        lines.append(json.dumps({"type": "assistant", "sessionId": "s", "uuid": f"u{i}", "requestId": f"r{i}",
                                 "timestamp": f"2026-11-27T03:00:0{i}.000Z",
                                 "message": {"id": f"m{i}", "role": "assistant", "model": model,
                                             "usage": {"input_tokens": 1000, "output_tokens": 100,
                                                       "cache_read_input_tokens": 4000}}}))
    log = tmp_path / "s.jsonl"
    log.write_text("\n".join(lines) + "\n")
    s = parse_path(log)
    assert len(s.usage) == 5 and sum(u.responses for u in s.usage) == 6  # 3 kept, then one per model
    assert any("priced together per model" in w for w in s.warnings)
    each = {"input": 1000, "output": 100, "cache_read": 4000}
    expected = 3 * (library_price("claude-opus-4-20250514", "anthropic", each)
                    + library_price("claude-sonnet-4-20250514", "anthropic", each))
    rec = record_of(log, "claude")
    assert rec["cost"]["usd"] == pytest.approx(float(expected), rel=1e-12)


def test_a_context_tier_is_judged_per_response_not_on_the_sum() -> None:
    # gemini-2.5-pro charges more above 200k input tokens *in one request*: 100k + 150k stay on the
    # base rate, even though together they pass it; 300k in one request pays the tier's.
    from genai_prices import data_snapshot

    from aitrack.cost.price import price_session
    from aitrack.parse.record import Usage

    _, info = data_snapshot.get_snapshot().find_provider_model("gemini-2.5-pro", None, "google", None)
    p = info.get_prices(datetime.now(timezone.utc))
    tier_in, tier_out = p.input_mtok.tiers[-1], p.output_mtok.tiers[-1]
    assert tier_in.start == 200_000
    mtok = Decimal(1_000_000)
    expected = ((100_000 + 150_000) * p.input_mtok.base + 2 * 1000 * p.output_mtok.base
                + 300_000 * tier_in.price + 1000 * tier_out.price) / mtok
    cost = price_session([Usage("gemini-2.5-pro", 100_000, 1000), Usage("gemini-2.5-pro", 150_000, 1000),
                          Usage("gemini-2.5-pro", 300_000, 1000)], "gemini_cli", None)
    assert cost["usd"] == pytest.approx(float(expected), rel=1e-12)
