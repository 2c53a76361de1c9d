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


def compute_cost(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """What Conjecture 2 costs with one serving BS: per Mt, the largest under- and over-estimate
    of Proposition 1 against the exact coverage over the thresholds ``T_dB`` (0 where it never
    errs that way), and the K-S distance D of the fitted CDF, which bounds both."""
    from .. import approximations

    T = figures.db2lin(np.asarray(p["T_dB"]))
    Mt = np.asarray(p["Mt_values"])
    under, over, ks = [], [], []
    for m in Mt:
        gap = (coverage.proposition1(T, Mt=int(m), p_c=p["p_c"], p_t=p["p_t"])
               - coverage.exact_coverage_L1(T, Mt=int(m), beta=4.0, p_c=p["p_c"], p_t=p["p_t"]))
        under.append(max(0.0, -np.min(gap)))
        over.append(max(0.0, np.max(gap)))
        # Gamma(1) is exponential: the fitted form is exact at Mt = 2
        ks.append(approximations.ks_distance(approximations.optimal_alpha(int(m) - 1), int(m) - 1) if m > 2 else 0.0)
    return [Series("analysis", Mt, under, method="largest under-estimate"),
            Series("analysis", Mt, over, method="largest over-estimate"),
            Series("analysis", Mt, ks, method="K-S distance D")]


register(Experiment(
    name="proposition1_cost", title="Largest error of Proposition 1 against the exact coverage, and the K-S bound",
    chapter="proposition1",
    params={
        "Mt_values": Param((2, 4, 6, 8, 10, 16, 32, 64), "transmit antennas, one row each", kind="ints"),
        "p_c": Param(figures.PAPER_DEFAULTS["p_c"], "communication power [W]"),
        "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power of an interferer [W]"),
        "T_dB": Param(tuple(np.arange(-10.0, 20.1, 0.5).tolist()), "SIR thresholds searched [dB]", kind="floats"),
    },
    compute=compute_cost, x="Mt", y=("coverage error", "coverage_error"), trials=0, yscale="log",
))
