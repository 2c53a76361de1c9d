"""The command line: ``coopisac list | run | sweep | coverage | rate`` (also ``python -m coopisac``).

Built on the standard library's argparse: the package gains no dependency for it, and argparse
gives ``--help`` on every command.  Every bad argument ends in one line on stderr,
``coopisac <command>: error: ...``, and exit status 2, never a traceback; an interrupted run
exits with 130 (a sweep started again resumes where it stopped).

``run`` writes the figure (PNG, and SVG / PDF on request), the tidy CSV of every curve and
point and the JSON record (``coopisac.experiments``); ``run --from RECORD`` runs a record's
experiment again with its parameters, trials and seed and says whether the numbers are
identical bit for bit.  ``--workers N`` starts a local Dask cluster and ``--scheduler ADDRESS``
joins a running one (``coopisac.cluster``); the numbers do not depend on either.
"""
from __future__ import annotations

import argparse
import contextlib
import math
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

__all__ = ["main", "build_parser"]

_EPILOG = "Numbers accept 1e6; lists accept 1,2,3 or 1 2 3 or a range start:stop:step (write --T-dB=-10:20:2)."


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _Fail(Exception):
    """A user error found after parsing: printed as one line, exit status 2."""


def _flags(name: str, taken: set[str]) -> list[str]:
    """Option strings of a parameter: --p-c, and for a parameter in dB also --T-db."""
    out = []
    flag = f"--{name.replace('_', '-')}"
    for flag in (flag, flag.replace("dB", "db")):
        if flag not in out and flag not in taken:
            out.append(flag)
    taken.update(out)
    return out


def _show(value: Any) -> str:
    """A default as the command line would take it (an evenly spaced list as start:stop:step)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, tuple):
        value = tuple(v.item() if isinstance(v, np.generic) else v for v in value)
        if len(value) > 3:
            d = np.diff(np.asarray(value, dtype=float))
            if np.allclose(d, d[0], rtol=1e-9, atol=1e-12) and d[0] != 0:
                step = d[0]
                fmt = (lambda v: str(int(v))) if all(float(v).is_integer() for v in (*value, step)) else repr
                return f"{fmt(value[0])}:{fmt(value[-1])}:{fmt(float(step))}"
        return ",".join(str(v) for v in value)
    return str(value)


def _mc_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("Monte Carlo")
    g.add_argument("--workers", metavar="N", help="run the Monte Carlo blocks on a local Dask cluster of N workers")
    g.add_argument("--scheduler", metavar="ADDRESS", help="run them on a running Dask scheduler (e.g. tcp://host:8786)")
    g.add_argument("--cache", metavar="DIR", help="checkpoint the Monte Carlo blocks in DIR: an interrupted run "
                   "started again with the same arguments computes only the blocks it had not finished")
    g.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bars (default: when stderr is a terminal)")


def _add_experiment_parser(sub, exp) -> None:
    p = sub.add_parser(exp.name, help=exp.title, description=f"{exp.title} [chapter: {exp.chapter}]",
                       epilog=_EPILOG)
    g = p.add_argument_group("parameters of the experiment")
    taken = {"--trials", "--seed", "--out", "--format", "--workers", "--scheduler", "--cache", "--progress",
             "--no-progress"}
    for key, param in exp.params.items():
        many = param.kind in ("ints", "floats")
        choices = f" {{{', '.join(param.choices)}}}" if param.choices else ""
        metavar = {"int": "INT", "float": "REAL", "ints": "INT", "floats": "REAL", "str": "TEXT", "bool": "BOOL"}
        g.add_argument(*_flags(key, taken), dest=f"param_{key}", metavar=metavar[param.kind], nargs="+" if many else None,
                       help=f"{param.help}{choices} (default: {_show(param.default)})")
    _run_options(p, exp.trials, exp.seed)


def _run_options(p: argparse.ArgumentParser, trials: int | None, seed: int | None) -> None:
    g = p.add_argument_group("run")
    g.add_argument("--trials", help=f"Monte Carlo trials per point, 0: analysis only (default: {trials})")
    g.add_argument("--seed", help=f"seed of the Monte Carlo (default: {seed})")
    g.add_argument("--out", default="results", help="folder of the outputs (default: results/)")
    g.add_argument("--format", nargs="+", default=["png"], metavar="FMT",
                   help="figure formats among png, svg, pdf (default: png); none: no figure")
    _mc_options(p)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command (each experiment of ``coopisac run`` has its own options)."""
    from . import __version__, experiments

    top = _Parser(prog="coopisac", description="Cooperative ISAC (arXiv 2505.08221): the paper's and the book's "
                  "figures as experiments, and quick numbers at a point.", epilog="coopisac COMMAND --help: "
                  "the options of a command.")
    top.add_argument("--version", action="version", version=f"coopisac {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("list", help="the experiments and their parameters with defaults",
                       description="List the registered experiments, their parameters and defaults.")
    p.add_argument("names", nargs="*", help="only these experiments (default: all)")
    p.add_argument("--brief", action="store_true", help="names and titles only")

    p = sub.add_parser("run", help="run one experiment, write its figure, CSV and JSON record",
                       description="Run one experiment (coopisac run NAME --help: its parameters), or re-run "
                       "a JSON record with --from.", epilog=_EPILOG)
    p.add_argument("--from", dest="record", metavar="RECORD",
                   help="re-run this JSON record (its experiment, parameters, trials and seed) and check the numbers")
    runs = p.add_subparsers(dest="experiment", metavar="EXPERIMENT", parser_class=_Parser)
    for name in experiments.names():
        _add_experiment_parser(runs, experiments.get(name))
    _run_options(p, None, None)

    p = sub.add_parser("sweep", help="an experiment over a grid of parameters (TOML), resumable",
                       description="Run a sweep specification (TOML: experiment, trials, seed, [fixed], [grid]; "
                       "see examples/sweep.toml). Each point's JSON record lands in OUT/records/, its rows are "
                       "appended to OUT/table.csv; run again after an interruption, finished points are read back.")
    p.add_argument("spec", help="the TOML specification")
    p.add_argument("--out", help="output folder (default: the spec's out, else <spec name>-sweep/)")
    _mc_options(p)

    p = sub.add_parser("coverage", help="coverage at given thresholds: analysis and optional Monte Carlo",
                       description="Coverage P(SIR_c >= T) with L serving BSs: Theorem 1 (eq. 10), the exact value "
                       "(no conjecture), and for L = 1, beta = 4 Proposition 1; Monte Carlo with --trials.",
                       epilog=_EPILOG)
    p.add_argument("--T-dB", "--T-db", dest="T_dB", nargs="+", default=["-10:20:5"],
                   help="SIR thresholds [dB] (default: -10:20:5)")
    for flag, default, what in (("--L", "1", "serving cluster size"), ("--Mt", "10", "transmit antennas"),
                                ("--beta", "4", "path-loss exponent"), ("--p-c", "0.5", "communication power [W]"),
                                ("--p-t", "1", "total power of an interferer [W]")):
        p.add_argument(flag, default=default, help=f"{what} (default: {default})")
    p.add_argument("--trials", default="0", help="Monte Carlo trials (default: 0, analysis only)")
    p.add_argument("--seed", default="1", help="Monte Carlo seed (default: 1)")
    _mc_options(p)

    p = sub.add_parser("rate", help="radar information rate: analysis and optional Monte Carlo",
                       description="Radar information rate R_s with N sensing BSs: Theorem 2 (eq. 16) as printed and "
                       "exact, and for N = 1 Proposition 2 (eq. 17); Monte Carlo with --trials. Distances are in a "
                       "length unit of --unit-m metres; give the density per unit area (--lam) or per km^2 "
                       "(--lam-km2).", epilog=_EPILOG)
    p.add_argument("--N", nargs="+", default=["1"], help="sensing cluster sizes (default: 1)")
    for flag, default, what in (("--Mt", "10", "transmit antennas"), ("--Mr", "6", "receive antennas"),
                                ("--beta", "4", "path-loss exponent"), ("--p-s", "0.5", "sensing power [W]"),
                                ("--p-t", "1", "total power of an interferer [W]"), ("--sigma2", "1", "mean RCS"),
                                ("--unit-m", "100", "the length unit in metres")):
        p.add_argument(flag, default=default, help=f"{what} (default: {default})")
    lam = p.add_mutually_exclusive_group()
    lam.add_argument("--lam", help="BS density per unit area (default: 0.05, i.e. 5 per km^2 at 100 m)")
    lam.add_argument("--lam-km2", help="BS density per km^2 (converted with --unit-m)")
    p.add_argument("--base", default="2", help="log base of the rate: 2 for bit/s/Hz, e for nat/s/Hz (default: 2)")
    p.add_argument("--trials", default="0", help="Monte Carlo trials (default: 0, analysis only)")
    p.add_argument("--seed", default="1", help="Monte Carlo seed (default: 1)")
    _mc_options(p)
    return top


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------

def _num(name: str, text: Any, kind: str = "float") -> Any:
    from .experiments import Param

    return Param(None, name, kind=kind).coerce(name, text if not isinstance(text, list) else " ".join(text))


@contextlib.contextmanager
def _executor(args) -> Iterator[dict]:
    """The ``mc`` keywords of the Monte Carlo calls: progress, and the Dask executor of
    --workers / --scheduler (``coopisac.cluster.executor``)."""
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    mc: dict = {"progress": bool(progress)}
    if args.cache is not None:
        mc["cache"] = args.cache
    if args.workers is None and args.scheduler is None:
        yield mc
        return
    workers = None if args.workers is None else _num("--workers", args.workers, "int")
    if workers is not None and workers < 1:
        raise _Fail(f"--workers must be an integer >= 1, got {workers}")
    try:
        from . import cluster
    except ImportError:
        raise _Fail("--workers and --scheduler need coopisac.cluster (the Dask scale-out), "
                    "which this installation of coopisac lacks") from None
    with cluster.executor(workers=workers, scheduler=args.scheduler) as ex:
        if ex is not None:
            mc["executor"] = ex
        yield mc


def _cmd_list(args) -> int:
    from . import experiments

    for name in args.names:
        experiments.get(name)  # ValueError naming the known ones
    for name in args.names or experiments.names():
        exp = experiments.get(name)
        print(f"{exp.name:14s} {exp.title}  [chapter: {exp.chapter}; trials {exp.trials}, seed {exp.seed}]")
        if args.brief:
            continue
        for key, param in exp.params.items():
            flag = "--" + key.replace("_", "-")
            print(f"    {flag:16s} {_show(param.default):22s} {param.kind:6s} {param.help}")
    return 0


def _overrides(args, exp) -> dict:
    out = {}
    for key in exp.params:
        v = getattr(args, f"param_{key}", None)
        if v is not None:
            out[key] = " ".join(v) if isinstance(v, list) else v
    return out


def _formats(args) -> tuple:
    fmts = tuple(f.lower() for f in args.format)
    if fmts == ("none",):
        return ()
    bad = [f for f in fmts if f not in ("png", "svg", "pdf")]
    if bad:
        raise _Fail(f"--format must be among png, svg, pdf (or none); got {', '.join(bad)}")
    return fmts


def _cmd_run(args) -> int:
    import json

    from . import experiments

    record = None
    if args.record is not None:
        if args.experiment is not None:
            raise _Fail("give either an experiment or --from RECORD, not both")
        path = Path(args.record)
        try:
            record = experiments.ExperimentResult.from_json(path.read_text())
        except OSError as err:
            raise _Fail(f"--from: cannot read {str(path)!r}: {err.strerror}") from None
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise _Fail(f"--from: {str(path)!r} is not a coopisac record ({type(err).__name__}: {err})") from None
        name, params = record.name, dict(record.parameters)
        trials, seed = record.trials, record.seed
        if args.trials is not None or args.seed is not None:
            raise _Fail("--from re-runs the record's own trials and seed; do not give --trials or --seed")
    elif args.experiment is None:
        raise _Fail("name an experiment (coopisac list shows them) or give --from RECORD")
    else:
        name = args.experiment
        params = _overrides(args, experiments.get(name))
        trials = None if args.trials is None else _num("trials", args.trials, "int")
        seed = None if args.seed is None else _num("seed", args.seed, "int")
    fmts = _formats(args)
    with _executor(args) as mc:
        result = experiments.run(name, trials=trials, seed=seed, mc=mc, **params)
    paths = result.save(args.out, formats=fmts)
    wall = result.provenance["wall_s"]
    print(f"{result.name}: {result.experiment.title}")
    print(f"  trials {result.trials}, seed {result.seed}, {len(result.series)} series, {wall:.2f} s")
    for kind, path in paths.items():
        print(f"  {kind:4s} {path}")
    if record is not None:
        same = result.same_numbers(record)
        print(f"  numbers identical to {args.record} bit for bit: {'yes' if same else 'NO'}")
        return 0 if same else 1
    return 0


def _cmd_sweep(args) -> int:
    import json

    from . import experiments
    from .experiments._sweep import load_spec

    spec = load_spec(args.spec)
    out = args.out or spec.get("out") or f"{Path(args.spec).stem}-sweep"
    if args.out is None and spec.get("out"):
        out = Path(args.spec).parent / out  # a relative out is relative to the spec
    with _executor(args) as mc:
        progress = mc.pop("progress")
        table = experiments.sweep(spec, out, mc=mc, progress=progress)
    status = json.loads((Path(out) / "sweep.json").read_text())
    print(f"{spec['experiment']}: {status['points']} points ({status['read_back']} read back, {status['computed']} "
          f"computed); table {table} ({sum(1 for _ in table.open()) - 1} rows), records in {Path(out) / 'records'}")
    return 0


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [list(header)] + [[c if isinstance(c, str) else ("-" if math.isnan(c) else f"{c:.6g}") for c in r]
                              for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for r in cells:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))


def _mc_columns(est, se) -> list:
    from .figures import Z95

    return [est, se, f"[{est - Z95 * se:.6g}, {est + Z95 * se:.6g}]"]


def _cmd_coverage(args) -> int:
    from . import coverage, figures, simulation

    T_dB = np.asarray(_num("T_dB", args.T_dB, "floats"))
    L, Mt = _num("L", args.L, "int"), _num("Mt", args.Mt, "int")
    beta, p_c, p_t = (_num(k, getattr(args, k), "float") for k in ("beta", "p_c", "p_t"))
    trials, seed = _num("trials", args.trials, "int"), _num("seed", args.seed, "int")
    T = figures.db2lin(T_dB)
    kw = dict(L=L, Mt=Mt, beta=beta, p_c=p_c, p_t=p_t)
    cols = {"Theorem 1": coverage.theorem1(T, **kw), "exact": coverage.exact_coverage(T, **kw)}
    if L == 1 and beta == 4.0:
        cols["Proposition 1"] = coverage.proposition1(T, Mt=Mt, p_c=p_c, p_t=p_t)
    header = ["T [dB]", *cols]
    rows = [[t, *(c[i] for c in cols.values())] for i, t in enumerate(T_dB)]
    if trials:
        with _executor(args) as mc:
            r = simulation.coverage(T, L=L, Mt=Mt, beta=beta, p_c=p_c, p_t=p_t, trials=trials, seed=seed, **mc)
        header += ["Monte Carlo", "stderr", "95 % interval"]
        rows = [row + _mc_columns(r.estimate[i], r.stderr[i]) for i, row in enumerate(rows)]
    print(f"coverage, L = {L}, Mt = {Mt}, beta = {beta:g}, p_c = {p_c:g} W, p_t = {p_t:g} W"
          + (f", {trials} trials, seed {seed}" if trials else ""))
    _table(header, rows)
    return 0


def _cmd_rate(args) -> int:
    from . import sensing, simulation

    N = np.asarray(_num("N", args.N, "ints"))
    Mt, Mr = _num("Mt", args.Mt, "int"), _num("Mr", args.Mr, "int")
    beta, p_s, p_t, sigma2, unit_m = (_num(k, getattr(args, k), "float") for k in ("beta", "p_s", "p_t", "sigma2",
                                                                                    "unit_m"))
    if unit_m <= 0:
        raise _Fail(f"--unit-m must be a length > 0 in metres, got {unit_m!r}")
    if args.lam_km2 is not None:
        lam = _num("lam_km2", args.lam_km2) * (unit_m / 1000.0) ** 2
    else:
        lam = _num("lam", args.lam if args.lam is not None else "0.05")
    base = math.e if args.base.strip().lower() == "e" else _num("base", args.base)
    unit = "bit/s/Hz" if base == 2 else ("nat/s/Hz" if base == math.e else f"log{base:g}/s/Hz")
    trials, seed = _num("trials", args.trials, "int"), _num("seed", args.seed, "int")
    kw = dict(Mt=Mt, Mr=Mr, beta=beta, p_s=p_s, p_t=p_t, lam=lam, sigma2=sigma2, base=base)
    cols = {"Theorem 2 (printed)": sensing.theorem2(N, **kw), "Theorem 2 (exact)": sensing.theorem2(N, exact=True, **kw)}
    if np.any(N == 1):
        p2 = sensing.proposition2(**kw)
        cols["Proposition 2"] = np.where(N == 1, p2, np.nan)
    header = ["N", *cols]
    rows = [[str(n), *(c[i] for c in cols.values())] for i, n in enumerate(N)]
    if trials:
        with _executor(args) as mc:
            r = simulation.radar_rate(N=N, trials=trials, seed=seed, **kw, **mc)
        header += ["Monte Carlo", "stderr", "95 % interval"]
        rows = [row + _mc_columns(r.estimate[i], r.stderr[i]) for i, row in enumerate(rows)]
    print(f"radar rate [{unit}], Mt = {Mt}, Mr = {Mr}, beta = {beta:g}, p_s = {p_s:g} W, p_t = {p_t:g} W, "
          f"lam = {lam:g} per ({unit_m:g} m)^2 = {lam / (unit_m / 1000.0) ** 2:g} per km^2, sigma2 = {sigma2:g}"
          + (f", {trials} trials, seed {seed}" if trials else ""))
    _table(header, rows)
    return 0


_COMMANDS = {"list": _cmd_list, "run": _cmd_run, "sweep": _cmd_sweep, "coverage": _cmd_coverage, "rate": _cmd_rate}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    prog = f"coopisac {args.command}"
    try:
        return _COMMANDS[args.command](args)
    except (_Fail, ValueError) as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"{prog}: error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemError) as err:
        # a Ctrl-C that lands inside a compiled extension (numba loading or compiling a kernel)
        # surfaces as a SystemError whose context is the KeyboardInterrupt
        if not _from_interrupt(err):
            raise
        print(f"{prog}: interrupted" + (" (run the same sweep again to resume it)" if args.command == "sweep" else ""),
              file=sys.stderr)
        return 130


def _from_interrupt(err: BaseException | None) -> bool:
    """Whether ``err`` is a KeyboardInterrupt or was raised while handling one."""
    seen = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, KeyboardInterrupt):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return False


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
