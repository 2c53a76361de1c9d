"""Sweeps: one experiment over a grid of parameters, each finished point kept, so that an
interrupted sweep resumes.

A specification (a dict, or a TOML file with the same keys)::

    experiment = "fig6"          # a registered experiment
    trials = 20000               # Monte Carlo trials per point (default: the experiment's)
    seed = 1                     # one seed for every point (default: the experiment's)
    [fixed]                      # parameters held at one value (optional)
    Mt_values = [2, 10]
    [grid]                       # parameters swept: every combination, in this order
    p_c = [0.3, 0.5, 1.0]

``grid`` may also sweep ``seed`` or ``trials``.  Point i of the grid writes its JSON record
``records/point<i>-<key>.json`` (key: a hash of the experiment, its resolved parameters, trials,
seed and the package version), then appends its rows to ``table.csv``: the point's index, the
swept values, trials, seed and the experiment's tidy rows (``ExperimentResult.rows``).  Records
are written to a temporary name and renamed, so a record is either whole or absent.

``sweep.json`` holds the specification and, once the sweep is complete, how many points were
read back and how many computed.  Started again on the same directory, a sweep reads back every point whose record exists (it does
not recompute it), rewrites the table from those records (dropping any row half-written by a
killed process) and computes only the rest.  The numbers of a point depend on its parameters,
trials and seed alone, so the final table is identical to that of an uninterrupted run.

CSV, not Parquet: the table is read by any tool and written by the standard library, so it
needs no extra dependency (pyarrow), and appending a point is appending lines.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._checks import check_int

__all__ = ["sweep", "load_spec", "grid_points"]

_KEYS = ("experiment", "trials", "seed", "fixed", "grid", "out")


def load_spec(spec: Mapping | str | os.PathLike) -> dict:
    """A sweep specification from a dict or a TOML file; ValueError naming a bad key."""
    if not isinstance(spec, Mapping):
        path = Path(spec)
        if not path.is_file():
            raise ValueError(f"spec must be a TOML file or a dict; no file {str(path)!r}")
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib
        try:
            spec = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"spec {str(path)!r} is not valid TOML: {err}") from None
    spec = dict(spec)
    unknown = sorted(set(spec) - set(_KEYS))
    if unknown:
        raise ValueError(f"spec has unknown keys {', '.join(unknown)}; allowed: {', '.join(_KEYS)}")
    if "experiment" not in spec:
        raise ValueError("spec must name its experiment (experiment = \"fig6\")")
    for key in ("fixed", "grid"):
        spec[key] = dict(spec.get(key) or {})
    if not spec["grid"]:
        raise ValueError("spec needs a [grid] with at least one parameter and its list of values")
    for k, v in spec["grid"].items():
        if not isinstance(v, list) or not v:
            raise ValueError(f"grid.{k} must be a non-empty list of values, got {v!r}")
    both = sorted(set(spec["grid"]) & set(spec["fixed"]))
    if both:
        raise ValueError(f"{', '.join(both)} both fixed and swept")
    return spec


def grid_points(spec: Mapping) -> list[dict]:
    """Every combination of the grid (the last key varying fastest), fixed values included."""
    grid = spec["grid"]
    return [{**spec["fixed"], **dict(zip(grid, combo))} for combo in itertools.product(*grid.values())]


def _key(name: str, params: Mapping, trials: int, seed: int) -> str:
    from .. import __version__
    from . import _plain

    blob = json.dumps({"experiment": name, "parameters": _plain(params), "trials": trials, "seed": seed,
                       "coopisac": __version__}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def sweep(spec: Mapping | str | os.PathLike, out_dir: str | os.PathLike, *, mc: Mapping | None = None,
          progress: bool = True) -> Path:
    """Run the sweep ``spec`` (a dict or a TOML path, see the module docstring) into ``out_dir``,
    resuming from the records already there; returns the path of its table (``table.csv``).
    ``mc``: keywords for every Monte Carlo call (``executor``, ``workers``); ``progress``: a bar
    over the points (and over the blocks of each)."""
    from tqdm import tqdm

    from . import ExperimentResult, _plain, get, run, write_csv

    spec = load_spec(spec)
    exp = get(spec["experiment"])
    out = Path(out_dir)
    (out / "records").mkdir(parents=True, exist_ok=True)
    swept = list(spec["grid"])
    plan = []  # (index, overrides, resolved, trials, seed, record path)
    for i, point in enumerate(grid_points(spec)):
        point = dict(point)
        trials = check_int("trials", point.pop("trials", spec.get("trials", exp.trials)), minimum=0)
        seed = check_int("seed", point.pop("seed", spec.get("seed", exp.seed)), minimum=0)
        resolved = exp.resolve(point)
        path = out / "records" / f"point{i:04d}-{_key(exp.name, resolved, trials, seed)}.json"
        plan.append((i, point, trials, seed, path))
    _write_atomic(out / "sweep.json", json.dumps(_plain({**spec, "points": len(plan)}), indent=1) + "\n")

    table = out / "table.csv"
    columns: list[str] = []
    rows_of: dict[int, list[dict]] = {}

    def point_rows(i: int, trials: int, seed: int, point: Mapping, result: ExperimentResult) -> list[dict]:
        lead = {"point": i, **{k: _plain(result.parameters[k]) if k in result.parameters else _plain(point.get(k))
                               for k in swept if k not in ("trials", "seed")},
                "trials": trials, "seed": seed}
        return [{**lead, **r} for r in result.rows()]

    def write_table() -> None:
        _write_atomic(table, write_csv([r for i in sorted(rows_of) for r in rows_of[i]], columns))

    def add(i: int, rows: list[dict]) -> bool:
        """Keep the point's rows; True when they brought new columns (the table is rewritten)."""
        rows_of[i] = rows
        new = [k for r in rows for k in r if k not in columns]
        for k in new:
            if k not in columns:
                columns.append(k)
        return bool(new)

    done = 0
    for i, point, trials, seed, path in plan:
        if path.is_file():
            add(i, point_rows(i, trials, seed, point, ExperimentResult.from_json(path.read_text())))
            done += 1
    write_table()  # the finished points only: drops a row a killed run may have half-written
    if done:
        print(f"{exp.name}: {done} of {len(plan)} points read back from {out / 'records'}", file=sys.stderr)

    mc = {"progress": bool(progress), **dict(mc or {})}
    bar = tqdm(total=len(plan), initial=done, disable=not progress, unit="point", desc=exp.name)
    try:
        for i, point, trials, seed, path in plan:
            if i in rows_of:
                continue
            result = run(exp.name, trials=trials, seed=seed, mc=mc, **point)
            _write_atomic(path, result.to_json() + "\n")
            rows = point_rows(i, trials, seed, point, result)
            if add(i, rows):
                write_table()
            else:
                with table.open("a") as f:
                    f.write(write_csv(rows, columns).split("\n", 1)[1])
            bar.update()
    finally:
        bar.close()
    write_table()  # point order, whatever order the points finished in
    _write_atomic(out / "sweep.json", json.dumps(_plain({**spec, "points": len(plan), "read_back": done,
                                                         "computed": len(plan) - done}), indent=1) + "\n")
    return table
