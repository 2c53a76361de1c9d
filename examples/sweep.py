"""A sweep from Python: the grid of examples/sweep.toml (or a dict), one tidy CSV table.

Run:  python examples/sweep.py [OUT_DIR]   (default: results/sweep); run it again and the
finished points are read back instead of recomputed.
"""
import csv
import os
import sys

from coopisac import experiments

trials = int(os.environ.get("COOPISAC_EXAMPLE_TRIALS", 20_000))
out = sys.argv[1] if len(sys.argv) > 1 else "results/sweep"
spec = {
    "experiment": "fig8",  # coverage at several densities (paper Fig. 8)
    "trials": trials,
    "seed": 5,
    "fixed": {"lam_values": [1.0], "T_dB_mc": [0.0, 5.0]},
    "grid": {"Mt": [2, 4, 8], "p_c": [0.5, 1.0]},
}
table = experiments.sweep(spec, out, progress=False)
rows = [r for r in csv.DictReader(table.open()) if r["kind"] == "monte_carlo"]
print(f"{table}: {len(rows)} Monte Carlo rows")
for r in rows:
    print(f"  Mt = {r['Mt']:>2}, p_c = {r['p_c']}, T = {float(r['x_value']):4.1f} dB: "
          f"{float(r['y_value']):.4f} +- {1.96 * float(r['stderr']):.4f}")
