"""Run every benchmark of the package, print one table of its speed figures, write them to JSON.

    .venv/bin/python benchmarks/run.py [--quick] [--json out.json] [--compare old.json] [--only NAMES] [--src DIR]

Every module ``benchmarks/bench_<topic>.py`` is discovered and its ``run(quick=False)`` called.
It returns ``{figure_name: {"value": float, "unit": str, "spread": float | None,
"target": str | None, "note": str | None}}`` (``_timing.figure`` builds one).  ``quick=True``
must finish in seconds on a trivially small size: it checks that the module runs and that its
figures are well formed, its numbers mean nothing (tests/test_benchmarks.py runs it).

The package measured is this checkout's ``src/`` (whatever is installed), or ``--src DIR``
(e.g. an older revision's ``src`` for a before/after comparison).  ``--compare old.json``
adds the earlier value of every figure and the ratio new / old.  Timings are CPU seconds of
this process (``time.process_time``), which other load on the machine disturbs less than
wall time; ratios measured within one run are the robust figures.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ("value", "unit", "spread", "target", "note")


def discover() -> list[str]:
    """Topics of every ``bench_<topic>.py`` beside this file, sorted."""
    return sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))


def load(topic: str):
    """Import ``bench_<topic>.py`` (the benchmarks folder is put on sys.path for its helpers)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    path = HERE / f"bench_{topic}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{topic}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def validate(topic: str, figures) -> dict:
    """Check one module's figures against the schema above; return them as plain JSON values."""
    if not isinstance(figures, dict) or not figures:
        raise TypeError(f"bench_{topic}.run() must return a non-empty dict of figures, got {type(figures).__name__}")
    out = {}
    for name, fig in figures.items():
        where = f"bench_{topic}: figure {name!r}"
        if not isinstance(name, str) or not isinstance(fig, dict) or set(fig) != set(FIELDS):
            raise TypeError(f"{where} must be a dict with exactly the keys {FIELDS}, got {fig!r}")
        if not isinstance(fig["value"], (int, float)) or isinstance(fig["value"], bool):
            raise TypeError(f"{where}: value must be a number, got {fig['value']!r}")
        if not isinstance(fig["unit"], str):
            raise TypeError(f"{where}: unit must be a string")
        if fig["spread"] is not None and not isinstance(fig["spread"], (int, float)):
            raise TypeError(f"{where}: spread must be a number or None")
        for key in ("target", "note"):
            if fig[key] is not None and not isinstance(fig[key], str):
                raise TypeError(f"{where}: {key} must be a string or None")
        out[name] = {k: (float(fig[k]) if k in ("value", "spread") and fig[k] is not None else fig[k]) for k in FIELDS}
    return out


def _meta(quick: bool, src: Path) -> dict:
    import numpy

    try:
        commit = subprocess.run(["git", "-C", str(src), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=10).stdout.strip() or None
    except OSError:
        commit = None
    import coopisac

    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "quick": quick,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "package": str(Path(coopisac.__file__).parent),
        "commit": commit,
    }


def _fmt(x) -> str:
    if x is None:
        return ""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    return f"{x:.3g}" if 1e-3 <= abs(x) < 1e5 else f"{x:.3e}"


def table(results: dict, old: dict | None = None) -> str:
    """One table of every figure (topic.name, value, spread, unit, target[, old, new/old])."""
    head = ["figure", "value", "+-", "unit", "target"] + (["old", "new/old"] if old else []) + ["note"]
    rows = []
    for topic, figs in results.items():
        if "error" in figs:
            rows.append([topic, "ERROR", "", "", ""] + (["", ""] if old else []) + [figs["error"].splitlines()[-1]])
            continue
        for name, f in figs.items():
            row = [f"{topic}.{name}", _fmt(f["value"]), _fmt(f["spread"]), f["unit"], f["target"] or ""]
            if old:
                o = old.get(topic, {}).get(name)
                ov = o["value"] if isinstance(o, dict) and "value" in o else None
                row += [_fmt(ov), _fmt(f["value"] / ov) if ov else ""]
            rows.append(row + [f["note"] or ""])
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:-1], widths)) + "  " + r[-1] for r in [head] + rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="trivially small sizes: checks that every module runs")
    ap.add_argument("--json", type=Path, help="write the figures (and the run's metadata) to this file")
    ap.add_argument("--compare", type=Path, help="an earlier --json file: show its values and new / old")
    ap.add_argument("--only", help="comma-separated topics (default: every bench_<topic>.py)")
    ap.add_argument("--src", type=Path, default=HERE.parent / "src", help="package source folder to measure")
    args = ap.parse_args(argv)
    old = json.loads(args.compare.read_text())["figures"] if args.compare else None  # fail before the long run
    sys.path.insert(0, str(args.src.resolve()))
    topics = discover()
    if args.only:
        wanted = [t.strip() for t in args.only.split(",") if t.strip()]
        unknown = sorted(set(wanted) - set(topics))
        if unknown:
            ap.error(f"unknown topics {unknown}; available: {topics}")
        topics = [t for t in topics if t in wanted]
    results, failed = {}, False
    for topic in topics:
        t0 = time.perf_counter()
        try:
            results[topic] = validate(topic, load(topic).run(quick=args.quick))
        except Exception:  # one broken module must not hide the others' figures
            results[topic] = {"error": traceback.format_exc()}
            failed = True
            print(results[topic]["error"], file=sys.stderr)
        print(f"[bench_{topic}: {time.perf_counter() - t0:.1f} s]", file=sys.stderr)
    print(table(results, old))
    if args.json:
        args.json.write_text(json.dumps({"meta": _meta(args.quick, args.src), "figures": results}, indent=1) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
