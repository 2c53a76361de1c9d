"""Save results with the parameters that made them, read them back, and re-make them bit for bit.

An experiment's record (JSON) holds every parameter, the seed, the trials and the provenance
(package, numpy and scipy versions, git commit, wall time); its CSV holds every curve and point
with standard errors and 95 % intervals.  A Monte Carlo result (MCResult) converts to a dict too.
Run:  python examples/save_results.py [OUT_DIR]   (default: results/example)
"""
import json
import os
import sys

import numpy as np

from coopisac import experiments, simulation

trials = int(os.environ.get("COOPISAC_EXAMPLE_TRIALS", 100_000))
out = sys.argv[1] if len(sys.argv) > 1 else "results/example"

# 1. An experiment of the book at parameters of your own, saved as JSON + CSV + PNG.
result = experiments.run("fig6", trials=trials, seed=3, Mt_values=(4, 8), p_c=0.7)
paths = result.save(out, formats=("png",))
print("written:", ", ".join(str(p) for p in paths.values()))

# 2. Read the record back and run it again: the same numbers, bit for bit.
record = experiments.ExperimentResult.from_json(paths["json"].read_text())
again = experiments.run(record.name, trials=record.trials, seed=record.seed, **record.parameters)
print("re-run identical bit for bit:", again.same_numbers(record))
print("provenance:", {k: record.provenance[k] for k in ("coopisac", "git_commit", "numpy", "wall_s")})

# 3. A bare Monte Carlo result as JSON, with the parameters that made it.
T = np.array([0.5, 1.0, 2.0])
kw = dict(L=1, Mt=4, beta=4.0, p_c=0.5, trials=trials, seed=1)
mc = simulation.coverage(T, **kw)
text = json.dumps(mc.to_dict(parameters={"T": T, **kw}))
back = simulation.MCResult.from_dict(json.loads(text))
print("MCResult round trip exact:", bool(np.array_equal(back.estimate, mc.estimate)), "| parameters:",
      json.loads(text)["parameters"])
