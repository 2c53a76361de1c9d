"""The scripts of examples/ run (at a small trial count) and print what they promise."""
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _run(args, tmp_path):
    env = {**os.environ, "COOPISAC_EXAMPLE_TRIALS": "2000",
           "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    p = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.mark.parametrize("script, expected", [
    ("custom_coverage.py", ["coverage, L = 2, Mt = 4, beta = 3.5, p_c = 0.7 W, 2000 trials", "95 % interval"]),
    ("radar_rate_metres.py", ["unit 100 m: lam = 0.05 BSs per unit area (5 per km^2)", "unit 1 m: lam = 5e-06"]),
    ("save_results.py", ["re-run identical bit for bit: True", "MCResult round trip exact: True"]),
    ("sweep.py", ["12 Monte Carlo rows", "Mt =  8, p_c = 1.0, T =  5.0 dB"]),
])
def test_example_script(script, expected, tmp_path):
    out = _run([str(EXAMPLES / script), str(tmp_path / "out")], tmp_path)
    for text in expected:
        assert text in out, out


def test_example_sweep_spec(tmp_path):
    # the documented TOML spec runs as it stands (its trials lowered for the test)
    spec = tmp_path / "sweep.toml"
    spec.write_text((EXAMPLES / "sweep.toml").read_text().replace("trials = 20000", "trials = 2000"))
    out = _run(["-m", "coopisac", "sweep", str(spec)], tmp_path)
    assert "3 points (0 read back, 3 computed)" in out
    rows = list(csv.DictReader((tmp_path / "sweep-results" / "table.csv").open()))
    assert sorted({r["p_c"] for r in rows}) == ["0.3", "0.6", "1.0"]
    assert sorted({float(r["x_value"]) for r in rows if r["kind"] == "analysis"}) == [-10.0, -5.0, 0.0, 5.0, 10.0,
                                                                                        15.0, 20.0]
