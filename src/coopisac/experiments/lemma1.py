"""Experiments of the Lemma 1 chapter: the conditional Laplace transforms of the echo X and of
the interference Y given (r_1, r_N), as printed (eqs. 13-14), exactly, and by conditional
Monte Carlo."""
from __future__ import annotations

import numpy as np

from .. import figures, sensing, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_echo", "compute_interference"]


def _z(p: dict) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = np.log10(p["z_min"]), np.log10(p["z_max"])
    return np.logspace(lo, hi, p["points"]), np.logspace(lo, hi, p["points_mc"])


def _laplace(p: dict, N: int, z_mc: np.ndarray, trials: int, seed: int):
    return simulation.sensing_laplace(z_mc, N=N, Mt=p["Mt"], Mr=p["Mr"], beta=p["beta"], p_s=p["p_s"], p_t=p["p_t"],
                                      lam=p["lam"], sigma2=p["sigma2"], r1=p["r_1"], rN=p["r_N"], trials=trials,
                                      seed=seed + N)


def compute_echo(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """E[e^{-zX} | r_1, r_N]: eq. (13) as printed (one curve for every N), the exact transform and
    the conditional Monte Carlo (seed + N) per N, the latter where it exceeds ``mc_floor``."""
    z, z_mc = _z(p)
    echo = {k: p[k] for k in ("Mt", "Mr", "beta", "p_s", "sigma2")}
    out = [Series("analysis", z, sensing.lemma1_laplace_x(z, p["r_N"], **echo, lam=p["lam"]),
                  method="Lemma 1, eq. 13, every N")]
    for N in p["N_values"]:
        out.append(Series("analysis", z, sensing.laplace_x_exact(z, p["r_1"], p["r_N"], N=N, **echo), method="exact",
                          curve={"N": N}))
        if trials:
            r = _laplace(p, N, z_mc, trials, seed)
            keep = r.laplace_x > p["mc_floor"]
            out.append(Series("monte_carlo", z_mc[keep], r.laplace_x[keep], stderr=r.stderr_x[keep], curve={"N": N}))
    return out


def compute_interference(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """E[e^{-zY} | r_1, r_N]: eq. (14) as printed, exact, and the conditional Monte Carlo (the
    run of cluster size N, seed + N: given r_1 and r_N, Y does not depend on N)."""
    z, z_mc = _z(p)
    kw = dict(beta=p["beta"], p_t=p["p_t"], lam=p["lam"])
    out = [Series("analysis", z, sensing.lemma1_laplace_y(z, p["r_1"], p["r_N"], **kw), method="Lemma 1, eq. 14"),
           Series("analysis", z, sensing.laplace_y_exact(z, p["r_1"], p["r_N"], **kw), method="exact")]
    if trials:
        r = _laplace(p, p["N"], z_mc, trials, seed)
        keep = r.laplace_y > p["mc_floor"]
        out.append(Series("monte_carlo", z_mc[keep], r.laplace_y[keep], stderr=r.stderr_y[keep]))
    return out


D = sensing.FIGURE_DEFAULTS
_COMMON = {
    "r_1": Param(2.0, f"distance target - BS 1 [{D['length_unit']}]"),
    "r_N": Param(5.0, f"distance target - BS N, the farthest sensing BS [{D['length_unit']}]"),
    "lam": Param(D["lam"], f"BS density [BSs per ({D['length_unit']})^2]"),
    "Mt": Param(figures.PAPER_DEFAULTS["Mt"], "transmit antennas", kind="int"),
    "Mr": Param(figures.PAPER_DEFAULTS["Mr"], "receive antennas", kind="int"),
    "beta": Param(figures.PAPER_DEFAULTS["beta"], "path-loss exponent"),
    "p_s": Param(D["p_s"], "sensing power [W]"),
    "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power of an interferer [W]"),
    "sigma2": Param(figures.PAPER_DEFAULTS["sigma2"], "mean radar cross-section of the target"),
    "z_min": Param(1e-3, "smallest Laplace variable"),
    "z_max": Param(1e3, "largest Laplace variable"),
    "points": Param(61, "points of each curve (log-spaced)", kind="int"),
    "points_mc": Param(25, "Monte Carlo points (log-spaced)", kind="int"),
    "mc_floor": Param(1e-3, "Monte Carlo points only where the transform exceeds this"),
}
register(Experiment(
    name="lemma1_echo", title="Conditional Laplace transform of the echo given (r_1, r_N): Lemma 1 (eq. 13), exact, "
    "Monte Carlo", chapter="lemma1",
    params={"N_values": Param((2, 6), "sensing cluster sizes, one exact curve each", kind="ints"), **_COMMON},
    compute=compute_echo, x="z", y=(r"$E[e^{-zX} \mid r_1, r_N]$", "laplace_x"), seed=106, xscale="log",
))
register(Experiment(
    name="lemma1_interference", title="Conditional Laplace transform of the interference at BS 1 given (r_1, r_N): "
    "Lemma 1 (eq. 14), exact, Monte Carlo", chapter="lemma1",
    params={"N": Param(6, "sensing cluster size of the Monte Carlo run (Y does not depend on it)", kind="int"),
            **_COMMON},
    compute=compute_interference, x="z", y=(r"$E[e^{-zY} \mid r_1, r_N]$", "laplace_y"), seed=106, xscale="log",
))
