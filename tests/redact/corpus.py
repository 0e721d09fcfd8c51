"""A corpus of FAKE secrets in real formats: right prefixes, lengths and alphabets, random bodies.

Generated from a fixed seed, never real keys. Each `Secret` has the rule whose marker must replace
it and `line`, a realistic line that carries it; `bare` secrets have a recognisable format and are
also planted on their own in prompts, commands, outputs, commit messages, dotenv, JSON and YAML.
"""
from __future__ import annotations

import base64
import json
import random
import string
from typing import NamedTuple

_rng = random.Random(20261127)
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"


def rand(alphabet: str, n: int) -> str:
    while True:
        s = "".join(_rng.choice(alphabet) for _ in range(n))
        # A real generator's output mixes classes; keep the corpus honest about that.
        mixed = any(c.isdigit() for c in alphabet) and any(c.isalpha() for c in alphabet)
        if not mixed or (any(c.isdigit() for c in s) and any(c.isalpha() for c in s)):
            return s


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Secret(NamedTuple):
    rule: str
    value: str  # what must not survive
    line: str  # a realistic line carrying it
    bare: bool  # recognisable anywhere, without its line


def _bare(rule: str, value: str, var: str) -> Secret:
    return Secret(rule, value, f"export {var}={value}", True)


def _jwt() -> str:
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps({"sub": rand(ALNUM, 12), "iat": 1764200000, "role": "admin"}).encode())
    return f"{head}.{body}.{rand(URLSAFE, 43)}"


def _pem(kind: str) -> str:
    body = base64.b64encode(_rng.randbytes(600)).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {kind}PRIVATE KEY-----\n" + "\n".join(lines) + f"\n-----END {kind}PRIVATE KEY-----"


_AWS_ID = "AKIA" + "".join(_rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))
_AWS_SECRET = rand(B64, 40)
_AZURE = base64.b64encode(_rng.randbytes(64)).decode()
_SLACK_HOOK = f"T{rand(string.ascii_uppercase + string.digits, 8)}/B{rand(string.ascii_uppercase + string.digits, 10)}/{rand(ALNUM, 24)}"
_PG_PW = rand(ALNUM, 16)
_MONGO_PW = rand(ALNUM + "!*", 20)
_REDIS_PW = rand(ALNUM, 24)
_BASIC = base64.b64encode(f"deploy:{rand(ALNUM, 18)}".encode()).decode()
_OPAQUE = rand(URLSAFE, 40)
_DB_PW = rand(ALNUM + "#%^", 14)
_YAML_PW = rand(ALNUM, 12)
_CLIENT_SECRET = rand(ALNUM, 32)
_ROUTER = rand(ALNUM + "+/", 44)
_TWILIO_AUTH = rand(HEX, 32)
_PEM_RSA = _pem("RSA ")
_PEM_SSH = _pem("OPENSSH ")

SECRETS: tuple[Secret, ...] = (
    _bare("anthropic_api_key", "sk-ant-api03-" + rand(URLSAFE, 93) + "AA", "ANTHROPIC_API_KEY"),
    _bare("openai_api_key", "sk-proj-" + rand(URLSAFE, 124), "OPENAI_API_KEY"),
    _bare("openai_api_key", "sk-" + rand(ALNUM, 20) + "T3BlbkFJ" + rand(ALNUM, 20), "OPENAI_KEY"),
    _bare("google_api_key", "AIza" + rand(URLSAFE, 35), "GOOGLE_API_KEY"),
    _bare("github_token", "ghp_" + rand(ALNUM, 36), "GITHUB_TOKEN"),
    _bare("github_pat", "github_pat_11" + rand(string.ascii_uppercase + string.digits, 20) + "_" + rand(ALNUM, 59), "GH_TOKEN"),
    _bare("github_oauth_token", "gho_" + rand(ALNUM, 36), "GH_OAUTH"),
    _bare("github_app_token", "ghs_" + rand(ALNUM, 36), "GH_APP_TOKEN"),
    _bare("github_app_token", "ghu_" + rand(ALNUM, 36), "GH_USER_TOKEN"),
    _bare("github_refresh_token", "ghr_" + rand(ALNUM, 76), "GH_REFRESH"),
    _bare("gitlab_token", "glpat-" + rand(URLSAFE, 20), "GITLAB_TOKEN"),
    _bare("slack_token", f"xoxb-{rand(string.digits, 11)}-{rand(string.digits, 13)}-{rand(ALNUM, 24)}", "SLACK_BOT_TOKEN"),
    _bare("slack_token", f"xoxp-{rand(string.digits, 11)}-{rand(string.digits, 11)}-{rand(string.digits, 13)}-{rand(HEX, 32)}", "SLACK_USER_TOKEN"),
    _bare("stripe_key", "sk_live_" + rand(ALNUM, 99), "STRIPE_SECRET_KEY"),
    _bare("stripe_key", "rk_live_" + rand(ALNUM, 99), "STRIPE_RESTRICTED"),
    _bare("stripe_webhook_secret", "whsec_" + rand(ALNUM, 32), "STRIPE_WEBHOOK"),
    _bare("aws_access_key_id", _AWS_ID, "AWS_ACCESS_KEY_ID"),
    _bare("npm_token", "npm_" + rand(ALNUM, 36), "NPM_TOKEN"),
    _bare("pypi_token", "pypi-AgEIcHlwaS5vcmc" + rand(URLSAFE, 150), "TWINE_PASSWORD"),
    _bare("huggingface_token", "hf_" + rand(string.ascii_letters, 34), "HF_TOKEN"),
    _bare("twilio_api_key", "SK" + rand(HEX, 32), "TWILIO_API_KEY"),
    _bare("sendgrid_api_key", f"SG.{rand(URLSAFE, 22)}.{rand(URLSAFE, 43)}", "SENDGRID_API_KEY"),
    _bare("jwt", _jwt(), "SESSION_JWT"),
    Secret("aws_secret_access_key", _AWS_SECRET, f"aws_secret_access_key = {_AWS_SECRET}", False),
    Secret("azure_storage_key", _AZURE,
           f"DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey={_AZURE};EndpointSuffix=core.windows.net", False),
    Secret("slack_webhook", _SLACK_HOOK, f"curl -X POST https://hooks.slack.com/services/{_SLACK_HOOK} -d @msg.json", False),
    Secret("private_key", _PEM_RSA, _PEM_RSA, False),
    Secret("private_key", _PEM_SSH, _PEM_SSH, False),
    Secret("url_password", _PG_PW, f"DATABASE_URL=postgres://app:{_PG_PW}@db.internal:5432/app", False),
    Secret("url_password", _MONGO_PW, f"mongosh 'mongodb+srv://admin:{_MONGO_PW}@cluster0.ab1cd.mongodb.net/prod'", False),
    Secret("url_password", _REDIS_PW, f"REDIS_URL=redis://:{_REDIS_PW}@cache:6379/0", False),
    Secret("authorization_header", _BASIC, f'curl -H "Authorization: Basic {_BASIC}" https://ci.internal/api', False),
    Secret("authorization_header", _OPAQUE, f"Authorization: Bearer {_OPAQUE}", False),
    Secret("password", _DB_PW, f"DB_PASSWORD={_DB_PW}", False),
    Secret("password", _YAML_PW, f"  password: {_YAML_PW}", False),
    Secret("secret_assignment", _CLIENT_SECRET, f'"client_secret": "{_CLIENT_SECRET}"', False),
    Secret("secret_assignment", _TWILIO_AUTH, f"TWILIO_AUTH_TOKEN={_TWILIO_AUTH}", False),
    Secret("high_entropy_secret", _ROUTER, f'ROUTER_KEY="{_ROUTER}"', False),
)

BARE = tuple(s for s in SECRETS if s.bare)


def contexts(s: Secret) -> dict[str, str]:
    """The secret planted where sessions carry it: prompts, commands, outputs, commits, config files."""
    v = s.value
    out = {
        "prompt": f"Here is my config, please fix the deploy:\n{s.line}\nthanks",
        "output": f"$ cat .env\nNODE_ENV=production\n{s.line}\nPORT=8080\n",
        "commit": f"Rotate the deploy credentials\n\nWas:\n{s.line}\n\nAitrack-Session: 20261127T031959123Z-4f3a9c\n",
        "json_escaped": json.dumps({"type": "tool_result", "content": s.line}),
    }
    if s.bare:
        out.update({
            "prompt_inline": f"use {v} for the staging API, it expires tomorrow",
            "command": f"curl -s https://api.internal/v1/me -H 'X-Api-Token: {v}'",
            "output_inline": f"Loaded credentials ({v}) from keychain",
            "commit_inline": f"Fix CI auth\n\nThe old key {v} was revoked.",
            "dotenv": f"# .env\nAPP_NAME=shop\nSERVICE_TOKEN={v}\nDEBUG=0\n",
            "json": json.dumps({"service": "shop", "api_key": v, "region": "eu-west-1"}, indent=2),
            "yaml": f"service: shop\ncredentials:\n  api_key: {v}\n  region: eu-west-1\n",
        })
    return out


def tui_bytes(s: Secret) -> bytes:
    """The line as a TUI draws it: colours, bold and a cursor move in the middle of the secret."""
    line = s.line
    i = line.index(s.value)
    cut1, cut2 = i + len(s.value) // 3, i + 2 * len(s.value) // 3
    drawn = (
        "\x1b[?2026h\x1b[2K\x1b[1G\x1b[38;5;245m\u2502\x1b[39m "
        + line[:i] + "\x1b[1m\x1b[38;2;215;119;87m" + line[i:cut1] + "\x1b[0m\x1b[38;2;215;119;87m"
        + line[cut1:cut2] + "\x1b[3;14H" + line[cut2:] + "\x1b[0m\x1b[K\r\n\x1b[?2026l"
    )
    return drawn.encode()
