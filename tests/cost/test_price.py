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

from aitrack import config
from aitrack.cost.fmt import tokens_line
from aitrack.ingest.local import build_record

from ingest.kit import make_session  # tests/ is on sys.path


def library_price(model: str, provider: str, tokens: dict[str, int]) -> Decimal:
    """Dollars for one response, straight from the snapshot's price table (Anthropic convention)."""
    from genai_prices import data_snapshot

    _, info = data_snapshot.get_snapshot().find_provider_model(model, None, provider, None)
    p = info.get_prices(datetime.now(timezone.utc))
    return (tokens.get("input", 0) * p.input_mtok + tokens.get("output", 0) * p.output_mtok
            + tokens.get("cache_read", 0) * (p.cache_read_mtok or 0)
            + tokens.get("cache_write", 0) * (p.cache_write_mtok or 0)) / Decimal(1_000_000)


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
