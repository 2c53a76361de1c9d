"""Speed of the antenna-level Monte Carlo (coopisac.antenna) at Mt = 10, L = 1 on one core.

The floor is the simulator's own complex Gaussian draws: per trial L Mt entries of the serving
channels and two per interferer (the victim's beam-plane coordinates), drawn in the same block
sizes.  The ratio to it is what the rest (geometry,
steering vectors, closed-form gains, sums, thresholds) costs on top.
"""
from __future__ import annotations

import time

import numpy as np

from coopisac import _engine, antenna, simulation

MT, BETA, P_C = 10, 4.0, 0.5
T = 10 ** (np.arange(-10.0, 20.1, 2.0) / 10)  # Fig. 5's thresholds


def _best(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), (max(times) - min(times)) / min(times)


def _floor(trials, L, K):
    def draw(rng, n):
        antenna._cn(rng, (MT, n, L))
        rng.standard_normal((4, n, K - L))
        return 0

    return lambda: _engine.run_blocks(draw, trials, 0)


def run(quick: bool = False) -> dict[str, dict]:
    trials = 2**15 if quick else 2**18
    repeats = 2 if quick else 3
    L, K = 1, simulation.default_K(BETA, 1)
    kw = dict(L=L, Mt=MT, beta=BETA, p_c=P_C, trials=trials, seed=1)
    t_ant, s_ant = _best(lambda: simulation.antenna_coverage(T, **kw), repeats)
    t_coh, _ = _best(lambda: simulation.antenna_coverage(T, joint="coherent", **{**kw, "L": 2}), repeats)
    t_floor, s_floor = _best(_floor(trials, L, K), repeats)
    t_zf, _ = _best(lambda: simulation.coverage(T, fading="zf", **kw), repeats)
    t_paper, _ = _best(lambda: simulation.coverage(T, **kw), repeats)
    t_rad, s_rad = _best(lambda: simulation.antenna_radar_rate(N=1, Mt=MT, Mr=6, beta=BETA, p_s=0.5, lam=0.05,
                                                               trials=trials, seed=1), repeats)
    note = f"Mt = {MT}, beta = {BETA}, K = {K}, {T.size} thresholds, {trials} trials, best of {repeats}"
    return {
        "antenna_coverage_rate": {"value": trials / t_ant, "unit": "trials/s", "spread": s_ant,
                                  "target": ">= 1e5", "note": f"L = 1, non-coherent; {note}"},
        "antenna_coverage_floor_ratio": {"value": t_ant / t_floor, "unit": "x floor", "spread": s_ant + s_floor,
                                         "target": "<= 3", "note": "floor: the same complex Gaussian draws alone"},
        "antenna_coherent_L2_rate": {"value": trials / t_coh, "unit": "trials/s", "spread": None, "target": None,
                                     "note": "L = 2, coherent joint transmission"},
        "antenna_radar_rate_rate": {"value": trials / t_rad, "unit": "trials/s", "spread": s_rad, "target": None,
                                    "note": "N = 1, Mr = 6"},
        "zf_fading_vs_antenna": {"value": t_ant / t_zf, "unit": "x", "spread": None, "target": None,
                                 "note": "antenna-level time over simulation.coverage(fading='zf'), same law"},
        "paper_model_vs_antenna": {"value": t_ant / t_paper, "unit": "x", "spread": None, "target": None,
                                   "note": "antenna-level time over the paper model's simulation.coverage"},
    }


if __name__ == "__main__":
    for name, fig in run().items():
        print(f"{name:32s} {fig['value']:12.4g} {fig['unit']:10s} target {fig['target']}  ({fig['note']})")
