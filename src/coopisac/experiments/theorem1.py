"""Experiments of the Theorem 1 chapter: the paper's Figs. 5 and 7 (coverage with a serving
cluster of L BSs: Theorem 1 with the paper's product of marginal distance laws and with the
exact joint law, the exact coverage, Monte Carlo), and the decomposition of Theorem 1's error
into the cost of Conjecture 1, of Conjecture 2 and of the independent-distance step."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import coverage, figures, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_fig5", "compute_fig7", "compute_decomposition", "METHODS", "GAPS"]

#: The analysis curves of Figs. 5 and 7, by method name.
METHODS = {
    "paper": "Theorem 1, paper's marginals (eq. 21)",
    "joint": "Theorem 1, exact joint law",
    "exact": "exact (no conjecture)",
}

#: The gaps of the decomposition: (method name, minuend, subtrahend); they add up to the last one.
GAPS = (
    ("Conjecture 1: one common gain", "conjecture1", "exact"),
    ("Conjecture 2: Gamma CDF approximation", "joint", "conjecture1"),
    ("independent distances (eq. 21)", "paper", "joint"),
    ("total: Theorem 1 as printed - exact", "paper", "exact"),
)


@lru_cache(maxsize=256)
def _analysis(kind: str, T_dB: tuple, L: int, Mt: int, beta: float, p_c: float, p_t: float) -> np.ndarray:
    """One analysis curve on the thresholds T_dB (cached: Figs. 5 and 7 and the decomposition share
    curves, and Theorem 1 "paper" at L = 4 is costly)."""
    T = figures.db2lin(np.asarray(T_dB))
    args = dict(L=L, Mt=Mt, beta=beta, p_c=p_c, p_t=p_t)
    if kind in ("paper", "joint"):
        out = coverage.theorem1(T, distances=kind, **args)
    elif kind == "exact":
        out = coverage.exact_coverage(T, **args)
    else:
        out = coverage.conjecture1_coverage(T, **args)
    out.setflags(write=False)
    return out


def _coverage_curves(pairs, label: str, p: dict, *, trials: int, seed0: int, mc: dict) -> list[Series]:
    """For each (L, Mt): the three analysis curves of METHODS on T_dB and, with trials, Monte
    Carlo on T_dB_mc (seed seed0 + index of the pair)."""
    T_dB = tuple(p["T_dB"])
    out = []
    for i, (L, Mt) in enumerate(pairs):
        curve = {label: L if label == "L" else Mt}
        for kind, method in METHODS.items():
            y = _analysis(kind, T_dB, L, Mt, p["beta"], p["p_c"], p["p_t"])
            out.append(Series("analysis", T_dB, y, method=method, curve=curve))
        if trials:
            r = simulation.coverage(figures.db2lin(np.asarray(p["T_dB_mc"])), L=L, Mt=Mt, beta=p["beta"],
                                    p_c=p["p_c"], p_t=p["p_t"], trials=trials, seed=seed0 + i, **mc)
            out.append(Series("monte_carlo", p["T_dB_mc"], r.estimate, stderr=r.stderr, curve=curve))
    return out


def compute_fig5(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Fig. 5: per L in L_values at one Mt; Monte Carlo seeds 1000 seed + (index of L)."""
    return _coverage_curves([(L, p["Mt"]) for L in p["L_values"]], "L", p, trials=trials, seed0=1000 * seed, mc=mc)


def compute_fig7(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Fig. 7: per Mt in Mt_values at one L; Monte Carlo seeds 1000 seed + 100 + (index of Mt)."""
    return _coverage_curves([(p["L"], m) for m in p["Mt_values"]], "Mt", p, trials=trials, seed0=1000 * seed + 100,
                            mc=mc)


def compute_decomposition(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Per L at one Mt, the gaps of GAPS over T_dB (analysis only: every term is a computed
    coverage, no Monte Carlo)."""
    T_dB = tuple(p["T_dB"])
    out = []
    for L in p["L_values"]:
        curves = {k: _analysis(k, T_dB, L, p["Mt"], p["beta"], p["p_c"], p["p_t"])
                  for k in ("exact", "conjecture1", "joint", "paper")}
        for method, a, b in GAPS:
            out.append(Series("analysis", T_dB, curves[a] - curves[b], method=method, curve={"L": L}))
    return out


def _draw_coverage(result, ax=None):
    fig = result.book_figure(ax=ax)
    fig.ax.set_ylim(0, 1.02)
    if ax is None:
        fig.fig.set_size_inches(9.6, 4.4)
    return fig


def _draw_decomposition(result, ax=None):
    fig = result.book_figure(ax=ax, name=f"theorem1_decomposition_Mt{result.parameters['Mt']}")
    fig.ax.axhline(0.0, color="0.6", lw=0.6)
    fig.ax.set_title(f"$M_t = {result.parameters['Mt']}$", fontsize="medium")
    return fig


_COMMON = {
    "beta": Param(figures.PAPER_DEFAULTS["beta"], "path-loss exponent", kind="float"),
    "p_c": Param(figures.PAPER_DEFAULTS["p_c"], "communication power of a serving BS [W]", kind="float"),
    "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power of an interferer [W]", kind="float"),
    "T_dB": Param(tuple(np.arange(-10.0, 20.1, 2.0).tolist()), "SIR thresholds of the curves [dB]", kind="floats"),
}
_MC = {"T_dB_mc": Param(tuple(np.arange(-10.0, 20.1, 2.0).tolist()), "SIR thresholds of the Monte Carlo [dB]",
                        kind="floats")}

register(Experiment(
    name="fig5",
    title="Coverage vs SIR threshold for L = 1..4 serving BSs (paper Fig. 5)",
    chapter="theorem1",
    params={"L_values": Param((1, 2, 3, 4), "serving cluster sizes, one curve each", kind="ints"),
            "Mt": Param(10, "transmit antennas", kind="int"), **_COMMON, **_MC},
    compute=compute_fig5, x="T_dB", y="coverage", seed=103, draw=_draw_coverage,
))

register(Experiment(
    name="fig7",
    title="Coverage vs SIR threshold with L = 2 for several Mt (paper Fig. 7)",
    chapter="theorem1",
    params={"L": Param(2, "serving cluster size", kind="int"),
            "Mt_values": Param((4, 6, 8, 10, 16), "transmit antennas, one curve each", kind="ints"), **_COMMON, **_MC},
    compute=compute_fig7, x="T_dB", y="coverage", seed=103, draw=_draw_coverage,
))

register(Experiment(
    name="theorem1_decomposition",
    title="Theorem 1's error split into Conjecture 1, Conjecture 2 and the independent-distance step",
    chapter="theorem1",
    params={"L_values": Param((1, 2, 3, 4), "serving cluster sizes, one curve each", kind="ints"),
            "Mt": Param(10, "transmit antennas", kind="int"), **_COMMON},
    compute=compute_decomposition, x="T_dB", y=("coverage difference", "coverage_difference"), trials=0,
    seed=103, draw=_draw_decomposition,
))
