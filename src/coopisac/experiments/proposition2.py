"""Experiments of the Proposition 2 chapter: the paper's Fig. 11 (radar information rate with
one sensing BS against the sensing power, with and without the interference hole, Monte Carlo)
and the rate lost without the hole."""
from __future__ import annotations

import numpy as np

from .. import figures, sensing, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_fig11", "gap_series", "HOLE", "NO_HOLE", "EXACT"]

HOLE, NO_HOLE, EXACT = "Proposition 2, with the hole", "without the hole", "Theorem 2, exact (N = 1)"


def compute_fig11(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Per Mt: Proposition 2 (eq. 17) with and without the hole, ``theorem2(1, exact=True)`` (a
    second route to the first), and Monte Carlo (seed + Mt), in bit/s/Hz, over ``p_s_values``."""
    p_s = np.asarray(p["p_s_values"])
    kw = {k: p[k] for k in ("Mr", "beta", "p_t", "sigma2", "lam")}
    out = []
    for Mt in p["Mt_values"]:
        for method, hole in ((HOLE, True), (NO_HOLE, False)):
            out.append(Series("analysis", p_s, sensing.proposition2(Mt=Mt, p_s=p_s, hole=hole, **kw), method=method,
                              curve={"Mt": Mt}))
        out.append(Series("analysis", p_s, sensing.theorem2(1, Mt=Mt, p_s=p_s, exact=True, **kw), method=EXACT,
                          curve={"Mt": Mt}))
        if trials:
            r = simulation.radar_rate(N=1, Mt=Mt, p_s=p_s, trials=trials, seed=seed + Mt, **kw, **mc)
            out.append(Series("monte_carlo", p_s, r.estimate, stderr=r.stderr, curve={"Mt": Mt}))
    return out


def _draw_fig11(result, ax=None):
    """Fig. 11 without the exact Theorem 2 curve (it coincides with Proposition 2 with the hole)."""
    return result.book_figure(ax=ax, series=[s for s in result.series if s.method != EXACT], name="fig11")


def gap_series(series: list[Series]) -> list[Series]:
    """Rate lost without the hole, 100 (1 - without / with) [%] per Mt, from Fig. 11's series: by
    the analysis, and against the Monte Carlo rate (its standard error by the delta method)."""
    out = []
    for Mt in dict.fromkeys(s.curve["Mt"] for s in series):
        d = {(s.kind, s.method): s for s in series if s.curve["Mt"] == Mt}
        hole, nohole = d[("analysis", HOLE)], d[("analysis", NO_HOLE)]
        out.append(Series("analysis", hole.x, 100 * (1 - nohole.y / hole.y), method="analysis", curve={"Mt": Mt}))
        mc = d.get(("monte_carlo", None))
        if mc is not None:
            out.append(Series("monte_carlo", mc.x, 100 * (1 - nohole.y / mc.y),
                              stderr=100 * nohole.y / mc.y**2 * mc.stderr, curve={"Mt": Mt}))
    return out


_PARAMS = {
    "Mt_values": Param((4, 10), "transmit antennas, one curve each", kind="ints"),
    "p_s_values": Param(sensing.FIGURE_DEFAULTS["p_s_values"], "sensing powers [W]", kind="floats"),
    "lam": Param(sensing.FIGURE_DEFAULTS["lam"], f"BS density [BSs per ({sensing.FIGURE_DEFAULTS['length_unit']})^2]"),
    "Mr": Param(figures.PAPER_DEFAULTS["Mr"], "receive antennas", kind="int"),
    "beta": Param(figures.PAPER_DEFAULTS["beta"], "path-loss exponent"),
    "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power of an interferer [W]"),
    "sigma2": Param(figures.PAPER_DEFAULTS["sigma2"], "mean radar cross-section of the target"),
}
register(Experiment(
    name="fig11", title="Radar information rate with one sensing BS vs sensing power, with and without the hole "
    "(paper Fig. 11)", chapter="proposition2", params=_PARAMS, compute=compute_fig11, x="p_s", y="rate", seed=108,
    draw=_draw_fig11,
))
register(Experiment(
    name="fig11_gap", title="Radar rate lost by leaving out the interference hole (Fig. 11)", chapter="proposition2",
    params=_PARAMS, compute=lambda p, *, trials, seed, mc: gap_series(compute_fig11(p, trials=trials, seed=seed, mc=mc)),
    x="p_s", y=("rate lost without the hole [%]", "gap_percent"), seed=108,
))
