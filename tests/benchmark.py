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


def analysis_section():
    """Conjecture 2 table; Theorem 1 over 50 thresholds (targets: L = 1 <= 0.1 s, L = 2 <= 0.5 s,
    L = 3 <= 5 s); worst relative error against mpmath on the r-space integrals; the largest Mt
    for which the double-precision alternating sum holds 1e-8; the paper-vs-joint gap."""
    import mpmath as mp
    from scipy.special import comb

    from coopisac import approximations as ap, coverage as cv
    from test_coverage import RSPACE, mp_rspace

    print("== Conjecture 2: optimal alpha (K-S) and Alzer's alpha, g ~ Gamma(N, 1/N) ==")
    tab = ap.alpha_table(12)
    print("  N   alpha*        D(alpha*)     alzer alpha   D(alzer)")
    for row in zip(*(tab[k] for k in ("N", "alpha", "D", "alzer_alpha", "alzer_D"))):
        print("%3d  %.8f  %.6e  %.8f  %.6e" % row)

    print("== Theorem 1 over 50 thresholds in [-10, 20] dB (beta = 3.5, p_c = 0.5) ==")
    T = 10 ** (np.linspace(-10, 20, 50) / 10)
    for L in (1, 2, 3):
        for dist in ("paper", "joint"):
            for Mt in (4, 10):
                cpu, wall, _ = _timed(lambda: cv.theorem1(T, L=L, Mt=Mt, beta=3.5, p_c=0.5, distances=dist))
                print(f"L={L} {dist:5s} Mt={Mt:2d}: {cpu:.4f} s (cpu)  {wall:.4f} s (wall)")

    print("== Theorem 1 vs mpmath (r-space integrals of eqs. 20-22) ==")
    worst = 0.0
    for beta, Mt, t, lam in [(3.0, 4, 2.0, 1.0), (4.0, 10, 0.3, 2.5), (5.0, 4, 30.0, 0.3), (2.5, 3, 8.0, 1.0)]:
        with mp.workdps(30):
            ref = mp_rspace(t, L=1, Mt=Mt, beta=beta, p_c="0.5", alpha=mp.mpf(ap.optimal_alpha(Mt - 1)),
                            distances="paper", lam=lam)
        err = abs(cv.theorem1(t, L=1, Mt=Mt, beta=beta, p_c=0.5, lam=lam) / ref - 1)
        worst = max(worst, err)
        print(f"L=1 beta={beta} Mt={Mt} T={t} lam={lam}: rel err {float(err):.1e}")
    for L, Mt, beta, t, dist, dps, value in RSPACE:
        err = abs(cv.theorem1(t, L=L, Mt=Mt, beta=beta, p_c=0.5, distances=dist) / float(value) - 1)
        worst = max(worst, err)
        print(f"L={L} {dist} beta={beta} Mt={Mt} T={t} (stored, {dps} digits): rel err {err:.1e}")
    print(f"worst relative error: {float(worst):.1e}")

    print("== Double-precision alternating sum (L = 1, beta = 4, p_c = p_t, T in [-10, 20] dB) ==")
    T = 10 ** (np.linspace(-10, 20, 31) / 10)
    rule = cv._rule(1, 1, 4.0, "paper")
    for Mt in (16, 20, 24, 26, 27, 28, 30):
        Q = Mt - 1
        c1 = ap.optimal_alpha(Q) * T / Q
        A, b, w, K = rule(c1)
        E = cv._terms(c1, Q, A, b, w, K, 4.0)
        coef = comb(Q, np.arange(1, Q + 1)) * (-1.0) ** np.arange(0, Q)
        ref = cv._mp_sum(c1, Q, A, b, w, K, 4.0, 60)
        kappa = (np.abs(E) @ np.abs(coef)) / ref
        print(f"Mt={Mt}: double rel err {np.max(np.abs(E @ coef / ref - 1)):.1e}, max kappa {kappa.max():.1e}"
              f" (mpmath path used where kappa > {cv.MAX_REL_ERR / cv._ETA:.0e})")

    print("== paper - joint (beta = 4, p_c = 1), max over T in [-10, 20] dB ==")
    for L in (2, 3):
        for Mt in (4, 10):
            pp = cv.theorem1(T, L=L, Mt=Mt, beta=4.0, p_c=1.0, distances="paper")
            pj = cv.theorem1(T, L=L, Mt=Mt, beta=4.0, p_c=1.0, distances="joint")
            i = np.argmax(np.abs(pp - pj))
            print(f"L={L} Mt={Mt}: max |paper - joint| = {abs(pp - pj)[i]:.4f} at {10 * np.log10(T[i]):.0f} dB"
                  f" (paper {pp[i]:.4f}, joint {pj[i]:.4f})")


def sensing_analysis_section():
    """Theorem 2 for N = 1..8 (target <= 1 s per variant) and Proposition 2 over 20 values of
    p_s (target <= 1 s per hole setting), first call and best of 3; accuracy against mpmath
    and nested quadrature; printed vs exact vs Monte Carlo (10^6 trials) at the figure
    defaults; the no-hole gap of Proposition 2 over p_s."""
    import math

    from coopisac import sensing as S, simulation as sim
    from test_sensing import _printed_reference

    D = S.FIGURE_DEFAULTS
    kw = {k: D[k] for k in ("Mr", "beta", "p_t", "sigma2", "p_s", "lam")}
    print(f"== Sensing analysis (figure defaults: length unit {D['length_unit']}, lam = {D['lam']},"
          f" p_s = {D['p_s']}, Mr = {D['Mr']}, beta = {D['beta']}) ==")
    N = np.arange(1, 9)
    ps = np.array(D["p_s_values"])
    for exact in (False, True):
        c0 = time.process_time()
        S.theorem2(N, Mt=10, exact=exact, **kw)
        first = time.process_time() - c0
        cpu, wall, _ = _timed(lambda: S.theorem2(N, Mt=10, exact=exact, **kw))
        print(f"theorem2 N=1..8 exact={exact!s:5s}: first {first:.3f} s, best {cpu:.3f} s (cpu) {wall:.3f} s (wall)")
    kw_p = {k: v for k, v in kw.items() if k != "p_s"}
    for hole in (True, False):
        c0 = time.process_time()
        S.proposition2(Mt=10, p_s=ps, hole=hole, **kw_p)
        first = time.process_time() - c0
        cpu, wall, _ = _timed(lambda: S.proposition2(Mt=10, p_s=ps, hole=hole, **kw_p))
        print(f"proposition2 20 p_s hole={hole!s:5s}: first {first:.4f} s, best {cpu:.4f} s (cpu) {wall:.4f} s (wall)")

    print("-- accuracy --")
    ref = 4.33904832564578  # mpmath, dps 20 (see tests/test_sensing.py), rho = 1, Mt = 10, N = 1
    got = S.theorem2(1, Mt=10, Mr=6, beta=4.0, p_s=1 / 6, lam=1 / math.pi, base=math.e, exact=True)
    print(f"exact N=1 rho=1 vs mpmath: rel err {abs(got / ref - 1):.1e}")
    rho = 6 * 0.5 * (np.pi * 0.05) ** 2
    for n in (1, 2, 4):
        got = S.theorem2(n, Mt=2, Mr=6, beta=4.0, p_s=0.5, lam=0.05, base=math.e)
        print(f"printed N={n} Mt=2 vs nested scipy quadrature: rel err {abs(got / _printed_reference(n, rho) - 1):.1e}")
    p2 = S.proposition2(Mt=10, p_s=ps, **kw_p)
    t1 = S.theorem2(1, Mt=10, p_s=ps, exact=True, **kw_p)
    print(f"proposition2(hole) vs theorem2(1, exact): max rel diff {np.max(np.abs(p2 / t1 - 1)):.1e}")

    print("-- Theorem 2 at the figure defaults, bit/s/Hz: printed, exact, Monte Carlo (1e6 trials) --")
    for Mt in (4, 10):
        Ns = np.arange(1, 7)
        pr = S.theorem2(Ns, Mt=Mt, **kw)
        ex = S.theorem2(Ns, Mt=Mt, exact=True, **kw)
        mc = sim.radar_rate(N=Ns, Mt=Mt, trials=10**6, seed=1, **kw)
        for i, n in enumerate(Ns):
            print(f"Mt={Mt:2d} N={n}: printed {pr[i]:.4f} ({100 * (pr[i] / mc.estimate[i] - 1):+6.2f} %)  "
                  f"exact {ex[i]:.4f} ({100 * (ex[i] / mc.estimate[i] - 1):+6.3f} %)  "
                  f"MC {mc.estimate[i]:.4f} +- {mc.stderr[i]:.4f}")

    print("-- Proposition 2 over p_s (Mt = 10): hole, no hole, Monte Carlo (1e6 trials) --")
    nh = S.proposition2(Mt=10, p_s=ps, hole=False, **kw_p)
    mc = sim.radar_rate(N=1, Mt=10, p_s=ps, trials=10**6, seed=2, **kw_p)
    for i in range(0, ps.size, 3):
        print(f"p_s={ps[i]:.2f}: hole {p2[i]:.4f}  no hole {nh[i]:.4f} (gap {100 * (1 - nh[i] / p2[i]):.2f} %)"
              f"  MC {mc.estimate[i]:.4f} +- {mc.stderr[i]:.4f}")


def main():
    monte_carlo_section()
    analysis_section()
    sensing_analysis_section()


if __name__ == "__main__":
    main()
