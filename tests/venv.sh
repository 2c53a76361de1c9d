# Sourced by tests/run.sh and book/build.sh: make ./.venv and install the project into it.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[book,test]"
