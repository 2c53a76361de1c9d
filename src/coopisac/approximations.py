"""Conjecture 2 of the paper: the CDF of a normalised Gamma variable as [1 - e^{-alpha g}]^N.

For g ~ Gamma(N, scale 1/N) (the gain of Theorem 1 divided by its mean, N = Mt - 1) the paper
approximates F_N(g) = P(g < gamma) = gammainc(N, N gamma) by (1 - e^{-alpha gamma})^N (eq. 8)
and picks alpha by minimising the Kolmogorov-Smirnov distance (eq. 9, where "alpha = min D" is
meant as alpha = argmin_alpha D(alpha)):

    D(alpha) = sup_{g > 0} |F_N(g) - (1 - e^{-alpha g})^N|.

The works the paper compares with use Alzer's bound (1 - e^{-a x})^N with a = (N!)^{-1/N} for the
unnormalised Gamma(N, 1) variable; for the normalised one this is alpha = N (N!)^{-1/N}.

How the sup and the minimum are located exactly (no grid read-off):
- The difference F_N - G_alpha vanishes at 0 and at infinity, so its extremes are at the zeros
  of its derivative, i.e. where the two densities cross.  The log-ratio of the two densities is
  smooth on (0, inf) (finite at 0), so its sign changes are bracketed on a fine grid and each
  zero is refined with ``brentq``.
- G_alpha(g) increases with alpha at every g, so the largest positive excursion P(alpha) of
  F_N - G_alpha is non-increasing and the largest negative one M(alpha) is non-decreasing.
  Hence D = max(P, M) is minimal exactly where P = M (the two extremes equioscillate), which is
  solved by ``brentq`` on P - M to 1e-12.
"""
from __future__ import annotations

from functools import lru_cache
import math

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq
from scipy.special import gammainc, gammaln

from ._checks import check_int, check_real

__all__ = ["optimal_alpha", "ks_distance", "alzer_alpha", "alpha_table", "cdf_pair", "MAX_N"]

_GRID = 4000  # points used only to bracket density crossings; each one is then refined
MAX_N = 4096  # the bracketing grid resolves the bulk of Gamma(N, 1/N) (width N^-1/2) up to here


def gamma_cdf(g: ArrayLike, N: int) -> np.ndarray:
    """F_N(g) = P(Gamma(N, scale 1/N) < g) = regularised lower incomplete gamma P(N, N g)."""
    return gammainc(N, N * np.asarray(g, dtype=float))


def approx_cdf(g: ArrayLike, alpha: float, N: int) -> np.ndarray:
    """Conjecture 2's approximate CDF (1 - e^{-alpha g})^N (eq. 8)."""
    return (-np.expm1(-alpha * np.asarray(g, dtype=float))) ** N


def _log_density_ratio(g, alpha: float, N: int):
    """log f_N(g) - log g_alpha(g), f_N the Gamma(N, 1/N) density, g_alpha = dG_alpha/dg.

    Both densities behave like g^(N-1) at 0, so the ratio is finite there: the function is smooth
    on (0, inf) and its zeros are the extremes of F_N - G_alpha.
    """
    g = np.asarray(g, dtype=float)
    log_f = N * math.log(N) + (N - 1) * np.log(g) - N * g - gammaln(N)
    log_h = math.log(N * alpha) - alpha * g + (N - 1) * np.log(-np.expm1(-alpha * g))
    return log_f - log_h


def _extremes(alpha: float, N: int) -> tuple[float, float]:
    """(P, M): the largest positive and negative excursions of F_N - G_alpha."""
    # Both CDFs are within 1e-17 of 1 beyond g_max: F_N by a Chernoff bound, G_alpha since
    # N e^{-alpha g} is tiny there.
    g_max = max(1.0 + 12.0 / math.sqrt(N) + 40.0 / N, (math.log(N) + 40.0) / alpha)
    # The crossings lie where either CDF rises: near g ~ 1 (F_N), near g ~ 1/alpha (G_alpha), or in
    # between (for extreme alpha, e.g. g ~ -log(alpha) for alpha -> 0).  A grid dense near 0 on
    # the linear scale covers the first; a geometric grid from far below both scales up to g_max
    # covers the others whatever alpha is (a grid linear in g alone starts above them when alpha
    # is far from 1, and then no crossing is bracketed).
    g_lin = g_max * np.linspace(0.0, 1.0, _GRID + 1)[1:] ** 2
    g_min = 1e-4 * min(1.0, 1.0 / alpha) / N
    g = np.union1d(g_lin, np.geomspace(g_min, g_max, _GRID))
    s = _log_density_ratio(g, alpha, N)
    idx = np.nonzero(np.sign(s[:-1]) * np.sign(s[1:]) < 0)[0]
    roots = [brentq(_log_density_ratio, g[i], g[i + 1], args=(alpha, N), xtol=1e-15 * g[i], rtol=1e-15) for i in idx]
    diff = gamma_cdf(np.array(roots), N) - approx_cdf(np.array(roots), alpha, N)
    pos = max([0.0] + [d for d in diff if d > 0])
    neg = max([0.0] + [-d for d in diff if d < 0])
    return pos, neg


def ks_distance(alpha: float, N: int) -> float:
    """K-S distance D(alpha) = sup_g |F_N(g) - (1 - e^{-alpha g})^N| of Conjecture 2 (eqs. 8-9),
    g ~ Gamma(N, scale 1/N).  The sup is taken at the density crossings, located by root-finding."""
    N = check_int("N", N, minimum=1, maximum=MAX_N)
    alpha = check_real("alpha", alpha, lower=0.0)
    return max(_extremes(alpha, N))


@lru_cache(maxsize=None)
def _optimal_alpha(N: int) -> float:
    if N == 1:
        return 1.0  # Gamma(1, 1) is Exp(1): the approximation is exact
    # P - M is non-increasing in alpha.  Alzer's alpha gives a lower bound on F_N (M = 0 < P
    # there), so the root lies above it; doubling finds an upper bracket.
    def balance(a):
        pos, neg = _extremes(a, N)
        return pos - neg

    lo = alzer_alpha(N)
    hi = 2.0 * lo
    while balance(hi) >= 0:
        lo, hi = hi, 2.0 * hi
    return brentq(balance, lo, hi, xtol=1e-12, rtol=1e-15)


def optimal_alpha(N: int) -> float:
    """alpha* = argmin_alpha D(alpha) of Conjecture 2 (eq. 9) for g ~ Gamma(N, scale 1/N).

    Located where the largest positive and negative excursions of F_N - G_alpha are equal (the
    minimum of a max of two monotone branches), to about 1e-12 in alpha.  N = 1 gives alpha = 1,
    D = 0 exactly.  Results are cached.  In Theorem 1 and Proposition 1, N = Mt - 1.
    """
    return _optimal_alpha(check_int("N", N, minimum=1, maximum=MAX_N))


def alzer_alpha(N: int) -> float:
    """alpha = N (N!)^(-1/N): Alzer's lower bound (1 - e^{-a x})^N <= P(Gamma(N,1) < x),
    a = (N!)^(-1/N), rewritten for the normalised variable g = x/N (refs. [32], [44] of the paper)."""
    N = check_int("N", N, minimum=1, maximum=MAX_N)
    return N * math.exp(-gammaln(N + 1) / N)


def alpha_table(N_max: int = 32) -> dict[str, np.ndarray]:
    """Data of the paper's Fig. 3: for N = 1..N_max the arrays ``N``, ``alpha`` (optimal),
    ``D`` (its K-S distance), ``alzer_alpha`` and ``alzer_D``."""
    N_max = check_int("N_max", N_max, minimum=1, maximum=MAX_N)
    Ns = np.arange(1, N_max + 1)
    a = np.array([optimal_alpha(n) for n in Ns])
    z = np.array([alzer_alpha(n) for n in Ns])
    return {
        "N": Ns,
        "alpha": a,
        "D": np.array([ks_distance(x, n) for x, n in zip(a, Ns)]),
        "alzer_alpha": z,
        "alzer_D": np.array([ks_distance(x, n) for x, n in zip(z, Ns)]),
    }


def cdf_pair(g: ArrayLike, N: int, alpha: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(F_N(g), (1 - e^{-alpha g})^N) on the points ``g``, for plotting Fig. 3;
    alpha defaults to ``optimal_alpha(N)``."""
    N = check_int("N", N, minimum=1, maximum=MAX_N)
    alpha = optimal_alpha(N) if alpha is None else check_real("alpha", alpha, lower=0.0)
    return gamma_cdf(g, N), approx_cdf(g, alpha, N)
