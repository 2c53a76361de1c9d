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
from scipy.special import bernoulli, beta as beta_fn, betainc, comb, erfcx, expit, gammainccinv, gammaln, roots_legendre

from ._hole import hole_exponent, offset_exponent, plane_exponent, tail_exponent

H_V = 0.1  # lattice step h (v and tau) at level 0
H_S = 0.1  # step of sigma, s = A_S ln(1 + e^(sigma / A_S)), at level 0
A_S = 0.2  # grading of s toward 0: ln s has step H_S / A_S there
H_Z = 0.4  # wanted step of the Hamdi integral in ln z (a multiple of b h is used)
H_W = 0.2  # largest lattice step of ln W (b h): at 0.4 (beta = 8) the step-h rule erred by 9e-8 with
# its stride estimate at 4e-9 (N = 16, Mt = 64, rho = 1e6, against tests/reference/theorem2_mpmath.py)
K_GREGORY = 8  # order of the end corrections of the inner points' rule on [0, s]
N_SMALL = 16  # Gauss-Legendre nodes of the inner mean when s spans fewer than 2 K nodes
TAIL = 30.0  # each range leaves out less than e^-TAIL of its integral
STRIDES = (1, 2, 4)  # the fine rule and its two embedded coarser rules
LEVEL_MAX = 2  # automatic refinement halves every step at most twice


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
        self.h = h = min(H_V, H_W / b) * 2.0**-level
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
        self.lw_min = -TAIL - log(Q)
        lw_lo = self.lw_min - b * self.s[-1]
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
def _average_kernel(A, xN, rows, i_lo, i_hi, di, q, l_first, out):  # pragma: no cover (compiled)
    """out[n, l, r] = sum_i rows[n, i, r] exp(-xN[i] A[n, l q + i]) for l >= l_first[n] (below,
    no rate uses it: every echo is negligible there).  For fixed (n, l) the exponent grows with
    i (xN increasing, A >= 0 increasing in z): stop at exp(-745) = 0.  The sums over r run in a
    local accumulator (no aliasing with rows: vectorised)."""
    R = rows.shape[2]
    acc = np.empty(R)
    flat = np.empty(R)
    for n in range(A.shape[0]):
        # where even the largest exponent is below 1e-17 every exp(-e) rounds to 1: the plain
        # sum of the rows (same order of additions)
        flat[:] = 0.0
        for i in range(i_lo[n], i_hi[n], di):
            for r in range(R):
                flat[r] += rows[n, i, r]
        i_last = i_lo[n] + ((i_hi[n] - 1 - i_lo[n]) // di) * di
        for l in range(l_first[n], out.shape[1]):
            k0 = l * q
            if i_hi[n] > i_lo[n] and xN[i_last] * A[n, k0 + i_last] < 1e-17:
                out[n, l, :] = flat
                continue
            acc[:] = 0.0
            for i in range(i_lo[n], i_hi[n], di):
                e = xN[i] * A[n, k0 + i]
                if e > 745.0:
                    break
                ex = math.exp(-e)
                row = rows[n, i]
                for r in range(R):
                    acc[r] += row[r] * ex
            out[n, l, :] = acc


@njit(cache=True)
def _band(lnW, s, b, lw_min, E, l_off, q, nj, j0, j1):  # pragma: no cover (compiled)
    """The W indices j0[n] <= j < j1[n] that carry the exact-rate sum at s = s[n]: below j0
    every echo is under e^-TAIL / Q (ln(W e^(b s_n)) < lw_min), from j1 on the interference
    transform E[n, l_off + j] underflowed for every N."""
    for n in range(s.size):
        a = 0
        while a < nj and lnW[a * q] + b * s[n] < lw_min:
            a += 1
        z = nj
        while z > a:
            zero = True
            for k in range(E.shape[2]):
                if E[n, l_off + z - 1, k] != 0.0:
                    zero = False
                    break
            if not zero:
                break
            z -= 1
        j0[n], j1[n] = a, z


@njit(cache=True, inline="always")
def _one_minus_echo(w, Q):  # pragma: no cover (compiled)
    """F(w) = 1 - (1 + e^w)^-Q (``_log_echo``, expm1: no cancellation for small e^w)."""
    return -math.expm1(-Q * (max(w, 0.0) + math.log1p(math.exp(-abs(w)))))


@njit(cache=True)
def _tau_sums(F, ll, stride, h, X, C):  # pragma: no cover (compiled)
    """X[m, j] = F(ln W_(ll[j]) + b tau_m) e^-tau_m on the tau lattice (tau_m = m h, the W
    index advancing by ``stride``) and its running sums C[m, j]: the lattice part of every
    inner mean of W index j, whatever s (``_inner_integral``).  Stored by m: a kernel running
    over j at fixed s reads consecutive memory."""
    for m in range(X.shape[0]):
        decay = math.exp(-h * m)
        for j in range(ll.size):
            X[m, j] = F[ll[j] + stride * m] * decay
            C[m, j] = X[m, j] if m == 0 else C[m - 1, j] + X[m, j]


@njit(cache=True, inline="always")
def _inner_integral(X, C, j, sn, w0, f_end, e_s, b, Q, h, d, xg, wg, gn):  # pragma: no cover (compiled)
    """int_0^sn F(w0 + b tau) e^-tau dtau, F(w) = 1 - (1 + e^w)^-Q, w0 = ln W_j, f_end =
    F(w0 + b sn), e_s = e^-sn (``_inner_integral_table``).  s spanning 2 K lattice steps or
    more: trapezoid on the lattice up to its last point below s (running sums), Gregory
    corrections of order K at both ends, and the trapezoid on the tiny partial step.  Shorter s: Gauss-Legendre on (0, s) with
    2, 4, 8 or 16 nodes (xg, wg: rows of the rules, gn their sizes), as few as keep the relative
    error below 1e-16: F(w0 + b tau) is singular pi/b off the real tau axis, so the n-node rule
    converges like r^-2n with r ~ 4 pi / (b s): r^-4 < 1e-16 for b s < 1e-3, r^-8 < 1e-20 for
    b s < 0.04, r^-16 < 1e-20 for b s < 0.7."""
    K = d.size
    k = int(math.floor(sn / h))
    if k >= 2 * K:
        lat = C[k, j] - 0.5 * (X[0, j] + X[k, j])
        for i in range(K):
            lat += d[i] * (X[i, j] + X[k - i, j])
        # the partial step is tiny (sigma and tau share the lattice, s - sigma < h e^-8)
        return h * lat + 0.5 * (sn - h * k) * (X[k, j] + f_end * e_s)
    g = 0 if b * sn < 1e-3 else (1 if b * sn < 0.04 else (2 if b * sn < 0.7 else 3))
    M = 0.0
    for i in range(gn[g]):
        tau = sn * xg[g, i]
        M += wg[g, i] * _one_minus_echo(w0 + b * tau, Q) * math.exp(-tau)
    return M * sn


@njit(cache=True)
def _inner_table(X, C, lnW, ll, s, b, Q, h, d, xg, wg, gn, out):  # pragma: no cover (compiled)
    """out[n, j] = ``_inner_integral`` at s[n] and ln W = lnW[ll[j]], every (n, j)."""
    for n in range(s.size):
        for j in range(ll.size):
            w0 = lnW[ll[j]]
            out[n, j] = _inner_integral(X, C, j, s[n], w0, _one_minus_echo(w0 + b * s[n], Q), math.exp(-s[n]), b, Q, h, d,
                                         xg, wg, gn)


@njit(cache=True)
def _contract_kernel(lnW, s, b, Q, X, C, h, d, xg, wg, gn, E, l_off, q, Ns, j0, j1, out):  # pragma: no cover
    """out[k] += sum_(j, n) (1 - L_X) E[n, l_off + j, k] for N = Ns[k] at l = j q, over the band
    j0[n] <= j < j1[n] (``_band``): L_X = (1 + W)^-Q (1 + W e^(b s_n))^-Q m^(N-2) (N = 1:
    (1 + W)^-Q, n = 0 only), 1 - m = ``_inner_integral`` / (1 - e^-s_n) (X, C from
    ``_tau_sums``).  1 - L_X for every N from one recurrence of positive terms,
    1 - L_N = (1 - L_(N-1)) + L_(N-1) (1 - m), L_N = L_(N-1) m, started at N = 2 from expm1 of
    the logarithm: no cancellation when rho is small.  L_X falls with W: from the first j where
    its echo factors are below e^-40, 1 - L_X = 1 in double precision for every N, and the rest
    of the band is a plain sum of E."""
    n_max = 2
    for k in range(Ns.size):
        n_max = max(n_max, Ns[k])
    one_minus = np.empty(n_max + 1)
    # ln (1 + W)^-Q and its 1 - ., per W index (shared by every s)
    j_all = 0
    for n in range(s.size):
        j_all = max(j_all, j1[n])
    l_end = np.empty(j_all)
    u_end = np.empty(j_all)
    for j in range(j_all):
        w = lnW[j * q]
        l_end[j] = -Q * (max(w, 0.0) + math.log1p(math.exp(-abs(w))))
        u_end[j] = -math.expm1(l_end[j])
    single = False  # N = 1 in Ns: at n = 0 its one echo factor decides saturation
    for k in range(Ns.size):
        single = single or Ns[k] == 1
    for n in range(s.size):
        sn = s[n]
        span = -math.expm1(-sn)
        e_s = math.exp(-sn)
        for j in range(j0[n], j1[n]):
            e = E[n, l_off + j]
            w1 = lnW[j * q] + b * sn
            l_far = -Q * (max(w1, 0.0) + math.log1p(math.exp(-abs(w1))))
            l_two = l_end[j] + l_far
            if (l_end[j] if single and n == 0 else l_two) < -40.0:
                for jj in range(j, j1[n]):
                    e = E[n, l_off + jj]
                    for k in range(Ns.size):
                        out[k] += e[k]
                break
            one_minus[1] = u_end[j]
            one_minus[2] = -math.expm1(l_two)
            if n_max > 2:
                M = _inner_integral(X, C, j, sn, lnW[j * q], -math.expm1(l_far), e_s, b, Q, h, d, xg, wg, gn)
                om = min(M / span, 1.0)  # m = 0: every echo saturated
                m = 1.0 - om
                L = 1.0 - one_minus[2]  # where L is small only its absolute error counts
                for N in range(3, n_max + 1):
                    one_minus[N] = one_minus[N - 1] + L * om
                    L *= m
            for k in range(Ns.size):
                out[k] += one_minus[Ns[k]] * e[k]


@lru_cache(maxsize=None)
def _small_rules():
    """Gauss-Legendre rules of 2, 4, 8 and 16 nodes on (0, 1) as rows (``_inner_integral``)."""
    gn = np.array([2, 4, 8, N_SMALL], dtype=np.int64)
    xg, wg = np.zeros((gn.size, N_SMALL)), np.zeros((gn.size, N_SMALL))
    for g, n in enumerate(gn):
        xg[g, :n], wg[g, :n] = _legendre01(int(n))
    return xg, wg, gn


def _tau_tables(lat: _Lattice, F, ll, s, stride: int):
    """(X, C) of ``_tau_sums`` up to the longest s (step stride h)."""
    h = stride * lat.h
    top = int(np.floor(float(np.max(s)) / h)) + 1
    X, C = np.empty((top, ll.size)), np.empty((top, ll.size))
    _tau_sums(F, ll.astype(np.int64), stride, h, X, C)
    return X, C


def _inner_integral_table(lat: _Lattice, lnW, F, ll, s, stride: int):
    """The inner cluster points' integral M[n, j] = int_0^s F(ln W + b tau) e^-tau dtau at
    l = ll[j] and s = s[n], so that the mean over x uniform on (x_1, x_N) of
    (1 + W (x/x_N)^-b)^-Q is m = 1 - M / (1 - e^-s) (x = x_N e^-tau, F = 1 - (1 + e^w)^-Q);
    ``F`` holds F on the W lattice (ln W = lnW[l]).  The rule: ``_inner_integral`` (the exact
    rate evaluates it inside ``_contract_kernel``, over the band it needs only)."""
    X, C = _tau_tables(lat, F, ll, s, stride)
    xg, wg, gn = _small_rules()
    out = np.empty((s.size, ll.size))
    _inner_table(X, C, lnW, ll.astype(np.int64), s, lat.b, float(lat.Q), stride * lat.h, _gregory(K_GREGORY), xg, wg, gn, out)
    return out


FLOOR = 1e-10  # relative error of what the strides do not refine (module docstring of _estimate)


def _estimate(values):
    """(value, error) from the rules of step h, 2h and 4h: the difference of the two finest,
    times their ratio to the coarser difference (the trapezoid rule converges exponentially
    in 1/h, so each halving gains more than the last: this over-estimates the error of the
    fine rule once it converges), plus FLOOR relative for what the strides leave fixed: the
    ranges (each leaves out e^-TAIL), the interference exponent G (relative 1e-11 against
    mpmath) and the inner points' Gauss rules; the tests check it against references."""
    f, c, cc = values
    d2 = np.abs(f - c)
    d1 = np.abs(c - cc)
    ratio = np.where(d1 > 0, np.minimum(1.0, d2 / np.where(d1 > 0, d1, 1.0)), 1.0)
    return f, d2 * ratio + FLOOR * np.abs(f)


def rate_exact(rho, Ns, Q: int, beta: float, level: int = 0):
    """E[ln(1 + rho S)] for each N in ``Ns`` without the derivation's approximations: Hamdi's
    lemma applied conditionally on (x_1, x_N), given which the echo X and the interference Y
    are independent,

      L_X(z | x_1, x_N) = (1 + W e^(b s))^-Q (1 + W)^-Q m^(N-2),  W = z rho x_N^-b,
      L_Y(z | x_1, x_N) = exp(-x_N t G(z, sqrt t) / pi)         (``_hole.offset_exponent``),

    t = x_1/x_N = e^-s, m the inner points' mean (``_inner_integral_table``); N = 1: x_1 = x_N ~
    Exp(1), L_X = (1 + W)^-Q, L_Y = exp(-x_1 G(z, 1) / pi).  1 - L_X is formed from its
    logarithm (expm1), so that small rho keeps its digits.  Returns (value, error) in nats,
    each of shape (len(Ns), len(rho))."""
    rho = np.atleast_1d(np.asarray(rho, dtype=float))
    Ns = [int(N) for N in Ns]
    lat = _Lattice(rho, max(Ns), Q, beta, level, many=max(Ns) > 1)
    lnz = lat.lnz()
    s = lat.s
    t = np.exp(-s)
    z = np.exp(lnz)
    A = np.empty((s.size, z.size))
    rows = max(1, int(3e4 // z.size))  # chunks of rows: the rule keeps ~200 nodes per element
    for i in range(0, s.size, rows):
        sl = slice(i, i + rows)
        A[sl] = t[sl, None] * offset_exponent(z[None, :], np.sqrt(t[sl])[:, None], beta) / np.pi
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
        # the first l any rho's band (``_band``) reaches at each s: ln W_j + b s >= lw_min with
        # ln W_j = c + hl (l_lo + j q), E index (l_lo - L0) / q + j (one lower for rounding)
        j0 = np.ceil((lat.lw_min - lat.b * s_r[:, None] - lat.c[None, :] - lat.hl * lat.l_lo[None, :]) / (lat.hl * q))
        l_first = np.min((lat.l_lo - lat.L0)[None, :] // q + np.maximum(j0, 0.0), axis=1) - 1
        l_first = np.clip(l_first, 0, E.shape[1]).astype(np.int64)
        _average_kernel(np.ascontiguousarray(A[::r]), xN, rows, i_lo, i_hi, r, q, l_first, E)
        for k in range(rho.size):
            la = lat.l_lo[k]
            nl = lat.l_hi - la + 1
            lnW = lat.c[k] + lat.hl * np.arange(la, la + nl + int(np.ceil(b_smax / lat.hl)) + 1)
            ll = np.arange(0, nl, q)  # l - la; la is a multiple of 4 p
            l_off = (la - lat.L0) // q
            j0 = np.empty(s_r.size, np.int64)
            j1 = np.empty(s_r.size, np.int64)
            _band(lnW, s_r, lat.b, lat.lw_min, E, l_off, q, ll.size, j0, j1)
            inner = many and Ns_arr.max() > 2
            F = -np.expm1(_log_echo(lnW, lat.Q))
            X, C = _tau_tables(lat, F, ll, s_r, r) if inner else (np.zeros((1, 1)), np.zeros((1, 1)))
            acc = np.zeros(len(Ns))
            _contract_kernel(lnW, s_r, lat.b, float(lat.Q), X, C, r * lat.h, _gregory(K_GREGORY), *_small_rules(),
                             E, l_off, q, Ns_arr, j0, j1, acc)
            out[ir, :, k] = q * lat.hl * acc
    value, error = _estimate(out)
    # the echo band leaves out where every echo W e^(b s) is below e^-TAIL / Q: there
    # 1 - L_X <= N Q W e^(b s) (one term per echo), which integrates over ln W to at most
    # N e^-TAIL nats, whatever the rate: an absolute bound (at rho = 1e-12, beta = 2.05, N = 16,
    # Mt = 64 the rate is 5.7e-6 and this part 2.8e-13, 5e-8 of it)
    return value, error + np.asarray(Ns, dtype=float)[:, None] * math.exp(-TAIL)


def rate_single(rho, Q: int, beta: float, A1, level: int = 0):
    """N = 1 given the interference exponent on the z lattice: E_x[int dz/z (1 - (1 + z rho
    x^-b)^-Q) exp(-x A1(z))], x = x_1 ~ Exp(1); ``A1(lnz)`` returns A1 on ln z.  Returns
    (value, error) in nats, shape (len(rho),)."""
    rho = np.atleast_1d(np.asarray(rho, dtype=float))
    lat = _Lattice(rho, 1, Q, beta, level, many=False)
    v, e = _rates(lat, rho, [1], np.asarray(A1(lat.lnz()), dtype=float)[None, :])
    return v[0], e[0]


def rate_proposition2(rho, Q: int, beta: float, hole: bool, level: int = 0):
    """Eq. (17) with the corrections listed in ``sensing.proposition2``, in units of x, nats:

      R = int dz/z (1 - (1 + z rho)^-Q) E_x[exp(-x^2 (2/beta) z^(2/beta) B + (x/pi) J(z x^b))],

    x = pi lam r_1^2 ~ Exp(1), b = beta/2, J the hole integral (``_hole.hole_exponent``).
    With the hole, the substitution z = zeta x^-b (for each x) turns the exponent into
    (x/pi)(plane(zeta) - J(zeta)): ``rate_single``.  Without it, E_x has a closed form
    (erfcx), and the z integral is a trapezoid rule in ln z (strides 1, 2, 4 for the error).
    Returns (value, error), shape (len(rho),)."""
    rho = np.atleast_1d(np.asarray(rho, dtype=float))
    if hole:
        return rate_single(rho, Q, beta, lambda lnz: (plane_exponent(np.exp(lnz), beta) - hole_exponent(np.exp(lnz), beta)) / np.pi, level)
    hz = H_Z * 2.0**-level
    # from Q rho z = e^-TAIL up to E_x[...] ~ z^(-1/beta) = e^-TAIL
    lo = -TAIL - np.log(Q * rho)
    n = int(np.ceil((TAIL * beta + TAIL + np.log(Q * rho.max()) + 10.0) / hz / 4.0)) * 4 + 1
    u = lo[:, None] + hz * np.arange(n)[None, :]
    a = plane_exponent(np.exp(u), beta) / np.pi  # x^2 a = x^2 (2/beta) z^(2/beta) B
    # E[exp(-a x^2)], x ~ Exp(1): int_0^inf e^(-x - a x^2) dx = sqrt(pi/a)/2 erfcx(1/(2 sqrt a))
    LY = 0.5 * np.sqrt(np.pi / a) * erfcx(0.5 / np.sqrt(a))
    g = -np.expm1(_log_echo(u + np.log(rho)[:, None], Q)) * LY
    return _estimate([r * hz * g[:, ::r].sum(axis=1) for r in STRIDES])


def rate_theorem2_printed(rho, Ns, Q: int, beta: float, level: int = 0):
    """Eq. (16) in units of x (see ``sensing.theorem2`` for the corrections), nats:

      R = int dz/z (1 - E_{x_N}[exp(-x_N phi(z rho x_N^-b))]) E_t[1 / (1 + 2 H_4(z, sqrt t))],

    x_N ~ Gamma(N), t = eta_N^2 ~ Beta(1, N-1) (N = 1: t = 1), the PGFL exponent of eq. (25)
    int_0^{x_N} (1 - (1 + z rho x^-b)^-Q) dx = x_N phi(W), W = z rho x_N^-b, with
    phi(W) = int_0^inf F(ln W + b tau) e^-tau dtau (x = x_N e^-tau; F as in ``_inner_integral_table``),
    2 H_4 = ``tail_exponent``(z, 1/eta) / pi.  The eta expectation is taken outside the
    z-integral's factor (Fubini) so that every factor is smooth.  On the lattice of
    ``_Lattice`` (1 - E_x[.] from expm1); returns (value, error), shape (len(Ns), len(rho))."""
    rho = np.atleast_1d(np.asarray(rho, dtype=float))
    Ns = [int(N) for N in Ns]
    lat = _Lattice(rho, max(Ns), Q, beta, level, many=max(Ns) > 1)
    b, hl = lat.b, lat.hl
    xN = np.exp(lat.v)
    # z range: (1 - A) ~ z^(1/b) as z -> 0 (phi(W) ~ W^(1/b)), B ~ z^(-1/b) as z -> oo
    lr = np.log(rho)
    k_lo = int(np.floor((-b * TAIL - 2.0 * b - lr.max() + b * lat.v[-1]) / hl))
    k_hi = int(np.ceil((b * TAIL + 2.0 * b + b * 2.0) / hl))
    k_lo -= k_lo % (4 * lat.p)
    k = np.arange(k_lo, k_hi + 1)
    z = np.exp(hl * k)
    t = np.exp(-lat.s)
    two_h4 = tail_exponent(z[None, :], 1.0 / np.sqrt(t)[:, None], beta) / np.pi  # (n_s, nk)
    out = np.zeros((len(STRIDES), len(Ns), rho.size))
    s_big = np.array([TAIL + 5.0])
    for ir, r in enumerate(STRIDES):
        q = r * lat.p
        kk = np.arange(0, k.size, q)
        B = np.empty((len(Ns), kk.size))
        for j, N in enumerate(Ns):
            B[j] = 1.0 / (1.0 + two_h4[0, kk]) if N == 1 else lat.s_weights(N, r) @ (1.0 / (1.0 + two_h4[::r][:, kk]))
        Wv = np.stack([lat.v_weights(N, r) for N in Ns])
        iv = np.flatnonzero(np.any(Wv != 0.0, axis=0))
        for m in range(rho.size):
            # ln W = ln z + ln rho - b v_i on the W lattice: index (k - k_lo) + (nv - 1 - i)
            lnW = hl * (k_lo - (lat.v.size - 1)) + lr[m] - b * lat.v[0] + hl * np.arange(k.size + lat.v.size + int((s_big[0] * b) / hl) + 2)
            F = -np.expm1(_log_echo(lnW, Q))
            nl = k.size + lat.v.size - 1
            ll = np.arange(nl)
            phi = _inner_integral_table(lat, lnW, F, ll, s_big, 1)[0]
            idx = kk[:, None] + (lat.v.size - 1 - iv)[None, :]
            one_minus_A = -np.expm1(-xN[iv][None, :] * phi[idx]) @ Wv[:, iv].T  # (nk, len(Ns))
            out[ir, :, m] = q * hl * np.einsum("kn,nk->n", one_minus_A, B)
    return _estimate(out)


def h3_exponent(w, xN, Q: int, beta: float):
    """(2 pi lam / beta) H_3 of eq. (15) in units of x: the PGFL exponent of eq. (25),
    int_0^{x_N} (1 - (1 + w x^-b)^-Q) dx = (2/beta) w^(2/beta) sum_i C(Q,i) B(u_N; Q-i+2/beta, i-2/beta),
    u_N = 1 / (1 + w x_N^-b): Q positive terms (no cancellation); u_N from logarithms."""
    a = 2.0 / beta
    w = np.asarray(w, dtype=float)
    with np.errstate(divide="ignore"):
        u = expit(-(np.log(w) - 0.5 * beta * np.log(xN)))
    total = 0.0
    for i in range(1, Q + 1):
        p, q = Q - i + a, i - a
        total = total + comb(Q, i) * beta_fn(p, q) * betainc(p, q, u)
    return a * w**a * total


def inner_mean(lnW, s, Q: int, beta: float, nodes: int = 12):
    """(1 - m, m), m = mean of (1 + W (x/x_N)^-b)^-Q over x uniform on (x_N e^-s, x_N), the
    Laplace factor of one inner cluster point given (x_1, x_N): composite Gauss-Legendre in
    tau = ln(x_N/x) on pieces of width at most 1/b (the factor turns over within ~1/b in
    tau), ``nodes`` per piece.  lnW and s broadcast."""
    lnW, s = np.broadcast_arrays(np.asarray(lnW, dtype=float), np.asarray(s, dtype=float))
    b = 0.5 * beta
    npieces = max(1, int(np.ceil(float(np.max(s)) * b)))
    x, w = _legendre01(nodes)
    u = (np.arange(npieces)[:, None] + x[None, :]).ravel() / npieces  # (0, 1), pieces of 1/npieces
    tau = s[..., None] * u
    lE = _log_echo(lnW[..., None] + b * tau, Q)
    # both 1 - m and m as means of positive terms: each keeps its digits when small
    one_minus_m = np.where(s > 0, (-np.expm1(lE) * np.exp(-tau)) @ np.tile(w, npieces) / npieces * s / np.where(s > 0, -np.expm1(-s), 1.0), -np.expm1(_log_echo(lnW, Q)))
    m = np.where(s > 0, (np.exp(lE - tau)) @ np.tile(w, npieces) / npieces * s / np.where(s > 0, -np.expm1(-s), 1.0), np.exp(_log_echo(lnW, Q)))
    return one_minus_m, m
