"""One figure style for the whole book, dB helpers, each figure's numbers as a CSV download,
and the glue of numbers into the prose.

Conventions drawn by every figure of the book:

- analysis: lines, one colour per curve (a curve is one set of parameters, e.g. ``L = 2``),
  one line style per analytical method (e.g. the paper's Theorem 1 vs the exact value);
  the legend reads ``analysis (<method>), <curve>``;
- Monte Carlo: markers of the curve's colour with 95 % intervals (estimate +- 1.96 standard
  errors); one legend entry ``Monte Carlo (95 % interval)``;
- axes labelled with their units (``AXES``);
- beside the figure, a link that downloads its numbers as CSV: one row per (curve, x), with the
  analysis values, the Monte Carlo estimate, standard error and 95 % bounds, then the figure's
  parameters, seed and trial count as constant columns.  The CSV travels inside the page (a
  ``data:`` URI), so building the book writes nothing into the source tree.

A chapter draws a figure as::

    fig = figures.BookFigure("T_dB", "coverage", name="fig5", parameters=params, seed=seed, trials=trials)
    fig.analysis(T_dB, pc, method="Theorem 1", L=2)
    fig.monte_carlo(T_dB, mc.estimate, mc.stderr, L=2)
    fig.show()
"""
from __future__ import annotations

import base64
import csv
import html
import io
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from . import geometry
from ._checks import check_int, check_real
from ._plain import plain as _plain

if TYPE_CHECKING:  # pragma: no cover
    from IPython.display import HTML
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PAPER_DEFAULTS",
    "Z95",
    "AXES",
    "db2lin",
    "lin2db",
    "paper_parameters",
    "sensing_parameters",
    "setup",
    "BookFigure",
    "csv_text",
    "csv_link",
    "show_figure",
    "show_table",
    "glue",
    "network_sample",
    "network_columns",
    "draw_network",
]

#: The paper's simulation parameters (Section IV): Mt = 10 transmit and Mr = 6 receive
#: antennas, path-loss exponent beta = 4, total power p_t = 1 W, mean RCS sigma2 = 1.
#: p_c is not stated in the paper; 0.5 W (an even split of p_t between communication and
#: sensing) is our default, and every figure lists the value it used in its CSV.
PAPER_DEFAULTS = MappingProxyType({"Mt": 10, "Mr": 6, "beta": 4.0, "p_t": 1.0, "sigma2": 1.0, "p_c": 0.5})

#: Two-sided 95 % normal quantile used for every Monte Carlo interval of the book.
Z95 = 1.96

#: Axis names -> (axis label with units, CSV column name).
AXES = MappingProxyType(
    {
        "T_dB": ("SIR threshold $T$ [dB]", "T_dB"),
        "gamma": (r"normalised gain $\gamma$", "gamma"),
        "coverage": (r"coverage probability $\mathcal{P}_c$", "coverage"),
        "cdf": ("CDF", "cdf"),
        "pdf": ("probability density", "pdf"),
        "rate": (r"radar information rate $R_s$ [bit/s/Hz]", "rate_bit_per_s_per_Hz"),
        "rate_nats": (r"radar information rate $R_s$ [nat/s/Hz]", "rate_nat_per_s_per_Hz"),
        "lam": (r"BS density $\lambda$ [BSs per unit area]", "lam"),
        "L": ("serving cluster size $L$ [BSs]", "L"),
        "N": ("sensing cluster size $N$ [BSs]", "N"),
        "Mt": ("transmit antennas $M_t$", "Mt"),
        "p_s": ("sensing power $p_s$ [W]", "p_s"),
        "p_s_dB": ("sensing power $p_s$ [dBW]", "p_s_dBW"),
        "z": ("Laplace variable $z$", "z"),
        "laplace": ("Laplace transform", "laplace"),
        "x": ("$x$ [length unit]", "x"),
        "y": ("$y$ [length unit]", "y"),
    }
)

_LINESTYLES = ("-", "--", ":", "-.")
_MC_LABEL = "Monte Carlo (95 % interval)"


def db2lin(x_db: ArrayLike) -> np.ndarray | float:
    """Decibels to linear: 10**(x_db / 10) (float array, or float for a scalar)."""
    out = np.power(10.0, np.asarray(x_db, dtype=float) / 10.0)
    return out if out.ndim else float(out)


def lin2db(x: ArrayLike) -> np.ndarray | float:
    """Linear to decibels: 10 log10(x); 0 gives -inf, negative values raise ValueError."""
    x = np.asarray(x, dtype=float)
    if np.any(x < 0) or np.any(np.isnan(x)):
        raise ValueError("x must be real numbers >= 0 to convert to dB")
    with np.errstate(divide="ignore"):
        out = 10.0 * np.log10(x)
    return out if out.ndim else float(out)


def paper_parameters(**overrides) -> dict:
    """The paper's Section IV parameters (``PAPER_DEFAULTS``) updated with ``overrides``.

    A chapter adds its own parameters (``L``, ``N``, ``lam``, ``p_s`` ...) here, so that one
    dict both feeds the package calls and is written into each figure's CSV.
    """
    return {**PAPER_DEFAULTS, **overrides}


def sensing_parameters(**overrides) -> dict:
    """Parameters of the sensing figures: the paper's Section IV values, with the sensing power
    p_s = p_t - p_c, and the density ``lam`` and its ``length_unit`` chosen in
    ``coopisac.sensing.FIGURE_DEFAULTS`` (the paper states neither), updated with ``overrides``.
    """
    from . import sensing

    chosen = sensing.FIGURE_DEFAULTS
    base = {k: v for k, v in PAPER_DEFAULTS.items() if k != "p_c"}
    base["p_s"] = PAPER_DEFAULTS["p_t"] - PAPER_DEFAULTS["p_c"]
    clash = {k: (v, chosen[k]) for k, v in base.items() if k in chosen and chosen[k] != v}
    if clash:
        raise ValueError(f"coopisac.sensing.FIGURE_DEFAULTS disagrees with PAPER_DEFAULTS: {clash}")
    return {**base, "lam": chosen["lam"], "length_unit": chosen["length_unit"], **overrides}


def setup() -> None:
    """Apply the book's matplotlib style (call once per notebook, in its imports cell)."""
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.2),
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": mpl.cycler(color=mpl.colormaps["tab10"].colors),
            "legend.fontsize": "small",
            "legend.framealpha": 0.9,
            "lines.linewidth": 1.6,
            "errorbar.capsize": 2.5,
        }
    )


def _axis(spec) -> tuple[str, str]:
    """(label, CSV column) from an ``AXES`` key or a ``(label, column)`` pair."""
    if isinstance(spec, str):
        if spec not in AXES:
            raise ValueError(f"axis must be one of {', '.join(AXES)} or a (label, column) pair; got {spec!r}")
        return AXES[spec]
    label, column = spec
    return str(label), str(column)


def _curve_label(curve: Mapping) -> str:
    return ", ".join(f"{k} = {v}" for k, v in curve.items())


class BookFigure:
    """One axes drawn in the book's style, with its numbers kept for the CSV download.

    Parameters
    ----------
    x, y : an ``AXES`` key (e.g. ``"T_dB"``, ``"coverage"``) or a ``(label, column)`` pair.
    name : file stem of the CSV download (``<name>.csv``), e.g. ``"fig5"``.
    parameters : the parameters shared by every curve (written as constant CSV columns).
    seed, trials : of the Monte Carlo (``None`` where the figure has none).
    """

    def __init__(self, x, y, *, name: str, parameters: Mapping | None = None, seed=None, trials=None, ax=None):
        import matplotlib.pyplot as plt

        (self._xlabel, self._xcol), (self._ylabel, self._ycol) = _axis(x), _axis(y)
        self.name = str(name)
        self.constants = {**(parameters or {}), "seed": seed, "trials": trials}
        if ax is None:
            self.fig, self.ax = plt.subplots()
        else:
            self.fig, self.ax = ax.figure, ax
        self.ax.set_xlabel(self._xlabel)
        self.ax.set_ylabel(self._ylabel)
        self._colors: dict[tuple, str] = {}
        self._styles: dict[str, str] = {}
        self._rows: dict[tuple, dict] = {}  # (curve items, x) -> CSV row
        self._curve_cols: list[str] = []
        self._methods: list[str] = []
        self._has_mc = False

    def _color(self, curve: Mapping) -> str:
        import matplotlib as mpl

        key = tuple(curve.items())
        if key not in self._colors:
            palette = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
            self._colors[key] = palette[len(self._colors) % len(palette)]
        return self._colors[key]

    def _record(self, x, curve: Mapping, values: Mapping[str, np.ndarray]) -> None:
        for col in curve:
            if col not in self._curve_cols:
                self._curve_cols.append(col)
        for i, xi in enumerate(x):
            key = (tuple(curve.items()), float(xi))
            row = self._rows.setdefault(key, {**curve, self._xcol: float(xi)})
            for col, vals in values.items():
                row[col] = float(vals[i])

    @staticmethod
    def _arrays(x, *ys):
        x = np.asarray(x, dtype=float).ravel()
        out = [np.asarray(y, dtype=float).ravel() for y in ys]
        for y in out:
            if y.shape != x.shape:
                raise ValueError(f"values must have one entry per x ({x.size}); got {y.size}")
        return x, out

    def analysis(self, x, y, *, method: str, **curve) -> None:
        """Draw an analytical curve (a line): ``method`` names the result (e.g. "Theorem 1");
        keyword arguments name the curve (e.g. ``L=2``) and become CSV columns."""
        x, (y,) = self._arrays(x, y)
        if method not in self._styles:
            self._styles[method] = _LINESTYLES[len(self._styles) % len(_LINESTYLES)]
            self._methods.append(method)
        label = f"analysis ({method})" + (f", {_curve_label(curve)}" if curve else "")
        self.ax.plot(x, y, self._styles[method], color=self._color(curve), label=label)
        self._record(x, curve, {f"analysis: {method}": y})

    def monte_carlo(self, x, estimate, stderr, *, label: str | None = None, **curve) -> None:
        """Draw Monte Carlo estimates (markers) with 95 % intervals (+- ``Z95`` standard errors).
        ``label``: a legend entry of the markers' own colour (for a curve that has no analysis
        line to name it)."""
        x, (est, se) = self._arrays(x, estimate, stderr)
        if np.any(se < 0):
            raise ValueError("stderr must be >= 0")
        color = self._color(curve)
        self.ax.errorbar(x, est, yerr=Z95 * se, fmt="o", ms=5, mfc="none", mew=1.2, color=color, zorder=3)
        if label is not None:
            self.ax.plot([], [], "o", mfc="none", color=color, label=label)
        self._has_mc = True
        self._record(
            x,
            curve,
            {"mc_estimate": est, "mc_stderr": se, "mc_lower95": est - Z95 * se, "mc_upper95": est + Z95 * se},
        )

    def columns(self) -> dict[str, list]:
        """The figure's numbers as CSV columns (one row per curve and x)."""
        mc_cols = ["mc_estimate", "mc_stderr", "mc_lower95", "mc_upper95"] if self._has_mc else []
        names = self._curve_cols + [self._xcol] + [f"analysis: {m}" for m in self._methods] + mc_cols
        clash = set(names) & set(self.constants)
        if clash:
            raise ValueError(f"{sorted(clash)} are both curve columns and figure parameters")
        rows = list(self._rows.values())
        cols = {n: [r.get(n) for r in rows] for n in names}
        for key, value in self.constants.items():
            cols[key] = [_plain(value)] * len(rows)
        return cols

    def legend(self, **kwargs) -> None:
        """Draw the legend: analysis lines, then one neutral Monte Carlo entry."""
        from matplotlib.lines import Line2D

        handles, labels = self.ax.get_legend_handles_labels()
        if self._has_mc:
            handles.append(Line2D([], [], ls="none", marker="o", mfc="none", color="0.3"))
            labels.append(_MC_LABEL)
        if handles:
            self.ax.legend(handles, labels, **kwargs)

    def show(self, *, link: bool = True, **legend_kwargs) -> None:
        """Draw the legend, display the figure and (``link=True``) its CSV download link, close the
        figure.  For a captioned figure (cell metadata ``mystnb: figure: caption/name``), call
        ``show(link=False)`` there and ``csv_link()`` in the next cell: the caption applies to
        every output of its cell."""
        self.legend(**legend_kwargs)
        show_figure(self.fig, name=self.name, columns=self.columns() if link else None)

    def csv_link(self):
        """The figure's CSV download link (an IPython HTML object; display it or end a cell with it)."""
        return csv_link(f"{self.name}.csv", self.columns())


def show_figure(fig: Figure, *, name: str | None = None, columns: Mapping[str, object] | None = None) -> None:
    """Display a matplotlib figure (then close it, so it is shown once), followed by the CSV
    download link of ``columns`` as ``<name>.csv`` when given."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)
    if columns is not None:
        if name is None:
            raise ValueError("name is required with columns (it names the CSV file)")
        display(csv_link(f"{name}.csv", columns))


def csv_text(columns: Mapping[str, object]) -> str:
    """CSV text of equal-length columns (a scalar is repeated on every row; None is empty)."""
    cols = {str(k): v for k, v in columns.items()}
    lengths = {len(v) for v in cols.values() if not np.isscalar(v) and v is not None}
    if len(lengths) > 1:
        raise ValueError(f"columns must have equal lengths; got {sorted(lengths)}")
    n = lengths.pop() if lengths else 1
    data = [v if (not np.isscalar(v) and v is not None) else [v] * n for v in cols.values()]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for row in zip(*data):
        writer.writerow(["" if v is None else _csv_cell(v) for v in row])
    return buf.getvalue()


def _csv_cell(v):
    v = _plain(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else str(v)
    return v


def csv_link(filename: str, columns: Mapping[str, object], text: str | None = None) -> HTML:
    """An HTML link that downloads ``columns`` as ``filename`` (CSV inside a ``data:`` URI)."""
    from IPython.display import HTML

    payload = base64.b64encode(csv_text(columns).encode()).decode()
    label = html.escape(text or f"Download the numbers of this figure ({filename})")
    return HTML(
        f'<p class="coopisac-csv"><a download="{html.escape(filename)}" '
        f'href="data:text/csv;base64,{payload}">{label}</a></p>'
    )


def show_table(columns: Mapping[str, object], *, name: str, digits: int = 4, caption: str | None = None) -> None:
    """Display ``columns`` as an HTML table with its CSV download link (floats to ``digits``)."""
    from IPython.display import HTML, display

    text = csv_text(columns)
    rows = list(csv.reader(io.StringIO(text)))

    def fmt(cell: str) -> str:
        for kind in (int, float):
            try:
                v = kind(cell)
            except ValueError:
                continue
            return str(v) if kind is int else f"{v:.{digits}g}"
        return html.escape(cell)

    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{fmt(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    display(HTML(f'<table class="table coopisac-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'))
    display(csv_link(f"{name}.csv", columns, text=f"Download this table ({name}.csv)"))


def glue(name: str, value: object) -> None:
    """Store ``value`` under ``name`` for the prose (``{glue:text}`name:.3f```) and for the tests,
    without displaying it.  numpy scalars and arrays are stored as Python floats / lists, so the
    stored text is a plain literal (returns nothing, so a cell ending with it shows nothing)."""
    from myst_nb import glue as _glue

    _glue(name, _plain(value), display=False)


def network_columns(net: dict) -> dict[str, list]:
    """``network_sample``'s points as CSV columns: x, y and role of every BS, user and target."""
    role = np.full(len(net["bs"]), "interferer", dtype=object)
    role[net["serving"]] = "serving"
    role[net["sensing"]] = "sensing"
    both = np.intersect1d(net["serving"], net["sensing"])
    role[both] = "serving+sensing"
    role[net["sensing"][0]] = "BS 1 (echo receiver)" + (" + serving" if net["sensing"][0] in net["serving"] else "")
    xy = np.vstack([net["bs"], net["user"], net["target"]])
    return {"x": xy[:, 0], "y": xy[:, 1], "role": [*role.tolist(), "user", "target"]}


def network_sample(rng: np.random.Generator, *, L: int, N: int, lam: float = 1.0, K: int = 300,
                   target: ArrayLike = (1.2, 0.6)) -> dict:
    """One sampled network for the system-model figure (the paper's Fig. 1 as an actual sample).

    The K nearest BSs of an HPPP of intensity ``lam`` around the user at the origin, from the
    windowless sampler ``geometry.sample_nearest``.  Serving cluster: the L BSs nearest to the
    user.  Sensing cluster: the N BSs nearest to the target at ``target`` (BS 1, the echo
    receiver, is the nearest of them).  The sample is exact inside the disc of radius r_K, so the
    target's cluster is right when |target| + (its N-th distance) <= r_K; otherwise ValueError.

    Returns a dict: ``bs`` (K, 2) positions, ``serving`` (L,) and ``sensing`` (N,) indices into
    ``bs`` (each ordered by distance), ``user`` and ``target`` positions, ``r_K``.
    """
    L = check_int("L", L, minimum=1)
    N = check_int("N", N, minimum=1)
    K = check_int("K", K, minimum=max(L, N) + 1)
    lam = check_real("lam", lam, lower=0.0)
    r2, theta = geometry.sample_nearest(rng, 1, K, lam, angles=True)
    r = np.sqrt(r2[0])
    bs = np.column_stack([r * np.cos(theta[0]), r * np.sin(theta[0])])
    target = np.asarray(target, dtype=float)
    d_target = np.hypot(*(bs - target).T)
    sensing = np.argsort(d_target)[:N]
    if np.hypot(*target) + d_target[sensing[-1]] > r[-1]:
        raise ValueError("the target's sensing cluster reaches beyond the sampled disc: raise K or move the target in")
    return {"bs": bs, "serving": np.arange(L), "sensing": sensing, "user": np.zeros(2), "target": target, "r_K": r[-1]}


def draw_network(ax: Axes, net: dict, *, extent: float = 3.0) -> None:
    """Draw ``network_sample``'s network: interferers, serving cluster with its links to the user,
    sensing cluster with its echo paths (BS i -> target -> BS 1), and the target's nearest-BS disc."""
    import matplotlib.pyplot as plt

    bs, user, target = net["bs"], net["user"], net["target"]
    serving, sensing = net["serving"], net["sensing"]
    cluster = np.zeros(len(bs), bool)
    cluster[serving] = cluster[sensing] = True
    c_serv, c_sens = "tab:blue", "tab:orange"
    ax.scatter(*bs[~cluster].T, marker="^", s=28, color="0.55", label="interfering BS", zorder=2)
    for i in serving:
        ax.plot(*np.column_stack([bs[i], user]), color=c_serv, lw=1.2, zorder=1)
    for i in sensing:
        ax.plot(*np.column_stack([bs[i], target]), color=c_sens, lw=1.0, ls="--", zorder=1)
    ax.scatter(*bs[serving].T, marker="^", s=60, color=c_serv, label=f"serving cluster ($L$ = {len(serving)})", zorder=3)
    ax.scatter(*bs[sensing].T, marker="^", s=60, facecolor="none", edgecolor=c_sens, lw=1.6,
               label=f"sensing cluster ($N$ = {len(sensing)})", zorder=4)
    ax.scatter(*bs[sensing[0]], marker="*", s=220, color=c_sens, label="BS 1 (echo receiver)", zorder=5)
    r1 = np.hypot(*(bs[sensing[0]] - target))
    ax.add_patch(plt.Circle(target, r1, fill=False, ls=":", color=c_sens, lw=1.0))
    ax.scatter(*user, marker="o", s=70, color="k", label="user (origin)", zorder=6)
    ax.scatter(*target, marker="X", s=80, color="tab:red", label="target", zorder=6)
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    ax.set_xlabel(AXES["x"][0])
    ax.set_ylabel(AXES["y"][0])
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
