"""Experiments of the introduction: the simulator against the closed form of Andrews, Baccelli
and Ganti (2011) (one serving BS, Rayleigh fading: the paper's model with Mt = 2)."""
from __future__ import annotations

import numpy as np

from .. import coverage, figures, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_abg_check"]


def compute_abg_check(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """The closed form 1 / (1 + rho(T p_t / p_c, beta)) (``coverage.rayleigh_coverage``) on a
    fine grid, and Monte Carlo of the nearest BS with Mt = 2 (Gamma(1, 1) = Rayleigh) at
    ``T_dB``."""
    fine = np.linspace(min(p["T_dB"]), max(p["T_dB"]), p["points"])
    ratio = p["p_t"] / p["p_c"]
    out = [Series("analysis", fine, coverage.rayleigh_coverage(figures.db2lin(fine) * ratio, p["beta"]),
                  method="Andrews et al. 2011")]
    if trials:
        T_dB = np.asarray(p["T_dB"])
        r = simulation.coverage(figures.db2lin(T_dB), L=1, Mt=2, beta=p["beta"], p_c=p["p_c"], p_t=p["p_t"],
                                trials=trials, seed=seed, **mc)
        out.append(Series("monte_carlo", T_dB, r.estimate, stderr=r.stderr))
    return out


register(Experiment(
    name="abg_check", title="The simulator against Andrews-Baccelli-Ganti (one serving BS, Rayleigh fading)",
    chapter="intro",
    params={"beta": Param(figures.PAPER_DEFAULTS["beta"], "path-loss exponent"),
            "p_c": Param(1.0, "communication power [W] (all of p_t)"),
            "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power of an interferer [W]"),
            "T_dB": Param(tuple(np.arange(-10.0, 20.1, 2.5).tolist()), "SIR thresholds of the Monte Carlo [dB]",
                          kind="floats"),
            "points": Param(121, "points of the closed-form curve", kind="int")},
    compute=compute_abg_check, x="T_dB", y="coverage", seed=1,
))
