"""Experiments of the Conjecture 1 chapter: the paper's Fig. 2a (densities of the serving signal
with L independent gains and with one common gain) and Fig. 2b (the coverage each gives, by
quadrature and by Monte Carlo), and the gap between the two coverages."""
from __future__ import annotations

import numpy as np

from .. import coverage, figures, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_fig2a", "compute_fig2b", "gap_series", "FADING_LABELS", "EXACT", "CONJECTURE1"]

#: Legend entries of the two fadings.
FADING_LABELS = {
    "independent": r"$g_1 r_1^{-\beta} + \dots + g_L r_L^{-\beta}$ (exact)",
    "common": r"$g\,(r_1^{-\beta} + \dots + r_L^{-\beta})$ (Conjecture 1)",
}
_FADINGS = ("independent", "common")


def compute_fig2a(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Densities of log10 S for S = sum_i g_i r_i^-beta and g sum_i r_i^-beta, from ``trials``
    samples of each per L (``simulation.conjecture1_samples``, seed + L, both on the same
    distances), as histograms on ``bins`` bins of equal width in log10 between the 0.1 % and 99 %
    quantiles of all samples pooled; per bin the probability / width and its binomial standard
    error / width.  x: the bins' geometric centres."""
    if not trials:
        return []
    samples = {L: simulation.conjecture1_samples(L=L, Mt=p["Mt"], beta=p["beta"], lam=p["lam"], size=trials,
                                                 seed=seed + L) for L in p["L_values"]}
    pooled = np.log10(np.concatenate([np.concatenate(s) for s in samples.values()]))
    edges = np.linspace(*np.quantile(pooled, [0.001, 0.99]), p["bins"] + 1)
    width = np.diff(edges)
    centres = 10 ** (0.5 * (edges[:-1] + edges[1:]))
    out = []
    for L, pair in samples.items():
        for kind, values in zip(_FADINGS, pair):
            prob = np.histogram(np.log10(values), edges)[0] / values.size
            se = np.sqrt(prob * (1.0 - prob) / values.size)
            out.append(Series("monte_carlo", centres, prob / width, stderr=se / width, curve={"L": L, "fading": kind},
                              label=FADING_LABELS[kind]))
    return out


#: Analysis methods of Fig. 2b: the model's exact coverage and that under Conjecture 1 alone.
EXACT, CONJECTURE1 = "exact, independent gains", "Conjecture 1, one common gain"


def compute_fig2b(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Per L, the coverage with L independent serving gains (``coverage.exact_coverage``) and
    with one common gain (``coverage.conjecture1_coverage``: Conjecture 1 alone, exact Gamma
    CCDF), both by quadrature over the true law of the distances; and both by Monte Carlo
    (``simulation.coverage(..., conjecture1=False / True)``) with ``seed``, so that the two runs
    share the distances."""
    T_dB = np.asarray(p["T_dB"])
    T = figures.db2lin(T_dB)
    kw = dict(Mt=p["Mt"], beta=p["beta"], p_c=p["p_c"], p_t=p["p_t"])
    out = []
    for L in p["L_values"]:
        for kind, method, fn in (("independent", EXACT, coverage.exact_coverage),
                                 ("common", CONJECTURE1, coverage.conjecture1_coverage)):
            out.append(Series("analysis", T_dB, fn(T, L=L, **kw), method=method, curve={"L": L, "fading": kind}))
            if trials:
                r = simulation.coverage(T, L=L, trials=trials, seed=seed, conjecture1=(kind == "common"), **kw, **mc)
                out.append(Series("monte_carlo", T_dB, r.estimate, stderr=r.stderr, curve={"L": L, "fading": kind}))
    return out


def gap_series(series: list[Series]) -> list[Series]:
    """Coverage with the common gain minus with independent gains, per L, from Fig. 2b's series:
    by quadrature (method "exact"), and by Monte Carlo with a standard error as if the two runs
    were independent (they share the distances, which correlates them positively, so this
    overstates it)."""
    by = {(s.kind, s.curve["L"], s.curve["fading"]): s for s in series}
    out = []
    for L in dict.fromkeys(s.curve["L"] for s in series):
        ind, com = by[("analysis", L, "independent")], by[("analysis", L, "common")]
        out.append(Series("analysis", ind.x, com.y - ind.y, method="exact", curve={"L": L}))
        if ("monte_carlo", L, "common") in by:
            ind, com = by[("monte_carlo", L, "independent")], by[("monte_carlo", L, "common")]
            out.append(Series("monte_carlo", ind.x, com.y - ind.y, stderr=np.hypot(com.stderr, ind.stderr),
                              curve={"L": L}))
    return out


def _draw_fig2b(result, ax=None):
    """Fig. 2b: for L = 1 both fadings are the same model (and the two runs bit for bit the same
    numbers), drawn once."""
    keep = [s for s in result.series if not (s.curve["L"] == 1 and s.curve["fading"] == "common")]
    return result.book_figure(ax=ax, series=keep, name="fig2b_coverage")


def _draw_gap(result, ax=None):
    series = result.series if result.name == "fig2b_gap" else gap_series(result.series)
    fig = result.book_figure(ax=ax, series=[s for s in series if s.curve["L"] > 1], name="fig2b_gap",
                             y=(r"coverage gap $\mathcal{P}_c^{\mathrm{common}} - \mathcal{P}_c$", "coverage_gap"))
    fig.ax.axhline(0.0, color="0.3", lw=0.8)
    return fig


_COMMON = {
    "Mt": Param(figures.PAPER_DEFAULTS["Mt"], "transmit antennas: serving gains are Gamma(Mt - 1, 1)", kind="int"),
    "beta": Param(figures.PAPER_DEFAULTS["beta"], "path-loss exponent", kind="float"),
    "L_values": Param((1, 2, 3), "serving cluster sizes, one curve each", kind="ints"),
}
_COVERAGE = {
    **_COMMON,
    "p_c": Param(figures.PAPER_DEFAULTS["p_c"], "communication power [W]", kind="float"),
    "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power of an interferer [W]", kind="float"),
    "T_dB": Param(tuple(np.arange(-10.0, 30.1, 2.5).tolist()), "SIR thresholds [dB]", kind="floats"),
}

register(Experiment(
    name="fig2a", title="Densities of the serving signal: L independent gains vs one common gain (paper Fig. 2a)",
    chapter="conjecture1",
    params={**_COMMON, "lam": Param(1.0, "BS density [BSs per unit area]", kind="float"),
            "bins": Param(36, "histogram bins (equal widths in log10)", kind="int")},
    compute=compute_fig2a, x=(r"serving signal $S$ (unit powers, $\lambda$ = 1)", "S"),
    y=(r"density of $\log_{10} S$ [per decade]", "pdf_log10_S"), seed=101, xscale="log",
))
register(Experiment(
    name="fig2b", title="Coverage with L independent gains vs one common gain (paper Fig. 2b)",
    chapter="conjecture1", params=_COVERAGE, compute=compute_fig2b, x="T_dB", y="coverage", seed=101,
    draw=_draw_fig2b,
))
register(Experiment(
    name="fig2b_gap", title="Coverage with one common gain minus with independent gains (Fig. 2b's runs)",
    chapter="conjecture1", params=_COVERAGE,
    compute=lambda p, *, trials, seed, mc: gap_series(compute_fig2b(p, trials=trials, seed=seed, mc=mc)),
    x="T_dB", y=(r"coverage gap $\mathcal{P}_c^{\mathrm{common}} - \mathcal{P}_c$", "coverage_gap"), seed=101,
    draw=_draw_gap,
))
