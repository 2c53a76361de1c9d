"""Speed of the radar-rate analysis (sensing.theorem2, sensing.proposition2).

Target: Theorem 2 exact for N = 1..16 over 20 values of rho (1e-12 to 1e6) in at most 2 s.
Each case is one call (every N and rho at once, as a user would make it); the first call of a
process also compiles the numba kernels, so every case is run once untimed first.  CPU seconds
of this process, the median of the rounds (``_timing.interleaved``); the spread is max - min.
"""
from __future__ import annotations

import os

import numpy as np

from _timing import figure, interleaved


def run(quick: bool = False) -> dict:
    from coopisac import sensing as S

    D = S.FIGURE_DEFAULTS
    kw = dict(Mt=D["Mt"], Mr=D["Mr"], beta=D["beta"], p_t=D["p_t"], sigma2=D["sigma2"], p_s=D["p_s"])
    n_rho, N = (2, np.arange(1, 3)) if quick else (20, np.arange(1, 17))
    rho = np.logspace(-12, 6, n_rho)
    # lam giving these rho at the defaults: rho = sigma2 Mr (p_s/p_t) (pi lam)^(beta/2)
    lam = (rho / (D["sigma2"] * D["Mr"] * D["p_s"] / D["p_t"])) ** (2.0 / D["beta"]) / np.pi
    grid = dict(N=N[:, None], lam=lam[None, :])
    cases = {
        "theorem2_exact": lambda: S.theorem2(**grid, exact=True, **kw),
        "theorem2_printed": lambda: S.theorem2(**grid, exact=False, **kw),
        "proposition2_hole": lambda: S.proposition2(lam=lam, hole=True, **kw),
        "proposition2_nohole": lambda: S.proposition2(lam=lam, hole=False, **kw),
    }
    times = interleaved(cases, 1 if quick else 3)
    # CPU seconds still grow with the machine's load (shared caches, memory bandwidth): say it
    load = f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    size = f"N = 1..{N[-1]}, {n_rho} rho in [1e-12, 1e6], beta = {D['beta']:g}, Mt = {D['Mt']}{load}"
    targets = {"theorem2_exact": "<= 2"}
    out = {}
    for name, t in times.items():
        what = size if name.startswith("theorem2") else f"{n_rho} rho in [1e-12, 1e6]{load}"
        out[f"{name}_s"] = figure(np.median(t), "s (CPU)", spread=np.ptp(t), target=targets.get(name), note=what)
    return out
