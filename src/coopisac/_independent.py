"""Theorem 1 with the paper's independent distances (eq. 21) by one Gil-Pelaez integral (the
numerics behind ``coverage.theorem1(distances="paper")`` for L >= 2).

Units x_i = pi lam r_i^2, b = beta/2, delta = 1/b, Q = Mt - 1, T' = T p_t/p_c.  Under eq. (21)
the x_i are independent, x_i ~ Gamma(i), and H_1 of eq. (20) takes the interferers beyond r_L.
Given the distances, the n-th term of eq. (19) is exp(-x_L F(n c x_L^-b / S)), c = alpha T'/Q,
S = sum_{i<=L} x_i^-b, F the Laplace exponent of ``_gilpelaez.F_imag``; that is E[e^{-n c J/S}]
for the Exp(1)-faded interference J of a unit-rate process beyond x_L (E[e^{-sJ} | x_L] =
exp(-x_L F(s x_L^-b))).  As for the joint law, sum_n (-1)^(n+1) C(Q, n) a^n = 1 - (1 - a)^Q
makes eq. (19) P(G S >= T' J), G = (Q/alpha) M1, M1 the largest of Q iid Exp(1), and

    P = 1/2 + (1/pi) int_0^inf Im phi(u) du/u,
    phi(u) = E[e^{iu(G S - T'J)}] = E_{x_L}[ D_u(x_L) exp(-x_L F(i u T' x_L^-b)) ],
    D_u(x) = E_G[ e^{i u G x^-b} chi(u G) ],   chi(v) = prod_{i<L} psi_i(v),   psi_i(v) = E[e^{i v X_i^-b}],

X_i ~ Gamma(i) (R = sum_{i<L} X_i^-b is independent of x_L and J: that is the paper's step).
Three one-dimensional rules, all trapezoids of analytic integrands on rotated contours:

- G = (Q/alpha) m with M1's density continued onto the ray arg m = theta = arctan(1/4), in log rho,
  as in ``_gilpelaez.phi_alzer`` (there e^{iuGx^-b} and chi(uG) are bounded by 1: Im(uG) >= 0).
- x_L = u^(1/b) y, so that u G x^-b = G y^-b and u T' x^-b = T' y^-b do not depend on u:
  E[m, y] = exp(i (Q/alpha) m y^-b) is one table for every u, D = M E a matrix product, and per
  threshold only F(i T' y^-b) (one value per y node) and e^{-u^(1/b) y (1 + F)} remain.  y runs
  on the ray arg y = eta = -0.4/b: the x integrand is analytic and bounded for
  -pi/(2b) < arg x < theta/b (below, the pole of the interference integrand at t^b = -iuT' is
  reached; above, e^{iuGx^-b} grows), and eta inside that sector was measured to give the
  fastest convergence of the trapezoid in log |y| (the lower edge is a singularity, the upper
  one only a bound).
- psi_i on the ray arg v = theta: X = r e^{-i varphi}, varphi = (pi/2 - theta)/b, turns
  e^{ivX^-b} into e^{-|v| r^-b} (the sector between is free of singularities and the integrand
  decays at both ends), so psi_i(v) = e^{-i i varphi}/(i-1)! int r^i exp(-r e^{-i varphi} - |v| r^-b)
  d log r, a smooth bump.  It is tabulated on a uniform grid of log|v| (step 0.01) and
  interpolated (12-point Lagrange); chi is analytic in the strip |arg v - theta| < theta.

Error estimate: the u rule against its even nodes (as ``_gilpelaez``), the m and y rules against
their even nodes, a bound on the interpolation (the change to an 8-point rule, times the
absolute sums it multiplies), and rounding.
"""
from __future__ import annotations

import cmath
import math
from functools import lru_cache

import numpy as np
from numba import njit
from scipy.special import gammaln

from . import _gilpelaez as gp

__all__ = ["coverage"]

_THETA = math.atan(gp._TAN_ALZER)  # the ray of M1 (and of v = uG)
_ETA_B = -0.4  # arg y times b (measured best between the two edges of the sector, -pi/2 and theta)
_HS_B = 0.1  # step in log|y| times b: the coarse rule (0.2/b) meets 1e-10 from beta = 2.05 to 8
_H_M = 0.03  # step in log rho of the M1 rule: the coarse one (0.06) misses by exp(-2 pi theta/0.06) ~ 7e-12
_HT = 0.01  # table step in log|v| of chi
_P, _P_CHECK = 12, 8  # interpolation points, and the smaller rule that estimates its error
_CUT = 35.0  # chi = 1 below log|v| = -35 b (1 - psi_1 ~ |v|^delta < e^-35 there)
_DEPTH = 40.0  # the y window holds every node within e^-40 of the largest
_DEPTH_M = 32.0  # the same for the M1 rule


@njit(cache=True)
def _psi_kernel(lv, imax, b, h, out):  # pragma: no cover (compiled)
    """out[k] = prod_{i=1..imax} psi_i(e^{lv[k]} e^{i theta}) by the rotated trapezoid (module docstring)."""
    vphi = (0.5 * math.pi - _THETA) / b
    rot = cmath.exp(-1j * vphi)
    cphi = math.cos(vphi)
    lg = np.zeros(imax + 1)
    for i in range(2, imax + 1):
        lg[i] = lg[i - 1] + math.log(i - 1)
    acc = np.zeros(imax, dtype=np.complex128)
    for k in range(lv.size):
        va = math.exp(lv[k])
        # window in t = log r: the bump r^i exp(-r cos(varphi) - |v| r^-b) within e^-42 of its top
        tpk = math.log(max(b * va / cphi, 1e-300)) / (b + 1.0)
        t_lo = max(-45.0, min(tpk, (lv[k] - math.log(50.0)) / b))
        t_hi = max(math.log((50.0 + 3.0 * imax) / cphi), tpk + 3.0)
        n = int((t_hi - t_lo) / h) + 1
        for i in range(imax):
            acc[i] = 0.0
        for j in range(n):
            t = t_lo + j * h
            r = math.exp(t)
            e = cmath.exp(-r * rot - va * math.exp(-b * t))
            p = e
            for i in range(imax):  # r^(i+1) e, i = 0..imax-1
                p = p * r
                acc[i] += p
        prod = 1.0 + 0.0j
        for i in range(imax):
            prod *= acc[i] * h * cmath.exp(-1j * vphi * (i + 1) - lg[i + 1])
        out[k] = prod


@njit(cache=True)
def _interp_kernel(tab, t0, h, x, p, q, out_p, out_q):  # pragma: no cover (compiled)
    """Local Lagrange interpolation of tab (grid t0 + j h) at x, with p and with q < p points
    (barycentric weights of equispaced nodes, (-1)^(m-1-a) / (a! (m-1-a)!))."""
    n = tab.size
    for k in range(x.size):
        s = (x[k] - t0) / h
        for which in range(2):
            m = p if which == 0 else q
            j0 = min(max(int(math.floor(s)) - m // 2 + 1, 0), n - m)
            d = s - j0
            prod = 1.0
            hit = -1
            for a in range(m):
                if d == a:
                    hit = a
                prod *= d - a
            if hit >= 0:
                acc = tab[j0 + hit]
            else:
                acc = 0.0 + 0.0j
                c = 1.0  # 1 / (a! (m-1-a)!) with the sign, updated along a
                for a in range(1, m):
                    c /= a
                if (m - 1) % 2 == 1:
                    c = -c
                for a in range(m):
                    acc += c / (d - a) * tab[j0 + a]
                    c *= -(m - 1 - a) / (a + 1.0)
                acc *= prod
            if which == 0:
                out_p[k] = acc
            else:
                out_q[k] = acc


@njit(cache=True)
def _threshold_kernel(A, Ac, A0, j0, k0, U, cs, out):  # pragma: no cover (compiled)
    """For one threshold, per u: out[u] = (sum_k A e, sum_k Ac e, sum over even y nodes of 2 A e,
    sum_k |A0| |e|), e = exp(-U[u] cs[j0[u] + k]), k from k0[u] (the window's live part) on."""
    nu, nk = A.shape
    for iu in range(nu):
        f = 0.0 + 0.0j
        fc = 0.0 + 0.0j
        fs = 0.0 + 0.0j
        ab = 0.0
        for k in range(k0[iu], nk):
            j = j0[iu] + k
            z = U[iu] * cs[j]
            mag = math.exp(-z.real)
            e = complex(mag * math.cos(z.imag), -mag * math.sin(z.imag))
            f += A[iu, k] * e
            fc += Ac[iu, k] * e
            if j % 2 == 0:
                fs += A[iu, k] * e
            ab += A0[iu, k] * mag
        out[iu, 0] = f
        out[iu, 1] = fc
        out[iu, 2] = 2.0 * fs
        out[iu, 3] = ab


@lru_cache(maxsize=16)
def _chi_table(L: int, b: float):
    """(t0, table) of chi(e^t e^{i theta}) on t = t0 + j _HT from t = -_CUT b (chi = 1 below, to
    e^-35) up to where |chi| has stayed below 1e-30 for a unit of t (0 beyond: chi is a
    characteristic function on a ray into the upper half-plane, decaying there)."""
    vphi = (0.5 * math.pi - _THETA) / b
    # the bump's step: its strip in log r is min(pi/(2b), pi/2 - varphi) wide; e^-45 per period
    h_t = 2.0 * math.pi * min(0.5 * math.pi / b, 0.5 * math.pi - vphi) / 45.0
    t0 = -_CUT * b - (_P + 1) * _HT
    parts, start, chunk = [], t0, 2000
    while True:
        grid = start + _HT * np.arange(chunk)
        vals = np.ones(chunk, dtype=complex)
        live = grid >= -_CUT * b
        out = np.empty(int(live.sum()), dtype=complex)
        _psi_kernel(grid[live], L - 1, float(b), h_t, out)
        vals[live] = out
        parts.append(vals)
        start += _HT * chunk
        if np.all(np.abs(vals[-int(1.0 / _HT):]) < 1e-30):
            break
    tab = np.concatenate(parts + [np.zeros(_P + 2, dtype=complex)])
    tab.setflags(write=False)
    return t0, tab


def _chi(lv, L, b):
    """(chi at _P points, chi at the check rule) at log|v| = lv (any shape), from the table."""
    if L == 1:
        one = np.ones(lv.shape, dtype=complex)
        return one, one
    t0, tab = _chi_table(L, float(b))
    # below the table chi is 1 and beyond it 0: clamp, so that no polynomial is extrapolated
    x = np.clip(np.ascontiguousarray(lv, dtype=float).ravel(), t0 + _P * _HT, t0 + (tab.size - _P) * _HT)
    cp, cq = np.empty(x.size, dtype=complex), np.empty(x.size, dtype=complex)
    _interp_kernel(tab, t0, _HT, x, _P, _P_CHECK, cp, cq)
    return cp.reshape(lv.shape), cq.reshape(lv.shape)


def _gp_sum(Tp, u, w, *, L, Q, delta, alpha, h_r, h_s):
    """(value, (err_u, err_m, err_y, err_chi + rounding)) of the Gil-Pelaez sum on the u nodes (u, w)."""
    b = 1.0 / delta
    k0 = Q / alpha
    ray = complex(math.cos(_THETA), math.sin(_THETA))
    lu = np.log(u)
    U = u**delta
    # m rule: every node within e^-32 of the largest weight (|chi|, |E| <= 1; the weights fall
    # geometrically beyond, so the nodes left out sum to less than e^-32/(Q h_r) < 1e-12)
    yr = np.arange(-60.0, 8.0, h_r)
    m = np.exp(yr) * ray
    lf = gp._log_max_density(m, Q) + np.log(m)
    keep = np.flatnonzero(lf.real >= lf.real.max() - _DEPTH_M)
    keep = np.arange(keep[0] - keep[0] % 2, keep[-1] + 1)  # start on an even node: the coarse rule keeps it
    yr, m, wm = yr[keep], m[keep], np.exp(lf[keep]) * h_r
    chi, chi_q = _chi(lu[:, None] + math.log(k0) + yr[None, :], L, b)
    M = wm[None, :] * chi
    live_m = np.abs(M) > 1e-18 * np.abs(wm).max()  # chi has decayed beyond (large u G)
    # interpolation: |delta D| <= sum |wm| |delta chi| (|E| <= 1)
    dM = (np.abs(wm)[None, :] * np.abs(chi - chi_q)).sum(axis=1)
    # y rule: the Gamma(L) density of x = U y on the ray, within e^-40 of its top
    eta = _ETA_B * delta
    ry = complex(math.cos(eta), math.sin(eta))
    lx = np.arange(-60.0, 8.0, 0.01)
    g = L * lx - np.exp(lx) * math.cos(eta)
    inside = lx[g >= g.max() - _DEPTH]
    x_lo, x_hi = inside[0] - h_s, inside[-1] + h_s
    n_win = int(math.ceil((x_hi - x_lo) / h_s)) + 2
    ls0 = x_lo - lu.max() * delta
    j0 = np.floor((x_lo - lu * delta - ls0) / h_s).astype(np.int64)
    n_s = int(j0.max()) + n_win
    ls = ls0 + h_s * np.arange(n_s)
    y = np.exp(ls) * ry
    yb = np.exp(-b * ls) * (ry ** -b)  # y^-b
    # E[m, y] = exp(i k0 m y^-b): arg(i m y^-b) = pi/2 + theta - b eta lies in (pi/2, pi), so |E| <= 1
    with np.errstate(under="ignore"):
        E = np.exp(1j * k0 * m[:, None] * yb[None, :])
    # per u, the leading y nodes where every term of D is below e^-45 (|E| at the smallest live m)
    damp = -(1j * ray * ry ** -b).real * k0  # |E| = exp(-damp rho |y|^-b)
    rho_min = np.exp(yr[np.argmax(live_m, axis=1)])
    ls_min = (np.log(damp * rho_min / 45.0) / b)  # below this log|y| every |E| < e^-45
    kstart = np.clip(np.ceil((ls_min - ls[j0]) / h_s), 0, n_win - 1).astype(np.int64)
    A = np.zeros((u.size, n_win), dtype=complex)
    Ac = np.zeros_like(A)
    A0 = np.zeros((u.size, n_win))
    start = 0
    while start < u.size:  # runs of consecutive u whose y windows overlap by half or more
        stop = start + 1
        while stop < u.size and stop - start < 64 and abs(j0[stop] - j0[start]) <= n_win // 2:
            stop += 1
        rows = np.arange(start, stop)
        start = stop
        lo, hi = int(j0[rows].min() + kstart[rows].min()), int(j0[rows].max()) + n_win
        cols = np.flatnonzero(live_m[rows].any(axis=0))
        if cols.size == 0:
            continue
        c0, c1 = cols[0], cols[-1] + 1
        D = M[rows, c0:c1] @ E[c0:c1, lo:hi]
        ev = np.arange(c0 + c0 % 2, c1, 2)  # the coarse rule: even nodes, twice the weight
        Dc = 2.0 * (M[rows][:, ev] @ E[ev, lo:hi])
        idx = np.clip((j0[rows] - lo)[:, None] + np.arange(n_win)[None, :], 0, hi - lo - 1)
        # w_s (U y)^L / (L-1)!: the Gamma(L) density in d log|y|
        lw = L * (np.log(U[rows])[:, None] + ls[j0[rows][:, None] + np.arange(n_win)] + 1j * eta) - gammaln(L)
        a0 = np.exp(lw) * h_s
        a0[np.arange(n_win)[None, :] < kstart[rows][:, None]] = 0.0
        A0[rows] = np.abs(a0)
        A[rows] = a0 * np.take_along_axis(D, idx, axis=1)
        Ac[rows] = a0 * np.take_along_axis(Dc, idx, axis=1)
    # per threshold (F at the rotated arguments; imported here: coverage imports this module)
    from .coverage import _phi

    beta = 2.0 * b
    out = np.empty((u.size, 4), dtype=complex)
    value = np.empty(Tp.size)
    errs = np.empty((4, Tp.size))
    for k, t in enumerate(Tp):
        cs = y * (1.0 + _phi(1j * t * yb, beta))
        _threshold_kernel(A, Ac, A0, j0, kstart, U, cs, out)
        f, fc, fs, ab = out[:, 0].imag, out[:, 1].imag, out[:, 2].imag, out[:, 3].real
        value[k] = 0.5 + f @ w / math.pi
        errs[0, k] = abs(f @ w - 2.0 * (f[::2] @ w[::2])) / math.pi
        errs[1, k] = abs((f - fc) @ w) / math.pi
        errs[2, k] = abs((f - fs) @ w) / math.pi
        errs[3, k] = (dM * ab) @ w / math.pi + 1e-15 * (np.abs(out[:, 0]) @ w)
    return value, errs


def coverage(Tp, *, L: int, Q: int, delta: float, alpha: float, rtol: float, atol: float):
    """(value, error) of Theorem 1 with the independent distances for the thresholds T' (1-d,
    positive, finite), in the groups of ``_gilpelaez.coverage``."""
    value, error = np.empty(Tp.shape), np.empty(Tp.shape)
    for idx in gp.groups(Tp, gp._GROUP_SPAN * 3.0):
        value[idx], error[idx] = _coverage_group(Tp[idx], L=L, Q=Q, delta=delta, alpha=alpha, rtol=rtol, atol=atol)
    return value, error


def _coverage_group(Tp, *, L: int, Q: int, delta: float, alpha: float, rtol: float, atol: float,
                    h0: float | None = None, h_r: float | None = None, h_s: float | None = None):
    """(value, error) for one group; the step of whichever rule misses a quarter of the target
    halves (at most _gilpelaez._MAX_HALVINGS times; the caller reports the accuracy reached)."""
    a, c = gp._window(Tp, Q, L, delta)
    h = h0 if h0 is not None else gp._initial_step(Q, L)
    h_r = h_r if h_r is not None else _H_M
    h_s = h_s if h_s is not None else _HS_B * delta
    passes = []
    for _ in range(gp._MAX_HALVINGS + 1):
        u, w = gp._lattice(a, c, delta, h / 2.0)
        value, (e_u, e_m, e_y, e_r) = _gp_sum(Tp, u, w, L=L, Q=Q, delta=delta, alpha=alpha, h_r=h_r, h_s=h_s)
        err = e_u + e_m + e_y + e_r
        tol = np.maximum(rtol * np.abs(value), atol)
        if np.all(err <= tol):
            break
        # not converged yet: the spread of the values over the passes so far counts too
        passes.append(value)
        err = np.maximum(err, np.ptp(np.array(passes), axis=0))
        miss = lambda e: bool(np.any(e > 0.25 * tol))
        if miss(e_m):
            h_r /= 2.0
        if miss(e_y):
            h_s /= 2.0
        if miss(e_u) or not (miss(e_m) or miss(e_y)):
            h /= 2.0
    return value, err
