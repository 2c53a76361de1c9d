"""Experiments of the design chapter: the power-split front (coverage against radar rate over the
sensing share s for every pair of cluster sizes, with its Pareto front under a cooperation budget)
and the radar rate in physical units against the BS density."""
from __future__ import annotations

import numpy as np

from .. import design, figures, sensing, simulation
from . import Experiment, Param, Series, register

__all__ = ["compute_front", "compute_density", "TwoKeyFigure"]

_PHYSICAL = {
    "f_c": Param(3.5e9, "carrier frequency [Hz] (cancels with the free-space reference loss)", kind="float"),
    "rcs": Param(1.0, "radar cross-section of the target [m^2]", kind="float"),
    "processing_gain": Param(1e4, "radar processing gain G_p (time-bandwidth product)", kind="float"),
    "density_km2": Param(10.0, "BS density [BSs/km^2]", kind="float"),
}
_ANTENNAS = {
    "Mt": Param(figures.PAPER_DEFAULTS["Mt"], "transmit antennas per BS", kind="int"),
    "Mr": Param(figures.PAPER_DEFAULTS["Mr"], "receive antennas per BS", kind="int"),
    "beta": Param(figures.PAPER_DEFAULTS["beta"], "path-loss exponent", kind="float"),
    "p_t": Param(figures.PAPER_DEFAULTS["p_t"], "total power per BS [W]", kind="float"),
}


class TwoKeyFigure(figures.BookFigure):
    """A BookFigure whose colour carries one curve parameter (``color_key``) and whose line style
    carries another (``style_key``); a curve without them (a front, a reference) is drawn black and
    thick.  ``labels`` name the keys in the legend (e.g. {"L": "$L$"})."""

    def __init__(self, x, y, *, color_key: str, style_key: str, labels: dict, **kwargs):
        super().__init__(x, y, **kwargs)
        self._keys = (color_key, style_key)
        self._labels = labels
        self._style_values: list = []
        self._color_values: list = []
        self._others: list = []

    def _color(self, curve):
        ck = self._keys[0]
        if ck not in curve:
            return "k"
        if curve[ck] not in self._color_values:
            self._color_values.append(curve[ck])
        return super()._color({ck: curve[ck]})

    def analysis(self, x, y, *, method: str, **curve) -> None:
        super().analysis(x, y, method=method, **curve)
        line = self.ax.lines[-1]
        sk = self._keys[1]
        if sk in curve:
            if curve[sk] not in self._style_values:
                self._style_values.append(curve[sk])
            styles = ("-", "--", ":", "-.")
            line.set_linestyle(styles[self._style_values.index(curve[sk]) % len(styles)])
        else:
            line.set_linewidth(2.4)
            line.set_alpha(0.6)
            self._others.append(line)

    def legend(self, **kwargs) -> None:
        from matplotlib.lines import Line2D

        ck, sk = self._keys
        styles = ("-", "--", ":", "-.")
        handles, labels = [], []
        for v in self._color_values:
            handles.append(Line2D([], [], color=super()._color({ck: v})))
            labels.append(f"{self._labels[ck]} = {v:g}")
        for i, v in enumerate(self._style_values):
            handles.append(Line2D([], [], color="0.3", ls=styles[i % len(styles)]))
            labels.append(f"{self._labels[sk]} = {v:g}")
        for line in self._others:
            handles.append(line)
            labels.append(line.get_label().replace("analysis (", "").rstrip(")"))
        if self._has_mc:
            handles.append(Line2D([], [], ls="none", marker="o", mfc="none", color="0.3"))
            labels.append("Monte Carlo (95 % interval)")
        self.ax.legend(handles, labels, **kwargs)


def _draw(result, ax, *, color_key, style_key, labels):
    """Draw the series without a "metric" key (those are the checks' own points)."""
    exp = result.experiment
    series = [s for s in result.series if "metric" not in s.curve]
    keys = {k for s in series for k in s.curve}
    constants = {k: v for k, v in result.parameters.items() if k not in keys and not isinstance(v, (list, tuple))}
    fig = TwoKeyFigure(exp.x, exp.y, color_key=color_key, style_key=style_key, labels=labels, name=result.name,
                       parameters=constants, seed=result.seed, trials=result.trials, ax=ax)
    for s in series:
        if s.kind == "analysis":
            fig.analysis(s.x, s.y, method=s.method, **s.curve)
        else:
            fig.monte_carlo(s.x, s.y, s.stderr, **s.curve)
    fig.ax.set_xscale(exp.xscale)
    fig.ax.set_yscale(exp.yscale)
    if exp.xscale == "logit":  # matplotlib's autoscale keeps the linear limits: set them from the data
        x = np.concatenate([s.x for s in series])
        x = x[(x > 0) & (x < 1)]
        lo, hi = np.log(x.min() / (1 - x.min())), np.log(x.max() / (1 - x.max()))
        pad = 0.03 * (hi - lo)
        fig.ax.set_xlim(1 / (1 + np.exp(pad - lo)), 1 / (1 + np.exp(-hi - pad)))
    return fig


# ---------------------------------------------------------------------------------------
# The power-split front
# ---------------------------------------------------------------------------------------

def compute_front(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """Per pair (L, N): coverage at T against the exact radar rate over the shares ``s`` (method
    "analysis"); the Pareto front of the pairs with L + N <= ``budget``; Monte Carlo at the shares
    ``s_mc``: one coverage run per L (seed 1000 seed + L) and one radar run for every N and share
    (seed 1000 seed + 999).  Series with a "metric" curve key hold the Monte Carlo and the
    analysis at ``s_mc`` of each metric against s (for the checks; not drawn)."""
    T = figures.db2lin(p["T_dB"])
    args = design.rate_arguments(f_c=p["f_c"], rcs=p["rcs"], processing_gain=p["processing_gain"],
                                 density_km2=p["density_km2"], beta=p["beta"])
    common = dict(Mt=p["Mt"], Mr=p["Mr"], beta=p["beta"], lam=args["lam"], sigma2=args["sigma2"], p_t=p["p_t"])
    s = np.asarray(p["s"], dtype=float)
    front = design.power_split_front(s, T=T, L=p["L_values"], N=p["N_values"], budget=p["budget"], **common)
    out = [Series("analysis", front.coverage[k], front.rate[k], method="analysis", curve={"L": L, "N": N})
           for k, (L, N) in enumerate(zip(front.L, front.N))]
    f = front.front()
    out.append(Series("analysis", f["coverage"], f["rate"], method=f"Pareto front, L + N <= {p['budget']}"))
    if not trials:
        return out
    s_mc = np.asarray(p["s_mc"], dtype=float)
    at = design.power_split_front(s_mc, T=T, L=p["L_values"], N=p["N_values"], **common)
    Ns = np.asarray(p["N_values"])
    rmc = simulation.radar_rate(N=Ns[:, None], Mt=p["Mt"], Mr=p["Mr"], beta=p["beta"], p_s=s_mc[None, :] * p["p_t"],
                                p_t=p["p_t"], lam=args["lam"], sigma2=args["sigma2"], trials=trials,
                                seed=1000 * seed + 999, **mc)
    cmc = {L: simulation.coverage(T / (1.0 - s_mc), L=L, Mt=p["Mt"], beta=p["beta"], p_c=1.0, trials=trials,
                                  seed=1000 * seed + L, **mc) for L in p["L_values"]}
    for i, N in enumerate(Ns):
        k = int(np.nonzero(at.N == N)[0][0])
        out.append(Series("analysis", s_mc, at.rate[k], method="analysis", curve={"N": int(N), "metric": "rate"}))
        out.append(Series("monte_carlo", s_mc, rmc.estimate[i], stderr=rmc.stderr[i],
                          curve={"N": int(N), "metric": "rate"}))
    for L in p["L_values"]:
        k = int(np.nonzero(at.L == L)[0][0])
        out.append(Series("analysis", s_mc, at.coverage[k], method="analysis", curve={"L": L, "metric": "coverage"}))
        out.append(Series("monte_carlo", s_mc, cmc[L].estimate, stderr=cmc[L].stderr,
                          curve={"L": L, "metric": "coverage"}))
        for i, N in enumerate(Ns):
            out.append(Series("monte_carlo", cmc[L].estimate, rmc.estimate[i], stderr=rmc.stderr[i],
                              curve={"L": L, "N": int(N)}))
    return out


register(Experiment(
    name="design_front",
    title="Coverage against radar rate over the power split, for L, N = 1..4 (book)",
    chapter="design",
    params={
        "T_dB": Param(0.0, "SIR threshold of the coverage [dB]", kind="float"),
        "L_values": Param((1, 2, 3, 4), "serving cluster sizes", kind="ints"),
        "N_values": Param((1, 2, 3, 4), "sensing cluster sizes", kind="ints"),
        "budget": Param(5, "cooperation budget of the Pareto front: L + N <= budget", kind="int"),
        "s": Param(tuple(np.round(np.linspace(0.02, 0.98, 25), 4).tolist()), "sensing shares p_s / p_t", kind="floats"),
        "s_mc": Param((0.1, 0.5, 0.9), "sensing shares of the Monte Carlo", kind="floats"),
        **_ANTENNAS,
        **_PHYSICAL,
    },
    compute=compute_front,
    x=(r"coverage probability $\mathcal{P}_c$ at $T$", "coverage"),
    y="rate",
    seed=111,
    xscale="logit",  # spreads the coverage near 1, where the pairs part
    draw=lambda result, ax=None: _draw(result, ax, color_key="L", style_key="N", labels={"L": "$L$", "N": "$N$"}),
))


# ---------------------------------------------------------------------------------------
# The radar rate against the density, in physical units
# ---------------------------------------------------------------------------------------

def compute_density(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """The exact rate (``design.physical_rate``) against density_km2 for every (processing gain,
    RCS); the paper's convention (sigma2 = 1, lengths in ``paper_unit_m``) beside it; Monte Carlo
    at ``density_mc`` for every curve, from one radar run (seed 1000 seed + 1)."""
    d = np.asarray(p["density_km2_values"], dtype=float)
    G = np.asarray(p["processing_gains"], dtype=float)[:, None, None]
    rcs = np.asarray(p["rcs_values"], dtype=float)[None, :, None]
    kw = dict(f_c=p["f_c"], beta=p["beta"])
    rate = design.physical_rate(p["N"], density_km2=d[None, None, :], processing_gain=G, rcs=rcs, Mt=p["Mt"],
                                Mr=p["Mr"], p_s=p["p_s"], p_t=p["p_t"], **kw)
    out = []
    for i, g in enumerate(G.ravel()):
        for j, r in enumerate(rcs.ravel()):
            out.append(Series("analysis", d, rate[i, j], method="analysis",
                              curve={"processing_gain": float(g), "rcs": float(r)}))
    unit = p["paper_unit_m"]
    paper = sensing.theorem2(p["N"], Mt=p["Mt"], Mr=p["Mr"], beta=p["beta"], p_s=p["p_s"], p_t=p["p_t"],
                             lam=d * 1e-6 * unit**2, sigma2=1.0, exact=True)
    out.append(Series("analysis", d, paper, method=f"paper's convention, sigma2 = 1, unit {unit:g} m"))
    if not trials:
        return out
    dm = np.asarray(p["density_mc"], dtype=float)
    u = design.equivalent_length_unit(processing_gain=G, rcs=rcs, **kw)
    r_mc = simulation.radar_rate(N=p["N"], Mt=p["Mt"], Mr=p["Mr"], beta=p["beta"], p_s=p["p_s"], p_t=p["p_t"],
                                 lam=dm[None, None, :] * 1e-6 * u**2, sigma2=1.0, trials=trials,
                                 seed=1000 * seed + 1, **mc)
    for i, g in enumerate(G.ravel()):
        for j, r in enumerate(rcs.ravel()):
            out.append(Series("monte_carlo", dm, r_mc.estimate[i, j], stderr=r_mc.stderr[i, j],
                              curve={"processing_gain": float(g), "rcs": float(r)}))
    return out


register(Experiment(
    name="design_density",
    title="Radar information rate in physical units against the BS density (book)",
    chapter="design",
    params={
        "density_km2_values": Param(tuple(np.round(np.logspace(0, 2, 13), 6).tolist()), "BS densities [BSs/km^2]",
                                    kind="floats"),
        "density_mc": Param((1.0, 10.0, 100.0), "BS densities of the Monte Carlo [BSs/km^2]", kind="floats"),
        "processing_gains": Param((1.0, 1e3, 1e6), "radar processing gains G_p", kind="floats"),
        "rcs_values": Param((0.1, 1.0, 10.0), "radar cross-sections [m^2]", kind="floats"),
        "N": Param(1, "sensing cluster size", kind="int"),
        "p_s": Param(0.5, "sensing power [W]", kind="float"),
        "paper_unit_m": Param(float(sensing.FIGURE_DEFAULTS["length_unit"].split()[0]), "length unit of the paper's convention (the book's sensing unit) [m]",
                              kind="float"),
        "f_c": _PHYSICAL["f_c"],
        **_ANTENNAS,
    },
    compute=compute_density,
    x=("BS density [BSs/km$^2$]", "density_km2"),
    y="rate",
    seed=112,
    xscale="log",
    yscale="log",
    draw=lambda result, ax=None: _draw(result, ax, color_key="processing_gain", style_key="rcs",
                                       labels={"processing_gain": "$G_p$", "rcs": r"RCS [m$^2$]"}),
))
