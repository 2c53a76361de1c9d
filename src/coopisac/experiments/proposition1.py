"""Experiments of the Proposition 1 chapter: the paper's Fig. 6 (coverage with one serving BS
for several Mt: Proposition 1, the exact coverage, Monte Carlo)."""
from __future__ import annotations

import numpy as np

from .. import coverage, figures, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_fig6"]


def compute_fig6(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Per Mt: Proposition 1 (eq. 11, beta = 4 only), the exact L = 1 coverage, and Monte Carlo at
    the thresholds ``T_dB_mc`` with seed 1000 seed + (index of Mt)."""
    T_dB = np.asarray(p["T_dB"])
    T = figures.db2lin(T_dB)
    T_mc = np.asarray(p["T_dB_mc"])
    out = []
    for i, Mt in enumerate(p["Mt_values"]):
        if p["beta"] == 4.0:
            out.append(Series("analysis", T_dB, coverage.proposition1(T, Mt=Mt, p_c=p["p_c"], p_t=p["p_t"]),
                              method="Proposition 1", curve={"Mt": Mt}))
        out.append(Series("analysis", T_dB,
                          coverage.exact_coverage_L1(T, Mt=Mt, beta=p["beta"], p_c=p["p_c"], p_t=p["p_t"]),
                          method="exact", curve={"Mt": Mt}))
        if trials:
            r = simulation.coverage(figures.db2lin(T_mc), L=1, Mt=Mt, beta=p["beta"], p_c=p["p_c"], p_t=p["p_t"],
                                    trials=trials, seed=1000 * seed + i, **mc)
            out.append(Series("monte_carlo", T_mc, r.estimate, stderr=r.stderr, curve={"Mt": Mt}))
    return out


register(Experiment(
    name="fig6",
    title="Coverage with one serving BS vs SIR threshold for several Mt (paper Fig. 6)",
    chapter="proposition1",
    params={
        "Mt_values": Param((2, 4, 8, 10, 16), "transmit antennas, one curve each", kind="ints"),
        "beta": Param(4.0, "path-loss exponent (Proposition 1 holds for beta = 4 only)", kind="float"),
        "p_c": Param(figures.PAPER_DEFAULTS["p_c"], "communication power [W]", kind="float"),
        "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power of an interferer [W]", kind="float"),
        "T_dB": Param(tuple(np.arange(-10.0, 20.1, 0.5).tolist()), "SIR thresholds of the curves [dB]", kind="floats"),
        "T_dB_mc": Param(tuple(np.arange(-10.0, 20.1, 2.0).tolist()), "SIR thresholds of the Monte Carlo [dB]",
                         kind="floats"),
    },
    compute=compute_fig6, x="T_dB", y="coverage", seed=104,
))
