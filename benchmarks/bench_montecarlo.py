"""Monte Carlo speed: ratio to the random-number floor, trials per second, the book chapters'
Monte Carlo calls, start-up cost, and the truncation bias of the default K.

Ratio to the floor: the time of ``simulation.coverage`` / ``simulation.radar_rate`` divided by the
time numpy's Generator takes just to draw the numbers their trials need (``_timing.draw_floor``),
both at the same trials and block size, paired round by round (``_timing.interleaved``): the
coverage draws K arrival exponentials, L Gamma(Mt-1) gains and K-L fading exponentials; the
radar also K uniform angles, N Gamma gains and K-1 fading exponentials.  Only the public API is
called, so the same file measures an older revision (``run.py --src``).
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _timing import draw_floor, figure, interleaved, ratio_figure

MT = 10
BETAS = (3.0, 4.0, 5.0)
T50 = 10 ** (np.linspace(-10.0, 20.0, 50) / 10)  # 50 thresholds in [-10, 20] dB
TARGET = {"coverage": "<= 1.2", "radar": "<= 1.5"}


def _coverage_case(sim, L, beta, trials):
    K = sim.default_K(beta, L)
    run = lambda: sim.coverage(T50, L=L, Mt=MT, beta=beta, p_c=0.5, trials=trials, seed=1)
    floor = draw_floor([("standard_exponential", K), ("standard_gamma", L, MT - 1.0),
                        ("standard_exponential", K - L)], trials)
    return run, floor


def _radar_case(sim, N, beta, trials):
    K = sim.default_K(beta, N)
    run = lambda: sim.radar_rate(N=N, Mt=MT, Mr=6, beta=beta, p_s=0.5, lam=1.0, trials=trials, seed=1)
    floor = draw_floor([("standard_exponential", K), ("uniform", K, 0.0, 2 * np.pi),
                        ("standard_gamma", N, MT - 1.0), ("standard_exponential", K - 1)], trials)
    return run, floor


def floor_ratios(sim, trials: int, repeats: int) -> dict:
    """Ratio to the floor and trials/s of every case: coverage L = 1, 2, 3 and radar N = 1, 4,
    at beta = 3, 4, 5, Mt = 10, 50 thresholds (coverage) and one rho (radar)."""
    cases = {}
    for beta in BETAS:
        for L in (1, 2, 3):
            cases[("coverage", f"L{L}", beta)] = _coverage_case(sim, L, beta, trials)
        for N in (1, 4):
            cases[("radar", f"N{N}", beta)] = _radar_case(sim, N, beta, trials)
    fns = {}
    for key, (run, floor) in cases.items():
        fns[key + ("run",)] = run
        fns[key + ("floor",)] = floor
    times = interleaved(fns, repeats)
    out = {}
    for (kind, case, beta) in cases:
        t, f = times[(kind, case, beta, "run")], times[(kind, case, beta, "floor")]
        name = f"{kind}_{case}_beta{beta:g}"
        out[f"{name}_ratio"] = ratio_figure(
            t, f, target=TARGET[kind],
            note=f"Mt={MT}; median of {repeats} interleaved rounds, spread = IQR/2; floor {np.median(f) / trials * 1e9:.0f} ns/trial")
        rate = trials / t
        out[f"{name}_rate"] = figure(np.median(rate), "trials/s", (np.percentile(rate, 75) - np.percentile(rate, 25)) / 2,
                                     note="one core, CPU time")
    return out


def chapter_workloads(sim, trials: int) -> dict:
    """The Monte Carlo calls of every book chapter (their parameters, at ``trials`` trials)."""
    db = lambda lo, hi, step: 10 ** (np.arange(lo, hi + step / 2, step) / 10)
    from coopisac import sensing

    D = sensing.FIGURE_DEFAULTS
    radar_kw = dict(Mr=6, beta=4.0, p_t=1.0, sigma2=1.0)
    N9, lam10 = np.arange(1, 9), np.asarray(D["lam_values"], dtype=float)
    return {
        "intro": lambda: sim.coverage(db(-10, 20, 2.5), L=1, Mt=2, beta=4.0, p_c=1.0, trials=trials, seed=1),
        "conjecture1": lambda: (
            [sim.conjecture1_samples(L=L, Mt=10, beta=4.0, size=trials, seed=101 + L) for L in (1, 2, 3)],
            [sim.coverage(db(-10, 30, 2.5), L=L, Mt=10, beta=4.0, p_c=0.5, trials=trials, seed=101, conjecture1=c)
             for L in (1, 2, 3) for c in (False, True)]),
        "density": lambda: [sim.coverage(db(-10, 20, 2), L=1, Mt=10, beta=4.0, p_c=0.5, lam=lam, trials=trials, seed=i)
                            for i, lam in enumerate((0.1, 1.0, 10.0))],
        "errata": lambda: [sim.coverage(db(-10, 30, 2.5), L=L, Mt=10, beta=4.0, p_c=0.5, trials=trials, seed=109,
                                        conjecture1=c) for L in (2, 3) for c in (False, True)],
        "lemma1": lambda: [sim.sensing_laplace(np.logspace(-3, 3, 25), N=N, Mt=10, Mr=6, beta=4.0, p_s=0.5,
                                               lam=D["lam"], r1=2.0, rN=5.0, trials=trials, seed=106 + N)
                           for N in (2, 6)],
        "proposition1": lambda: [sim.coverage(db(-10, 20, 2), L=1, Mt=m, beta=4.0, p_c=0.5, trials=trials, seed=i)
                                 for i, m in enumerate((2, 4, 8, 10, 16))],
        "proposition2": lambda: [sim.radar_rate(N=1, Mt=m, **radar_kw, p_s=np.asarray(D["p_s_values"]), lam=D["lam"],
                                                trials=trials, seed=108 + m) for m in (4, 10)],
        "theorem1": lambda: [sim.coverage(db(-10, 20, 2), L=L, Mt=m, beta=4.0, p_c=0.5, trials=trials, seed=i)
                             for i, (L, m) in enumerate([(1, 10), (2, 10), (3, 10), (4, 10), (2, 4), (2, 6), (2, 8),
                                                         (2, 16)])],
        "theorem2": lambda: [sim.radar_rate(N=np.r_[N9, np.full(lam10.size, 4)], Mt=m, **radar_kw, p_s=D["p_s"],
                                            lam=np.r_[np.full(N9.size, D["lam"]), lam10], trials=trials, seed=107 + m)
                             for m in D["Mt_values"]],
    }


def chapter_times(sim, trials: int, repeats: int) -> dict:
    times = interleaved(chapter_workloads(sim, trials), repeats)
    return {f"chapter_{name}_s": figure(np.median(t), "s", (np.percentile(t, 75) - np.percentile(t, 25)) / 2,
                                        note=f"the chapter's Monte Carlo calls at {trials} trials (--compare: before/after)")
            for name, t in times.items()}


_STARTUP = """
import time, numpy as np
t0 = time.perf_counter()
from coopisac import simulation as sim
t1 = time.perf_counter()
sim.coverage(np.array([1.0]), L=2, Mt=4, beta=4.0, p_c=0.5, trials=100)
sim.coverage(np.array([1.0]), L=2, Mt=4, beta=4.0, p_c=0.5, trials=100, conjecture1=True)
sim.radar_rate(N=2, Mt=4, Mr=1, beta=4.0, p_s=0.5, lam=1.0, trials=100)
sim.conjecture1_samples(L=2, Mt=4, beta=4.0, size=100)
sim.sensing_laplace(1.0, N=3, Mt=4, Mr=1, beta=4.0, p_s=0.5, lam=1.0, r1=1.0, rN=2.0, trials=100)
sim.truncation_bias("coverage", K=8, beta=4.0, Mt=4, trials=100, T=[1.0])
sim.truncation_bias("radar", K=8, beta=4.0, Mt=4, trials=100, rho=[1.0])
print(t1 - t0, time.perf_counter() - t1)
"""


def startup() -> dict:
    """Import and first calls of every estimator in a fresh process: with an empty compile
    cache (first run after install), then again with the cache it left (every later run)."""
    import coopisac

    env = {**os.environ, "PYTHONPATH": str(Path(coopisac.__file__).parents[1])}
    out = {}
    with tempfile.TemporaryDirectory() as cache:
        env["NUMBA_CACHE_DIR"] = cache
        for label in ("first", "cached"):
            res = subprocess.run([sys.executable, "-c", _STARTUP], env=env, capture_output=True, text=True, check=True)
            imp, calls = map(float, res.stdout.split())
            out[f"startup_{label}_import_s"] = figure(imp, "s", note="import coopisac.simulation (wall)")
            out[f"startup_{label}_calls_s"] = figure(
                calls, "s", note=f"first tiny call of every estimator, {'empty' if label == 'first' else 'warm'} compile cache (wall)")
    return out


def truncation_bias(sim, trials: int) -> dict:
    """Worst |bias| of the default K (vs 4K, common random numbers) in units of 0.1 standard
    error at 10^6 trials, over T in [-10, 20] dB (coverage) or rho in [1e-2, 1e4] (radar); must be < 1."""
    T = 10 ** (np.linspace(-10, 20, 31) / 10)
    rho = np.array([1e-2, 1.0, 1e2, 1e4])
    out = {}
    for beta in (2.5, 3.0, 4.0, 5.0, 6.0):
        for kind, ms in (("coverage", (1, 3)), ("radar", (1, 4))):
            for m in ms:
                K = sim.default_K(beta, m)
                if kind == "coverage":
                    b = sim.truncation_bias(kind, K=K, beta=beta, Mt=MT, T=T, L=m, trials=trials)
                    bound = 5e-5 * np.ones_like(b.bias)  # 0.1 * sqrt(1/4 / 1e6): the largest binomial stderr
                else:
                    b = sim.truncation_bias(kind, K=K, beta=beta, Mt=MT, rho=rho, N=m, trials=trials)
                    bound = 0.1 * b.sd / 1000
                i = np.argmax(np.abs(b.bias) / bound)
                out[f"bias_{kind}_{'L' if kind == 'coverage' else 'N'}{m}_beta{beta:g}"] = figure(
                    abs(b.bias[i]) / bound[i], "x 0.1 SE(1e6)", b.stderr[i] / bound[i], "< 1",
                    f"K={K} vs {4 * K}, {trials} trials; spread = its standard error")
    return out


def run(quick: bool = False) -> dict:
    from coopisac import simulation as sim

    if quick:
        return {**floor_ratios(sim, 2**10, 2), **chapter_times(sim, 2**8, 1)}
    t0 = time.perf_counter()
    out = {**startup(), **floor_ratios(sim, 2**18, 7), **chapter_times(sim, 10**5, 3), **truncation_bias(sim, 2**17)}
    out["bench_montecarlo_wall_s"] = figure(time.perf_counter() - t0, "s", note="this module's own run time")
    return out
