"""Seconds of Theorem 1 (both distance laws) and Proposition 1 over 50 thresholds.

Targets of the "exact everywhere" work: theorem1 <= 1 s for L <= 4 and <= 5 s for L = 6 at Mt up
to 64.  "joint" (L >= 2) is one Gil-Pelaez integral at any L, and so is "paper" (P(G S >= T' J),
coopisac._independent) except at L = 2, 3 with Mt <= 12, where the (L-1)-dimensional product rule
with the direct sum is faster.  CPU time of one call after a warm-up call (the multiset index
tables, the chi table of the independent route and alpha* are cached); the quick size times three
thresholds.  A refused case would show as NaN with the message.
"""
from __future__ import annotations

import warnings

import numpy as np

from _timing import cpu_seconds, figure


def run(quick: bool = False) -> dict[str, dict]:
    from coopisac import coverage as cv

    T = 10 ** (np.linspace(-10, 20, 3 if quick else 50) / 10)
    out = {}
    note = f"{T.size} thresholds -10..20 dB, beta = 4, p_c = 0.5, CPU s of one warm call"
    cases = [(1, 10), (2, 64)] if quick else [(L, Mt) for L in (1, 2, 3, 4, 6) for Mt in (2, 10, 64)]
    for L, Mt in cases:
        for dist in ("paper", "joint"):
            fn = lambda: cv.theorem1(T, L=L, Mt=Mt, beta=4.0, p_c=0.5, distances=dist)
            name = f"theorem1_L{L}_{dist}_Mt{Mt}_s"
            target = "<= 5" if L > 4 else "<= 1"
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # where it misses 1e-8 it says so
                    fn()
                    out[name] = figure(cpu_seconds(fn), "s", None, target, note)
            except ValueError as e:  # none is refused now; kept so that a refusal reads as such
                out[name] = figure(float("nan"), "s", None, target, f"refused: {e}")
    for Mt in (10, 64, 200):
        fn = lambda: cv.proposition1(T, Mt=Mt, p_c=0.5)
        fn()
        out[f"proposition1_Mt{Mt}_s"] = figure(cpu_seconds(fn), "s", None, None, note)
    return out


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k:40s} {v['value']:10.3f} {v['unit']}")
