"""Independent references for the coverage chapters (theorem1, proposition1, density), computed
here in mpmath from the formulas themselves, not through coopisac.coverage.

- ``abg``: Andrews-Baccelli-Ganti (2011), nearest BS, Rayleigh fading, beta = 4, no noise:
  1 / (1 + sqrt(T) (pi/2 - arctan(1/sqrt(T)))).
- ``exact_L1``: the exact coverage with a Gamma(Q, 1) desired gain, Q = Mt - 1, beta = 4:
  sum_{k<Q} (-c)^k/k! psi^(k)(c), psi(c) = 1/(1 + sqrt(c) arctan(sqrt(c))), c = T p_t/p_c
  (derivatives by mpmath's numerical differentiation at high precision).
- ``proposition1_eq11``: eq. (11) as printed, with its arcsin.
- ``theorem1_L2``: Theorem 1 for L = 2, beta = 4, as one-dimensional mpmath integrals:
  joint law: E_n = int_0^1 (1 + phi(c_n / (1 + t^-2)))^-2 dt (t = x_1/x_2 uniform, x_2 ~ Gamma(2));
  paper's marginals: E_n = int_0^1 2w (1 + w phi(c_n / (1 + (w/(1-w))^2)))^-3 dw
  (x_1 ~ Gamma(1), x_2 ~ Gamma(2) independent: S = x_1 + x_2 ~ Gamma(3), w = x_2/S ~ Beta(2, 1));
  phi(z) = sqrt(z) arctan(sqrt(z)) for beta = 4.
"""
from __future__ import annotations

import mpmath
import numpy as np

DPS = 30


def _phi4(z):
    return mpmath.sqrt(z) * mpmath.atan(mpmath.sqrt(z))


def abg(T):
    with mpmath.workdps(DPS):
        return np.array([float(1 / (1 + mpmath.sqrt(t) * (mpmath.pi / 2 - mpmath.atan(1 / mpmath.sqrt(t)))))
                         for t in np.ravel(T)])


def exact_L1(T, *, Mt, p_c, p_t=1.0):
    Q = Mt - 1
    out = []
    with mpmath.workdps(DPS):
        psi = lambda c: 1 / (1 + _phi4(c))
        for t in np.ravel(T):
            c = mpmath.mpf(t) * p_t / p_c
            out.append(float(sum((-c) ** k / mpmath.factorial(k) * mpmath.diff(psi, c, k) for k in range(Q))))
    return np.array(out)


def _alternating(T, Mt, p_c, p_t, alpha, E):
    Q = Mt - 1
    out = []
    with mpmath.workdps(DPS):
        for t in np.ravel(T):
            c1 = mpmath.mpf(alpha) * mpmath.mpf(t) * p_t / (Q * mpmath.mpf(p_c))
            out.append(float(sum((-1) ** (n + 1) * mpmath.binomial(Q, n) * E(n * c1) for n in range(1, Q + 1))))
    return np.array(out)


def proposition1_eq11(T, *, Mt, p_c, p_t=1.0, alpha):
    def E(c):
        U = 1 / (1 + c)
        return 1 / (1 + mpmath.sqrt(c) * (mpmath.pi / 2 - mpmath.asin(mpmath.sqrt(U))))

    return _alternating(T, Mt, p_c, p_t, alpha, E)


def theorem1_L2(T, *, Mt, p_c, p_t=1.0, alpha, distances):
    if distances == "joint":
        E = lambda c: mpmath.quad(lambda t: (1 + _phi4(c / (1 + t**-2))) ** -2, [0, 0.5, 1])
    else:
        E = lambda c: mpmath.quad(lambda w: 2 * w * (1 + w * _phi4(c / (1 + (w / (1 - w)) ** 2))) ** -3, [0, 0.5, 1])
    return _alternating(T, Mt, p_c, p_t, alpha, E)
