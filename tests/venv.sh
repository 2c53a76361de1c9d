# Sourced by tests/run.sh and book/build.sh: make ./.venv and install the project into it.
# COOPISAC_VENV_READY=1 (set by tests/run.sh for the commands it starts) skips the install.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if [ "${COOPISAC_VENV_READY:-}" != 1 ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[book,test]"
fi
