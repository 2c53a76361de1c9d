"""Experiments of the Conjecture 2 chapter: the paper's Fig. 3 (the Gamma CDF and its fitted
form with the optimal and with Alzer's alpha), the CDF error, and the table of alpha (with the
K-S distance each choice leaves)."""
from __future__ import annotations

import numpy as np

from .. import approximations
from . import Experiment, Param, Series, register

__all__ = ["compute_fig3", "compute_fig3_error", "compute_alpha_table", "METHODS"]

#: Method names of the three CDFs.
METHODS = {"exact": r"exact $\Gamma(N, 1/N)$ CDF", "optimal": r"Conjecture 2, $\alpha^\star$",
           "alzer": r"Alzer, $\alpha_{\mathrm{A}}$"}


def _gamma(p: dict) -> np.ndarray:
    return np.linspace(0.0, p["gamma_max"], p["points"])


def compute_fig3(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Per N: F_N (Gamma(N, 1/N) CDF), (1 - e^{-alpha gamma})^N with alpha* and with Alzer's alpha,
    and the empirical CDF of ``trials`` Gamma(N, 1/N) draws at ``gamma_mc`` (one generator seeded
    with ``seed``, the shapes drawn in order) with its binomial standard error."""
    g = _gamma(p)
    g_mc = np.asarray(p["gamma_mc"])
    rng = np.random.default_rng(seed)
    out = []
    for N in p["N_shown"]:
        F, G_star = approximations.cdf_pair(g, N, approximations.optimal_alpha(N))
        _, G_alzer = approximations.cdf_pair(g, N, approximations.alzer_alpha(N))
        for key, y in (("exact", F), ("optimal", G_star), ("alzer", G_alzer)):
            out.append(Series("analysis", g, y, method=METHODS[key], curve={"N": N}))
        if trials:
            sample = np.sort(rng.gamma(N, 1.0 / N, trials))
            ecdf = np.searchsorted(sample, g_mc, side="right") / trials
            out.append(Series("monte_carlo", g_mc, ecdf, stderr=np.sqrt(ecdf * (1.0 - ecdf) / trials), curve={"N": N}))
    return out


def compute_fig3_error(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """F_N - G_alpha for alpha* and Alzer's alpha at one shape N."""
    g = _gamma(p)
    out = []
    for key, alpha in (("optimal", approximations.optimal_alpha(p["N"])), ("alzer", approximations.alzer_alpha(p["N"]))):
        F, G = approximations.cdf_pair(g, p["N"], alpha)
        out.append(Series("analysis", g, F - G, method=METHODS[key]))
    return out


def _draw_error(result, ax=None):
    fig = result.book_figure(ax=ax)
    N = result.parameters["N"]
    D_star = approximations.ks_distance(approximations.optimal_alpha(N), N)
    for sign in (1.0, -1.0):
        fig.ax.axhline(sign * D_star, color="0.4", ls=":", lw=1.0)
    fig.ax.axhline(0.0, color="0.3", lw=0.8)
    fig.ax.set_title(f"$N$ = {N}")
    return fig


#: Columns of the alpha table: method name -> key of ``approximations.alpha_table``.
TABLE = {"alpha*": "alpha", "D(alpha*)": "D", "Alzer alpha": "alzer_alpha", "D(Alzer alpha)": "alzer_D"}


def compute_alpha_table(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """For N = 1..N_max: the optimal alpha, its K-S distance, Alzer's alpha and its distance."""
    t = approximations.alpha_table(p["N_max"])
    return [Series("analysis", t["N"], t[key], method=name) for name, key in TABLE.items()]


def _draw_table(result, ax=None):
    """The K-S distance of either choice against N."""
    d = {s.method: s for s in result.series}
    keep = [Series("analysis", d[m].x, d[m].y, method=label)
            for m, label in (("D(alpha*)", METHODS["optimal"]), ("D(Alzer alpha)", METHODS["alzer"]))]
    return result.book_figure(ax=ax, series=keep, name="fig3_ks_distance",
                              x=(r"Gamma shape $N$ ($= M_t - 1$ in Theorem 1)", "N"), y=(r"K-S distance $D$", "D"))


_GRID = {
    "gamma_max": Param(3.0, "largest normalised gain drawn", kind="float"),
    "points": Param(301, "points of each curve", kind="int"),
}
register(Experiment(
    name="fig3", title="Gamma(N, 1/N) CDF and Conjecture 2's fit with the optimal and Alzer's alpha (paper Fig. 3)",
    chapter="conjecture2",
    params={"N_shown": Param((3, 9), "Gamma shapes drawn (9 is Mt - 1 at Mt = 10)", kind="ints"), **_GRID,
            "gamma_mc": Param(tuple(np.linspace(0.2, 2.8, 14).tolist()), "points of the empirical CDF", kind="floats")},
    compute=compute_fig3, x="gamma", y="cdf", seed=102,
))
register(Experiment(
    name="fig3_error", title="CDF error of Conjecture 2's fit with the optimal and with Alzer's alpha",
    chapter="conjecture2", params={"N": Param(9, "Gamma shape (Mt - 1)", kind="int"), **_GRID},
    compute=compute_fig3_error, x="gamma", y=(r"CDF error $F_N(\gamma) - G_\alpha(\gamma)$", "cdf_error"),
    trials=0, draw=_draw_error,
))
register(Experiment(
    name="alpha_table", title="Optimal alpha (minimum K-S distance) and Alzer's alpha for Gamma(N, 1/N)",
    chapter="conjecture2", params={"N_max": Param(32, "largest Gamma shape of the table", kind="int")},
    compute=compute_alpha_table, x=("Gamma shape $N$", "N"), y=("value", "value"), trials=0, draw=_draw_table,
))
