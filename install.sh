#!/usr/bin/env bash
# Install aitrack from this checkout and add the shell integration. Git hooks need nothing:
# the wrapper gives each agent session its hooks (core.hooksPath for that session alone).
#
#   ./install.sh                    pipx or uv when present, else a venv under the data dir
#   ./install.sh --python PY        reuse the Python environment of PY (aitrack already installed in it)
#   ./install.sh --shells bash,zsh  choose the shells instead of detecting them
#   ./install.sh --global-hooks     also put the hooks into new clones (init.templateDir), for
#                                   sessions started without the wrapper
#   ./install.sh --no-agent-hooks   leave the agents' own configs alone (by default aitrack's hook goes
#                                   into Claude Code, Codex, Gemini CLI, Qwen Code, Copilot CLI: `aitrack agents install`)
#   ./install.sh --uninstall        remove everything install.sh added (recorded sessions stay)
#
# Running it twice changes nothing the second time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data=${AITRACK_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/aitrack}
link_dir=$HOME/.local/bin
python=""
shells=""
hooks=()
agent_hooks=()
action=install

die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case $1 in
        --python) [ $# -ge 2 ] || die "--python needs a path"; python=$2; shift 2 ;;
        --python=*) python=${1#--python=}; shift ;;
        --shells) [ $# -ge 2 ] || die "--shells needs a list"; shells=$2; shift 2 ;;
        --shells=*) shells=${1#--shells=}; shift ;;
        --global-hooks) hooks=(--global-hooks); shift ;;
        --no-agent-hooks) agent_hooks=(--no-agent-hooks); shift ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done

find_python() {  # a Python >= 3.11 to build the venv with
    local py
    for py in python3.13 python3.12 python3.11 python3; do
        if command -v "$py" >/dev/null 2>&1 &&
            "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$py"
            return 0
        fi
    done
    return 1
}

if [ "$action" = uninstall ]; then
    # The installed environment's Python if it still works, else this checkout's module source.
    py=$(sed -n 's/^ *"python": "\(.*\)",\{0,1\}$/\1/p' "$data/install.json" 2>/dev/null | head -n 1)
    if [ -n "$py" ] && "$py" -I -c 'import aitrack.shell.install' 2>/dev/null; then
        exec "$py" -I -m aitrack.shell.install uninstall
    fi
    py=$(find_python) || die "no Python >= 3.11 found to run the uninstaller"
    PYTHONPATH=$here exec "$py" -m aitrack.shell.install uninstall
fi

if [ -n "$python" ]; then
    "$python" -I -c 'import aitrack' 2>/dev/null ||
        die "$python cannot import aitrack: install it there first (pip install -e $here)"
    installer=existing
    bin_dir=$(dirname "$python")
    venv=""
elif command -v pipx >/dev/null 2>&1; then
    echo "Installing aitrack with pipx…"
    pipx install --quiet --force "$here" >/dev/null
    installer=pipx
    venv=$(pipx environment --value PIPX_LOCAL_VENVS)/aitrack
    bin_dir=$(pipx environment --value PIPX_BIN_DIR)
    python=$venv/bin/python
elif command -v uv >/dev/null 2>&1; then
    echo "Installing aitrack with uv…"
    uv tool install --quiet --force "$here" >/dev/null
    installer=uv
    venv=$(uv tool dir)/aitrack
    bin_dir=$(uv tool dir --bin)
    python=$venv/bin/python
else
    installer=venv
    venv=$data/venv
    if [ ! -x "$venv/bin/python" ]; then
        base=$(find_python) || die "Python >= 3.11 is needed (python3.11 or newer on PATH)"
        echo "Creating a virtualenv in $venv…"
        mkdir -p "$data" && chmod 700 "$data"
        "$base" -m venv "$venv"
    fi
    echo "Installing aitrack from $here into $venv (a few minutes the first time: mlflow is large)…"
    # A current pip writes console scripts that do not import `re`: ~3 ms off every `aitrack run`.
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$here"
    bin_dir=$venv/bin
    python=$venv/bin/python
fi

args=(install --bin-dir "$bin_dir" --link-dir "$link_dir" --installer "$installer")
[ -n "$venv" ] && args+=(--venv "$venv")
[ -n "$shells" ] && args+=(--shells "$shells")
exec "$python" -I -m aitrack.shell.install "${args[@]}" "${hooks[@]}" "${agent_hooks[@]}"
