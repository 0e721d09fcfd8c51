"""Per-CLI recipes: first-run config, environment, what a person types, and how the TUI is driven.

Each recipe was found by running the pinned version (install-clis.sh) by hand in tmux against the
scripted model; tests/e2e/README.md tells the story. `seed` writes only what the CLI would write
after a person went through its first-run dialogs once.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tmux import Tmux

PREFIX = Path(os.environ.get("AITRACK_E2E_PREFIX", "/opt/aitrack-e2e"))
PROMPT = "Commit hello.txt for issue #42"
COMMAND = 'git add -A && git commit -m "Add hello #42"'
FINAL = "Done: committed the change."
ANTHROPIC_KEY = "sk-ant-api03-scripted-e2e-key-0123456789abcdefghij"


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=1) + "\n")


# --- Claude Code ------------------------------------------------------------------------------

def _claude_seed(home: Path, repo: Path, url: str) -> None:
    # Onboarding done, folder trusted, key approved: else the first start contacts the vendor.
    _write_json(home / ".claude.json", {
        "hasCompletedOnboarding": True, "theme": "dark", "hasSeenAutoDefaultNudge": True,
        "customApiKeyResponses": {"approved": [ANTHROPIC_KEY[-20:]], "rejected": []},
        "projects": {str(repo): {"hasTrustDialogAccepted": True, "allowedTools": []}},
    })
    # Auto mode needs the vendor's classifier: ask, as a cautious user's setup does.
    _write_json(home / ".claude" / "settings.json", {"permissions": {"defaultMode": "default"}})


def _claude_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(r"\? for shortcuts", timeout=40)
    t.submit(prompt, r"Do you want to proceed\?")
    time.sleep(1.5)  # the permission dialog ignores keys for about a second after it appears
    t.key("Enter")
    t.wait_for(FINAL, timeout=40)
    t.mark_before_exit()
    t.type("/exit")


# --- Codex CLI --------------------------------------------------------------------------------

def _codex_seed(home: Path, repo: Path, url: str) -> None:
    (home / ".codex").mkdir(parents=True, exist_ok=True)
    (home / ".codex" / "config.toml").write_text(f'''model = "gpt-5.5"
model_provider = "scripted"
approval_policy = "on-request"
sandbox_mode = "workspace-write"

[model_providers.scripted]
name = "scripted"
base_url = "{url}/v1"
wire_api = "responses"
env_key = "SCRIPTED_API_KEY"

[projects."{repo}"]
trust_level = "trusted"

# What answering the "new model" dialog once leaves behind.
[notice.model_migrations]
"gpt-5.5" = "gpt-6-sol"

[tui.model_availability_nux]
"gpt-6.1-sol" = 1
''')


def _codex_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(r"OpenAI Codex", timeout=40)
    t.wait_for(r"\? for shortcuts", timeout=40)
    # workspace-write keeps .git read-only, so the model asks for escalation: the approval dialog.
    t.submit(prompt, r"Would you like to run the following command\?")
    time.sleep(0.5)
    t.key("y")
    t.wait_for(FINAL, timeout=40)
    t.mark_before_exit()
    t.type("/quit")


# --- Gemini CLI -------------------------------------------------------------------------------

def _gemini_seed(home: Path, repo: Path, url: str) -> None:
    _write_json(home / ".gemini" / "settings.json", {
        "security": {"auth": {"selectedType": "gemini-api-key"}, "folderTrust": {"enabled": False}},
        "ui": {"theme": "Default"},
        "general": {"disableAutoUpdate": True, "disableUpdateNag": True},
        "privacy": {"usageStatisticsEnabled": False},
    })


def _gemini_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(r"Type your message", timeout=40)
    t.submit(prompt, r"Allow execution")
    time.sleep(0.5)
    t.key("Enter")  # "1. Allow once" is selected
    t.wait_for(FINAL, timeout=40)
    t.mark_before_exit()
    t.type("/quit")


# --- aider ------------------------------------------------------------------------------------

AIDER_PROMPT = "Create hello.txt for issue #42"
AIDER_COMMAND = "git log --oneline -1"


def _aider_seed(home: Path, repo: Path, url: str) -> None:
    # Flags in ~/.aider.conf.yml, so a person types plain `aider`.
    (home / ".aider.conf.yml").write_text(
        "model: openai/scripted\nedit-format: diff\ngitignore: false\nshow-release-notes: false\n"
        "check-update: false\nanalytics: false\n"
    )
    # A non-empty price cache stops the model-metadata download at start.
    _write_json(home / ".aider" / "caches" / "model_prices_and_context_window.json", {
        "openai/scripted": {"max_tokens": 8192, "max_input_tokens": 128000, "max_output_tokens": 8192,
                            "input_cost_per_token": 0, "output_cost_per_token": 0,
                            "litellm_provider": "openai", "mode": "chat"},
    })


def _aider_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(r"(?m)^diff>", timeout=60)
    t.submit(prompt, r"Create new file\?")
    t.type("y")
    t.wait_for(r"Run shell command\?", timeout=40)
    t.type("y")
    t.wait_for(r"Add command output to the chat\?", timeout=40)
    t.type("n")
    t.wait_for(r"(?m)^diff>\s*$", timeout=40)
    t.mark_before_exit()
    t.type("/exit")


# --- OpenCode ---------------------------------------------------------------------------------

# A model's `cost` in the config (USD per million tokens) makes OpenCode and Kilo write a per-message
# `cost` in their database: the agent-reported cost that aitrack keeps apart from its own pricing.
MODEL_COST = {"input": 1.25, "output": 10.0, "cache_read": 0.125, "cache_write": 0.0}

def _opencode_seed(home: Path, repo: Path, url: str) -> None:
    # A custom OpenAI-compatible provider (bundled with the CLI: nothing is fetched) as the default model.
    _write_json(home / ".config" / "opencode" / "opencode.json", {
        "$schema": "https://opencode.ai/config.json", "autoupdate": False, "share": "disabled",
        "model": "scripted/gpt-scripted",
        "provider": {"scripted": {"npm": "@ai-sdk/openai-compatible", "name": "Scripted",
                                  "options": {"baseURL": f"{url}/v1", "apiKey": "sk-scripted-e2e"},
                                  "models": {"gpt-scripted": {"name": "Scripted model", "tool_call": True,
                                                              "cost": MODEL_COST}}}},
    })


TURN_FOOTER = r"▣  \w+ · .+ · [\d.]+m?s"  # OpenCode's and Kilo's end of a turn: the spinner row is gone


def _opencode_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(r"Ask anything", timeout=60)
    t.submit(prompt, FINAL)  # bash is allowed by default: no approval dialog
    t.wait_for(TURN_FOOTER, timeout=30)  # else the screen read before exit may hold the spinner row
    time.sleep(1)
    t.mark_before_exit()
    t.key("C-c")


OPENCODE_ENV = {"OPENCODE_DISABLE_MODELS_FETCH": "1", "OPENCODE_DISABLE_AUTOUPDATE": "1",
                "OPENCODE_DISABLE_LSP_DOWNLOAD": "1", "OPENCODE_DISABLE_SHARE": "1"}


# --- GitHub Copilot CLI ---------------------------------------------------------------------

def _copilot_seed(home: Path, repo: Path, url: str) -> None:
    # What answering "Confirm folder trust" once leaves behind.
    _write_json(home / ".copilot" / "config.json", {"trusted_folders": [str(repo)], "banner": "never"})


COPILOT_APPROVE = r"Do you want to run this command\?|Do you want to (?:create|edit|write)"


def _copilot_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(COPILOT_READY, timeout=60)
    t.submit(prompt, COPILOT_APPROVE)
    time.sleep(1)
    t.key("Enter")  # "1. Yes"
    t.wait_for(FINAL, timeout=40)
    t.mark_before_exit()
    t.key("C-c")
    time.sleep(0.5)
    t.key("C-c")


COPILOT_READY = r"· / commands · "


def _copilot_env(url: str) -> dict[str, str]:
    return {"COPILOT_OFFLINE": "true", "COPILOT_AUTO_UPDATE": "false", "COPILOT_MODEL": "gpt-scripted",
            "COPILOT_PROVIDER_BASE_URL": f"{url}/v1", "COPILOT_PROVIDER_TYPE": "openai",
            "COPILOT_PROVIDER_API_KEY": "sk-scripted-e2e"}


# --- Qwen Code --------------------------------------------------------------------------------

def _qwen_seed(home: Path, repo: Path, url: str) -> None:
    _write_json(home / ".qwen" / "settings.json", {
        "security": {"auth": {"selectedType": "openai"}, "folderTrust": {"enabled": False}},
        "general": {"enableAutoUpdate": False, "disableAutoUpdate": True, "disableUpdateNag": True},
        "privacy": {"usageStatisticsEnabled": False}, "telemetry": {"enabled": False},
        "ui": {"theme": "Default"}, "ide": {"enabled": False},
    })


QWEN_READY = r"Type your message"
QWEN_APPROVE = r"Yes, allow once|Allow execution"


def _qwen_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(QWEN_READY, timeout=60)
    t.submit(prompt, QWEN_APPROVE)
    time.sleep(1)
    t.key("Enter")  # "1. Yes, allow once"
    t.wait_for(FINAL, timeout=40)
    t.mark_before_exit()
    time.sleep(1)
    t.type("/quit")


# --- Kilo Code CLI (an OpenCode fork) ---------------------------------------------------------

def _kilo_seed(home: Path, repo: Path, url: str) -> None:
    _write_json(home / ".config" / "kilo" / "kilo.json", {
        "autoupdate": False, "share": "disabled", "model": "scripted/gpt-scripted",
        "provider": {"scripted": {"npm": "@ai-sdk/openai-compatible", "name": "Scripted",
                                  "options": {"baseURL": f"{url}/v1", "apiKey": "sk-scripted-e2e"},
                                  "models": {"gpt-scripted": {"name": "Scripted model", "tool_call": True,
                                                              "cost": MODEL_COST}}}},
    })


KILO_READY = r"Ask anything"


def _kilo_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(KILO_READY, timeout=60)
    t.submit(prompt, FINAL)  # bash is allowed by default: no approval dialog
    t.wait_for(TURN_FOOTER, timeout=30)
    time.sleep(1)
    t.mark_before_exit()
    t.key("C-d")  # Ctrl-C does not quit Kilo (it does OpenCode)


KILO_ENV = {"KILO_DISABLE_MODELS_FETCH": "1", "KILO_DISABLE_AUTOUPDATE": "1", "KILO_DISABLE_LSP_DOWNLOAD": "1",
            "KILO_DISABLE_SHARE": "1", "KILO_DISABLE_SESSION_INGEST": "1", "KILO_DISABLE_CODEBASE_INDEXING": "1",
            "KILO_NO_DAEMON": "1", "KILO_DISABLE_PRESENCE": "1"}


# --- Cline CLI ---------------------------------------------------------------------------------

def _cline_seed(home: Path, repo: Path, url: str) -> None:
    # What `cline auth -p openai -k KEY -m MODEL -b URL/v1` writes.
    _write_json(home / ".cline" / "data" / "settings" / "providers.json", {
        "version": 1, "lastUsedProvider": "openai-compatible", "modes": {},
        "providers": {"openai-compatible": {
            "settings": {"provider": "openai-compatible", "apiKey": "sk-scripted-e2e", "model": "gpt-scripted",
                         "baseUrl": f"{url}/v1"},
            "updatedAt": "2026-12-03T05:48:34.015Z", "tokenSource": "manual"}},
    })


CLINE_READY = r"What can I do for you\?"


def _cline_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(CLINE_READY, timeout=60)
    t.submit(prompt, FINAL)  # "Auto-approve all" is on by default: no approval dialog
    time.sleep(1.5)
    t.mark_before_exit()
    t.key("C-c")


# No CLINE_SESSION_BACKEND_MODE: `aitrack run cline` sets it to `local` itself (the hub daemon Cline
# starts otherwise outlives the session); test_cline_hub_daemon_… checks a plain setup.
CLINE_ENV = {"CLINE_DISABLE_CLINE_PASS_NOTICE": "1", "CLINE_NO_AUTO_UPDATE": "1"}


# --- Continue CLI ------------------------------------------------------------------------------

def _continue_seed(home: Path, repo: Path, url: str) -> None:
    # Plain `cn` reads ~/.continue/config.yaml once onboarding is marked done (else it asks for an
    # Anthropic key).
    (home / ".continue").mkdir(parents=True, exist_ok=True)
    (home / ".continue" / "config.yaml").write_text(f"""name: scripted
version: 1.0.0
schema: v1
models:
  - name: gpt-scripted
    provider: openai
    model: gpt-scripted
    apiBase: {url}/v1
    apiKey: sk-scripted-e2e
    roles: [chat, edit, apply]
    capabilities: [tool_use]
""")
    (home / ".continue" / ".onboarding_complete").write_text("")


CONTINUE_READY = r"Ask anything, @ for context"
CONTINUE_APPROVE = r"Would you like to continue\?"


def _continue_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(CONTINUE_READY, timeout=60)
    t.submit(prompt, CONTINUE_APPROVE)
    time.sleep(1)
    t.key("Enter")  # "> Continue"
    t.wait_for(FINAL, timeout=40)
    time.sleep(1)
    t.mark_before_exit()
    t.type("/exit")  # Ctrl-C twice does not quit it


CONTINUE_ENV = {"CONTINUE_CLI_DISABLE_TELEMETRY": "1", "CONTINUE_TELEMETRY_ENABLED": "0"}


@dataclass(frozen=True)
class Agent:
    name: str  # the command a person types
    provider: str  # aitrack's provider tag
    tui_args: str  # what follows the name on the command line in the TUI journey
    seed: Callable[[Path, Path, str], None]
    drive: Callable[[Tmux, str], None]
    env: Callable[[str], dict[str, str]]
    print_args: Callable[[str], list[str]]
    prompt: str = PROMPT
    command: str = COMMAND
    log_glob: str = ""  # the agent's own session log, relative to HOME (aider: to the repo)
    side_globs: tuple[str, ...] = ()  # files its log's parser reads beside it, kept with a recording
    # For the multi-prompt recordings (record_sessions.py): the TUI's idle prompt, its approval
    # dialog and the keys that approve once, and how a person leaves it.
    ready: str = ""
    approve: str = ""
    approve_keys: tuple[str, ...] = ("Enter",)
    quit_keys: tuple[str, ...] = ("C-c",)

    @property
    def binary(self) -> Path:
        return PREFIX / "bin" / self.name


AGENTS = {
    "claude": Agent(
        "claude", "claude_code", "", _claude_seed, _claude_drive,
        lambda url: {"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
                     "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_AUTOUPDATER": "1",
                     "IS_SANDBOX": "1"},  # root may skip permissions in print mode only in a sandbox
        lambda p: ["-p", p, "--dangerously-skip-permissions"],
        log_glob=".claude/projects/*/*.jsonl",
    ),
    "codex": Agent(
        "codex", "openai_codex", "--no-daemon",  # else an app-server daemon outlives the session
        _codex_seed, _codex_drive,
        lambda url: {"SCRIPTED_API_KEY": "sk-scripted-e2e"},
        lambda p: ["exec", "--dangerously-bypass-approvals-and-sandbox", p],
        log_glob=".codex/sessions/*/*/*/rollout-*.jsonl",
    ),
    "gemini": Agent(
        "gemini", "gemini_cli", "", _gemini_seed, _gemini_drive,
        lambda url: {"GEMINI_API_KEY": "scripted-e2e-key", "GOOGLE_GEMINI_BASE_URL": url},
        lambda p: ["-p", p, "--yolo"],
        log_glob=".gemini/tmp/*/chats/session-*",
    ),
    "aider": Agent(
        "aider", "aider", "", _aider_seed, _aider_drive,
        lambda url: {"OPENAI_API_BASE": f"{url}/v1", "OPENAI_API_KEY": "sk-scripted-e2e"},
        lambda p: ["--yes-always", "--message", p],
        prompt=AIDER_PROMPT, command=AIDER_COMMAND, log_glob=".aider.chat.history.md",
    ),
}
AGENTS["opencode"] = Agent(
    "opencode", "opencode", "", _opencode_seed, _opencode_drive,
    lambda url: dict(OPENCODE_ENV),
    lambda p: ["run", p],
    log_glob=".local/share/opencode/opencode.db", ready=r"Ask anything",
)
AGENTS["copilot"] = Agent(
    "copilot", "copilot_cli", "", _copilot_seed, _copilot_drive, _copilot_env,
    lambda p: ["-p", p, "--allow-all-tools"],
    log_glob=".copilot/session-state/*/events.jsonl", ready=COPILOT_READY, approve=COPILOT_APPROVE,
    quit_keys=("C-c", "C-c"),
)
AGENTS["qwen"] = Agent(
    "qwen", "qwen_code", "", _qwen_seed, _qwen_drive,
    lambda url: {"OPENAI_API_KEY": "sk-scripted-e2e", "OPENAI_BASE_URL": f"{url}/v1", "OPENAI_MODEL": "gpt-scripted"},
    lambda p: ["--yolo", "-p", p],
    log_glob=".qwen/projects/*/chats/*.jsonl", ready=QWEN_READY, approve=QWEN_APPROVE, quit_keys=("/quit",),
)

AGENTS["kilo"] = Agent(
    "kilo", "kilo_code", "", _kilo_seed, _kilo_drive,
    lambda url: dict(KILO_ENV),
    lambda p: ["run", "--auto", p],
    log_glob=".local/share/kilo/kilo.db", ready=KILO_READY, quit_keys=("C-d",),
)
AGENTS["cline"] = Agent(
    "cline", "cline", "-i", _cline_seed, _cline_drive,
    lambda url: dict(CLINE_ENV),
    lambda p: [p],
    log_glob=".cline/data/sessions/*/*.json", ready=CLINE_READY,  # messages + metadata
)
AGENTS["cn"] = Agent(
    "cn", "continue_cli", "", _continue_seed, _continue_drive,
    lambda url: dict(CONTINUE_ENV),
    lambda p: ["--auto", "-p", p],
    log_glob=".continue/sessions/*.json", ready=CONTINUE_READY, approve=CONTINUE_APPROVE,
    quit_keys=("/exit",),
)


# --- Factory droid (print mode only: its TUI asks for a Factory login) -------------------------

def _droid_seed(home: Path, repo: Path, url: str) -> None:
    # A custom chat-completions model; `droid exec` needs no login for it.
    _write_json(home / ".factory" / "settings.json", {
        "customModels": [{"model": "gpt-scripted", "displayName": "Scripted", "baseUrl": f"{url}/v1",
                          "apiKey": "sk-scripted-e2e", "provider": "generic-chat-completion-api",
                          "maxOutputTokens": 4096}],
        "enableTelemetry": False,
    })


def _no_tui(t: Tmux, prompt: str) -> None:
    raise AssertionError("droid's TUI needs a Factory login: print mode only")


DROID_MODEL = "custom:Scripted-0"
AGENTS["droid"] = Agent(
    "droid", "factory_droid", "", _droid_seed, _no_tui, lambda url: {},
    lambda p: ["exec", "--skip-permissions-unsafe", "-m", DROID_MODEL, p],
    log_glob=".factory/sessions/*/*.jsonl",
)


# --- Mistral Vibe (PyPI, Python >= 3.12: its own venv under the prefix) -------------------------

def _vibe_seed(home: Path, repo: Path, url: str) -> None:
    (home / ".vibe").mkdir(parents=True, exist_ok=True)
    (home / ".vibe" / "config.toml").write_text(f'''active_model = "scripted"
enable_update_checks = false
enable_telemetry = false

[[providers]]
name = "scripted"
api_base = "{url}/v1"
api_key_env_var = "SCRIPTED_API_KEY"
api_style = "openai"
backend = "generic"

[[models]]
name = "gpt-scripted"
provider = "scripted"
alias = "scripted"
''')


VIBE_READY = r"Type /help for more information"
VIBE_APPROVE = r"Allow once"


def _drive_approving_once(ready: str, approve: str) -> Callable[[Tmux, str], None]:
    """Wait for the TUI, submit, approve the command with Enter (its first choice is "allow once"),
    wait for the answer, then `/exit` (Ctrl-C would count as the person stopping it)."""
    def drive(t: Tmux, prompt: str) -> None:
        t.wait_for(ready, timeout=60)
        time.sleep(1)
        t.submit(prompt, approve)
        time.sleep(1)
        t.key("Enter")
        t.wait_for(FINAL, timeout=40)
        t.mark_before_exit()
        time.sleep(1)
        t.type("/exit")
    return drive


_vibe_drive = _drive_approving_once(VIBE_READY, VIBE_APPROVE)  # "1. Allow once"


AGENTS["vibe"] = Agent(
    "vibe", "mistral_vibe", "--trust", _vibe_seed, _vibe_drive, lambda url: {"SCRIPTED_API_KEY": "sk-scripted-e2e"},
    lambda p: ["--auto-approve", "--trust", "-p", p],
    log_glob=".vibe/logs/session/unified/*/journal/*.jsonl", ready=VIBE_READY, approve=VIBE_APPROVE,
    quit_keys=("/exit",),
)


# --- Kimi CLI (PyPI kimi-cli 1.51.0, Python 3.13: its own venv under the prefix) ----------------

def _kimi_seed(home: Path, repo: Path, url: str) -> None:
    # An OpenAI chat-completions provider as the default model (what `/setup` would write for one).
    (home / ".kimi").mkdir(parents=True, exist_ok=True)
    (home / ".kimi" / "config.toml").write_text(f'''default_model = "scripted"

[providers.scripted]
type = "openai_legacy"
base_url = "{url}/v1"
api_key = "sk-scripted-e2e"

[models.scripted]
provider = "scripted"
model = "gpt-scripted"
max_context_size = 128000
''')


KIMI_READY = r"Welcome to Kimi"
KIMI_APPROVE = r"\[1\] Approve once"


_kimi_drive = _drive_approving_once(KIMI_READY, KIMI_APPROVE)  # "[1] Approve once" is selected


AGENTS["kimi"] = Agent(
    "kimi", "kimi_cli", "", _kimi_seed, _kimi_drive, lambda url: {},
    lambda p: ["--print", "-p", p],
    log_glob=".kimi/sessions/*/*/wire.jsonl", side_globs=(".kimi/sessions/*/*/*.json*", ".kimi/kimi.json"),
    ready=KIMI_READY, approve=KIMI_APPROVE, quit_keys=("/exit",),
)


# --- OpenHands CLI (PyPI openhands 1.16.0, Python 3.12: its own venv under the prefix) ----------

def _openhands_seed(home: Path, repo: Path, url: str) -> None:
    # Nothing to seed: the model comes from the environment (`--override-with-envs`).
    (home / ".openhands").mkdir(parents=True, exist_ok=True)


def _openhands_env(url: str) -> dict[str, str]:
    # LITELLM_LOCAL_MODEL_COST_MAP: litellm would fetch its price table from GitHub at start.
    return {"LLM_API_KEY": "sk-scripted-e2e", "LLM_BASE_URL": f"{url}/v1", "LLM_MODEL": "openai/gpt-scripted",
            "LITELLM_LOCAL_MODEL_COST_MAP": "True", "OPENHANDS_SUPPRESS_BANNER": "1"}


OPENHANDS_READY = r"What do you want to build\?"
OPENHANDS_APPROVE = r"Confirm \d+ action"


def _openhands_drive(t: Tmux, prompt: str) -> None:
    t.wait_for(OPENHANDS_READY, timeout=90)
    time.sleep(2)
    t.submit(prompt, OPENHANDS_APPROVE, timeout=90)
    time.sleep(1.5)
    t.key("Enter")  # "> Yes"
    t.wait_for(FINAL, timeout=60)
    t.mark_before_exit()
    time.sleep(1)
    t.key("C-q")  # --exit-without-confirmation: no "Terminate session?" box drawn over the transcript


AGENTS["openhands"] = Agent(
    "openhands", "openhands", "--override-with-envs --exit-without-confirmation", _openhands_seed, _openhands_drive, _openhands_env,
    lambda p: ["--headless", "--override-with-envs", "-t", p],
    log_glob=".openhands/conversations/*/base_state.json",
    side_globs=(".openhands/conversations/*/events/*.json",),
    ready=OPENHANDS_READY, approve=OPENHANDS_APPROVE, quit_keys=("C-q",),
)
