#!/usr/bin/env bash
# Builds the HTML book into _build/html, executing every notebook at full size.
# Creates ./.venv when it is missing and installs what the build needs.
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/venv.sh
exec .venv/bin/jupyter-book build . --builder html -W -n --keep-going "$@"
