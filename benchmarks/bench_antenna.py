"""Speed of the antenna-level Monte Carlo (coopisac.antenna) at Mt = 10, L = 1 on one core.

The floor is the simulator's own complex Gaussian draws (``_timing.draw_floor``): per trial
2 L Mt normals for the serving channels and 4 per interferer (the victim's two beam-plane
coordinates).  The ratio to it is what the rest costs on top (geometry, the interferers'
overlaps, steering vectors, closed-form gains, sums, thresholds), paired round by round.
Also: trials/s of the coherent run at L = 2 and of the radar rate at N = 1, and the
antenna-level time over ``simulation.coverage`` with ``fading="zf"`` (the same law) and with
the paper's fading.  Only the public API is called.
"""
from __future__ import annotations

import numpy as np

from _timing import draw_floor, figure, interleaved, ratio_figure

MT, BETA, P_C = 10, 4.0, 0.5
T = 10 ** (np.arange(-10.0, 20.1, 2.0) / 10)  # Fig. 5's thresholds


def run(quick: bool = False) -> dict[str, dict]:
    from coopisac import simulation as sim

    trials = 2**13 if quick else 2**18
    repeats = 2 if quick else 5
    L, K = 1, sim.default_K(BETA, 1)
    kw = dict(L=L, Mt=MT, beta=BETA, p_c=P_C, trials=trials, seed=1)
    cases = {
        "antenna": lambda: sim.antenna_coverage(T, **kw),
        "floor": draw_floor([("standard_normal", 2 * L * MT), ("standard_normal", 4 * (K - L))], trials),
        "coherent_L2": lambda: sim.antenna_coverage(T, joint="coherent", **{**kw, "L": 2}),
        "radar": lambda: sim.antenna_radar_rate(N=1, Mt=MT, Mr=6, beta=BETA, p_s=0.5, lam=0.05, trials=trials,
                                                seed=1),
        "zf": lambda: sim.coverage(T, fading="zf", **kw),
        "paper": lambda: sim.coverage(T, **kw),
    }
    t = interleaved(cases, repeats)
    med = {k: float(np.median(v)) for k, v in t.items()}
    spread = lambda v: float((np.percentile(v, 75) - np.percentile(v, 25)) / 2 / np.median(v))
    note = f"Mt = {MT}, beta = {BETA}, K = {K}, {T.size} thresholds, {trials} trials, median of {repeats} (CPU s)"
    return {
        "antenna_coverage_rate": figure(trials / med["antenna"], "trials/s", spread(t["antenna"]), ">= 1e5",
                                        f"L = 1, non-coherent; {note}"),
        "antenna_coverage_floor_ratio": ratio_figure(t["antenna"], t["floor"], target="<= 3",
                                                     note="floor: the same complex Gaussian draws alone"),
        "antenna_coherent_L2_rate": figure(trials / med["coherent_L2"], "trials/s", spread(t["coherent_L2"]),
                                           None, "L = 2, coherent joint transmission"),
        "antenna_radar_rate_rate": figure(trials / med["radar"], "trials/s", spread(t["radar"]), None,
                                          "N = 1, Mr = 6"),
        "antenna_vs_zf_fading": {**ratio_figure(t["antenna"], t["zf"],
                                                note="antenna-level time over simulation.coverage(fading='zf'), same law"),
                                 "unit": "x"},
        "antenna_vs_paper_model": {**ratio_figure(t["antenna"], t["paper"],
                                                  note="antenna-level time over simulation.coverage (paper's fading)"),
                                   "unit": "x"},
    }
