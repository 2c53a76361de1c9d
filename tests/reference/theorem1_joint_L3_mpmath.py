"""Reference values of Theorem 1 with the joint law of the distances at L = 3 (tests/test_coverage.py,
TSPACE_L3), by a route independent of the package: eq. (19)'s alternating sum taken literally
(Q <= 4, no cancellation to speak of at 20 digits) over E(w) = int int (1 + phi(w/(1 + t1^-b +
t2^-b)))^-3 dt1 dt2 on (0, 1)^2 (the first two arrivals uniform given the third), phi from mpmath's
hyp2f1 (Andrews-Baccelli-Ganti's rho), a 2-D mpmath.quad split at the turn-over t = w^(1/b).  The
package instead computes P(G W >= T' J) by a Gil-Pelaez integral.  About 2-4 minutes per point.

    .venv/bin/python tests/reference/theorem1_joint_L3_mpmath.py
"""
import time

import mpmath as mp

from coopisac.approximations import optimal_alpha

mp.mp.dps = 20
POINTS = [(1.0, 3, 8.0), (100.0, 3, 8.0), (0.01, 5, 2.2), (10.0, 5, 2.2)]  # (T, Mt, beta), p_c = p_t = 1


def reference(T, Mt, beta, L=3):
    Q = Mt - 1
    a, b = mp.mpf(optimal_alpha(Q)), mp.mpf(beta) / 2
    d = 1 / b

    def phi(z):
        return 2 * z / (mp.mpf(beta) - 2) * mp.hyp2f1(1, 1 - d, 2 - d, -z)

    total = 0
    for n in range(1, Q + 1):
        w = a * n * mp.mpf(T) / Q
        ts = min(mp.mpf(1), w**d)
        pts = sorted({mp.mpf(0), ts / 8, ts, min(mp.mpf(1), 4 * ts), mp.mpf(1)})
        E = mp.quad(lambda t1, t2: (1 + phi(w / (1 + t1 ** (-b) + t2 ** (-b)))) ** (-L), pts, pts)
        total += (-1) ** (n + 1) * mp.binomial(Q, n) * E
    return total


if __name__ == "__main__":
    for T, Mt, beta in POINTS:
        t = time.time()
        print(T, Mt, beta, mp.nstr(reference(T, Mt, beta), 17), f"{time.time() - t:.0f} s", flush=True)
