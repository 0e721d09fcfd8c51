"""The redaction rules, as data: one named pattern per secret format.

A rule's marker is `[REDACTED:<name>]`. The named group `s` (else the whole match) is what gets
replaced, so `postgres://app:pw@db` keeps its user and host. `keywords` are literal substrings of
which one must occur before the regex runs at all (the cheap prefilter); `fold` compares them with
the lowercased text. `check` names a test in `values.CHECKS` the value must pass. `full_len` is the
full length of a fixed-length token: a TUI that wraps such a token at the edge of its box leaves the
rest on the next line, and `wrap` finds both pieces.

Every pattern is line-bound (no match crosses a newline) except `private_key`, and uses only
bounded, non-nested repetition so matching stays linear on adversarial input.
Assignments (`API_KEY=…`, `"password": "…"`) need key-name logic and live in `assign.py`.
"""
from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    name: str
    pattern: str
    keywords: tuple[str, ...]
    fold: bool = False
    priority: int = 100
    check: str = ""
    full_len: int = 0
    wrap: str = ""  # regex with groups `a` (first piece, prefix included) and `b` (the rest)
    anchored: bool = True  # every match starts where a keyword starts (lets the engine seed)
    back: str = ""  # …or this many characters of this set before it (`postgres` before `://`)
    back_max: int = 0


B = r"(?<![A-Za-z0-9_\]])"  # a token starts a word (`]`: never glued to a marker)
BD = r"(?<![A-Za-z0-9_\]-])"  # the same for tokens whose alphabet has `-`
# A token ends a word; a marker counts as a word, so a token glued to a redacted neighbour is
# treated the same before and after that neighbour is replaced (redaction stays idempotent).
E = r"(?![A-Za-z0-9_]|\[REDACTED:)"
ED = r"(?![A-Za-z0-9_-]|\[REDACTED:)"
# What may sit between the two pieces of a wrapped token: padding, a box border, a line break.
GAP = r"[ \t]*(?:[\u2502\u2503\u2551|][ \t]*)?\r?\n[ \t]*(?:[\u2502\u2503\u2551|>][ \t]*)?"


def _wrap(prefix: str, body: str, full: int) -> str:
    return rf"{B}(?P<a>{prefix}{body}{{1,{full - 1}}})(?={GAP}{body})(?P<gap>{GAP})(?P<b>{body}{{1,{full}}}){E}"


ALNUM = "[A-Za-z0-9]"
_DIGITS = "[0-9]{5,16}"
URLSAFE = "[A-Za-z0-9_-]"

RULES: tuple[Rule, ...] = (
    Rule("anthropic_api_key", rf"{BD}sk-ant-[a-z]{{2,8}}\d{{0,3}}-{URLSAFE}{{20,300}}{ED}", ("sk-ant-",), check="random"),
    Rule("openai_api_key", rf"{BD}sk-(?!ant-)(?:(?:proj|svcacct|admin|None)-)?{URLSAFE}{{20,300}}{ED}", ("sk-",), check="random"),
    Rule("google_api_key", rf"{BD}AIza{URLSAFE}{{35}}{ED}", ("AIza",), check="random", full_len=39,
         wrap=_wrap("AIza", URLSAFE, 39)),
    Rule("github_pat", rf"{B}github_pat_[A-Za-z0-9_]{{22,255}}{E}", ("github_pat_",), check="random", full_len=93,
         wrap=_wrap("github_pat_", "[A-Za-z0-9_]", 93)),
    Rule("github_token", rf"{B}ghp_{ALNUM}{{30,255}}{E}", ("ghp_",), check="random", full_len=40,
         wrap=_wrap("ghp_", ALNUM, 40)),
    Rule("github_oauth_token", rf"{B}gho_{ALNUM}{{30,255}}{E}", ("gho_",), check="random", full_len=40,
         wrap=_wrap("gho_", ALNUM, 40)),
    Rule("github_app_token", rf"{B}gh[us]_{ALNUM}{{30,255}}{E}", ("ghu_", "ghs_"), check="random", full_len=40,
         wrap=_wrap("gh[us]_", ALNUM, 40)),
    Rule("github_refresh_token", rf"{B}ghr_{ALNUM}{{30,255}}{E}", ("ghr_",), check="random"),
    Rule("gitlab_token", rf"{BD}gl(?:pat|dt|rt|ptt|soat|cbt|imt|ft|oas|agent)-{URLSAFE}{{20,200}}(?:\.{URLSAFE}{{2,100}}){{0,3}}{ED}",
         ("glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glcbt-", "glimt-", "glft-", "gloas-", "glagent-"), check="random"),
    Rule("slack_token", rf"{B}(?:xox[abposre]|xapp)-[A-Za-z0-9-]{{10,250}}{E}", ("xox", "xapp-"), check="random"),
    Rule("slack_webhook", r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<s>[A-Za-z0-9_/+-]{20,300})",
         ("hooks.slack.com",), priority=90),
    Rule("stripe_key", rf"{B}(?:sk|rk)_(?:live|test)_{ALNUM}{{16,250}}{E}", ("sk_live_", "rk_live_", "sk_test_", "rk_test_"),
         check="random"),
    Rule("stripe_webhook_secret", rf"{B}whsec_{ALNUM}{{24,250}}{E}", ("whsec_",), check="random"),
    Rule("aws_access_key_id", rf"{B}(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{{16}}{E}", ("AKIA", "ASIA", "ABIA", "ACCA"),
         check="not_placeholder"),
    Rule("aws_secret_access_key",
         r"(?i:aws_?secret_?access_?key|secret_?access_?key)\\?[\"']?[ \t]*(?:=|:|=>)[ \t]*\\?[\"']?"
         r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
         ("aws_secret_access_key", "awssecretaccesskey", "aws_secretaccesskey", "awssecret_accesskey",
          "aws_secret_accesskey", "awssecretaccess_key", "aws_secretaccess_key", "awssecret_access_key",
          "secret_access_key", "secretaccesskey", "secret_accesskey", "secretaccess_key"), fold=True, priority=95,
         check="not_placeholder"),
    Rule("azure_storage_key", r"(?i:AccountKey|SharedAccessKey)=(?P<s>[A-Za-z0-9+/]{20,200}={0,2})",
         ("accountkey=", "sharedaccesskey="), fold=True, priority=95, check="not_placeholder"),
    Rule("azure_sas_signature", r"[?&;]sig=(?P<s>[A-Za-z0-9%+/]{20,200}(?:=|%3[dD]){0,2})", ("sig=",), priority=95,
         check="not_placeholder", back="?&;", back_max=1),
    Rule("npm_token", rf"{B}npm_{ALNUM}{{36}}{E}", ("npm_",), check="random", full_len=40, wrap=_wrap("npm_", ALNUM, 40)),
    Rule("pypi_token", rf"{BD}pypi-AgE{URLSAFE}{{40,300}}{ED}", ("pypi-AgE",)),
    Rule("huggingface_token", rf"{B}hf_{ALNUM}{{30,60}}{E}", ("hf_",), check="random", full_len=37,
         wrap=_wrap("hf_", ALNUM, 37)),
    Rule("twilio_api_key", rf"{B}SK[0-9a-f]{{32}}{E}", ("SK",), check="random"),
    Rule("sendgrid_api_key", rf"{BD}SG\.{URLSAFE}{{22}}\.{URLSAFE}{{43}}{ED}", ("SG.",)),
    Rule("jwt", rf"{BD}eyJ{URLSAFE}{{10,2000}}\.eyJ{URLSAFE}{{10,8000}}\.{URLSAFE}{{16,2000}}{ED}", ("eyJ",)),
    Rule("private_key",
         r"-----BEGIN[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----"
         r"(?:(?:\r?\n|\\r\\n|\\n)[ \t]{0,40}(?:[A-Za-z0-9+/=]{1,200}|(?:Proc-Type|DEK-Info|Comment):[^\r\n\\]{0,200})[ \t]*(?=\r?\n|\\n|\\r|\Z|-----)"
         r"|(?:\r?\n|\\r\\n|\\n)[ \t]{0,40}(?=\r?\n|\\n|\\r))*"
         r"(?:(?:\r?\n|\\r\\n|\\n)?[ \t]{0,40}-----END[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----)?",
         ("-----BEGIN",), check="pem_body"),
    Rule("url_password",
         r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,19}://[^\s:@/?#'\"<>\\]{0,128}:(?P<s>[^\s@/?#'\"<>\\]{1,256})@(?=[A-Za-z0-9\[_-])",
         ("://",), priority=80, check="not_reference",
         back="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-", back_max=20),
    Rule("authorization_header",
         r"(?i:authorization|api-key|x-auth-token)\\?[\"']?[ \t]*[:=][ \t]*\\?[\"']?"
         # Any scheme word (`SSWS`, `Token`, `ApiKey`, `Splunk`…), not a list: the credential follows.
         r"(?:[A-Za-z][A-Za-z0-9_-]{1,24}[ \t]+)?(?P<s>[^\s\"'\\]{8,4000})",
         ("authorization", "api-key", "x-auth-token"), fold=True, priority=90, check="header_value"),
    Rule("bearer_token", r"(?<![A-Za-z0-9_])(?i:bearer)[ \t]+(?P<s>[A-Za-z0-9._~+/-]{16,4000}=*)", ("bearer",), fold=True,
         priority=85, check="random"),
    Rule("basic_auth", r"(?<![A-Za-z0-9_])(?i:basic)[ \t]+(?P<s>[A-Za-z0-9+/]{8,1000}={0,2})(?![A-Za-z0-9+/=])",
         ("basic",), fold=True, priority=85, check="basic_auth"),
)

# Formats from the gitleaks default rule set (github.com/gitleaks/gitleaks, config/gitleaks.toml,
# MIT licence; rule ids in the comments), adapted to this engine: a keyword prefilter, `B`/`E` word
# bounds instead of RE2's `\b`, the marker lookahead. Each is recognised bare, without a key name.
RULES += (
    Rule("docker_hub_token", rf"{B}dckr_pat_{URLSAFE}{{27,64}}{ED}", ("dckr_pat_",), check="random"),  # docker-hub-pat
    Rule("mailgun_api_key", rf"{BD}key-[0-9a-f]{{32}}{E}", ("key-",), check="random"),  # mailgun-private-api-token
    Rule("telegram_bot_token", rf"(?<![0-9A-Za-z_:]){_DIGITS}:AA{URLSAFE}{{33}}{ED}", (":AA",), check="random",
         back="0123456789", back_max=16),  # telegram-bot-api-token
    Rule("age_secret_key", rf"{B}AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{{58}}{E}", ("AGE-SECRET-KEY-1",)),  # age-secret-key
    Rule("atlassian_api_token", rf"{B}ATATT3{URLSAFE}{{150,250}}=?[A-F0-9]{{0,8}}{ED}", ("ATATT3",), check="random"),  # atlassian-api-token
    Rule("databricks_token", rf"{B}dapi[0-9a-f]{{32}}(?:-[0-9]){{0,1}}{E}", ("dapi",), check="random"),  # databricks-api-token
    Rule("digitalocean_token", rf"{B}do[opr]_v1_[0-9a-f]{{64}}{E}", ("dop_v1_", "doo_v1_", "dor_v1_"), check="random"),  # digitalocean-pat/-access-token/-refresh-token
    Rule("heroku_api_key", rf"{BD}HRKU-(?:AA{URLSAFE}{{58}}|[0-9a-fA-F]{{8}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{12}}){ED}",
         ("HRKU-",)),  # heroku-api-key-v2
    Rule("vault_token", rf"{B}hv[sb]\.{URLSAFE}{{24,200}}{ED}", ("hvs.", "hvb."), check="random"),  # vault-service-token, vault-batch-token
    Rule("shopify_token", rf"{B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{{32}}{E}", ("shpat_", "shpca_", "shppa_", "shpss_"),
         check="random"),  # shopify-access-token, -custom-access-token, -private-app-access-token, -shared-secret
    Rule("linear_api_key", rf"{B}lin_api_{ALNUM}{{40}}{E}", ("lin_api_",), check="random"),  # linear-api-key
    Rule("grafana_token", rf"{B}(?:glsa_{ALNUM}{{32}}_[A-Fa-f0-9]{{8}}|glc_{URLSAFE}{{32,400}}={{0,2}}){E}", ("glsa_", "glc_"),
         check="random"),  # grafana-service-account-token, grafana-cloud-api-token
    Rule("google_oauth_client_secret", rf"{BD}GOCSPX-{URLSAFE}{{28}}{ED}", ("GOCSPX-",), check="random"),  # gcp oauth client secret
    # netrc: `machine host login me password X`, on one line or over the indented lines below it.
    Rule("netrc_password", r"(?:machine[ \t]+[^\s]{1,255}|default)(?:[ \t]+|\r?\n[ \t]*)login[ \t]+[^\s]{1,255}"
         r"(?:[ \t]+|\r?\n[ \t]*)password[ \t]+(?P<s>[^\s]{1,256})",
         ("machine", "default")),
)

# Priorities of the assignment rules (assign.py): below every named format, so `API_KEY=sk-…`
# is reported as the key it is, not as an assignment.
PASSWORD, SECRET_ASSIGNMENT, HIGH_ENTROPY = "password", "secret_assignment", "high_entropy_secret"
ASSIGN_PRIORITY = 50
