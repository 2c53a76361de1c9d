"""Experiments of the Theorem 2 chapter: the paper's Figs. 9 and 10 (radar information rate
against the cluster size and the BS density) and the exact rate over its whole rho range,
each with Theorem 2 as printed, the exact rate and Monte Carlo."""
from __future__ import annotations

import numpy as np

from .. import figures, sensing, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_fig9", "compute_fig10", "compute_rho_sweep", "lam_of_rho"]

D = sensing.FIGURE_DEFAULTS


def _common(p: dict) -> dict:
    return {k: p[k] for k in ("Mr", "beta", "p_s", "p_t", "sigma2")}


def _physical(help_unit: str = "") -> dict:
    """The sensing parameters every figure of the chapter takes (the book's defaults)."""
    return {
        "Mr": Param(D["Mr"], "receive antennas of the echo", kind="int"),
        "beta": Param(D["beta"], "path-loss exponent", kind="float"),
        "p_s": Param(D["p_s"], "sensing power [W]", kind="float"),
        "p_t": Param(D["p_t"], "total power of a BS [W]", kind="float"),
        "sigma2": Param(D["sigma2"], "radar cross-section sigma^2 (in the length unit^2)", kind="float"),
    }


def lam_of_rho(rho, p: dict):
    """The density giving rho = sigma2 Mr (p_s/p_t)(pi lam)^(beta/2), in BSs per unit area."""
    return (np.asarray(rho, dtype=float) / (p["sigma2"] * p["Mr"] * p["p_s"] / p["p_t"])) ** (2.0 / p["beta"]) / np.pi


def compute_fig9(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Per Mt: eq. (16) as printed and the exact rate for N = 1..N_max at ``lam``, and Monte
    Carlo (one run per Mt serves every N; seed 1000 seed + index of Mt)."""
    N = np.arange(1, p["N_max"] + 1)
    out = []
    for i, Mt in enumerate(p["Mt_values"]):
        kw = dict(Mt=Mt, lam=p["lam"], **_common(p))
        out.append(Series("analysis", N, sensing.theorem2(N, exact=False, **kw), method="Theorem 2, eq. 16", curve={"Mt": Mt}))
        out.append(Series("analysis", N, sensing.theorem2(N, exact=True, **kw), method="exact", curve={"Mt": Mt}))
        if trials:
            r = simulation.radar_rate(N=N, trials=trials, seed=1000 * seed + i, **kw, **mc)
            out.append(Series("monte_carlo", N, r.estimate, stderr=r.stderr, curve={"Mt": Mt}))
    return out


def compute_fig10(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Per Mt: printed and exact rate at cluster size N over the densities ``lam_values``, and
    Monte Carlo (one run per Mt serves every lam; seed 1000 seed + index of Mt)."""
    lam = np.asarray(p["lam_values"], dtype=float)
    out = []
    for i, Mt in enumerate(p["Mt_values"]):
        kw = dict(Mt=Mt, lam=lam, **_common(p))
        out.append(Series("analysis", lam, sensing.theorem2(p["N"], exact=False, **kw), method="Theorem 2, eq. 16", curve={"Mt": Mt}))
        out.append(Series("analysis", lam, sensing.theorem2(p["N"], exact=True, **kw), method="exact", curve={"Mt": Mt}))
        if trials:
            r = simulation.radar_rate(N=p["N"], trials=trials, seed=1000 * seed + i, **kw, **mc)
            out.append(Series("monte_carlo", lam, r.estimate, stderr=r.stderr, curve={"Mt": Mt}))
    return out


def compute_rho_sweep(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Per N: the exact rate and eq. (16) as printed over n_rho values of rho, log-spaced from
    rho_min to rho_max, with Monte Carlo at ``rho_mc`` (one run serves every N and rho; seed
    1000 seed).  lam follows from rho at the other parameters (``lam_of_rho``)."""
    rho = np.logspace(np.log10(p["rho_min"]), np.log10(p["rho_max"]), p["n_rho"])
    N = np.asarray(p["N_values"])
    kw = dict(Mt=p["Mt"], **_common(p))
    exact = sensing.theorem2(N[:, None], lam=lam_of_rho(rho, p)[None, :], exact=True, **kw)
    printed = sensing.theorem2(N[:, None], lam=lam_of_rho(rho, p)[None, :], exact=False, **kw)
    out = []
    for j, n in enumerate(N):
        out.append(Series("analysis", rho, exact[j], method="exact", curve={"N": int(n)}))
        out.append(Series("analysis", rho, printed[j], method="Theorem 2, eq. 16", curve={"N": int(n)}))
    if trials:
        rho_mc = np.asarray(p["rho_mc"], dtype=float)
        r = simulation.radar_rate(N=N[:, None], lam=lam_of_rho(rho_mc, p)[None, :], trials=trials, seed=1000 * seed, **kw, **mc)
        for j, n in enumerate(N):
            out.append(Series("monte_carlo", rho_mc, r.estimate[j], stderr=r.stderr[j], curve={"N": int(n)}))
    return out


def draw_rho_sweep(result, ax=None):
    """The generic drawing on a log rho axis, with lam in BSs per square metre on a second axis
    (through ``length_unit_m``: lam per unit area / unit_m^2)."""
    fig = result.book_figure(ax=ax)
    p = result.parameters
    fig.ax.set_xscale("log")
    unit2 = p["length_unit_m"] ** 2
    to_lam = lambda r: lam_of_rho(np.maximum(r, 1e-300), p) / unit2  # noqa: E731
    to_rho = lambda lm: p["sigma2"] * p["Mr"] * p["p_s"] / p["p_t"] * (np.pi * np.maximum(lm, 1e-300) * unit2) ** (p["beta"] / 2)  # noqa: E731
    sec = fig.ax.secondary_xaxis("top", functions=(to_lam, to_rho))
    sec.set_xlabel(rf"BS density $\lambda$ [BSs per m$^2$] at $p_s$ = {p['p_s']:g} W")
    return fig


_RHO_AXIS = (r"$\rho = \sigma^2 M_r (p_s/p_t)(\pi\lambda)^{\beta/2}$", "rho")

register(Experiment(
    name="fig9", title="Radar information rate vs sensing cluster size for several Mt (paper Fig. 9)",
    chapter="theorem2",
    params={
        "Mt_values": Param(D["Mt_values"], "transmit antennas, one curve each", kind="ints"),
        "N_max": Param(max(D["N"]), "largest cluster size (N runs from 1)", kind="int"),
        "lam": Param(D["lam"], "BS density [BSs per unit area, unit " + D["length_unit"] + "]", kind="float"),
        **_physical(),
    },
    compute=compute_fig9, x="N", y="rate", seed=107,
))

register(Experiment(
    name="fig10", title="Radar information rate vs BS density for several Mt (paper Fig. 10)",
    chapter="theorem2",
    params={
        "Mt_values": Param(D["Mt_values"], "transmit antennas, one curve each", kind="ints"),
        "N": Param(4, "sensing cluster size", kind="int"),
        "lam_values": Param(D["lam_values"], "BS densities [BSs per unit area, unit " + D["length_unit"] + "]", kind="floats"),
        **_physical(),
    },
    compute=compute_fig10, x="lam", y="rate", seed=108,
))

register(Experiment(
    name="theorem2_rho", title="The exact radar rate and eq. (16) over rho from 1e-12 to 1e6",
    chapter="theorem2",
    params={
        "Mt": Param(D["Mt"], "transmit antennas", kind="int"),
        "N_values": Param((1, 2, 4, 16), "sensing cluster sizes, one curve each", kind="ints"),
        "rho_min": Param(1e-12, "smallest rho", kind="float"),
        "rho_max": Param(1e6, "largest rho", kind="float"),
        "n_rho": Param(37, "values of rho (log-spaced)", kind="int"),
        "rho_mc": Param((1e-2, 1.0, 1e2, 1e4), "rho of the Monte Carlo points", kind="floats"),
        "length_unit_m": Param(float(D["length_unit"].split()[0]), "the length unit of lam, in metres", kind="float"),
        **_physical(),
    },
    compute=compute_rho_sweep, x=_RHO_AXIS, y="rate", seed=109, xscale="log", draw=draw_rho_sweep,
))
