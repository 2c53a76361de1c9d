"""Experiments of the chapter "Does the fading model hold?": the paper's Figs. 5, 7, 9 and 11
re-made with three Monte Carlo curves each, the paper's fading model (``simulation``), the
antenna-level system with the ZF beams of eq. (1) (``antenna``, non-coherent), and coherent
joint transmission; and the largest gap between the first two per figure."""
from __future__ import annotations

import numpy as np

from .. import figures, sensing, simulation
from ..antenna import antenna_coverage, antenna_radar_rate
from . import Experiment, Param, Series, register

__all__ = ["PAPER", "NONCOHERENT", "COHERENT", "MODELS", "largest_gap", "joint_gain"]

PAPER, NONCOHERENT, COHERENT = "paper's model", "antenna level, non-coherent", "antenna level, coherent"
MODELS = (PAPER, NONCOHERENT, COHERENT)


_STYLES = dict(zip(MODELS, (":", "-", "--")))


def _series(x, r, key, value, model):
    return Series("monte_carlo", x, r.estimate, stderr=r.stderr, curve={key: value, "model": model})


def _draw(result, ax=None):
    """Every curve as Monte Carlo markers (95 % intervals) joined by a thin line: the colour names
    the parameter (L or Mt), the line style the model; one legend entry per curve."""
    import matplotlib as mpl

    fig = result.book_figure(ax=ax)
    palette = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    values = list(dict.fromkeys(tuple((k, v) for k, v in s.curve.items() if k != "model") for s in result.series))
    for s, bars in zip(result.series, fig.ax.containers):
        param = tuple((k, v) for k, v in s.curve.items() if k != "model")
        color = palette[values.index(param) % len(palette)]
        for artist in bars.get_children():
            artist.set_color(color)
        label = ", ".join([f"{k} = {v}" for k, v in param] + [s.curve["model"]])
        fig.ax.plot(s.x, s.y, _STYLES[s.curve["model"]], color=color, lw=0.9, label=label)
    return fig


def _coverage_curves(p, *, trials, seed, mc, key, values, fixed):
    """Coverage against T_dB for each value of ``key`` (L or Mt; ``fixed`` is the other, taken
    from ``p``): the paper's model (seed 2k),
    the antenna level non-coherent and coherent (one seed 2k + 1: the same draws, so the
    coherent gain is measured sample by sample)."""
    T = figures.db2lin(np.asarray(p["T_dB"]))
    out = []
    if not trials:
        return out
    for k, v in enumerate(values):
        kw = {key: v, fixed: p[fixed], "beta": p["beta"], "p_c": p["p_c"], "p_t": p["p_t"], "trials": trials, **mc}
        out.append(_series(p["T_dB"], simulation.coverage(T, seed=seed + 2 * k, **kw), key, v, PAPER))
        for model, joint in ((NONCOHERENT, "noncoherent"), (COHERENT, "coherent")):
            r = antenna_coverage(T, seed=seed + 2 * k + 1, joint=joint, **kw)
            out.append(_series(p["T_dB"], r, key, v, model))
    return out


def compute_fig5(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    return _coverage_curves(p, trials=trials, seed=seed, mc=mc, key="L", values=p["L_values"], fixed="Mt")


def compute_fig7(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    return _coverage_curves(p, trials=trials, seed=seed, mc=mc, key="Mt", values=p["Mt_values"], fixed="L")


def _rate_curves(p, *, trials, seed, mc, x, N, p_s, joints):
    """Radar rate (bit/s/Hz) per Mt: the paper's model (seed 2k) and the antenna level
    (seed 2k + 1) for each joint transmission in ``joints``."""
    out = []
    if not trials:
        return out
    for k, Mt in enumerate(p["Mt_values"]):
        kw = dict(N=N, Mt=Mt, Mr=p["Mr"], beta=p["beta"], p_s=p_s, p_t=p["p_t"], lam=p["lam"],
                  sigma2=p["sigma2"], trials=trials, **mc)
        out.append(_series(x, simulation.radar_rate(seed=seed + 2 * k, **kw), "Mt", Mt, PAPER))
        for model, joint in joints:
            out.append(_series(x, antenna_radar_rate(seed=seed + 2 * k + 1, joint=joint, **kw), "Mt", Mt, model))
    return out


def compute_fig9(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    N = np.asarray(p["N"])
    return _rate_curves(p, trials=trials, seed=seed, mc=mc, x=N, N=N, p_s=p["p_s"],
                        joints=((NONCOHERENT, "noncoherent"), (COHERENT, "coherent")))


def compute_fig11(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """One sensing BS: coherent and non-coherent echoes are the same SIR, so one antenna-level
    curve stands for both."""
    p_s = np.asarray(p["p_s_values"])
    return _rate_curves(p, trials=trials, seed=seed, mc=mc, x=p_s, N=1, p_s=p_s,
                        joints=((NONCOHERENT, "noncoherent"),))


def largest_gap(series: list[Series], key: str, a: str = NONCOHERENT, b: str = PAPER) -> dict:
    """The largest |a - b| over every curve (value of ``key``) and x of a figure's series:
    {"gap": a - b, "stderr": of the difference (independent runs), "relative": (a - b) / b,
    key: the curve, "x": the point}."""
    best = None
    by = {(s.curve[key], s.curve["model"]): s for s in series}
    for (v, model), sa in by.items():
        if model != a:
            continue
        sb = by[(v, b)]
        d = sa.y - sb.y
        se = np.hypot(sa.stderr, sb.stderr)
        i = int(np.argmax(np.abs(d)))
        if best is None or abs(d[i]) > abs(best["gap"]):
            best = {"gap": float(d[i]), "stderr": float(se[i]), "relative": float(d[i] / sb.y[i]), key: v,
                    "x": float(sa.x[i])}
    return best


def joint_gain(series: list[Series], key: str, value) -> dict:
    """Largest coherent - non-coherent difference on the curve ``key = value`` (same draws: the
    difference is >= 0 sample by sample; its stderr here is the larger of the two binomial or
    sample errors, a conservative bound for the paired difference), with the point."""
    by = {s.curve["model"]: s for s in series if s.curve[key] == value}
    d = by[COHERENT].y - by[NONCOHERENT].y
    i = int(np.argmax(d))
    return {"gain": float(d[i]), "stderr": float(max(by[COHERENT].stderr[i], by[NONCOHERENT].stderr[i])),
            "x": float(by[COHERENT].x[i]), "noncoherent": float(by[NONCOHERENT].y[i])}


_COMMON = {
    "beta": Param(figures.PAPER_DEFAULTS["beta"], "path-loss exponent"),
    "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power per BS [W]"),
}
_COVERAGE = {
    **_COMMON,
    "p_c": Param(figures.PAPER_DEFAULTS["p_c"], "communication power [W] (p_s = p_t - p_c)"),
    "T_dB": Param(tuple(float(t) for t in range(-10, 21, 2)), "SIR thresholds [dB]", kind="floats"),
}
_SENSING = {
    **_COMMON,
    "Mr": Param(figures.PAPER_DEFAULTS["Mr"], "receive antennas", kind="int"),
    "sigma2": Param(figures.PAPER_DEFAULTS["sigma2"], "mean radar cross-section of the target"),
    "lam": Param(sensing.FIGURE_DEFAULTS["lam"], f"BS density [BSs per ({sensing.FIGURE_DEFAULTS['length_unit']})^2]"),
}

register(Experiment(
    name="fading_fig5", title="Coverage vs SIR threshold, L = 1, 2, 3: paper's fading vs ZF beams (Fig. 5)",
    chapter="fading", draw=_draw, compute=compute_fig5, x="T_dB", y="coverage", seed=1100,
    params={**_COVERAGE, "L_values": Param((1, 2, 3), "serving cluster sizes, one curve each", kind="ints"),
            "Mt": Param(figures.PAPER_DEFAULTS["Mt"], "transmit antennas", kind="int")},
))
register(Experiment(
    name="fading_fig7", title="Coverage vs SIR threshold, L = 2, several Mt: paper's fading vs ZF beams (Fig. 7)",
    chapter="fading", draw=_draw, compute=compute_fig7, x="T_dB", y="coverage", seed=1200,
    params={**_COVERAGE, "Mt_values": Param((4, 6, 8, 10), "transmit antennas, one curve each", kind="ints"),
            "L": Param(2, "serving cluster size", kind="int")},
))
register(Experiment(
    name="fading_fig9", title="Radar rate vs sensing cluster size: paper's fading vs ZF beams (Fig. 9)",
    chapter="fading", draw=_draw, compute=compute_fig9, x="N", y="rate", seed=1300,
    params={**_SENSING, "N": Param(sensing.FIGURE_DEFAULTS["N"], "sensing cluster sizes", kind="ints"),
            "Mt_values": Param(sensing.FIGURE_DEFAULTS["Mt_values"], "transmit antennas, one curve each", kind="ints"),
            "p_s": Param(sensing.FIGURE_DEFAULTS["p_s"], "sensing power [W] (p_c = p_t - p_s)")},
))
register(Experiment(
    name="fading_fig11", title="Radar rate with one sensing BS vs sensing power: paper's fading vs ZF beams (Fig. 11)",
    chapter="fading", draw=_draw, compute=compute_fig11, x="p_s", y="rate", seed=1400,
    params={**_SENSING, "Mt_values": Param((4, 10), "transmit antennas, one curve each", kind="ints"),
            "p_s_values": Param(sensing.FIGURE_DEFAULTS["p_s_values"], "sensing powers [W]", kind="floats")},
))
