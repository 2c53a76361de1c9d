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

The functions, continued to the arguments needed, without partial fractions:

- F on the imaginary axis, s = iv: F(iv) = delta v^delta H(v), H(v) = i int_0^v w^-delta/(1 + iw) dw;
  series sum_{k>=1} (-1)^(k+1) s^k/(bk - 1) for |s| <= 1/4, the 1/s expansion
  F(s) = pi delta/sin(pi delta) s^delta - sum_{k>=0} (-1/s)^k/(bk + 1) (from int_0^inf minus int_0^1)
  for |s| >= 4, and Gauss-Legendre in log w on H between.
- m(u) = 1 - delta u^delta G(u), G(u) = int_u^inf w^(-delta-1) [1 - (1 - iw)^-Q] dw: the Mellin
  value G(0) = -(-i)^delta Gamma(-delta) Gamma(Q + delta)/Gamma(Q) and a power series for
  u <= 1/(8Q), the expansion of (1 - iw)^-Q in 1/w for u >= 8Q, and between, G accumulated downwards from
  u = 8Q over the sorted nodes, panel by panel (Gauss-Legendre in log w); downwards, because the
  rounding of G then stays relative to u^-delta, which m multiplies by u^delta.
- m1(z) = 1 + delta Gamma(-delta) (-iz)^delta - delta sum_{k>=1} (iz)^k/(k! (k - delta)) for |z| <= 6;
  beyond, m1(z) = delta e^{iz} (i/z) int_0^inf (1 + i sigma/z)^(-delta-1) e^-sigma d sigma (the
  contour turned onto the ray where e^{izv} decays), by Gauss-Laguerre.

The u integral: trapezoid rule in tau with log u = tau - k e^{(a - tau)/k} + k e^{(tau - c)/k}: a
uniform step in log u over [a, c], which holds every transition of the integrand for every
threshold, and double-exponential tails beyond (the integrand falls off only like u^delta at 0).
The rule with step h/2 contains the one with step h: the value is the finer sum and the error
estimate the difference of the two (the trapezoid rule converges exponentially here, so the
finer sum is far closer than that).  The step halves until the estimate meets the tolerance.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.special import gamma as gamma_fn, gammaln

from . import quadrature

__all__ = ["F_imag", "m_exact", "m1", "coverage"]

_KAPPA = 1.0  # width of the bend from the uniform part into the double-exponential tails
_N_PANEL = 12  # Gauss-Legendre points per panel of the cumulative integrals
_MAX_PANEL = 0.25  # widest panel in log w for the cumulative integrals
_MAX_HALVINGS = 5


# ------------------------------------------------------------------------------------------------
# F(iv) = int_1^inf iv/(y^b + iv) dy


def F_imag(v, delta: float) -> np.ndarray:
    """F(iv) for real v >= 0 (any shape), F(s) = int_1^inf s/(y^b + s) dy, b = 1/delta."""
    v = np.asarray(v, dtype=float)
    out = np.zeros(v.shape, dtype=complex)
    b = 1.0 / delta
    lo, hi = v <= 0.25, v >= 4.0
    mid = ~(lo | hi) & (v > 0)
    if lo.any():  # sum_{k>=1} (-1)^(k+1) (iv)^k/(bk - 1); 0.25^28 < 1e-16
        s = 1j * v[lo]
        k = np.arange(1, 29)
        out[lo] = (s[:, None] ** k * ((-1.0) ** (k + 1) / (b * k - 1.0))).sum(axis=1)
    if hi.any():  # C s^delta - sum_{k>=0} (i/v)^k/(bk + 1)
        vv = v[hi]
        k = np.arange(0, 28)
        z = 1j / vv
        out[hi] = (math.pi * delta / math.sin(math.pi * delta) * np.exp(0.5j * math.pi * delta) * vv**delta
                   - (z[:, None] ** k / (b * k + 1.0)).sum(axis=1))
    if mid.any():  # H(v) = H(1/4) + i int_{1/4}^v w^-delta/(1 + iw) dw, Gauss-Legendre in log w
        vv = v[mid]
        k = np.arange(0, 28)
        r = 0.25
        H0 = 1j * ((-1j) ** k * r ** (k + 1 - delta) / (k + 1 - delta)).sum()
        y, wy = quadrature.legendre(24, math.log(r), np.log(vv))
        w = np.exp(y)
        H = H0 + 1j * (w ** (1.0 - delta) / (1.0 + 1j * w) * wy).sum(axis=-1)
        out[mid] = delta * vv**delta * H
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
    """m1(z) = E[exp(i z V)] = delta int_1^inf v^(-delta-1) e^{izv} dv for complex z with Im z >= 0."""
    z = np.asarray(z, dtype=complex)
    out = np.empty(z.shape, dtype=complex)
    small = np.abs(z) <= 6.0
    if small.any():
        zz = z[small]
        k = np.arange(1, 48)
        c = np.exp(-gammaln(k + 1)) / (k - delta)
        out[small] = (1.0 + delta * gamma_fn(-delta) * (-1j * zz) ** delta
                      - delta * ((1j * zz[:, None]) ** k * c).sum(axis=1))
    big = ~small
    if big.any():
        zz = z[big]
        s, w = quadrature.laguerre(40)
        out[big] = delta * np.exp(1j * zz) * (1j / zz) * (((1.0 + 1j * s / zz[:, None]) ** (-delta - 1.0)) * w).sum(axis=1)
    return out


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
    z0 = u / (1.0 - 1j * u)
    f = m1(z0[:, None] * g[None, :], delta) ** (L - 1)
    lead = _gamma_cf(u, Q)
    fine = lead * (f @ w)
    coarse = lead * (f[:, ::2] @ (2.0 * w[::2]))
    return fine, coarse


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


def coverage(Tp, *, L: int, Q: int, delta: float, conjecture1: bool, rtol: float, atol: float,
             h0: float | None = None):
    """(value, error) of P(S >= T' J) (or with Conjecture 1, P(g W >= T' J)) for the positive
    finite thresholds Tp (1-d).  The step halves until error <= max(rtol value, atol) everywhere
    or _MAX_HALVINGS is reached (then the caller reports the accuracy reached)."""
    a, c = _window(Tp, Q, L, delta)
    h = h0 if h0 is not None else 0.4 / (1.0 + 0.35 * math.sqrt(Q) + 0.15 * L)
    for _ in range(_MAX_HALVINGS + 1):
        u, w = _lattice(a, c, delta, h / 2.0)
        if conjecture1:
            phi_f, phi_c = phi_conjecture1(u, Q, L, delta, h / 2.0 * 0.9 / math.sqrt(Q) * 2.0)
        else:
            phi_f = _gamma_cf(u, Q) * m_exact(u, Q, delta) ** (L - 1)
            phi_c = phi_f
        psi = np.exp(-L * np.log1p(F_imag(u[None, :] * Tp[:, None], delta)))  # (1 + F)^-L, no overflow
        fine = 0.5 + (psi * phi_f).imag @ w / math.pi
        coarse = 0.5 + (psi[:, ::2] * phi_c[::2]).imag @ (2.0 * w[::2]) / math.pi
        # rounding: the terms are O(1) at most; 1e-15 of their absolute sum
        err = np.abs(fine - coarse) + 1e-15 * (np.abs(psi * phi_f) @ w)
        if np.all(err <= np.maximum(rtol * np.abs(fine), atol)):
            break
        h /= 2.0
    return fine, err
