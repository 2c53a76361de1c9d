"""Distance laws of a homogeneous PPP and the windowless sampler of its nearest points.

Conventions: ``lam`` is the intensity (points per unit area, in the same length unit as
every distance).  The typical receiver sits at the origin.

Mapping theorem: the values pi*lam*r_k**2 of the ordered distances form a unit-rate Poisson
process on the half-line, so r_k**2 = Gamma_k / (pi*lam) with Gamma_k the running sum of k
standard exponentials.  This samples the K nearest points exactly, already ordered, with no
window and no edge effect.  Angles are uniform and independent of the distances.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import gammaln, hyp2f1

from ._checks import check_beta, check_int, check_nonnegative_array, check_real

__all__ = [
    "nth_distance_pdf",
    "ordered_distances_pdf",
    "eta_pdf",
    "sample_nearest",
    "tail_mean_at_origin",
    "tail_mean_offset",
]


def nth_distance_pdf(r: ArrayLike, n: int, lam: float = 1.0) -> np.ndarray:
    """pdf of the distance to the n-th nearest point (Haenggi 2005):

    f_n(r) = 2 (lam*pi*r^2)^n exp(-lam*pi*r^2) / (r Gamma(n)),  r > 0.

    The paper's eq. (21) prints this without the factor 2 (it then integrates to 1/2);
    eq. (16) has it.  For n = 1 it is f(r_1) = 2*pi*lam*r*exp(-lam*pi*r^2).
    """
    n = check_int("n", n, minimum=1)
    lam = check_real("lam", lam, lower=0.0)
    r = check_nonnegative_array("r", r, allow_inf=True)
    x = np.pi * lam * r**2
    with np.errstate(divide="ignore", invalid="ignore"):
        logf = np.log(2.0) + n * np.log(x) - x - np.log(r) - gammaln(n)
        out = np.exp(logf)
    return np.where((r > 0) & np.isfinite(r), out, 0.0)


def ordered_distances_pdf(r: ArrayLike, lam: float = 1.0) -> np.ndarray:
    """Joint pdf of the L nearest distances r_1 < ... < r_L (last axis of ``r``):

    f(r_1, ..., r_L) = (2 pi lam)^L r_1 ... r_L exp(-pi lam r_L^2) on 0 < r_1 < ... < r_L,

    and zero elsewhere.  The paper's Theorem 1 (eq. 21) uses instead the product of the
    marginals, as if the ordered distances were independent.
    """
    lam = check_real("lam", lam, lower=0.0)
    r = np.atleast_1d(check_nonnegative_array("r", r))
    L = r.shape[-1]
    ordered = np.all(np.diff(r, axis=-1) > 0, axis=-1) & (r[..., 0] > 0)
    val = (2 * np.pi * lam) ** L * np.prod(r, axis=-1) * np.exp(-np.pi * lam * r[..., -1] ** 2)
    return np.where(ordered, val, 0.0)


def eta_pdf(eta: ArrayLike, N: int) -> np.ndarray:
    """pdf of eta_N = r_1 / r_N for N >= 2 (paper's eq. 16):

    f(eta) = 2 (N-1) eta (1 - eta^2)^(N-2),  0 < eta < 1,

    i.e. eta^2 ~ Beta(1, N-1), independent of r_N.  For N = 1, eta_N = 1 surely (a point
    mass, no density): the caller must treat that case as its own limit.
    """
    N = check_int("N", N, minimum=2)
    eta = check_nonnegative_array("eta", eta)
    inside = (eta > 0) & (eta < 1)
    e = np.where(inside, eta, 0.5)
    return np.where(inside, 2.0 * (N - 1) * e * (1.0 - e**2) ** (N - 2), 0.0)


def sample_nearest(rng: np.random.Generator, size: int, K: int, lam: float = 1.0, *,
                   angles: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Sample the K nearest points of an HPPP of intensity ``lam`` around the origin.

    Returns the squared distances ``r2`` of shape (size, K), increasing along axis 1, and,
    if ``angles``, also their angles ``theta`` (uniform on [0, 2 pi)), same shape.
    Squared distances are returned because the path loss r**-beta = r2**(-beta/2) needs no
    square root.
    """
    size = check_int("size", size, minimum=1)
    K = check_int("K", K, minimum=1)
    lam = check_real("lam", lam, lower=0.0)
    gam = rng.standard_exponential((size, K))
    np.cumsum(gam, axis=1, out=gam)
    gam *= 1.0 / (np.pi * lam)
    if not angles:
        return gam
    theta = rng.uniform(0.0, 2.0 * np.pi, (size, K))
    return gam, theta


def tail_mean_at_origin(rK: ArrayLike, lam: float, beta: float) -> np.ndarray:
    """Mean interference at the origin from the PPP points beyond distance rK, unit power and
    unit-mean fading: 2 pi lam rK^(2-beta) / (beta - 2)  (Campbell's theorem)."""
    beta = check_beta(beta)
    rK = np.asarray(rK, dtype=float)
    return 2.0 * np.pi * lam * rK ** (2.0 - beta) / (beta - 2.0)


def tail_mean_offset(rK: ArrayLike, a: ArrayLike, lam: float, beta: float) -> np.ndarray:
    """Mean interference at a point at distance ``a < rK`` from the origin, from the PPP
    points outside the disc |y| < rK (unit power, unit-mean fading).

    The angular average of |rho e^{i t} - a|^-beta is rho^-beta 2F1(beta/2, beta/2; 1; a^2/rho^2);
    integrating over rho > rK term by term gives

        2 pi lam rK^(2-beta) / (beta-2) * 2F1(beta/2, beta/2 - 1; 1; a^2/rK^2).

    For beta = 4 this is pi lam rK^2 / (rK^2 - a^2)^2; at a = 0 it is ``tail_mean_at_origin``.
    """
    beta = check_beta(beta)
    rK = np.asarray(rK, dtype=float)
    a = np.asarray(a, dtype=float)
    q = (a / rK) ** 2
    return tail_mean_at_origin(rK, lam, beta) * hyp2f1(beta / 2.0, beta / 2.0 - 1.0, 1.0, q)
