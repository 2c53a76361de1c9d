"""Engines of the radar information rate in normalised units (used by ``sensing``).

Units of x = pi lam r^2 (the distances' images, a unit-rate Poisson process) and unit p_t:
SIR_s = rho S with rho = sigma2 Mr (p_s/p_t) (pi lam)^(beta/2) and S free of every parameter
but (N, Mt, beta), so a rate depends on (lam, p_s, p_t, sigma2, Mr) only through rho.  Every
rate function takes a 1-D array ``rho`` and returns ``(value, error)`` in nats, ``error`` an
estimate of the absolute quadrature error (``_estimate``).

One lattice serves every integral.  With b = beta/2 and step h:
* v = ln x_N (x_N ~ Gamma(N); for N = 1, v = ln x_1 ~ ln Exp(1)), on the grid h Z;
* s = ln(x_N / x_1) (t = x_1/x_N = e^-s ~ Beta(1, N-1)) on h N, and the inner cluster points
  at x = x_N e^-tau, tau on the same grid in (0, s);
* Hamdi's variable (eq. 12) through W = z rho x_N^-b, the echo scale of BS N: ln W on a grid
  of step b h, so that every echo term W (x_N/x)^b = W e^(b tau) is on it too, and
  ln z = ln W + b v - ln rho on a rho-free grid of the same step, so that the interference
  transforms exp(-x_N t G(z, sqrt t) / pi) are computed once for all rho.
Every rule is a trapezoid rule on this lattice (in s and tau with Gregory end corrections at
the finite ends; elsewhere the integrands decay exponentially or faster), so the rules of
step 2h and 4h are subsets of its nodes, and the error estimate costs no new evaluation.
The ranges leave out less than e^-30 of each integral (``_Lattice``).
"""
from __future__ import annotations

import math
from functools import lru_cache
from math import log

import numpy as np
from numba import njit
from scipy.special import bernoulli, erfcx, expit, gammainccinv, gammaln, roots_legendre

from ._hole import hole_exponent, offset_exponent, plane_exponent, tail_exponent

H_V = 0.1  # lattice step h (v and tau) at level 0
H_S = 0.1  # step of sigma, s = A_S ln(1 + e^(sigma / A_S)), at level 0
A_S = 0.2  # grading of s toward 0: ln s has step H_S / A_S there
H_Z = 0.4  # wanted step of the Hamdi integral in ln z (a multiple of b h is used)
K_GREGORY = 8  # order of the end corrections of the inner points' rule on [0, s]
N_SMALL = 16  # Gauss-Legendre nodes of the inner mean when s spans fewer than 2 K nodes
N_PART = 6  # ... of its last, partial lattice step
TAIL = 30.0  # each range leaves out less than e^-TAIL of its integral
STRIDES = (1, 2, 4)  # the fine rule and its two embedded coarser rules


@lru_cache(maxsize=None)
def _gregory(K: int) -> np.ndarray:
    """End corrections d_j (j < K) of the trapezoid rule at a finite end: h (f_0/2 + f_1 + ...)
    + h sum_j d_j f_j integrates polynomials of degree < K exactly there (Euler-Maclaurin:
    sum_j d_j j^p = B_(p+1) / (p+1) for odd p, 0 for even p)."""
    B = bernoulli(K + 1)
    j = np.arange(K, dtype=float)
    V = j[None, :] ** np.arange(K)[:, None]
    V[0] = 1.0
    rhs = np.array([B[p + 1] / (p + 1) if p % 2 else 0.0 for p in range(K)])
    d = np.linalg.solve(V, rhs)
    d.setflags(write=False)
    return d


@lru_cache(maxsize=None)
def _legendre01(n: int):
    x, w = roots_legendre(n)
    return 0.5 * (x + 1.0), 0.5 * w


def _log_echo(lnW, Q: int):
    """ln E[exp(-W f)] = -Q ln(1 + W), f ~ Gamma(Q, 1), from ln W (no overflow)."""
    return -Q * np.logaddexp(0.0, lnW)


class _Lattice:
    """Steps and index ranges shared by every rho of one call (module docstring).

    x_1 below eps = e^-TAIL min(1, rho_min^(1/(2b))) carries less than e^-TAIL of any rate
    here: the rate is at least of the order of P(x_1 < rho^(1/(2b))) (where the echo, which
    grows like x_1^(-2b) relative to the interference, beats it), and the conditional rate
    grows only like ln(1/x_1).  For N >= 2, P(x_N < e^v) ~ e^(2v)/2: half that depth."""

    def __init__(self, rho, Nmax: int, Q: int, beta: float, level: int, many: bool):
        b = 0.5 * beta
        self.b, self.Q = b, Q
        self.h = h = H_V * 2.0**-level
        self.hl = hl = b * h
        self.p = max(1, int(round(H_Z * 2.0**-level / hl)))
        xstar = min(1.0, float(np.min(rho)) ** (0.5 / b))
        ln_eps = log(xstar) - TAIL
        v_hi = log(gammainccinv(max(Nmax, 1), np.exp(-TAIL - 15.0)))
        i_lo = int(np.floor(ln_eps / h))
        self.v = h * np.arange(i_lo, int(np.ceil(v_hi / h)) + 1)
        self.i2 = max(0, int(np.floor(0.5 * (ln_eps - 1.0) / h)) - i_lo) if many else self.v.size
        # s = a ln(1 + e^(sigma/a)): ~ a e^(sigma/a) near 0 (graded: the interference exponent
        # has a boundary layer of width c^(1/beta) at s = 0, where BS 1 meets the disc's edge),
        # ~ sigma beyond; up to where x_1 = x_N e^-s < eps for every x_N of the grid
        self.hs = H_S * 2.0**-level
        if many:
            sig = self.hs * np.arange(int(np.floor(-A_S * TAIL / self.hs)), int(np.ceil((v_hi - ln_eps) / self.hs)) + 1)
        else:
            sig = np.array([-np.inf])
        self.s = A_S * np.logaddexp(0.0, sig / A_S)
        self.ds = expit(sig / A_S)
        self.n_s = self.s.size
        # ln W_l = c + l hl with c = ln rho - b v_0, so that ln z = (l + i) hl (i from 0)
        self.c = np.log(rho) - b * self.v[0]
        # negligible where every echo, W e^(b s) at most, is below e^-TAIL / Q ...
        lw_lo = -TAIL - log(Q) - b * self.s[-1]
        # ... or where exp(-x_1 G(z) / pi) < e^-TAIL for every x_1 >= eps: beyond the disc's
        # scale G(z) > plane(z) / 4 = (pi a B(a, 1-a) / 4) z^(1/b), a B(a, 1-a) >= 1
        lz_hi = b * (log(4.0 * TAIL) - ln_eps) + 1.0
        step = STRIDES[-1] * self.p
        self.l_lo = (np.floor((lw_lo - self.c) / hl / step) * step).astype(int)
        self.l_hi = int(np.ceil(lz_hi / hl / step) * step)
        self.L0 = int(self.l_lo.min())
        self.nL = self.l_hi - self.L0 + 1
        self.nz = self.nL + self.v.size - 1

    def lnz(self):
        """ln z on the interference lattice, index k = (l - L0) + i."""
        return self.hl * (np.arange(self.nz) + self.L0)

    def v_weights(self, N: int, stride: int) -> np.ndarray:
        """Trapezoid weights of E_{x_N}[.] on v (density x^N e^-x / Gamma(N) dv), stride r."""
        v = self.v
        r = stride
        w = r * self.h * np.exp(N * v - np.exp(v) - gammaln(N))
        keep = (np.arange(v.size) % r == 0) & (np.arange(v.size) >= (0 if N == 1 else self.i2))
        return np.where(keep, w, 0.0)

    def s_weights(self, N: int, stride: int) -> np.ndarray:
        """Weights of E_t[.] on s, t = e^-s ~ Beta(1, N-1): density (N-1)(1-e^-s)^(N-2) e^-s ds."""
        s = self.s[::stride]
        return stride * self.hs * self.ds[::stride] * (N - 1) * (-np.expm1(-s)) ** (N - 2) * np.exp(-s)


@njit(cache=True)
def _average_kernel(A, xN, rows, i_lo, i_hi, di, q, out):  # pragma: no cover (compiled)
    """out[n, l, r] = sum_i rows[n, i, r] exp(-xN[i] A[n, l q + i]).  For fixed (n, l) the
    exponent grows with i (xN increasing, A >= 0 increasing in z): stop at exp(-745) = 0."""
    R = rows.shape[2]
    for n in range(A.shape[0]):
        for l in range(out.shape[1]):
            k0 = l * q
            for i in range(i_lo[n], i_hi[n], di):
                e = xN[i] * A[n, k0 + i]
                if e > 745.0:
                    break
                ex = math.exp(-e)
                for r in range(R):
                    out[n, l, r] += rows[n, i, r] * ex


@njit(cache=True)
def _contract_kernel(lnW, s, b, Q, Lm, E, l_off, q, Ns, out):  # pragma: no cover (compiled)
    """out[k] += sum_(j, n) (1 - L_X) E[n, l_off + j, k] for N = Ns[k] at l = j q, L_X from its
    logarithm ln L_X = -Q ln(1 + W) - Q ln(1 + W e^(b s_n)) + (N - 2) Lm[j, n]
    (N = 1: -Q ln(1 + W), n = 0 only)."""
    for j in range(Lm.shape[0]):
        w = lnW[j * q]
        l_end = -Q * (max(w, 0.0) + math.log1p(math.exp(-abs(w))))
        for n in range(Lm.shape[1]):
            e = E[n, l_off + j]
            w1 = w + b * s[n]
            l_two = l_end - Q * (max(w1, 0.0) + math.log1p(math.exp(-abs(w1))))
            for k in range(Ns.size):
                if e[k] == 0.0:
                    continue
                N = Ns[k]
                if N == 1:
                    out[k] -= math.expm1(l_end) * e[k]
                elif N == 2:
                    out[k] -= math.expm1(l_two) * e[k]
                else:
                    out[k] -= math.expm1(l_two + (N - 2) * Lm[j, n]) * e[k]


def _inner_log_mean(lat: _Lattice, lnW, F, ll, s, stride: int):
    """ln m[j, n] for the N - 2 inner cluster points given (x_1, x_N), at l = ll[j] and s = s[n]:
    m = mean over x uniform on (x_1, x_N) of (1 + W (x/x_N)^-b)^-Q, so that
    1 - m = int_0^s F(ln W + b tau) e^-tau dtau / (1 - e^-s), F = 1 - (1 + e^w)^-Q
    (x = x_N e^-tau).  ``F`` holds F on the W lattice (ln W = lnW[l]).  Trapezoid on the tau
    lattice of step stride h, with Gregory corrections at both ends, up to the last lattice
    point below s, and Gauss-Legendre on the partial step; where s spans fewer than 2 K
    lattice steps, Gauss-Legendre on (0, s) (F evaluated off the lattice)."""
    h = stride * lat.h
    b, Q = lat.b, lat.Q
    n0 = np.floor(s / h).astype(int)
    mmax = int(n0.max())
    m = np.arange(mmax + 1)
    X = F[ll[:, None] + stride * m[None, :]] * np.exp(-h * m)[None, :]  # F(ln W + b tau_m) e^-tau_m
    C = np.cumsum(X, axis=1)
    d = _gregory(K_GREGORY)
    K = d.size
    M = np.zeros((ll.size, s.size))
    lw = lnW[ll][:, None, None]

    def gauss(a, c, nodes):  # int_a^c F(ln W + b tau) e^-tau dtau, a and c per column
        x, w = _legendre01(nodes)
        tau = a[:, None] + (c - a)[:, None] * x[None, :]
        Fo = -np.expm1(_log_echo(lw + b * tau[None], Q))
        return (Fo * (np.exp(-tau) * w)[None]).sum(axis=-1) * (c - a)[None, :]

    big = np.flatnonzero(n0 >= 2 * K)
    if big.size:
        nb = n0[big]
        lat_part = C[:, nb] - 0.5 * (X[:, :1] + X[:, nb]) + (X[:, :K] @ d)[:, None]
        for j in range(K):
            lat_part += d[j] * X[:, nb - j]
        M[:, big] = h * lat_part + gauss(h * nb, s[big], N_PART)
    small = np.flatnonzero(n0 < 2 * K)
    if small.size:
        M[:, small] = gauss(np.zeros(small.size), s[small], N_SMALL)
    one_minus_m = M / -np.expm1(-s)[None, :]
    with np.errstate(divide="ignore"):  # m = 0 (every echo saturated): ln m = -inf, L_X = 0
        return np.log1p(-np.minimum(one_minus_m, 1.0))


def _estimate(values):
    """(value, error) from the rules of step h, 2h and 4h: the difference of the two finest,
    times their ratio to the coarser difference (the trapezoid rule converges exponentially
    in 1/h, so each halving gains more than the last: this over-estimates the error of the
    fine rule once it converges), and never below 4 ulp of the value."""
    f, c, cc = values
    d2 = np.abs(f - c)
    d1 = np.abs(c - cc)
    ratio = np.where(d1 > 0, np.minimum(1.0, d2 / np.where(d1 > 0, d1, 1.0)), 1.0)
    return f, np.maximum(d2 * ratio, 4.0 * np.finfo(float).eps * np.abs(f))


def rate_exact(rho, Ns, Q: int, beta: float, level: int = 0):
    """E[ln(1 + rho S)] for each N in ``Ns`` without the derivation's approximations: Hamdi's
    lemma applied conditionally on (x_1, x_N), given which the echo X and the interference Y
    are independent,

      L_X(z | x_1, x_N) = (1 + W e^(b s))^-Q (1 + W)^-Q m^(N-2),  W = z rho x_N^-b,
      L_Y(z | x_1, x_N) = exp(-x_N t G(z, sqrt t) / pi)         (``_hole.offset_exponent``),

    t = x_1/x_N = e^-s, m the inner points' mean (``_inner_log_mean``); N = 1: x_1 = x_N ~
    Exp(1), L_X = (1 + W)^-Q, L_Y = exp(-x_1 G(z, 1) / pi).  1 - L_X is formed from its
    logarithm (expm1), so that small rho keeps its digits.  Returns (value, error) in nats,
    each of shape (len(Ns), len(rho))."""
    rho = np.atleast_1d(np.asarray(rho, dtype=float))
    Ns = [int(N) for N in Ns]
    lat = _Lattice(rho, max(Ns), Q, beta, level, many=max(Ns) > 1)
    lnz = lat.lnz()
    s = lat.s
    t = np.exp(-s)
    A = t[:, None] * offset_exponent(np.exp(lnz)[None, :], np.sqrt(t)[:, None], beta) / np.pi
    return _rates(lat, rho, Ns, A)


def _rates(lat: _Lattice, rho, Ns, A):
    """The exact-rate sums given the interference exponents A[n, k] (module docstring), for
    the three rules of ``STRIDES``; returns ``_estimate`` of them."""
    out = np.zeros((len(STRIDES), len(Ns), rho.size))
    xN = np.exp(lat.v)
    Ns_arr = np.asarray(Ns, dtype=np.int64)
    many = lat.n_s > 1
    b_smax = lat.b * lat.s[-1] if many else 0.0
    for ir, r in enumerate(STRIDES):
        q = r * lat.p
        s_r = lat.s[::r]
        rows = np.zeros((s_r.size, lat.v.size, len(Ns)))
        for j, N in enumerate(Ns):
            if N == 1:
                rows[0, :, j] = lat.v_weights(1, r)
            else:
                rows[:, :, j] = lat.s_weights(N, r)[:, None] * lat.v_weights(N, r)[None, :]
        used = np.any(rows != 0.0, axis=2)
        i_lo = np.where(used.any(axis=1), used.argmax(axis=1), 0).astype(np.int64)
        i_hi = np.where(used.any(axis=1), lat.v.size - used[:, ::-1].argmax(axis=1), 0).astype(np.int64)
        E = np.zeros((s_r.size, (lat.nL - 1) // q + 1, len(Ns)))
        _average_kernel(np.ascontiguousarray(A[::r]), xN, rows, i_lo, i_hi, r, q, E)
        for k in range(rho.size):
            la = lat.l_lo[k]
            nl = lat.l_hi - la + 1
            lnW = lat.c[k] + lat.hl * np.arange(la, la + nl + int(np.ceil(b_smax / lat.hl)) + 1)
            ll = np.arange(0, nl, q)  # l - la; la is a multiple of 4 p
            if many:
                Lm = _inner_log_mean(lat, lnW, -np.expm1(_log_echo(lnW, lat.Q)), ll, s_r, r)
            else:
                Lm = np.zeros((ll.size, 1))
            acc = np.zeros(len(Ns))
            _contract_kernel(lnW, s_r, lat.b, float(lat.Q), Lm, E, (la - lat.L0) // q, q, Ns_arr, acc)
            out[ir, :, k] = q * lat.hl * acc
    return _estimate(out)
