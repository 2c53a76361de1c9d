"""Speed and accuracy figures of the package (printed; not part of the test suite).

Run: ``.venv/bin/python tests/benchmark.py``.  Each section is one function; ``main`` runs
them in turn.  Timings are per process on one core: both the CPU time of this process
(``time.process_time``, little affected by other load on the machine) and the wall time.
"""
from __future__ import annotations

import time

import numpy as np


def _timed(fn, repeats=3):
    """Best of ``repeats`` runs: (cpu seconds, wall seconds, result)."""
    best = (np.inf, np.inf, None)
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        best = min(best, (time.process_time() - c0, time.perf_counter() - w0, out), key=lambda b: b[0])
    return best


def monte_carlo_section():
    """Monte Carlo trials per second (targets: coverage >= 1e6 /s at L = 1, Mt = 10;
    radar >= 3e5 /s at N = 4, Mt = 10), and the truncation bias of the default K measured
    against 4K nearest BSs, in units of the 10^6-trial standard error."""
    from coopisac import simulation as sim

    print("== Monte Carlo (one core, beta = 4, Mt = 10) ==")
    n = 2**19
    T = 10 ** (np.linspace(-10, 20, 31) / 10)
    for L in (1, 2, 3):
        cpu, wall, res = _timed(lambda: sim.coverage(T, L=L, Mt=10, beta=4.0, p_c=0.5, trials=n))
        print(f"coverage L={L}: K={res.K:3d}  {n / cpu:12,.0f} trials/s (cpu)  {n / wall:12,.0f} trials/s (wall)")
    for N in (1, 4):
        cpu, wall, res = _timed(lambda: sim.radar_rate(N=N, Mt=10, Mr=6, beta=4.0, p_s=0.5, lam=1.0, trials=n))
        print(f"radar    N={N}: K={res.K:3d}  {n / cpu:12,.0f} trials/s (cpu)  {n / wall:12,.0f} trials/s (wall)")

    print("-- truncation bias at the default K (vs 4K, common random numbers, 2^17 trials) --")
    print("   |bias| / (0.1 SE at 1e6 trials), worst over T in [-10, 20] dB or rho in [1e-2, 1e4]; must be < 1")
    rho = np.array([1e-2, 1.0, 1e2, 1e4])
    for beta in (2.5, 3.0, 4.0, 6.0):
        for m in (1, 3):
            K = sim.default_K(beta, m)
            b = sim.truncation_bias("coverage", K=K, beta=beta, Mt=10, T=T, L=m, trials=2**17)
            worst, se = np.max(np.abs(b.bias)) / 5e-5, np.max(b.stderr) / 5e-5
            print(f"coverage beta={beta} L={m}: K={K:4d}  {worst:6.3f} (+- {se:.3f})")
        for m in (1, 4):
            K = sim.default_K(beta, m)
            b = sim.truncation_bias("radar", K=K, beta=beta, Mt=10, rho=rho, N=m, trials=2**17)
            bound = 0.1 * b.sd / 1000
            worst, se = np.max(np.abs(b.bias) / bound), np.max(b.stderr / bound)
            print(f"radar    beta={beta} N={m}: K={K:4d}  {worst:6.3f} (+- {se:.3f})")


def main():
    monte_carlo_section()


if __name__ == "__main__":
    main()
