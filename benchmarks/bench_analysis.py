"""Seconds per analytical curve and their worst error against independent references.

Theorem 1 over 50 thresholds (targets: L = 1 <= 0.1 s, L = 2 <= 0.5 s, L = 3 <= 5 s), Theorem 2
for N = 1..8 and Proposition 2 over 20 values of p_s (targets <= 1 s), first call and median of
repeated calls (CPU time); Theorem 1 against mpmath on the r-space integrals of eqs. (20)-(22)
(tests/test_coverage.py) and the exact Theorem 2 against mpmath.
"""
from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

from _timing import cpu_seconds, figure

TESTS = Path(__file__).resolve().parents[1] / "tests"


def _timing(fn, repeats, target=None, note=None) -> dict:
    first = cpu_seconds(fn)
    t = np.array([cpu_seconds(fn) for _ in range(repeats)])
    q1, med, q3 = np.percentile(t, [25, 50, 75])
    return {"first": figure(first, "s", None, target, "first call (CPU)"),
            "median": figure(med, "s", (q3 - q1) / 2, target, note or f"median of {repeats} calls (CPU)")}


def _add(out, name, timing):
    out[f"{name}_first_s"], out[f"{name}_s"] = timing["first"], timing["median"]


def theorem1_figures(quick: bool) -> dict:
    from coopisac import coverage as cv

    T = 10 ** (np.linspace(-10, 20, 3 if quick else 50) / 10)
    out = {}
    targets = {1: "<= 0.1", 2: "<= 0.5", 3: "<= 5"}
    for L in (1,) if quick else (1, 2, 3):
        for dist in ("paper", "joint"):
            for Mt in (4,) if quick else (4, 10):
                _add(out, f"theorem1_L{L}_{dist}_Mt{Mt}",
                     _timing(lambda: cv.theorem1(T, L=L, Mt=Mt, beta=3.5, p_c=0.5, distances=dist), 1 if quick else 3,
                             targets[L], f"{T.size} thresholds, beta = 3.5, p_c = 0.5"))
    if quick:
        return out
    import mpmath as mp

    from coopisac import approximations as ap

    sys.path.insert(0, str(TESTS))
    from test_coverage import RSPACE, mp_rspace

    worst = 0.0
    for beta, Mt, t, lam in [(3.0, 4, 2.0, 1.0), (4.0, 10, 0.3, 2.5), (5.0, 4, 30.0, 0.3), (2.5, 3, 8.0, 1.0)]:
        with mp.workdps(30):
            ref = mp_rspace(t, L=1, Mt=Mt, beta=beta, p_c="0.5", alpha=mp.mpf(ap.optimal_alpha(Mt - 1)),
                            distances="paper", lam=lam)
        worst = max(worst, float(abs(cv.theorem1(t, L=1, Mt=Mt, beta=beta, p_c=0.5, lam=lam) / ref - 1)))
    for L, Mt, beta, t, dist, dps, value in RSPACE:
        worst = max(worst, abs(cv.theorem1(t, L=L, Mt=Mt, beta=beta, p_c=0.5, distances=dist) / float(value) - 1))
    out["theorem1_vs_mpmath_worst_rel_err"] = figure(worst, "relative error", note="r-space integrals of eqs. (20)-(22) by mpmath")
    return out


def sensing_figures(quick: bool) -> dict:
    from coopisac import sensing as S

    D = S.FIGURE_DEFAULTS
    kw = {k: D[k] for k in ("Mr", "beta", "p_t", "sigma2", "lam")}
    N = np.arange(1, 2 if quick else 9)
    ps = np.array(D["p_s_values"][: 2 if quick else None])
    reps = 1 if quick else 3
    out = {}
    for exact in (False, True):
        _add(out, f"theorem2_{'exact' if exact else 'printed'}",
             _timing(lambda: S.theorem2(N, Mt=10, p_s=D["p_s"], exact=exact, **kw), reps, "<= 1", f"N = 1..{N[-1]}"))
    for hole in (True, False):
        _add(out, f"proposition2_{'hole' if hole else 'nohole'}",
             _timing(lambda: S.proposition2(Mt=10, p_s=ps, hole=hole, **kw), reps, "<= 1", f"{ps.size} values of p_s"))
    if not quick:
        ref = 4.33904832564578  # mpmath, dps 20 (tests/test_sensing.py): rho = 1, Mt = 10, N = 1, nats
        got = S.theorem2(1, Mt=10, Mr=6, beta=4.0, p_s=1 / 6, lam=1 / math.pi, base=math.e, exact=True)
        out["theorem2_exact_vs_mpmath_rel_err"] = figure(abs(got / ref - 1), "relative error", note="N = 1, rho = 1")
    return out


def conjecture2_figures(quick: bool) -> dict:
    from coopisac import approximations as ap

    n = 3 if quick else 12
    t = _timing(lambda: ap.alpha_table(n), 1)
    return {f"alpha_table_{n}_first_s": t["first"], f"alpha_table_{n}_s": t["median"]}


def run(quick: bool = False) -> dict:
    return {**conjecture2_figures(quick), **theorem1_figures(quick), **sensing_figures(quick)}
