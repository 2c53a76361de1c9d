"""Coverage at parameters of your own: Theorem 1 (eq. 10) against Monte Carlo.

Two serving BSs, four transmit antennas, path-loss exponent 3.5, 0.7 W of the 1 W total on
communication; thresholds in dB.  Run:  python examples/custom_coverage.py
(COOPISAC_EXAMPLE_TRIALS sets the Monte Carlo trials, default 200 000.)
"""
import os

import numpy as np

from coopisac import coverage, figures, simulation

trials = int(os.environ.get("COOPISAC_EXAMPLE_TRIALS", 200_000))
L, Mt, beta, p_c, p_t = 2, 4, 3.5, 0.7, 1.0
T_dB = np.arange(-10.0, 20.1, 5.0)
T = figures.db2lin(T_dB)  # the package takes linear thresholds

analysis = coverage.theorem1(T, L=L, Mt=Mt, beta=beta, p_c=p_c, p_t=p_t)
joint = coverage.theorem1(T, L=L, Mt=Mt, beta=beta, p_c=p_c, p_t=p_t, distances="joint")
mc = simulation.coverage(T, L=L, Mt=Mt, beta=beta, p_c=p_c, p_t=p_t, trials=trials, seed=1)

print(f"coverage, L = {L}, Mt = {Mt}, beta = {beta}, p_c = {p_c} W, {trials} trials")
print(" T [dB]  Theorem 1  (joint distances)  Monte Carlo  95 % interval")
for t, a, j, est, se in zip(T_dB, analysis, joint, mc.estimate, mc.stderr):
    print(f"{t:7.1f}  {a:9.4f}  {j:17.4f}  {est:11.4f}  [{est - 1.96 * se:.4f}, {est + 1.96 * se:.4f}]")
