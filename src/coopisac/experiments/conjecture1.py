"""Experiments of the Conjecture 1 chapter: the paper's Fig. 2a (densities of the serving signal
with L independent gains and with one common gain) and Fig. 2b (the coverage each gives), and
the gap between the two coverages."""
from __future__ import annotations

import numpy as np

from .. import figures, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_fig2a", "compute_fig2b", "gap_series", "FADING_LABELS"]

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


def compute_fig2b(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Coverage by Monte Carlo with L independent serving gains and with one common gain
    (``coverage(..., conjecture1=True)``), both with ``seed``: the runs share the distances."""
    if not trials:
        return []
    T_dB = np.asarray(p["T_dB"])
    out = []
    for L in p["L_values"]:
        for kind in _FADINGS:
            r = simulation.coverage(figures.db2lin(T_dB), L=L, Mt=p["Mt"], beta=p["beta"], p_c=p["p_c"], p_t=p["p_t"],
                                    trials=trials, seed=seed, conjecture1=(kind == "common"), **mc)
            label = f"$L$ = {L}, " + ("independent gains" if kind == "independent" else "one common gain")
            out.append(Series("monte_carlo", T_dB, r.estimate, stderr=r.stderr, curve={"L": L, "fading": kind},
                              label=label))
    return out


def gap_series(series: list[Series]) -> list[Series]:
    """Coverage with the common gain minus with independent gains, per L, from Fig. 2b's series;
    standard error as if the two runs were independent (they share the distances, which
    correlates them positively, so this overstates it)."""
    by = {(s.curve["L"], s.curve["fading"]): s for s in series}
    out = []
    for L in sorted({L for L, _ in by}):
        ind, com = by[(L, "independent")], by[(L, "common")]
        out.append(Series("monte_carlo", ind.x, com.y - ind.y, stderr=np.hypot(com.stderr, ind.stderr),
                          curve={"L": L}, label=f"$L$ = {L}"))
    return out


def _draw_fig2b(result, ax=None):
    """Fig. 2b: for L = 1 the two runs are bit for bit the same, drawn once."""
    keep = []
    for s in result.series:
        if s.curve["L"] == 1:
            if s.curve["fading"] == "common":
                continue
            s = Series(s.kind, s.x, s.y, stderr=s.stderr, curve=s.curve, label="$L$ = 1, both (identical)")
        keep.append(s)
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
    name="fig2b", title="Coverage with L independent gains vs one common gain, Monte Carlo (paper Fig. 2b)",
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
