"""What sessions are full of is left alone: the shared fixtures, hashes, ids, code and placeholders."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from aitrack.redact import redact_bytes, redact_obj, redact_text

LOOKALIKES = [
    "commit 4e49f16a86de76d9b0dc3ea2b8526677abe89f52 (HEAD -> main)",
    '"sessionId": "1b5e2c4a-8f3d-4c2b-9a7e-6d5f4e3c2b1a", "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e"',
    '"integrity": "sha512-Q8v1pT2yIr7iO5Sl7XrA1mSsG0Q9qM9mU0gL6JbVZx7Y1zT3xVq2v9H5a1D9u0Y7p8b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6=="',
    'resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c"',
    '{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="}}',
    "/home/dev/src/shop/node_modules/.pnpm/@types+node@20.11.5/node_modules/@types/node/index.d.ts",
    "Python 3.11.9, pip 24.0, mlflow==3.17.2, node v20.11.1, claude 2.1.14 (Claude Code)",
    "export OPENAI_API_KEY=YOUR_API_KEY", "ANTHROPIC_API_KEY=sk-ant-...", "OPENAI_API_KEY=sk-...",
    "curl -H \"Authorization: Bearer $GITHUB_TOKEN\" https://api.github.com/user",
    "curl -H 'Authorization: Bearer <token>' ...", "API_KEY=${API_KEY}", "TOKEN=$(gh auth token)",
    "password = os.environ['DB_PASSWORD']", "def login(user: str, password: str) -> Token:",
    "client = OpenAI(api_key=api_key)", "token = get_token()", "self.secret_key = settings.SECRET_KEY",
    '"input_tokens": 500, "output_tokens": 200, "cache_read_input_tokens": 71036, "max_tokens": 4096',
    '{"type":"token_count","info":{"total_token_usage":{"input_tokens":22539}}}',
    "token_type: bearer", "auth: required", "password_policy: strong", "primary_key: id",
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "GITHUB_TOKEN=<your token>", "password: ********",
    "git@github.com:org/repo.git", "ssh://git@github.com/org/repo.git", "https://user@gitlab.com/x.git",
    "postgres://app:${DB_PASSWORD}@db:5432/app", "grep -r 'BEGIN RSA PRIVATE KEY' .",
    '"requestId":"req_011CVKaQyW4h8Ed3b2oL9Ufz","id":"msg_01XYZabc9Lm3No5Pq7Rs9Tu1","tool_use_id":"toolu_01A09q90qw90lq917835lq9"',
    "The basic idea is that the bearer of the token authenticates; see the authorization section.",
    "task-runner risk-based disk-usage sk-learn", "Tokens: 12k sent, 1.2k received. Cost: $0.04",
    "SSH_KEY=~/.ssh/id_ed25519", "GOOGLE_APPLICATION_CREDENTIALS=/etc/gcp/sa.json", "MAX_TOKENS=4096",
    "sort_key: created_at", "cache_key = f'{user}:{page}'", "eos_token: </s>", "pad_token: '[PAD]'",
]


@pytest.mark.parametrize("text", LOOKALIKES)
def test_lookalikes_are_left_alone(text: str) -> None:
    found: Counter[str] = Counter()
    assert redact_text(text, found) == text, found
    assert redact_bytes(text.encode()) == text.encode()


def test_fixture_corpus_has_zero_redactions(fixtures_dir: Path) -> None:
    """Every byte of ../shared/fixtures, as text, as raw bytes and as parsed JSON: 0 redactions."""
    files = [p for p in sorted(fixtures_dir.rglob("*")) if p.is_file()]
    assert len(files) >= 50
    total: Counter[str] = Counter()
    for path in files:
        data = path.read_bytes()
        text = data.decode("utf-8", "surrogateescape")
        found: Counter[str] = Counter()
        assert redact_text(text, found) == text, (path.name, found)
        assert redact_bytes(data, found) == data, (path.name, found)
        docs = []
        if path.suffix == ".json":
            docs.append(json.loads(data))
        elif path.suffix == ".jsonl":
            for line in text.splitlines():
                try:
                    docs.append(json.loads(line))
                except ValueError:
                    pass  # edge-case fixtures carry broken lines on purpose
        for doc in docs:
            assert redact_obj(doc, found) == doc, (path.name, found)
        total += found
    assert total == Counter()


def test_real_tui_captures_have_zero_redactions() -> None:
    """Raw PTY bytes of real claude/codex/aider sessions recorded by this project's capture tests."""
    data = Path(__file__).resolve().parent.parent / "data"
    files = sorted(p for p in data.rglob("*") if p.is_file() and p.suffix in (".raw", ".txt", ".md", ".json"))
    if not files:
        pytest.skip("no recorded captures under tests/data")
    found: Counter[str] = Counter()
    for path in files:
        raw = path.read_bytes()
        assert redact_bytes(raw, found) == raw, (path.name, found)
    assert found == Counter()
