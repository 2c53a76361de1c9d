#!/usr/bin/env bash
# Runs every test of the project.  Creates ./.venv when it is missing, installs the package
# with its book and test extras into it (a no-op when already there), then runs pytest.
# Extra arguments go to pytest, e.g. `bash tests/run.sh -k coverage`.
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/venv.sh
# The test-size book build started by tests/test_book_html.py needs no second install.
export COOPISAC_VENV_READY=1
exec .venv/bin/python -m pytest "$@"
