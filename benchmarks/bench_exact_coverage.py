"""Seconds for the exact coverage and the coverage under Conjecture 1 alone over 50 thresholds
(target: <= 0.1 s for any L <= 16 and Mt <= 64), at the corners of that range.

The thresholds span T = 1e-6 .. 1e6 (the widest window the rule has to cover); CPU time of
this process, first call and median of repeated calls.  The worst case over the corners is
reported as its own figure.
"""
from __future__ import annotations

import numpy as np

from _timing import cpu_seconds, figure

TARGET = "<= 0.1"


def run(quick: bool = False) -> dict:
    from coopisac import coverage as cv

    T = np.logspace(-6, 6, 3 if quick else 50)
    corners = [(1, 2, 4.0)] if quick else [(L, Mt, beta) for L in (1, 4, 16) for Mt in (2, 10, 64)
                                           for beta in (2.05, 4.0, 8.0)]
    repeats = 1 if quick else 3
    out = {}
    for fname, f in (("exact", cv.exact_coverage), ("conjecture1", cv.conjecture1_coverage)):
        worst, where = 0.0, None
        for L, Mt, beta in corners:
            call = lambda: f(T, L=L, Mt=Mt, beta=beta, p_c=0.5)
            first = cpu_seconds(call)
            t = np.array([cpu_seconds(call) for _ in range(repeats)])
            med = float(np.median(t))
            if med > worst:
                worst, where = med, (L, Mt, beta)
            if (L, Mt, beta) in ((1, 2, 4.0), (4, 10, 4.0), (16, 64, 8.0)):
                note = f"{T.size} thresholds 1e-6..1e6, L = {L}, Mt = {Mt}, beta = {beta}; first call {first:.3f} s"
                out[f"{fname}_L{L}_Mt{Mt}_beta{beta:g}_s"] = figure(med, "s", float(np.ptp(t)) / 2, TARGET, note)
        out[f"{fname}_worst_corner_s"] = figure(
            worst, "s", None, TARGET,
            f"slowest of {len(corners)} corners (L in 1, 4, 16; Mt in 2, 10, 64; beta in 2.05, 4, 8): "
            f"L = {where[0]}, Mt = {where[1]}, beta = {where[2]}")
    return out
