"""The shared Gauss rules on mapped domains.

Every integral in the package is a fixed rule from this module, vectorised over the
parameter grid: a rule is a pair (nodes, weights) and an integral is ``f(nodes) @ weights``.
Nobody writes a second rule elsewhere: add it here.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg import eigh_tridiagonal
from scipy.special import beta as beta_fn, betainc, roots_genlaguerre, roots_legendre

__all__ = ["legendre01", "legendre", "laguerre", "graded01", "exp_sinh", "jacobi01"]


@lru_cache(maxsize=None)
def _legendre01(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = roots_legendre(n)
    x = 0.5 * (x + 1.0)
    w = 0.5 * w
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def legendre01(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n-point Gauss-Legendre nodes and weights on (0, 1) (cached, read-only)."""
    return _legendre01(int(n))


def legendre(n: int, a: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre rule on (a, b); a and b may be arrays (they broadcast against the nodes'
    trailing axis: nodes have shape ``np.shape(a) + (n,)``)."""
    x, w = legendre01(n)
    a = np.asarray(a, dtype=float)[..., None]
    b = np.asarray(b, dtype=float)[..., None]
    return a + (b - a) * x, (b - a) * w


@lru_cache(maxsize=None)
def _graded01(n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    v, w = _legendre01(n)
    x = betainc(k, k, v)
    w = w * v ** (k - 1) * (1.0 - v) ** (k - 1) / beta_fn(k, k)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def graded01(n: int, k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """n-point rule on (0, 1) graded toward both ends: x = I_v(k, k) (the polynomial regularised
    incomplete beta function of degree 2k - 1), v Gauss-Legendre on (0, 1).

    Near an end x behaves like v^k, so an integrand term x^a (a non-integer, e.g. r^beta terms)
    becomes v^(k a) times a polynomial Jacobian: Gauss-Legendre then converges like n^-(2 k a + 2)
    instead of n^-(2 a + 2), and smooth integrands stay smooth (the map is a polynomial).
    Cached, read-only.
    """
    return _graded01(int(n), int(k))


@lru_cache(maxsize=None)
def _laguerre(n: int, a: float) -> tuple[np.ndarray, np.ndarray]:
    x, w = roots_genlaguerre(n, a)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def laguerre(n: int, a: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Generalised Gauss-Laguerre rule: int_0^inf x**a e**-x f(x) dx ~ sum w f(x)."""
    return _laguerre(int(n), float(a))


@lru_cache(maxsize=None)
def _exp_sinh(h: float, tmax: float) -> tuple[np.ndarray, np.ndarray]:
    t = h * np.arange(-int(np.ceil(tmax / h)), int(np.ceil(tmax / h)) + 1)
    u = 0.5 * np.pi * np.sinh(t)
    w = h * 0.5 * np.pi * np.cosh(t)
    u.setflags(write=False)
    w.setflags(write=False)
    return u, w


def exp_sinh(scale: float = 1.0, *, h: float = 1.0 / 12.0, tmax: float = 4.7) -> tuple[np.ndarray, np.ndarray]:
    """Trapezoid rule for integrals over (0, inf) against dz / z:

        int_0^inf g(z) dz / z  ~  sum w g(z),   z = scale * exp((pi/2) sinh t),  t = k h, |t| <= tmax.

    Returns (z, w) with ``w`` the weights of dz/z (not dz).  An integrand that decays like a
    power of z at both ends decays double-exponentially in t, and the trapezoid rule converges
    exponentially in 1/h; the default spans z/scale in (e^-86, e^86) with 113 nodes.
    ``scale`` may be an array (nodes then have shape ``np.shape(scale) + (n,)``).
    """
    u, w = _exp_sinh(float(h), float(tmax))
    scale = np.asarray(scale, dtype=float)[..., None]
    return scale * np.exp(u), np.broadcast_to(w, scale.shape[:-1] + w.shape)


@lru_cache(maxsize=None)
def _jacobi01(n: int, a: float) -> tuple[np.ndarray, np.ndarray]:
    # Golub-Welsch on the recurrence of the Jacobi polynomials P^(0, a) on (-1, 1); scipy's
    # roots_jacobi loses digits for a near -1 (moments off by 1e-12 at a = -0.87, n = 20)
    k = np.arange(n, dtype=float)
    s = 2.0 * k + a
    diag = np.where(k == 0, a / (a + 2.0), a * a / np.where(k == 0, 1.0, s * (s + 2.0)))
    j = k[1:]
    sj = 2.0 * j + a
    off = np.sqrt(4.0 * j * j * (j + a) ** 2 / (sj**2 * (sj + 1.0) * (sj - 1.0)))
    x, vec = eigh_tridiagonal(diag, off)
    v = 0.5 * (x + 1.0)
    w = vec[0] ** 2 / (a + 1.0)  # mu_0 = int_0^1 v^a dv
    v.setflags(write=False)
    w.setflags(write=False)
    return v, w


def jacobi01(n: int, a: float) -> tuple[np.ndarray, np.ndarray]:
    """n-point Gauss-Jacobi rule for int_0^1 v**a f(v) dv (a > -1): exact for polynomial f of
    degree 2n - 1, so the endpoint singularity v**a costs nothing.  Cached, read-only."""
    return _jacobi01(int(n), float(a))
