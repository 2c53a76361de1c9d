"""The radar information rate with distances in metres.

Every distance and the density share one length unit, and the rate depends on it (the path loss
r^-beta is taken with a reference distance of one unit).  Here the book's convention, a unit of
100 m, with a density given per km^2, then the same network with the unit taken as 1 m: the
density per unit area changes by (unit / 1 km)^2 and so does the rate.
Run:  python examples/radar_rate_metres.py  (COOPISAC_EXAMPLE_TRIALS: Monte Carlo trials)
"""
import os

from coopisac import sensing, simulation

trials = int(os.environ.get("COOPISAC_EXAMPLE_TRIALS", 100_000))
per_km2 = 5.0  # BSs per km^2
N, Mt, Mr, beta, p_s = (1, 2, 4), 10, 6, 4.0, 0.5

for unit_m in (100.0, 1.0):
    lam = per_km2 * (unit_m / 1000.0) ** 2  # BSs per unit area
    kw = dict(Mt=Mt, Mr=Mr, beta=beta, p_s=p_s, lam=lam)
    exact = sensing.theorem2(N, exact=True, **kw)
    mc = simulation.radar_rate(N=N, trials=trials, seed=2, **kw)
    print(f"unit {unit_m:g} m: lam = {lam:g} BSs per unit area ({per_km2:g} per km^2), "
          f"rho = {sensing.sensing_rho(Mr=Mr, beta=beta, p_s=p_s, lam=lam):.4g}")
    for n, r, est, se in zip(N, exact, mc.estimate, mc.stderr):
        print(f"  N = {n}: Theorem 2 (exact) {r:.3f} bit/s/Hz, Monte Carlo {est:.3f} +- {1.96 * se:.3f}")
