"""Experiments of the density chapter: the paper's Fig. 8 (coverage with one serving BS at
several BS densities: the analysis does not depend on the density, nor does the simulation)."""
from __future__ import annotations

import numpy as np

from .. import coverage, figures, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_fig8"]


def compute_fig8(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Proposition 1 (beta = 4 only) and the exact L = 1 coverage, one curve for every density;
    an independent Monte Carlo run per density at ``T_dB_mc`` (seed 1000 seed + index of lam)."""
    T_dB = np.asarray(p["T_dB"])
    T = figures.db2lin(T_dB)
    kw = dict(Mt=p["Mt"], p_c=p["p_c"], p_t=p["p_t"])
    out = []
    if p["beta"] == 4.0:
        out.append(Series("analysis", T_dB, coverage.proposition1(T, **kw), method="Proposition 1"))
    out.append(Series("analysis", T_dB, coverage.exact_coverage_L1(T, beta=p["beta"], **kw), method="exact"))
    if trials:
        T_mc = np.asarray(p["T_dB_mc"])
        for i, lam in enumerate(p["lam_values"]):
            r = simulation.coverage(figures.db2lin(T_mc), L=1, beta=p["beta"], lam=lam, trials=trials,
                                    seed=1000 * seed + i, **kw, **mc)
            out.append(Series("monte_carlo", T_mc, r.estimate, stderr=r.stderr, curve={"lam": lam},
                              label=rf"Monte Carlo, $\lambda$ = {lam:g}"))
    return out


register(Experiment(
    name="fig8", title="Coverage with one serving BS at several BS densities (paper Fig. 8)", chapter="density",
    params={
        "lam_values": Param((0.1, 1.0, 10.0), "BS densities [BSs per unit area], one Monte Carlo run each",
                            kind="floats"),
        "Mt": Param(figures.PAPER_DEFAULTS["Mt"], "transmit antennas", kind="int"),
        "beta": Param(figures.PAPER_DEFAULTS["beta"], "path-loss exponent (Proposition 1: beta = 4 only)"),
        "p_c": Param(figures.PAPER_DEFAULTS["p_c"], "communication power [W]"),
        "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power of an interferer [W]"),
        "T_dB": Param(tuple(np.arange(-10.0, 20.1, 0.5).tolist()), "SIR thresholds of the curves [dB]", kind="floats"),
        "T_dB_mc": Param(tuple(np.arange(-10.0, 20.1, 2.0).tolist()), "SIR thresholds of the Monte Carlo [dB]",
                         kind="floats"),
    },
    compute=compute_fig8, x="T_dB", y="coverage", seed=105,
))
