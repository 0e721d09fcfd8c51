#!/usr/bin/env bash
# Install the real agent CLIs the end-to-end tests drive, into one fixed prefix, idempotently.
# .ci/run calls this as root before the tests; a second run with everything in place takes ~1 s.
# Versions are pinned to the ones the recipes in tests/e2e/README.md were found with: a newer CLI may
# change its wire protocol, its tool names or its first-run dialogs.
set -euo pipefail

PREFIX="${AITRACK_E2E_PREFIX:-/opt/aitrack-e2e}"
CLAUDE_VERSION=2.1.332
CODEX_VERSION=0.171.0
GEMINI_VERSION=0.61.0
AIDER_VERSION=0.86.2
OPENCODE_VERSION=1.18.33
COPILOT_VERSION=1.0.102
QWEN_VERSION=0.24.4   # declares engines node>=22 but runs on Node 20 (recipe: print mode and TUI pass)
CLINE_VERSION=3.0.65
CONTINUE_VERSION=1.5.47
KILO_VERSION=7.7.7    # 7.8.1 (latest) fails to install: its platform packages 7.8.1 are not published
DROID_VERSION=0.215.0  # @factory/cli 0.225.1 installs without its binary; droid exec only (TUI needs a login)
VIBE_VERSION=3.0.2   # needs Python >= 3.12: its own venv, like aider's
KIMI_VERSION=1.51.0  # Python 3.13 only (3.12.1: TypeError in super()); 1.52.0 is a stub that curls an installer
OPENHANDS_VERSION=1.16.0  # Python 3.12; ~785 MB, the longest install here (7-11 min on 2 busy cores)
PYTHON="${AITRACK_E2E_PYTHON:-python3}"
# Vibe's interpreter: the one named, else a python3.12/3.13 on PATH, else pyenv's (Debian 12 ships 3.11).
PYTHON312="${AITRACK_E2E_PYTHON312:-}"
if [ -z "$PYTHON312" ]; then
    for candidate in python3.12 python3.13 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[23]*/bin/python3 \
                     /root/.pyenv/versions/3.1[23]*/bin/python3; do
        # Run it, not just find it: a pyenv shim for a version that is not selected exits 127.
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            PYTHON312=$(command -v "$candidate"); break
        fi
    done
fi
[ -n "$PYTHON312" ] || { echo "install-clis: Mistral Vibe needs Python >= 3.12 (set AITRACK_E2E_PYTHON312)" >&2; exit 1; }
# Kimi CLI's interpreter: 3.13 exactly, found the same way.
PYTHON313="${AITRACK_E2E_PYTHON313:-}"
if [ -z "$PYTHON313" ]; then
    for candidate in python3.13 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3; do
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
            PYTHON313=$(command -v "$candidate"); break
        fi
    done
fi
[ -n "$PYTHON313" ] || { echo "install-clis: Kimi CLI needs Python 3.13 (set AITRACK_E2E_PYTHON313)" >&2; exit 1; }

mkdir -p "$PREFIX"

# System tools: tmux drives the TUIs, script records fallback captures, ip brings up loopback in the
# test's network namespace, chromium runs the MLflow UI test.
missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v zsh >/dev/null || missing+=(zsh)
command -v script >/dev/null || missing+=(util-linux)
command -v unshare >/dev/null || missing+=(util-linux)
command -v ip >/dev/null || missing+=(iproute2)
command -v git >/dev/null || missing+=(git)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "apt: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm_installed() {  # name version → true when that exact version is in the prefix
    local pkg="$PREFIX/lib/node_modules/$1/package.json"
    [ -f "$pkg" ] && [ "$(node -p "require('$pkg').version" 2>/dev/null)" = "$2" ]
}

want=()
npm_installed @anthropic-ai/claude-code "$CLAUDE_VERSION" || want+=("@anthropic-ai/claude-code@$CLAUDE_VERSION")
npm_installed @openai/codex "$CODEX_VERSION" || want+=("@openai/codex@$CODEX_VERSION")
npm_installed @google/gemini-cli "$GEMINI_VERSION" || want+=("@google/gemini-cli@$GEMINI_VERSION")
npm_installed opencode-ai "$OPENCODE_VERSION" || want+=("opencode-ai@$OPENCODE_VERSION")
npm_installed @github/copilot "$COPILOT_VERSION" || want+=("@github/copilot@$COPILOT_VERSION")
npm_installed @qwen-code/qwen-code "$QWEN_VERSION" || want+=("@qwen-code/qwen-code@$QWEN_VERSION")
npm_installed @kilocode/cli "$KILO_VERSION" || want+=("@kilocode/cli@$KILO_VERSION")
npm_installed cline "$CLINE_VERSION" || want+=("cline@$CLINE_VERSION")
npm_installed @continuedev/cli "$CONTINUE_VERSION" || want+=("@continuedev/cli@$CONTINUE_VERSION")
npm_installed droid "$DROID_VERSION" || want+=("droid@$DROID_VERSION")
if [ "${#want[@]}" -gt 0 ]; then
    echo "npm: installing ${want[*]}"
    npm install -g --prefix "$PREFIX" --no-fund --no-audit --loglevel=error "${want[@]}"
fi

AIDER_VENV="$PREFIX/aider"
if ! "$AIDER_VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('aider-chat') != '$AIDER_VERSION')" 2>/dev/null; then
    echo "pip: installing aider-chat==$AIDER_VERSION"
    "$PYTHON" -m venv "$AIDER_VENV"
    # pip warns once per package about this machine's extra index folders: keep real errors only.
    "$AIDER_VENV/bin/python" -m pip install -q --disable-pip-version-check "aider-chat==$AIDER_VERSION" 2>&1 |
        { grep -v '^WARNING: Location' || true; }
fi
ln -sf "$AIDER_VENV/bin/aider" "$PREFIX/bin/aider"

VIBE_VENV="$PREFIX/vibe"
if ! "$VIBE_VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('mistral-vibe') != '$VIBE_VERSION')" 2>/dev/null; then
    echo "pip: installing mistral-vibe==$VIBE_VERSION"
    "$PYTHON312" -m venv "$VIBE_VENV"
    "$VIBE_VENV/bin/python" -m pip install -q --disable-pip-version-check "mistral-vibe==$VIBE_VERSION" 2>&1 |
        { grep -v '^WARNING: Location' || true; }
fi
ln -sf "$VIBE_VENV/bin/vibe" "$PREFIX/bin/vibe"

pip_venv() {  # venv python dist version binary → that exact version in $PREFIX/<binary>, linked into bin
    local venv="$PREFIX/$4"
    if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('$2') != '$3')" 2>/dev/null; then
        echo "pip: installing $2==$3"
        "$1" -m venv "$venv"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check "$2==$3" 2>&1 |
            { grep -v '^WARNING: Location' || true; }
    fi
    ln -sf "$venv/bin/$4" "$PREFIX/bin/$4"
}
pip_venv "$PYTHON313" kimi-cli "$KIMI_VERSION" kimi
pip_venv "$PYTHON312" openhands "$OPENHANDS_VERSION" openhands

# OpenCode's and Kilo's plugin SDKs, as one start online leaves them in the agent's config folder
# (node_modules, package.json, package-lock.json). The tests run offline: they seed a user's
# config folder with this copy, and aitrack installs its plugin there by default (README).
sdk() {  # agent package version → $PREFIX/plugin-sdk/<agent> holding that version
    local dir="$PREFIX/plugin-sdk/$1"
    if [ "$(node -p "require('$dir/node_modules/$2/package.json').version" 2>/dev/null)" != "$3" ]; then
        echo "npm: installing the plugin SDK $2@$3 for $1"
        rm -rf "$dir" && mkdir -p "$dir"
        (cd "$dir" && npm install --no-fund --no-audit --loglevel=error "$2@$3")
    fi
}
sdk opencode @opencode-ai/plugin "$OPENCODE_VERSION"
sdk kilo @kilocode/plugin 7.3.1  # Kilo asks npm for its own version, 7.7.7, which is not published

echo "installed in $PREFIX/bin:"
echo "  claude $("$PREFIX/bin/claude" --version 2>/dev/null | head -1)"
echo "  codex  $("$PREFIX/bin/codex" --version 2>/dev/null | head -1)"
echo "  gemini $("$PREFIX/bin/gemini" --version 2>/dev/null | head -1)"
echo "  aider  $("$PREFIX/bin/aider" --version 2>/dev/null | head -1)"
echo "  opencode $("$PREFIX/bin/opencode" --version 2>/dev/null | head -1)"
echo "  copilot $("$PREFIX/bin/copilot" --version 2>/dev/null | head -1)"
echo "  qwen   $("$PREFIX/bin/qwen" --version 2>/dev/null | head -1)"
echo "  kilo   $("$PREFIX/bin/kilo" --version 2>/dev/null | head -1)"
echo "  cline  $("$PREFIX/bin/cline" --version 2>/dev/null | head -1)"
echo "  cn     $("$PREFIX/bin/cn" --version 2>/dev/null | head -1)"
echo "  vibe   $("$PREFIX/bin/vibe" --version 2>/dev/null | head -1)"
echo "  droid  $("$PREFIX/bin/droid" --version 2>/dev/null | head -1)"
echo "  kimi   $("$PREFIX/bin/kimi" --version 2>/dev/null | head -1)"
echo "  openhands $("$PREFIX/openhands/bin/python" -c "import importlib.metadata as m; print(m.version('openhands'))" 2>/dev/null)"
echo "  chromium $(/usr/bin/chromium --version 2>/dev/null | head -1)"
