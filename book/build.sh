#!/usr/bin/env bash
# Builds the HTML book into _build/html, executing every notebook (full size: the paper's 1e6
# Monte Carlo trials per point).  Creates ./.venv when it is missing and installs what the
# build needs.  Warnings are errors and any notebook error fails the build.
#
# Extra arguments go to `jupyter-book build`, e.g. `--path-output /tmp/book`.
# Test size: `COOPISAC_BOOK_TRIALS=2000 bash book/build.sh` (every notebook's `trials`
# parameter reads this variable).
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/venv.sh
# --all: re-read every page, so that every notebook is executed afresh.
exec .venv/bin/jupyter-book build . --builder html --all -W -n --keep-going "$@"
