#!/usr/bin/env bash
# Run aitrack's test suite: makes a dev venv (.venv) with the test extras on first use, then pytest.
# Usage: ./test.sh [pytest args…]
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/pytest ] || [ pyproject.toml -nt .venv/.installed ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --upgrade pip
    .venv/bin/pip install --quiet -e '.[test]'
    touch .venv/.installed
fi
export PATH="$PWD/.venv/bin:$PATH"
# Bytecode cached in .venv/pycache, outside the sources, even where PYTHONDONTWRITEBYTECODE is set:
# a run starts hundreds of Python processes, and each compiling aitrack (and pytest its tests)
# from source again cost ~0.3 s of CPU.
export PYTHONPYCACHEPREFIX="$PWD/.venv/pycache"
unset PYTHONDONTWRITEBYTECODE
exec .venv/bin/python -m pytest "$@"
