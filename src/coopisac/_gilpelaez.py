"""Exact coverage by one Gil-Pelaez integral (the numerics behind ``coverage.exact_coverage`` and
``coverage.conjecture1_coverage``).

Units x_i = pi lam r_i^2 (a unit-rate Poisson process on the line), b = beta/2, delta = 1/b = 2/beta,
Q = Mt - 1, T' = T p_t/p_c.  Given x_L, the first L-1 arrivals are iid uniform on (0, x_L), the
arrivals beyond x_L a unit-rate process on (x_L, inf).  With t_i = x_i/x_L and y_j = x_j/x_L the
SIR is (p_c/p_t) S/J,

    S = g_L + sum_{i<L} g_i t_i^-b,       J = x_L^b I = sum_{j>L} h_j y_j^-b,

S independent of J (S depends on the gains and the t_i only; J on x_L, the outer arrivals and
their Exp(1) gains h_j).  Transforms:

    E[e^{iuS}] = (1 - iu)^-Q m(u)^(L-1),     m(u) = E[(1 - iu V)^-Q],  V = t^-b (Pareto, index delta),
    E[e^{-sJ}] = (1 + F(s))^-L,              F(s) = int_1^inf s / (y^b + s) dy,

(the second: the PGFL given x_L, then x_L ~ Gamma(L)).  The coverage is then one Gil-Pelaez
integral of X = S - T'J (continuous, so P(X = 0) = 0):

    P_c = P(X > 0) = 1/2 + (1/pi) int_0^inf Im[E e^{iuS} (1 + F(i u T'))^-L] du/u.

Under Conjecture 1 alone the serving signal is g W, W = 1 + sum_{i<L} V_i, one g ~ Gamma(Q), and
E[e^{iugW}] = E_W[(1 - iuW)^-Q]; rotating the Gamma integral (1 - iuW)^-Q = Gamma(Q)^-1
int gamma^(Q-1) e^{-gamma (1 - iuW)} d gamma onto the ray gamma = rho/(1 - iu) (allowed: the
integrand decays in the whole sector in between) gives

    E[e^{iugW}] = (1 - iu)^-Q E_g[m1(g u/(1 - iu))^(L-1)],   m1(z) = E[e^{izV}]  (Im z >= 0),

a smooth, non-oscillating average over g.

Theorem 1 with the joint law of the distances (``coverage.theorem1(distances="joint")``) is the
same with Conjecture 2's gain G = (Q/alpha) M1 in place of g, M1 the largest of Q iid Exp(1)
(P(G > x) = 1 - (1 - e^{-alpha x/Q})^Q; eq. (19)'s alternating sum is E[1 - (1 - e^{-cY})^Q] for
Y = J/W).  Then E[e^{iuGW}] = E_M1[e^{i kappa M1} m1(kappa M1)^(L-1)], kappa = u Q/alpha, with M1's
density continued onto the ray arg m = arctan(1/4) (``phi_alzer``): no exact rotation removes the
oscillation here, but on that ray it is damped by e^{-pi/2} per period.

The functions, continued to the arguments needed, without partial fractions:

- F on the imaginary axis, s = iv: F(iv) = delta v^delta H(v), H(v) = i int_0^v w^-delta/(1 + iw) dw;
  series sum_{k>=1} (-1)^(k+1) s^k/(bk - 1) for |s| <= 1/2, the 1/s expansion
  F(s) = pi delta/sin(pi delta) s^delta - sum_{k>=0} (-1/s)^k/(bk + 1) (from int_0^inf minus int_0^1)
  for |s| >= 2, and Gauss-Legendre in log w on H between.
- m(u) = 1 - delta u^delta G(u), G(u) = int_u^inf w^(-delta-1) [1 - (1 - iw)^-Q] dw: the Mellin
  value G(0) = -(-i)^delta Gamma(-delta) Gamma(Q + delta)/Gamma(Q) and a power series for
  u <= 1/(8Q), the expansion of (1 - iw)^-Q in 1/w for u >= 8Q, and between, G accumulated downwards from
  u = 8Q over the sorted nodes, panel by panel (Gauss-Legendre in log w); downwards, because the
  rounding of G then stays relative to u^-delta, which m multiplies by u^delta.
- m1(z) = 1 + delta Gamma(-delta) (-iz)^delta - delta sum_{k>=1} (iz)^k/(k! (k - delta)) for |z| <= 4;
  beyond, m1(z) = delta (-iz)^delta Gamma(-delta, -iz) by the continued fraction of the
  incomplete Gamma function (it converges in the half-plane Re(-iz) >= 0 where the arguments lie).

The u integral: trapezoid rule in tau with log u = tau - k e^{(a - tau)/k} + k e^{(tau - c)/k}: a
uniform step in log u over [a, c], which holds every transition of the integrand for every
threshold, and double-exponential tails beyond (the integrand falls off only like u^delta at 0).
The rule with step h/2 contains the one with step h: the value is the finer sum and the error
estimate the difference of the two (the trapezoid rule converges exponentially here, so the
finer sum is far closer than that); under Conjecture 1 the g rule is nested the same way and its
difference is added.  The step of the rule that misses the target halves until the estimate meets
it.  Thresholds are taken in groups of bounded log T' span, one window [a, c] per group.
F is analytic on the plane cut along (-inf, -1] (the pole of s/(y^b + s) at y^b = -s, y >= 1), so
both series continue it to the imaginary axis; |s| = 1 is avoided by the middle rule.
"""
from __future__ import annotations

import cmath
import math

import numpy as np
from numba import njit
from numpy.polynomial.polynomial import polyval
from scipy.special import gamma as gamma_fn, gammaln

from . import quadrature

__all__ = ["F_imag", "m_exact", "m1", "phi_alzer", "coverage"]

_KAPPA = 1.0  # width of the bend from the uniform part into the double-exponential tails
_N_PANEL = 12  # Gauss-Legendre points per panel of the cumulative integrals
_MAX_PANEL = 0.25  # widest panel in log w for the cumulative integrals
_MAX_HALVINGS = 5
_GROUP_SPAN = 14.0  # widest range of log T' sharing one rule (exact; three times that for Conjecture 1)
_GROUP_SIZE = 256  # most thresholds sharing one rule (memory: thresholds x nodes complex numbers)


# ------------------------------------------------------------------------------------------------
# F(iv) = int_1^inf iv/(y^b + iv) dy


def F_imag(v, delta: float) -> np.ndarray:
    """F(iv) for real v >= 0 (any shape), F(s) = int_1^inf s/(y^b + s) dy, b = 1/delta.

    Both series have real coefficients times powers of i, so each splits into two real
    polynomials in v^2 (or v^-2), evaluated by Horner's rule."""
    v = np.minimum(np.asarray(v, dtype=float), 1e300)  # beyond, (1 + F)^-L is 0 to double precision anyway
    out = np.zeros(v.shape, dtype=complex)
    b = 1.0 / delta
    lo, hi = v <= 0.5, v >= 2.0
    mid = ~(lo | hi) & (v > 0)
    j = np.arange(0, 29)
    if lo.any():  # sum_{k>=1} (-1)^(k+1) (iv)^k/(bk - 1), k <= 57: 0.5^57 < 1e-17
        x = v[lo]
        x2 = x * x
        re = polyval(x2, np.concatenate([[0.0], -((-1.0) ** j[1:]) / (2 * b * j[1:] - 1.0)]))
        im = x * polyval(x2, (-1.0) ** j / (b * (2 * j + 1) - 1.0))
        out[lo] = re + 1j * im
    if hi.any():  # C (iv)^delta - sum_{k>=0} (i/v)^k/(bk + 1), C = pi delta/sin(pi delta)
        x = v[hi]
        z = 1.0 / x
        z2 = z * z
        re = polyval(z2, (-1.0) ** j / (2 * b * j + 1.0))
        im = z * polyval(z2, (-1.0) ** j / (b * (2 * j + 1) + 1.0))
        out[hi] = math.pi * delta / math.sin(math.pi * delta) * np.exp(0.5j * math.pi * delta) * x**delta - (re + 1j * im)
    if mid.any():  # H(v) = H(1/2) + i int_{1/2}^v w^-delta/(1 + iw) dw, Gauss-Legendre in log w
        x = v[mid]
        k = np.arange(0, 57)
        r = 0.5
        H0 = 1j * ((-1j) ** k * r ** (k + 1 - delta) / (k + 1 - delta)).sum()
        y, wy = quadrature.legendre(16, math.log(r), np.log(x))
        w = np.exp(y)
        H = H0 + 1j * (w ** (1.0 - delta) / (1.0 + 1j * w) * wy).sum(axis=-1)
        out[mid] = delta * x**delta * H
    return out


# ------------------------------------------------------------------------------------------------
# m(u) = E[(1 - iuV)^-Q], V = t^-b, t ~ U(0, 1)


def _panel_integral(f, a, b):
    """int_a^b f(y) dy for arrays a < b, Gauss-Legendre on panels no wider than _MAX_PANEL."""
    n = np.maximum(1, np.ceil((b - a) / _MAX_PANEL).astype(int))
    out = np.zeros(a.shape, dtype=complex)
    x, w = quadrature.legendre01(_N_PANEL)
    for k in np.unique(n):
        sel = n == k
        aa, bb = a[sel], b[sel]
        edges = aa[:, None] + (bb - aa)[:, None] * np.arange(k + 1)[None, :] / k
        y = edges[:, :-1, None] + (edges[:, 1:] - edges[:, :-1])[:, :, None] * x
        out[sel] = (f(y) * w).sum(axis=-1).sum(axis=-1) * (bb - aa) / k
    return out


def m_exact(u, Q: int, delta: float) -> np.ndarray:
    """m(u) = E[(1 - iuV)^-Q] = delta int_1^inf v^(-delta-1) (1 - iuv)^-Q dv for a sorted array
    of u > 0 (module docstring for the three regimes)."""
    u = np.asarray(u, dtype=float)
    out = np.empty(u.shape, dtype=complex)
    u_s, u_l = 1.0 / (8.0 * Q), 8.0 * Q
    k = np.arange(1, 25)
    ck = np.cumprod((Q + k - 1.0) / k)  # (Q)_k / k!, exactly rounded factors (gammaln differences are not)
    # Gamma(Q + delta)/Gamma(Q) as a product: gammaln differences lose ~1e-14 at Q = 63
    ratio = gamma_fn(1.0 + delta) * math.exp(math.fsum(math.log1p(delta / j) for j in range(1, Q)))
    G0 = -np.exp(-0.5j * math.pi * delta) * gamma_fn(-delta) * ratio

    def small(x):  # m(x) for x <= u_s
        return (1.0 - delta * x**delta * G0
                - delta * ((1j * x[:, None]) ** k * (ck / (k - delta))).sum(axis=1))

    lo, hi = u <= u_s, u >= u_l
    if lo.any():
        out[lo] = small(u[lo])
    k0 = np.arange(0, 25)
    c0 = np.concatenate([[1.0], ck]) * (-1.0) ** k0 / (delta + Q + k0)

    def large(x):  # m(x) for x >= u_l: delta i^Q x^-Q sum_k C(-Q, k) (i/x)^k/(delta + Q + k)
        return delta * (1j) ** Q * x ** (-Q) * ((1j / x[:, None]) ** k0 * c0).sum(axis=1)

    if hi.any():
        out[hi] = large(u[hi])
    mid = ~(lo | hi)
    if mid.any():  # accumulated downwards from u_l, where G(u_l) = u_l^-delta/delta - int_{u_l}^inf ... is known
        x = u[mid][::-1]
        ly = np.log(np.concatenate([[u_l], x]))

        def integrand(y):  # w^-delta [1 - (1 - iw)^-Q] per d log w
            w = np.exp(y)
            return w ** (-delta) * (1.0 - (1.0 - 1j * w) ** (-Q))

        G = complex((1.0 - large(np.array([u_l]))[0]) / (delta * u_l**delta))
        G = G + np.cumsum(_panel_integral(integrand, ly[1:], ly[:-1]))
        out[mid] = (1.0 - delta * x**delta * G)[::-1]
    return out


# ------------------------------------------------------------------------------------------------
# m1(z) = E[e^{izV}] for Im z >= 0


def m1(z, delta: float) -> np.ndarray:
    """m1(z) = E[exp(i z V)] = delta int_1^inf v^(-delta-1) e^{izv} dv = delta x^delta Gamma(-delta, x),
    x = -iz, for complex z with Im z >= 0 (so Re x >= 0).

    |z| <= 4: the power series 1 + delta Gamma(-delta) x^delta - delta sum_{k>=1} (iz)^k/(k! (k - delta))
    (Horner, with as many terms as |z| needs); |z| > 4: Legendre's continued fraction
    Gamma(a, x) = e^-x x^a / (x + 1 - a - 1 (1 - a)/(x + 3 - a - 2 (2 - a)/(x + 5 - a - ...))), 60 levels
    (below 1e-16 against mpmath from |z| = 4 on); Im z > 38: 0 (|m1(z)| <= e^{-Im z} < 3e-17).
    Element by element in a numba kernel (``_m1_kernel``)."""
    z = np.asarray(z, dtype=complex)
    coef = np.zeros((3, 34))
    for row, K in enumerate((15, 25, 34)):  # |z|^K/K! < 1e-17 for |z| <= 0.5, 2, 4
        k = np.arange(1, K)
        coef[row, 1:K] = -delta * np.exp(-gammaln(k + 1)) / (k - delta)
    out = np.empty(z.size, dtype=complex)
    _m1_kernel(np.ascontiguousarray(z).ravel(), float(delta), float(gamma_fn(-delta)), coef, out)
    return out.reshape(z.shape)


@njit(cache=True)
def _m1_kernel(z, delta, g_delta, coef, out):  # pragma: no cover (compiled)
    """out = m1(z) (``m1``); coef rows: the series coefficients for |z| <= 0.5, 2, 4 (15, 25, 34)."""
    a = -delta
    for idx in range(z.size):
        zz = z[idx]
        if zz.imag > 38.0:
            out[idx] = 0.0
            continue
        r = abs(zz)
        if r <= 4.0:
            row, K = (0, 15) if r <= 0.5 else ((1, 25) if r <= 2.0 else (2, 34))
            x = 1j * zz
            p = coef[row, K - 1] + 0j
            for k in range(K - 2, -1, -1):  # Horner, as numpy.polynomial.polyval
                p = p * x + coef[row, k]
            out[idx] = 1.0 + delta * g_delta * cmath.exp(delta * cmath.log(-1j * zz)) + p
        else:
            x = -1j * zz
            f = x + 121.0 - a  # level 60, evaluated from the tail inwards
            for n in range(60, 0, -1):
                f = x + (2 * n - 1) - a - n * (n - a) / f
            out[idx] = delta * cmath.exp(-x) / f


# ------------------------------------------------------------------------------------------------
# E[e^{iugW}] under Conjecture 1


def _gamma_rule(Q: int, h: float):
    """Trapezoid rule for E[f(g)], g ~ Gamma(Q, 1), in y = log g: nodes g and weights (summing to
    ~1).  The density e^{Qy - e^y}/Gamma(Q) is Gaussian-like of width Q^-1/2 around log Q for large
    Q; the left tail (like e^{Qy}) gets a double-exponential stretch, the right one falls off
    double-exponentially by itself."""
    s = 1.0 / math.sqrt(Q)
    ya = math.log(Q) - 3.0 * s
    # y = ya + tau - s e^{-tau/s} for tau >= tau_min; right end where Q y - e^y is 40 below its mode
    yb = math.log(Q) + 9.0 * s + math.log1p(40.0 / Q)
    tau_min = -s * math.log(40.0 / (Q * s))  # there y - ya ~ -40/Q: density e^{-40}
    tau = np.arange(tau_min, yb - ya + h, h)
    y = ya + tau - s * np.exp(-tau / s)
    dy = 1.0 + np.exp(-tau / s)
    w = h * dy * np.exp(Q * y - np.exp(y) - gammaln(Q))
    return np.exp(y), w


def _gamma_cf(u, Q: int):
    """(1 - iu)^-Q = exp(-Q log(1 - iu)) without overflow at large u."""
    return np.exp(-0.5 * Q * np.log1p(u * u) + 1j * Q * np.arctan(u))


def phi_conjecture1(u, Q: int, L: int, delta: float, h: float):
    """(fine, coarse) E[e^{iugW}] = (1 - iu)^-Q E_g[m1(g u/(1 - iu))^(L-1)] with the g rule of step
    h (fine) and its even nodes, step 2h (coarse)."""
    g, w = _gamma_rule(Q, h)
    # the right tail of the rule runs far past where the density underflows (g up to ~700 at
    # Q = 1): the nodes beyond the last weight above 1e-30 of the largest change neither sum by
    # more than that (|m1| <= 1); the kept ones keep their indices, so the coarse rule (every
    # other node) is unchanged
    n = int(np.flatnonzero(w > 1e-30 * w.max())[-1]) + 1
    g, w = g[:n], w[:n]
    lead = _gamma_cf(u, Q)
    fine, coarse = np.zeros(u.shape, dtype=complex), np.zeros(u.shape, dtype=complex)
    live = np.abs(lead) > 1e-18  # |E e^{iugW}| <= |1 - iu|^-Q: below, the node adds nothing
    z0 = u[live] / (1.0 - 1j * u[live])
    f = m1(z0[:, None] * g[None, :], delta) ** (L - 1)
    fine[live] = lead[live] * (f @ w)
    coarse[live] = lead[live] * (f[:, ::2] @ (2.0 * w[::2]))
    return fine, coarse


# ------------------------------------------------------------------------------------------------
# E[e^{iuGW}] with Conjecture 2's gain (Theorem 1, joint law of the distances)

_TAN_ALZER = 0.25  # slope of the ray m = rho e^{i theta} of the M1 integral
_H_ALZER = 0.02  # its step in log rho: the coarse step 0.04 misses by exp(-2 pi theta/0.04) ~ 2e-17
_WINDOW_DEPTH = 40.0  # the rho rule covers the nodes within e^-40 of the largest term


def _log_max_density(m, Q: int):
    """log of the density Q e^-m (1 - e^-m)^(Q-1) of M1 = max of Q iid Exp(1), complex m with
    Re m > 0 (there 1 - e^-m lies in the right half-plane, so the principal logarithm is the
    analytic continuation)."""
    return math.log(Q) - m + (Q - 1) * np.log(-np.expm1(-m))


def phi_alzer(u, Q: int, L: int, delta: float, alpha: float, h: float):
    """(fine, coarse) E[e^{iuGW}] for the common gain G = (Q/alpha) M1 of Conjecture 2 (P(G > x) =
    1 - (1 - e^{-alpha x/Q})^Q, the Gamma CCDF replaced by eq. (9)'s form), W = 1 + sum_{i<L} V_i:

        E[e^{iuGW}] = int_0^inf f(m) e^{i kappa m} m1(kappa m)^(L-1) dm,   kappa = u Q/alpha,

    f the density of M1.  On the real line the integrand oscillates ever faster as u grows; it is
    entire in m and decays in the sector 0 <= arg m <= theta (e^{i kappa m} and m1 decay for
    Im m > 0, f like e^-m), so the integral is taken along m = rho e^{i theta}, tan theta = 1/4,
    where each oscillation is damped by e^{-2 pi/4} and |f| exceeds the real-line maximum of f
    by at most 1.6 (Q <= 63; 5.1 at Q = 1023).  Trapezoid in y = log rho with step h: the
    integrand is analytic in a strip of half-width theta around the line, so the error falls like
    exp(-2 pi theta/h) whatever u and Q; the coarse value uses every other node.  Each u has its
    own window of y, where a bound on the terms (|m1| <= 1) is within e^-40 of its maximum."""
    theta = math.atan(_TAN_ALZER)
    ray = complex(math.cos(theta), math.sin(theta))
    kappa = u * (Q / alpha)
    # window: log-magnitude bound y + Re log f - kappa rho sin(theta) on a grid of step 0.1
    yc = np.arange(-60.0, 8.0, 0.1)
    base = yc + _log_max_density(np.exp(yc) * ray, Q).real
    bound = base[None, :] - kappa[:, None] * np.exp(yc)[None, :] * math.sin(theta)
    keep = bound >= bound.max(axis=1, keepdims=True) - _WINDOW_DEPTH
    first = np.argmax(keep, axis=1)
    last = keep.shape[1] - 1 - np.argmax(keep[:, ::-1], axis=1)
    y_lo, y_hi = yc[first] - 0.1, yc[last] + 0.1
    n = np.ceil((y_hi - y_lo) / h).astype(int) // 2 * 2 + 1  # odd: the coarse rule keeps both ends
    j = np.arange(n.max())
    y = y_lo[:, None] + h * j[None, :]
    rho = np.exp(y)
    m = rho * ray
    z = kappa[:, None] * m
    with np.errstate(under="ignore"):
        terms = np.exp(_log_max_density(m, Q) + 1j * z) * (h * m)
    terms[j[None, :] >= n[:, None]] = 0.0  # beyond each window (its end terms are below e^-40 already)
    if L > 1:
        terms *= m1(z, delta) ** (L - 1)
    return terms.sum(axis=1), 2.0 * terms[:, ::2].sum(axis=1)


# ------------------------------------------------------------------------------------------------
# the Gil-Pelaez integral


def _window(Tp, Q, L, delta):
    """[a, c] in log u holding every transition of the integrand for every threshold in Tp."""
    b = 1.0 / delta
    # S side: 1 - E e^{iuS} ~ A u^delta + Q L u below, power-law decay above u ~ 3
    A = (L - 1) * delta * math.gamma(1.0 - delta) * math.exp(gammaln(Q + delta) - gammaln(Q))
    lo_S = math.log(0.01 / (Q * L))
    if L > 1:
        lo_S = min(lo_S, math.log(0.01 / A) / delta)
    hi_S = math.log(3.0)
    # J side: L F(iv) ~ L iv/(b - 1) below; |F(iv)| ~ pi delta/sin(pi delta) v^delta above
    C = math.pi * delta / math.sin(math.pi * delta)
    lo_J = math.log(0.01 * (b - 1.0) / L) - math.log(Tp.max())
    hi_J = max(math.log(4.0), math.log(10.0 / C) / delta) - math.log(Tp.min())
    return min(lo_S, lo_J) - 1.0, max(hi_S, hi_J) + 1.0


def _lattice(a, c, delta, h):
    """Nodes u, weights (of du/u) of the trapezoid rule in tau, log u = tau - k e^{(a-tau)/k} + k e^{(tau-c)/k}."""
    k = _KAPPA
    tau_min = a - k * math.log((40.0 / delta) / k)  # log u ~ a - 40/delta: u^delta ~ e^-40 below the window
    tau_max = c + k * math.log(45.0 / k)
    n = int(math.ceil((tau_max - tau_min) / h))
    tau = tau_min + h * np.arange(n + 1)
    ea, ec = np.exp((a - tau) / k), np.exp((tau - c) / k)
    theta = tau - k * ea + k * ec
    return np.exp(theta), h * (1.0 + ea + ec)


def _initial_step(Q: int, L: int) -> float:
    """Starting u step: finer for more antennas and larger clusters (their transforms oscillate
    more before they decay); measured to need at most one or two halvings over the domain."""
    return 0.4 / (1.0 + 0.35 * math.sqrt(Q) + 0.15 * L)


def coverage(Tp, *, L: int, Q: int, delta: float, conjecture1: bool, rtol: float, atol: float,
             alpha: float | None = None):
    """(value, error) for the thresholds Tp (1-d, positive, finite), in groups whose log T' spans
    at most _GROUP_SPAN (one window of u per group: the nodes of a group's rule serve all its
    thresholds, and far-apart thresholds would stretch the window) and _GROUP_SIZE thresholds.
    ``conjecture1``: one common gain times W; with ``alpha`` that gain is Conjecture 2's
    (Q/alpha) M1 (Theorem 1) rather than Gamma(Q)."""
    span = _GROUP_SPAN * (3.0 if conjecture1 else 1.0)  # Conjecture 1: the u-side costs more, share it
    value, error = np.empty(Tp.shape), np.empty(Tp.shape)
    for idx in groups(Tp, span):
        value[idx], error[idx] = _coverage_group(Tp[idx], L=L, Q=Q, delta=delta, conjecture1=conjecture1,
                                                 rtol=rtol, atol=atol, alpha=alpha)
    return value, error


def groups(Tp, span: float):
    """Index arrays of the thresholds Tp in runs of sorted log T' no wider than ``span`` and no
    longer than _GROUP_SIZE (each run shares one u rule)."""
    order = np.argsort(Tp)
    lt = np.log(Tp[order])
    start = 0
    while start < lt.size:
        stop = min(int(np.searchsorted(lt, lt[start] + span, side="right")), start + _GROUP_SIZE)
        yield order[start:stop]
        start = stop


def _coverage_group(Tp, *, L: int, Q: int, delta: float, conjecture1: bool, rtol: float, atol: float,
                    alpha: float | None = None, h0: float | None = None):
    """(value, error) of P(S >= T' J) (or with Conjecture 1, P(g W >= T' J)) for the positive
    finite thresholds Tp (1-d).  error = the change when the u rule drops every other node, plus
    (Conjecture 1) the change when the g rule does, plus a rounding bound.  The step of whichever
    rule misses half the target halves until error <= max(rtol value, atol) everywhere, at most
    _MAX_HALVINGS times (the caller then reports the accuracy reached)."""
    a, c = _window(Tp, Q, L, delta)
    h = h0 if h0 is not None else _initial_step(Q, L)
    # g-rule step (Conjecture 1): with 0.2 Q^-1/2 (coarse 0.4) the estimate meets the target from
    # Q = 3 on; Q = 1, 2 (an exponential-like gain, mass near g = 0) start finer
    h_g = (0.1 if Q <= 2 else 0.2) / math.sqrt(Q)
    if alpha is not None:
        h_g = _H_ALZER
    for _ in range(_MAX_HALVINGS + 1):
        u, w = _lattice(a, c, delta, h / 2.0)
        if alpha is not None:
            phi_f, phi_c = phi_alzer(u, Q, L, delta, alpha, h_g)
        elif conjecture1:
            phi_f, phi_c = phi_conjecture1(u, Q, L, delta, h_g)
        else:
            phi_f = _gamma_cf(u, Q) * m_exact(u, Q, delta) ** (L - 1)
            phi_c = phi_f
        with np.errstate(over="ignore"):  # u T' beyond 1e308: F_imag clips it
            v = u[None, :] * Tp[:, None]
        psi = np.exp(-L * np.log1p(F_imag(v, delta)))  # (1 + F)^-L, no overflow
        fine = 0.5 + (psi * phi_f).imag @ w / math.pi
        # two embedded estimates: the u rule with every other node, and the g rule with every other node
        err_u = np.abs(fine - 0.5 - (psi[:, ::2] * phi_f[::2]).imag @ (2.0 * w[::2]) / math.pi)
        err_g = np.abs(fine - 0.5 - (psi * phi_c).imag @ w / math.pi)
        # rounding: the terms are O(1) at most; 1e-15 of their absolute sum
        err = err_u + err_g + 1e-15 * (np.abs(psi * phi_f) @ w)
        tol = np.maximum(rtol * np.abs(fine), atol)
        if np.all(err <= tol):
            break
        refine_g = bool(np.any(err_g > 0.5 * tol))
        if np.any(err_u > 0.5 * tol) or not refine_g:
            h /= 2.0
        if refine_g:
            h_g /= 2.0
    return fine, err
