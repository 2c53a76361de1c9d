"""Every figure and table of the paper and of the book as an experiment: its parameters with
their defaults, a function that computes its analysis curves and Monte Carlo points, and one
that draws it.

An experiment is registered once, in the module of its chapter
(``coopisac.experiments.<chapter>``); importing this package imports every chapter module, so
that ``names()`` lists them all::

    from coopisac import experiments
    result = experiments.run("fig6", trials=10**5, seed=1, beta=4.0)
    fig = result.figure()                       # a figures.BookFigure
    record = result.to_dict()                   # JSON-able: parameters, series, provenance
    same = experiments.ExperimentResult.from_dict(record)

``compute(p, *, trials, seed, mc) -> list[Series]`` receives every parameter resolved (the
defaults updated with the overrides, each converted to its kind), the trial count
(``0``: analysis only), the seed, and ``mc``: keywords forwarded to every Monte Carlo call
(``progress``, ``workers``, ``executor``).  The numbers depend on the parameters, ``trials``
and ``seed`` alone (the Monte Carlo engine seeds fixed blocks), so re-running a record
reproduces them bit for bit.

A sweep over a grid of parameters (``sweep``) appends each finished point to one tidy CSV table
beside its JSON records, and an interrupted sweep resumes from them (``coopisac.experiments._sweep``).
"""
from __future__ import annotations

import csv
import importlib
import io
import json
import math
import numbers
import pkgutil
import platform
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ..figures import BookFigure

from .._checks import check_int
from .._plain import plain as _plain

__all__ = [
    "KINDS",
    "Param",
    "Series",
    "Experiment",
    "ExperimentResult",
    "register",
    "get",
    "names",
    "run",
    "sweep",
    "provenance",
]

#: The kinds of a parameter: one integer, one real, a tuple of either, a string, a switch.
KINDS = ("int", "float", "ints", "floats", "str", "bool")

#: Version of the JSON record layout written by ``ExperimentResult.to_dict``.
RECORD_FORMAT = 1

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


# ---------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------

def _number(name: str, value: Any, kind: str) -> int | float:
    """One int or float from a number or its text ("1e6" is an int when it is integral)."""
    what = "an integer" if kind == "int" else "a real number"
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{name} must be {what}, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text) if kind == "int" and text.lstrip("+-").isdigit() else float(text)
        except ValueError:
            raise ValueError(f"{name} must be {what}, got {value!r}") from None
    if not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be {what}, got {value!r}")
    if kind == "int":
        if isinstance(value, numbers.Integral):
            return int(value)
        if math.isfinite(value) and float(value).is_integer():
            return int(value)
        raise ValueError(f"{name} must be an integer, got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return x


def _range(name: str, text: str, kind: str) -> list:
    """``start:stop:step`` with stop included (within a millionth of a step), e.g. -10:20:2."""
    parts = text.split(":")
    if len(parts) != 3:
        raise ValueError(f"{name} must be a list (1,2,3) or a range start:stop:step, got {text!r}")
    start, stop, step = (_number(name, p, kind) for p in parts)
    if step == 0 or (stop - start) * step < 0:
        raise ValueError(f"{name}: the step of {text!r} must be non-zero and lead from start to stop")
    n = int(math.floor((stop - start) / step + 1e-6)) + 1
    return [start + i * step for i in range(n)] if kind == "ints" else [float(start + i * step) for i in range(n)]


@dataclass(frozen=True)
class Param:
    """One parameter of an experiment: its ``default`` (the paper's value where it states one),
    a one-line ``help`` with its unit, its ``kind`` (one of ``KINDS``) and, for a string,
    the allowed ``choices``."""

    default: Any
    help: str
    kind: str = "float"
    choices: tuple | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {self.kind!r}")

    def coerce(self, name: str, value: Any) -> Any:
        """``value`` converted to this parameter's kind (from Python values, JSON lists or the
        command line's text: ``"1e6"``, ``"1,2,3"``, ``"-10:20:2"``, ``"true"``); ValueError
        naming the parameter otherwise.  Tuples are returned for ``ints`` / ``floats``."""
        kind = self.kind
        if kind in ("int", "float"):
            return _number(name, value, kind)
        if kind == "bool":
            if isinstance(value, (bool, np.bool_)):
                return bool(value)
            text = str(value).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError(f"{name} must be true or false, got {value!r}")
        if kind == "str":
            if not isinstance(value, str):
                raise ValueError(f"{name} must be a string, got {value!r}")
            if self.choices is not None and value not in self.choices:
                raise ValueError(f"{name} must be one of {', '.join(map(str, self.choices))}; got {value!r}")
            return value
        # ints / floats: a scalar, a sequence, or text
        one = kind[:-1]
        if isinstance(value, str):
            text = value.strip()
            if ":" in text:
                return tuple(_range(name, text, kind))
            items = [t for t in text.replace(",", " ").split() if t]
        elif isinstance(value, (numbers.Real, np.generic)) and not isinstance(value, (bool, np.bool_)):
            items = [value]
        else:
            try:
                items = list(np.asarray(value, dtype=object).ravel()) if not isinstance(value, (list, tuple)) else list(value)
            except Exception:  # noqa: BLE001 - any unusable object is a bad value
                raise ValueError(f"{name} must be a list of {'integers' if one == 'int' else 'real numbers'}, got {value!r}") from None
        if not items:
            raise ValueError(f"{name} must not be empty")
        return tuple(_number(name, v, one) for v in items)


# ---------------------------------------------------------------------------------------
# Series and experiments
# ---------------------------------------------------------------------------------------

@dataclass
class Series:
    """One curve of an experiment: ``kind`` "analysis" (a line, named by its ``method``, e.g.
    "Theorem 1") or "monte_carlo" (points with their ``stderr``); ``x`` in the unit of the
    experiment's x axis, ``y`` of its y axis; ``curve`` names the curve (e.g. ``{"L": 2}``);
    ``label``: the legend entry of Monte Carlo points that no analysis line names."""

    kind: str
    x: np.ndarray
    y: np.ndarray
    stderr: np.ndarray | None = None
    method: str | None = None
    curve: dict = field(default_factory=dict)
    label: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("analysis", "monte_carlo"):
            raise ValueError(f"kind must be 'analysis' or 'monte_carlo'; got {self.kind!r}")
        self.x = np.asarray(self.x, dtype=float).ravel()
        self.y = np.asarray(self.y, dtype=float).ravel()
        if self.y.shape != self.x.shape:
            raise ValueError(f"y must have one value per x ({self.x.size}); got {self.y.size}")
        if self.kind == "monte_carlo":
            if self.stderr is None:
                raise ValueError("a monte_carlo series needs its stderr")
            self.stderr = np.asarray(self.stderr, dtype=float).ravel()
            if self.stderr.shape != self.x.shape:
                raise ValueError(f"stderr must have one value per x ({self.x.size}); got {self.stderr.size}")
        elif self.method is None:
            raise ValueError("an analysis series needs its method (e.g. 'Theorem 1')")
        self.curve = {str(k): _plain(v) for k, v in dict(self.curve).items()}

    def lower95(self) -> np.ndarray | None:
        """estimate - 1.96 stderr (None for an analysis curve)."""
        from ..figures import Z95

        return None if self.stderr is None else self.y - Z95 * self.stderr

    def upper95(self) -> np.ndarray | None:
        """estimate + 1.96 stderr (None for an analysis curve)."""
        from ..figures import Z95

        return None if self.stderr is None else self.y + Z95 * self.stderr

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "method": self.method,
            "curve": dict(self.curve),
            "x": _plain(self.x),
            "y": _plain(self.y),
            "stderr": None if self.stderr is None else _plain(self.stderr),
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> "Series":
        return cls(kind=d["kind"], x=d["x"], y=d["y"], stderr=d.get("stderr"), method=d.get("method"),
                   curve=d.get("curve") or {}, label=d.get("label"))

    def same_numbers(self, other: "Series") -> bool:
        """True when both series hold the same curve and bit-identical numbers."""
        def eq(a, b):
            if a is None or b is None:
                return a is b
            return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))

        return (self.kind, self.method, self.curve) == (other.kind, other.method, other.curve) and all(
            eq(a, b) for a, b in ((self.x, other.x), (self.y, other.y), (self.stderr, other.stderr))
        )


@dataclass(frozen=True)
class Experiment:
    """A figure or table: ``name`` (e.g. "fig5"), ``title``, the ``chapter`` of the book that
    shows it, its ``params`` (name -> ``Param``), ``compute(p, *, trials, seed, mc)`` returning
    its ``Series``, the axes ``x`` / ``y`` (``figures.AXES`` keys or ``(label, column)`` pairs),
    the default ``trials`` and ``seed``, optional log scales, and an optional
    ``draw(result, ax=None) -> BookFigure`` replacing the generic drawing."""

    name: str
    title: str
    chapter: str
    params: Mapping[str, Param]
    compute: Callable[..., list]
    x: Any
    y: Any
    trials: int = 100_000
    seed: int = 1
    draw: Callable | None = None
    xscale: str = "linear"
    yscale: str = "linear"

    def defaults(self) -> dict:
        """Every parameter at its default."""
        return {k: p.default for k, p in self.params.items()}

    def resolve(self, overrides: Mapping[str, Any] | None = None) -> dict:
        """The defaults updated with ``overrides``, each converted to its kind; ValueError for
        a name the experiment does not have."""
        overrides = dict(overrides or {})
        unknown = sorted(set(overrides) - set(self.params))
        if unknown:
            raise ValueError(
                f"{self.name} has no parameter {', '.join(unknown)}; its parameters are {', '.join(self.params)}"
            )
        return {k: p.coerce(k, overrides.get(k, p.default)) for k, p in self.params.items()}


_REGISTRY: dict[str, Experiment] = {}


def register(experiment: Experiment) -> Experiment:
    """Add ``experiment`` to the registry (its name must be new); returns it."""
    if not isinstance(experiment, Experiment):
        raise ValueError(f"experiment must be an Experiment, got {type(experiment).__name__}")
    if experiment.name in _REGISTRY:
        raise ValueError(f"an experiment named {experiment.name!r} is already registered")
    experiment.resolve()  # the defaults must be valid values of their kinds
    _REGISTRY[experiment.name] = experiment
    return experiment


def get(name: str) -> Experiment:
    """The registered experiment ``name``; ValueError naming the known ones otherwise."""
    if name not in _REGISTRY:
        raise ValueError(f"experiment must be one of {', '.join(_REGISTRY)}; got {name!r}")
    return _REGISTRY[name]


def names(chapter: str | None = None) -> list[str]:
    """Names of the registered experiments (of one ``chapter`` when given), book order."""
    return [n for n, e in _REGISTRY.items() if chapter is None or e.chapter == chapter]


# ---------------------------------------------------------------------------------------
# Provenance and results
# ---------------------------------------------------------------------------------------

def _git_commit() -> tuple[str | None, bool | None]:
    """(commit, dirty) of the git checkout holding the package, or (None, None) outside one."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10)
        if commit.returncode != 0:
            return None, None
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                                capture_output=True, text=True, timeout=10)
        return commit.stdout.strip(), bool(status.stdout.strip()) if status.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None, None


def provenance(wall_s: float | None = None, mc: Mapping | None = None) -> dict:
    """What made a result: package, numpy, scipy and Python versions, git commit (and whether
    the checkout had uncommitted changes) when there is one, the machine, the UTC time, the wall
    time and how the Monte Carlo ran (workers, executor, checkpoint directory)."""
    import scipy

    from .. import __version__

    commit, dirty = _git_commit()
    mc = dict(mc or {})
    executor = mc.get("executor")
    return {
        "coopisac": __version__,
        "git_commit": commit,
        "git_dirty": dirty,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "wall_s": wall_s,
        "workers": mc.get("workers", 1),
        "executor": None if executor is None else type(executor).__name__,
        "cache": None if mc.get("cache") is None else str(mc["cache"]),
    }


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else str(v)
    if isinstance(v, (list, tuple)):
        return " ".join(str(_cell(x)) for x in v)
    return v


def write_csv(rows: list[dict], columns: list[str] | None = None) -> str:
    """CSV text of ``rows`` (dicts); floats written with repr, so that they read back exactly."""
    if columns is None:
        columns = []
        for r in rows:
            columns.extend(k for k in r if k not in columns)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


@dataclass
class ExperimentResult:
    """What ``run`` returns: the experiment's ``name``, every ``parameters`` value it ran with,
    ``trials``, ``seed``, its ``series`` and their ``provenance``."""

    name: str
    parameters: dict
    trials: int
    seed: int
    series: list
    provenance: dict = field(default_factory=dict)

    @property
    def experiment(self) -> Experiment:
        return get(self.name)

    def select(self, kind: str | None = None, method: str | None = None, **curve: Any) -> list:
        """The series of ``kind`` / ``method`` whose curve has the given entries."""
        return [
            s for s in self.series
            if (kind is None or s.kind == kind) and (method is None or s.method == method)
            and all(s.curve.get(k) == _plain(v) for k, v in curve.items())
        ]

    def one(self, kind: str | None = None, method: str | None = None, **curve: Any) -> Series:
        """The single series matching (see ``select``); ValueError if none or several match."""
        found = self.select(kind, method, **curve)
        if len(found) != 1:
            raise ValueError(f"{self.name}: {len(found)} series match kind={kind!r}, method={method!r}, curve={curve}")
        return found[0]

    def figure(self, ax: "Axes | None" = None) -> "BookFigure":
        """The experiment drawn as a ``figures.BookFigure`` (the experiment's own ``draw`` where it
        has one; otherwise its analysis lines and Monte Carlo points on its x / y axes)."""
        exp = self.experiment
        if exp.draw is not None:
            return exp.draw(self, ax=ax)
        return self.book_figure(ax=ax)

    def book_figure(self, ax: "Axes | None" = None, x: Any = None, y: Any = None, series: list | None = None,
                    name: str | None = None) -> "BookFigure":
        """The generic drawing: every series (or those given) on a BookFigure whose constant CSV
        columns are the scalar parameters that name no curve."""
        from .. import figures

        exp = self.experiment
        series = self.series if series is None else series
        curve_keys = {k for s in series for k in s.curve}
        constants = {k: v for k, v in self.parameters.items()
                     if k not in curve_keys and not isinstance(v, (list, tuple))}
        fig = figures.BookFigure(x or exp.x, y or exp.y, name=name or self.name, parameters=constants,
                                 seed=self.seed, trials=self.trials, ax=ax)
        for s in series:
            if s.kind == "analysis":
                fig.analysis(s.x, s.y, method=s.method, **s.curve)
            else:
                fig.monte_carlo(s.x, s.y, s.stderr, label=s.label, **s.curve)
        fig.ax.set_xscale(exp.xscale)
        fig.ax.set_yscale(exp.yscale)
        return fig

    def rows(self) -> list[dict]:
        """The tidy table: one row per point of every series, with its kind, method, curve,
        x, y (value or estimate), stderr and 95 % bounds (Monte Carlo)."""
        from ..figures import _axis

        exp = self.experiment
        xcol, ycol = _axis(exp.x)[1], _axis(exp.y)[1]
        out = []
        for s in self.series:
            lo, hi = s.lower95(), s.upper95()
            for i in range(s.x.size):
                row = {"experiment": self.name, "kind": s.kind, "method": s.method or "", **s.curve,
                       "x": xcol, "x_value": float(s.x[i]), "y": ycol, "y_value": float(s.y[i])}
                if s.stderr is not None:
                    row.update(stderr=float(s.stderr[i]), lower95=float(lo[i]), upper95=float(hi[i]))
                out.append(row)
        return out

    def columns(self) -> list[str]:
        """Column order of ``rows``: fixed columns, then the curve columns."""
        curve = []
        for s in self.series:
            curve.extend(k for k in s.curve if k not in curve)
        return ["experiment", "kind", "method", *curve, "x", "x_value", "y", "y_value", "stderr", "lower95", "upper95"]

    def to_csv(self) -> str:
        """The tidy table as CSV text, then ``trials``, ``seed`` and every scalar parameter as
        constant columns (the JSON record holds them all)."""
        const = {"trials": self.trials, "seed": self.seed}
        const.update({k: v for k, v in self.parameters.items() if not isinstance(v, (list, tuple))})
        cols = self.columns()
        const = {k: v for k, v in const.items() if k not in cols}
        return write_csv([{**r, **const} for r in self.rows()], cols + list(const))

    def to_dict(self) -> dict:
        """A JSON-able record: format, experiment, parameters, trials, seed, series, provenance."""
        return {
            "format": RECORD_FORMAT,
            "experiment": self.name,
            "parameters": _plain(self.parameters),
            "trials": self.trials,
            "seed": self.seed,
            "series": [s.to_dict() for s in self.series],
            "provenance": _plain(self.provenance),
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> "ExperimentResult":
        """The result of a record written by ``to_dict`` (parameters converted to their kinds)."""
        if d.get("format") != RECORD_FORMAT:
            raise ValueError(f"record format must be {RECORD_FORMAT}; got {d.get('format')!r}")
        exp = get(d["experiment"])
        return cls(
            name=exp.name,
            parameters=exp.resolve(d["parameters"]),
            trials=int(d["trials"]),
            seed=int(d["seed"]),
            series=[Series.from_dict(s) for s in d["series"]],
            provenance=dict(d.get("provenance") or {}),
        )

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_json(cls, text: str) -> "ExperimentResult":
        return cls.from_dict(json.loads(text))

    def same_numbers(self, other: "ExperimentResult") -> bool:
        """True when both results hold the same series with bit-identical numbers."""
        return len(self.series) == len(other.series) and all(
            a.same_numbers(b) for a, b in zip(self.series, other.series)
        )

    def save(self, out_dir: str | Path, *, formats: tuple = ("png",), stem: str | None = None) -> dict:
        """Write ``<stem>.json`` (the record), ``<stem>.csv`` (the tidy table) and the figure in
        each of ``formats`` (png, svg, pdf) into ``out_dir``; returns {kind: path}."""
        import matplotlib.pyplot as plt

        allowed = ("png", "svg", "pdf")
        bad = [f for f in formats if f not in allowed]
        if bad:
            raise ValueError(f"formats must be among {', '.join(allowed)}; got {', '.join(bad)}")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        stem = stem or self.name
        paths = {"json": out / f"{stem}.json", "csv": out / f"{stem}.csv"}
        paths["json"].write_text(self.to_json() + "\n")
        paths["csv"].write_text(self.to_csv())
        if formats:
            fig = self.figure()
            fig.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")  # beside: hides no data
            fig.ax.set_title(self.experiment.title, fontsize="medium")
            for f in formats:
                paths[f] = out / f"{stem}.{f}"
                fig.fig.savefig(paths[f], bbox_inches="tight")
            plt.close(fig.fig)
        return paths


def run(name: str, *, trials: int | None = None, seed: int | None = None, mc: Mapping | None = None,
        **parameters: Any) -> ExperimentResult:
    """Run experiment ``name`` with its defaults updated by ``parameters``: ``trials`` Monte Carlo
    trials per point (default: the experiment's; 0: analysis only), ``seed``, ``mc``: keywords
    for every Monte Carlo call (``progress``, ``workers``, ``executor``)."""
    exp = get(name)
    p = exp.resolve(parameters)
    trials = check_int("trials", exp.trials if trials is None else trials, minimum=0)
    seed = check_int("seed", exp.seed if seed is None else seed, minimum=0)
    mc = dict(mc or {})
    start = time.perf_counter()
    series = list(exp.compute(dict(p), trials=trials, seed=seed, mc=mc))
    wall = time.perf_counter() - start
    for s in series:
        if not isinstance(s, Series):
            raise TypeError(f"{name}'s compute must return Series, got {type(s).__name__}")
    return ExperimentResult(name, p, trials, seed, series, provenance(wall, mc))


from ._sweep import sweep  # noqa: E402  (uses the names above)

# The chapters' modules register their experiments on import: the book's order first, then any
# other module of this package (a chapter added later is found without editing this list).
_BOOK_ORDER = ("intro", "system_model", "conjecture1", "conjecture2", "proposition1", "theorem1", "density",
               "lemma1", "theorem2", "proposition2", "fading", "design", "errata")


def _import_chapters() -> None:
    found = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
    for mod in [n for n in _BOOK_ORDER if n in found] + sorted(found - set(_BOOK_ORDER)):
        importlib.import_module(f"{__name__}.{mod}")


_import_chapters()
