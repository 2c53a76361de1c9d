"""Compiled block kernels of the Monte Carlo (``coopisac.simulation``), drawing from numpy's own
Generator.

numba receives the block's ``numpy.random.Generator`` and draws through its bit generator, so
the numbers are numpy's own streams (exponentials, Gamma, uniforms: the same algorithms on the
same state).  Every kernel draws its numbers in the order of the array formulation written in
its docstring (e.g. "all K arrival exponentials of the block, row by row, then its Gamma gains,
then its fading exponentials"), so its results depend on the block's seed alone, and where the
engine splits the trials, how many workers run them and in which order they finish do not enter.

Elementary functions (errors relative, first order in u = 2^-53):

* ``x^-h`` for integer beta = 2h from 3 to 17 (h = m or m + 1/2, m <= ``_MAX_M``).
  Even beta (h = m): ``1 / x^m`` by m - 1 products and one division: error <= (m + 1) u.
  Odd beta (h = m + 1/2): ``y^(2m + 1)`` with y ~ 1/sqrt(x) (``_rsqrt``): a single-precision
  guess 1/sqrt(x) (relative error e0 <= 2^-25 + 2^-24 + 2^-24 < 1.5e-7: rounding x, the square
  root and the quotient to single precision) refined by two Newton steps
  y <- y (3/2 - (x/2) y^2) in double precision, each squaring the error (e <- 3/2 e^2 + e^3/2:
  3.4e-14, then 1.7e-27) and adding its own rounding (<= 4 u), so |y / x^-1/2 - 1| <= 4 u;
  then y (y^2)^m by 2m products: error <= (2m + 1) 4 u + 2m u = (10 m + 4) u (24 u at beta = 5;
  ~6 u measured).  No double-precision division or square root: those two share the divider,
  and here were not vectorised (~2.5 ns an element against ~1.4 ns for this).  The
  single-precision guess needs x in [2^-120, 2^120]; other x (an arrival or a squared distance
  that far from 1: probability ~1e-35 a trial) take ``1 / (x^m sqrt(x))``, error <= (m + 2) u.
  Against the exact path the Monte Carlo estimates at 1e6 trials (coverage L = 1..3, radar
  N = 1, 4; beta = 3, 5, 7) came out bit-identical: a coverage count moves only where a SIR lies
  within ~3e-15 relative of a threshold.  Not a beta = 4 or beta = 5 case: every even and every
  odd beta (the paper's and the book's are 3, 4, 5) takes its path.
* Other beta: ``x ** -h`` (libm pow, < 1 ulp), at pow's cost (~20 ns an element).
* ``sin(phi)``, phi in [0, pi/2]: Taylor polynomial through phi^21 by Horner's rule in phi^2.
  Truncation <= (pi/2)^23 / 23! = 1.3e-18 relative (alternating series with decreasing terms,
  divided by sin(phi) >= 2 phi / pi); rounding (Higham's bound for Horner, gamma_20 times
  sum |c_k| w^k / P(w) <= sinh(pi/2) / 1 = 2.3, plus w = phi^2 and the last product) <= 48 u =
  5.4e-15.  It replaces np.sin (~22 ns an element) by a few ns, vectorised.
* The far-field factor 2F1(h, h - 1; 1; q), q = x_1 / x_K < 1 (``tail_offset_factor``): its
  power series, all terms positive; for q <= 1/4 (nearly every trial) to the fixed degree D
  whose remainder is below u, by Horner's rule vectorised over trials, error <= (2 D + 2) u
  (D <= 64); for larger q summed until the remainder (a geometric series of the current term
  ratio) is below u, error <= (2 n + 2) u after n terms.  It replaces scipy's hyp2f1.

No fast-math anywhere: every arithmetic operation is IEEE-rounded, so the numbers do not depend on the
vector width of the machine.  Large work arrays come from a per-thread ``workspace``.

Compile cache: ``cache=True`` keeps the machine code on disk.  Each kernel compiles on its first
call (measured on a loaded 2-core machine: coverage 30 s, radar 17 s, Laplace 9 s, Conjecture 1
5 s, once per install); later processes load it (~1.3 s for the first, ~0.1 s for each other).  Where neither the package folder nor the user's cache folder is
writable (read-only install and home), ``NUMBA_CACHE_DIR`` is pointed to a folder in the
system's temporary directory instead of failing.
"""
from __future__ import annotations

import math
import os
import tempfile
import threading

import numba
import numpy as np

_WORKSPACE_MAX = 2**23  # doubles (64 MiB) a thread keeps between blocks; larger work arrays are fresh
_local = threading.local()
_MAX_M = 8  # largest integer part of h = beta / 2 done by products (error (m + 1) u; odd beta (10 m + 4) u)


def _jit(fn):
    """``numba.njit``, cached; ``nogil``: threads of one process run blocks side by side;
    ``error_model="numpy"``: a division is IEEE (no zero check), so loops of divisions vectorise
    (no fast-math: every operation stays correctly rounded, so results do not depend on the
    vector width of the machine).  When no cache folder is writable, the cache goes to a
    per-user folder under the temporary directory (numba refuses to cache otherwise)."""
    try:
        return numba.njit(cache=True, nogil=True, error_model="numpy")(fn)
    except RuntimeError as err:  # "cannot cache function ...: no locator available"
        if "no locator available" not in str(err):
            raise
        numba.config.CACHE_DIR = os.path.join(tempfile.gettempdir(), f"coopisac-numba-{getattr(os, 'getuid', lambda: 'user')()}")
        return numba.njit(cache=True, nogil=True, error_model="numpy")(fn)


def workspace(*shapes):
    """Work arrays of the given shapes for one kernel call, views of one buffer that this thread
    keeps between blocks: a fresh array of tens of MiB per block costs the kernel its page faults
    (memory returned to the system and zeroed again), ~0.1-0.3 of the random draws' time.  Valid
    until the thread's next call; the kernels return nothing that lives in it."""
    sizes = [math.prod(s) for s in shapes]
    total = sum(sizes)
    if total > _WORKSPACE_MAX:
        return [np.empty(s) for s in shapes]
    buf = getattr(_local, "buf", None)
    if buf is None or buf.size < total:
        buf = _local.buf = np.empty(total)
    out, start = [], 0
    for shape, size in zip(shapes, sizes):
        out.append(buf[start : start + size].reshape(shape))
        start += size
    return out


def power_plan(beta: float) -> tuple[float, int, bool]:
    """(h, m, half) for x^-h, h = beta / 2: m > 0 and ``half`` when h = m + 1/2 (products and
    one square root), m = 0 for the general pow."""
    h = 0.5 * beta
    if (2.0 * h).is_integer() and h < _MAX_M + 1:
        return h, int(h), not h.is_integer()
    return h, 0, False


# ---------------------------------------------------------------------------------------
# Elementary functions
# ---------------------------------------------------------------------------------------

_RSQRT_LO, _RSQRT_HI = 2.0**-120, 2.0**120  # where the single-precision guess of ``_rsqrt`` holds


@_jit
def _rsqrt(x):
    """1/sqrt(x) for x in [_RSQRT_LO, _RSQRT_HI], relative error <= 4 u (module docstring): a
    single-precision guess and two Newton steps, products only (no division in double)."""
    y = np.float64(np.float32(1.0) / math.sqrt(np.float32(x)))
    hx = 0.5 * x
    y = y * (1.5 - hx * y * y)
    return y * (1.5 - hx * y * y)


@_jit
def _odd_power(y, m):
    """y^(2m + 1) = y (y^2)^m by 2m products."""
    y2 = y * y
    p = y
    for _ in range(m):
        p *= y2
    return p


@_jit
def _odd_pow_row(x, out, m):
    """out[j] = _odd_power(_rsqrt(x[j]), m); returns how many x[j] lie outside
    [_RSQRT_LO, _RSQRT_HI] (or are NaN).  Called with m a constant (``_neg_pow_row``): the
    compiler then unrolls the products and vectorises the loop over the row."""
    outside = 0
    for j in range(x.size):
        out[j] = _odd_power(_rsqrt(x[j]), m)
        outside += not _RSQRT_LO <= x[j] <= _RSQRT_HI
    return outside


@_jit
def _neg_pow_exact(x, m, half):
    """1 / (x^m [sqrt(x)]), m >= 1: error <= (m + 2) u (the odd beta's path outside
    [_RSQRT_LO, _RSQRT_HI])."""
    p = x
    for _ in range(m - 1):
        p *= x
    if half:
        p *= math.sqrt(x)
    return 1.0 / p


@_jit
def neg_pow(x, h, m, half):
    """x^-h for one x > 0 (``power_plan``; the same operations as ``_neg_pow_row``)."""
    if m == 0:
        return x**-h
    if half and _RSQRT_LO <= x <= _RSQRT_HI:
        return _odd_power(_rsqrt(x), m)
    return _neg_pow_exact(x, m, half)


@_jit
def _neg_pow_row(x, out, h, m, half):
    """out[j] = x[j]^-h for a row, ``out`` distinct from ``x``: the same operations as
    ``neg_pow``, one pass over the row each (m is not a compile-time constant: loops whose
    body does not depend on it are what the compiler vectorises)."""
    n = x.size
    if m == 0:
        for j in range(n):
            out[j] = x[j] ** -h
        return
    if half:
        # m a constant in each call (m <= _MAX_M = 8): unrolled products, vectorised row
        if m == 1:
            outside = _odd_pow_row(x, out, 1)
        elif m == 2:
            outside = _odd_pow_row(x, out, 2)
        elif m == 3:
            outside = _odd_pow_row(x, out, 3)
        elif m == 4:
            outside = _odd_pow_row(x, out, 4)
        elif m == 5:
            outside = _odd_pow_row(x, out, 5)
        elif m == 6:
            outside = _odd_pow_row(x, out, 6)
        elif m == 7:
            outside = _odd_pow_row(x, out, 7)
        else:
            outside = _odd_pow_row(x, out, 8)
        if outside:  # the rare x beyond the single-precision guess's range
            for j in range(n):
                if not _RSQRT_LO <= x[j] <= _RSQRT_HI:
                    out[j] = _neg_pow_exact(x[j], m, half)
        return
    for j in range(n):
        out[j] = x[j]
    for _ in range(m - 1):
        for j in range(n):
            out[j] *= x[j]
    for j in range(n):
        out[j] = 1.0 / out[j]


# 1 / (2k+1)! for k = 0..10: sin(phi) = phi sum_k (-1)^k phi^(2k) / (2k+1)!
_SIN_C = np.array([(-1.0) ** k / math.factorial(2 * k + 1) for k in range(11)])


@_jit
def sin_quadrant(phi):
    """sin(phi) for phi in [0, pi/2] (module docstring: error <= 5.4e-15 relative)."""
    w = phi * phi
    c = _SIN_C
    p = c[10]
    for k in range(9, -1, -1):
        p = p * w + c[k]
    return phi * p


_HYP_TERMS = 64  # precomputed term ratios of the 2F1 series (more are computed on the fly)


@_jit
def _hyp_ratios(h):
    r = np.empty(_HYP_TERMS)
    for k in range(_HYP_TERMS):
        r[k] = (h + k) * (h - 1.0 + k) / ((k + 1.0) * (k + 1.0))
    return r


@_jit
def _hyp_series(ratios, h, q):
    """2F1(h, h-1; 1; q) for 0 <= q < 1 by its series (ratios from ``_hyp_ratios``)."""
    s = 1.0
    t = 1.0
    k = 0
    while True:
        c = ratios[k] if k < _HYP_TERMS else (h + k) * (h - 1.0 + k) / ((k + 1.0) * (k + 1.0))
        t *= c * q
        s += t
        k += 1
        # the coefficient ratio c_k is monotone in k beyond k ~ 2 (a rational function of k with
        # one extremum) and tends to 1: later term ratios are below q max(1, c_k)
        r = q * max(1.0, c)
        if k >= 4 and r < 1.0 and t * r <= 1.1e-16 * (1.0 - r) * s:
            return s


_HYP_Q0 = 0.25  # below this q the series is summed to a fixed degree (vectorised over trials)


@_jit
def _hyp_fixed_degree(ratios, h):
    """Coefficients c_0..c_D of the 2F1(h, h-1; 1; q) series, D the least degree whose remainder
    for every q <= _HYP_Q0 is below 2^-53 (remainder <= c_{D+1} Q0^(D+1) / (1 - Q0 max(1, ratio)),
    the ratios being monotone beyond the first few); an empty array where 64 terms do not suffice."""
    c = np.empty(_HYP_TERMS)
    c[0] = 1.0
    for k in range(_HYP_TERMS - 1):
        c[k + 1] = c[k] * ratios[k]
        r = _HYP_Q0 * max(1.0, ratios[k + 1] if k + 1 < _HYP_TERMS else 1.0)
        if k >= 3 and r < 1.0 and c[k + 1] * _HYP_Q0 ** (k + 1) <= 1.1e-16 * (1.0 - r):
            return c[: k + 1]
    return c[:0]


@_jit
def tail_offset_factor(h, q):
    """2F1(h, h - 1; 1; q) for a 1-d array q in [0, 1): the factor by which the mean far-field
    interference at distance a = sqrt(q) rK from the origin exceeds that at the origin
    (``geometry.tail_mean_offset``).  q <= 1/4 (nearly every trial): the series to a fixed degree
    D by Horner's rule, error <= (2 D + 2) u relative (positive terms); larger q: summed until
    its remainder is below u (``_hyp_series``)."""
    ratios = _hyp_ratios(h)
    c = _hyp_fixed_degree(ratios, h)
    out = np.empty_like(q)
    n = q.size
    if c.size:
        for i0 in range(0, n, _CHUNK):  # Horner, vectorised across a chunk of trials
            i1 = min(i0 + _CHUNK, n)
            for i in range(i0, i1):
                out[i] = c[c.size - 1]
            for k in range(c.size - 2, -1, -1):
                ck = c[k]
                for i in range(i0, i1):
                    out[i] = out[i] * q[i] + ck
    for i in range(n):
        if q[i] > _HYP_Q0 or not c.size:
            out[i] = _hyp_series(ratios, h, q[i])
    return out


# ---------------------------------------------------------------------------------------
# Shared steps
# ---------------------------------------------------------------------------------------

_CHUNK = 64  # trials whose arrivals are turned into path losses in one pass (long vector loops)


@_jit
def _arrivals_into(rng, out, n, K, scale):
    """The first K arrivals of a unit-rate Poisson process, times ``scale``, for n trials,
    into out[:n K] row by row (``geometry.sample_nearest``: rng.standard_exponential((n, K)),
    cumsum along rows, times 1 / (pi lam))."""
    for i in range(n):
        acc = 0.0
        for k in range(K):
            acc += rng.standard_exponential()
            out[i * K + k] = acc
    if scale != 1.0:
        for j in range(n * K):
            out[j] *= scale


@_jit
def _arrivals(rng, n, K, scale):
    """``_arrivals_into`` as a new (n, K) array."""
    x = np.empty((n, K))
    _arrivals_into(rng, x.ravel(), n, K, scale)
    return x


@_jit
def _bs1_d2_row(s1, x, u, out):
    """|d_1 - d_q|^2 for BS 1 at radius s1, angle 0, and BSs q at squared radii x[j] and
    angles 2 pi u[j] (u uniform on [0, 1)), written to out[j]:

        |d_1 - d_q|^2 = (s1 - s)^2 + 4 s1 s sin^2(theta / 4)

    (no cancellation, unlike the law of cosines; sin^2(theta/2) and sin^2(theta/4) have the same
    law, and theta/4 = (pi/2) u lies in the first quadrant, where ``sin_quadrant`` holds)."""
    for j in range(x.size):
        s = math.sqrt(x[j])
        v = sin_quadrant(0.5 * math.pi * u[j])
        out[j] = (s1 - s) * (s1 - s) + 4.0 * s1 * s * (v * v)


# ---------------------------------------------------------------------------------------
# Block kernels
# ---------------------------------------------------------------------------------------

@_jit
def coverage_geometry(rng, pl, L, Ks, beta, m, half, conjecture1):
    """First part of a coverage block, in units of x = pi lam r^2, unit powers: draws the arrivals
    x = cumsum(rng.standard_exponential((n, Kmax))) row by row and writes pl = x^-h into the
    (n, Kmax) work array ``pl`` (numpy's, kept by ``workspace``: no page faults), Kmax = max(Ks).
    Returns (w, tails): the serving path losses w = x_i^-h, i <= L (with ``conjecture1`` their
    sum, one column), and tails[:, c] = 2 x_K^(1-h) / (beta - 2), the mean interference of the
    BSs beyond the K-th, K = Ks[c] (Campbell)."""
    h = 0.5 * beta
    n, Kmax = pl.shape
    nK = Ks.size
    nG = 1 if conjecture1 else L
    tail_c = 2.0 / (beta - 2.0)
    w = np.zeros((n, nG))
    tails = np.empty((n, nK))
    xb = np.empty(_CHUNK * Kmax)
    for i0 in range(0, n, _CHUNK):
        i1 = min(i0 + _CHUNK, n)
        _arrivals_into(rng, xb, i1 - i0, Kmax, 1.0)
        _neg_pow_row(xb[: (i1 - i0) * Kmax], pl[i0:i1].ravel(), h, m, half)
        for i in range(i0, i1):
            row = (i - i0) * Kmax
            for c in range(nK):
                tails[i, c] = tail_c * xb[row + Ks[c] - 1] * pl[i, Ks[c] - 1]
            for j in range(L):
                w[i, 0 if conjecture1 else j] += pl[i, j]
    return w, tails


@_jit
def coverage_interference(rng, pl, L, Ks, g, w, tails, e, draw):
    """Second part: with the serving gains g (drawn between the two parts), the interferers'
    gains e (n, Kmax - L), or, with ``draw``, unit-mean exponentials drawn here row by row (the
    numbers of rng.standard_exponential((n, Kmax - L))).  Returns (S, I): I[:, c] the
    interference of the BSs L+1..Ks[c] plus tails[:, c]; S = sum_j g_j w_j / I[:, 0]."""
    n = pl.shape[0]
    nK = Ks.size
    S = np.empty(n)
    interference = np.empty((n, nK))
    for i in range(n):
        acc = 0.0
        k = L
        for c in range(nK):  # Ks increasing: one running sum serves every K
            if draw:
                for k in range(k, Ks[c]):
                    acc += rng.standard_exponential() * pl[i, k]
            else:
                for k in range(k, Ks[c]):
                    acc += e[i, k - L] * pl[i, k]
            k = Ks[c]
            interference[i, c] = acc + tails[i, c]
        p = 0.0
        for j in range(w.shape[1]):
            p += g[i, j] * w[i, j]
        S[i] = p / interference[i, 0]
    return S, interference


@_jit
def radar_geometry(rng, x, ipl, Nmax, Ks, beta, m, half):
    """First part of a radar block, in units of x = pi lam r^2, unit powers: draws the arrivals
    x = cumsum(rng.standard_exponential((n, Kmax))) and the angles rng.uniform(0, 2 pi, (n, Kmax))
    (column 0 unused: BS 1 is put at angle 0) into the work arrays x (n, Kmax) and ipl
    (n, Kmax - 1): ipl[i, j] = |d_1 - d_q|^-beta, BS q = j + 2 seen from BS 1.
    Returns (tails, pl): tails[c] the mean interference at BS 1 of the BSs beyond the K-th,
    K = Ks[c] (``geometry.tail_mean_offset``: 2 x_K^(1-h) / (beta - 2) 2F1(h, h-1; 1; x_1 / x_K)),
    and pl = x_i^-h for i <= Nmax."""
    h = 0.5 * beta
    n, Kmax = x.shape
    nK = Ks.size
    _arrivals_into(rng, x.ravel(), n, Kmax, 1.0)
    u = np.empty(Kmax)
    d2 = np.empty(_CHUNK * (Kmax - 1))
    for i0 in range(0, n, _CHUNK):
        i1 = min(i0 + _CHUNK, n)
        for i in range(i0, i1):
            for k in range(Kmax):
                u[k] = rng.random()  # uniform(0, 2 pi) is 2 pi times this draw
            row = (i - i0) * (Kmax - 1)
            _bs1_d2_row(math.sqrt(x[i, 0]), x[i, 1:], u[1:], d2[row : row + Kmax - 1])
        _neg_pow_row(d2[: (i1 - i0) * (Kmax - 1)], ipl[i0:i1].ravel(), h, m, half)
    # far-field tails at BS 1 for every K, and the echo path losses, as passes over all trials
    tails = np.empty((nK, n))
    xK = np.empty(n)
    q = np.empty(n)
    for c in range(nK):
        for i in range(n):
            xK[i] = x[i, Ks[c] - 1]
            q[i] = x[i, 0] / xK[i]
        _neg_pow_row(xK, tails[c], h, m, half)
        F = tail_offset_factor(h, q)
        for i in range(n):
            tails[c, i] *= 2.0 / (beta - 2.0) * xK[i] * F[i]
    pl = np.empty((n, Nmax))
    _neg_pow_row(np.ascontiguousarray(x[:, :Nmax]).ravel(), pl.ravel(), h, m, half)
    return tails, pl


@_jit
def radar_interference(rng, ipl, Ks, f, pl, tails, e, draw):
    """Second part: with the echo gains f (n, Nmax) (drawn between the two parts), the
    interferers' gains e (n, Kmax - 1), or, with ``draw``, unit-mean exponentials drawn here row
    by row (the numbers of rng.standard_exponential((n, Kmax - 1))).  Returns (S, I), shape
    (len(Ks), n, Nmax): S[c, :, N-1] = echo_N / I_N, K = Ks[c] BSs explicit,
        echo_N = x_1^-h sum_{i<=N} f_i x_i^-h,   I_N = sum_{q>N} e_q |d_1 - d_q|^-beta + tails[c],
    and I = I_N."""
    n, Nmax = pl.shape
    nK = Ks.size
    near = np.empty(max(Nmax - 1, 1))
    far = np.empty(nK)
    S = np.empty((nK, n, Nmax))
    interference = np.empty((nK, n, Nmax))
    for i in range(n):
        # BSs 2..Nmax (interferers when N is smaller), then the far part: BSs Nmax+1..K (ipl
        # columns Nmax-1..K-2), one running sum serving every K
        for k in range(Nmax - 1):
            near[k] = (rng.standard_exponential() if draw else e[i, k]) * ipl[i, k]
        acc = 0.0
        j = Nmax - 1
        for c in range(nK):
            if draw:
                for j in range(j, Ks[c] - 1):
                    acc += rng.standard_exponential() * ipl[i, j]
            else:
                for j in range(j, Ks[c] - 1):
                    acc += e[i, j] * ipl[i, j]
            j = Ks[c] - 1
            far[c] = acc + tails[c, i]
        for c in range(nK):
            tot = far[c]
            # I_N for N = Nmax down to 1: add BS N+1 before moving to N
            for N in range(Nmax, 0, -1):
                interference[c, i, N - 1] = tot
                if N >= 2:
                    tot += near[N - 2]
        echo = 0.0
        for N in range(1, Nmax + 1):
            echo += f[i, N - 1] * pl[i, N - 1]
            for c in range(nK):
                S[c, i, N - 1] = pl[i, 0] * echo / interference[c, i, N - 1]
    return S, interference


@_jit
def conjecture1_parts(rng, n, L, a, beta, m, half, scale):
    """Draws x = scale cumsum(rng.standard_exponential((n, L))), g = rng.standard_gamma(a, (n, L)),
    common = rng.standard_gamma(a, n); returns (sum_i g_i x_i^-h, common sum_i x_i^-h)."""
    h = 0.5 * beta
    x = _arrivals(rng, n, L, scale)
    pl = np.empty((n, L))
    for i in range(n):
        _neg_pow_row(x[i], pl[i], h, m, half)
    g = rng.standard_gamma(a, (n, L))
    common = rng.standard_gamma(a, n)
    exact = np.empty(n)
    approx = np.empty(n)
    for i in range(n):
        s = 0.0
        w = 0.0
        for j in range(L):
            s += g[i, j] * pl[i, j]
            w += pl[i, j]
        exact[i] = s
        approx[i] = common[i] * w
    return exact, approx


@_jit
def laplace_parts(rng, q2, ipl, N, a, beta, m, half, lam, r1, rN):
    """Echo X / (sigma2 Mr p_s) and interference I / p_t of ``simulation.sensing_laplace``.

    Draws, as the array formulation would: f = rng.standard_gamma(a, (n, N)); the N-2 middle
    squared distances r1^2 + rng.random((n, N-2)) (rN^2 - r1^2); the interferers' squared
    distances rN^2 + cumsum(rng.standard_exponential((n, K))) / (pi lam) and their angles
    rng.uniform(0, 2 pi, (n, K)); their gains rng.standard_exponential((n, K)).  q2 and ipl:
    (n, K) work arrays."""
    h = 0.5 * beta
    n, K = q2.shape
    f = rng.standard_gamma(a, (n, N))
    echo = np.empty(n)
    p1 = neg_pow(r1 * r1, h, m, half)
    pN = neg_pow(rN * rN, h, m, half)
    for i in range(n):
        echo[i] = f[i, 0] * p1
    if N > 1:
        for i in range(n):
            echo[i] += f[i, N - 1] * pN
    if N > 2:
        mid = np.empty(N - 2)
        pmid = np.empty(N - 2)
        for i in range(n):
            for j in range(N - 2):
                mid[j] = r1 * r1 + rng.random() * (rN * rN - r1 * r1)
            _neg_pow_row(mid, pmid, h, m, half)
            acc = 0.0
            for j in range(N - 2):
                acc += f[i, j + 1] * pmid[j]
            echo[i] += acc
    _arrivals_into(rng, q2.ravel(), n, K, 1.0 / (math.pi * lam))
    q2 += rN * rN
    u = np.empty(K)
    d2 = np.empty(K)
    for i in range(n):
        for k in range(K):
            u[k] = rng.random()
        _bs1_d2_row(r1, q2[i], u, d2)
        _neg_pow_row(d2, ipl[i], h, m, half)
    interference = np.empty(n)
    for i in range(n):
        acc = 0.0
        for k in range(K):
            acc += rng.standard_exponential() * ipl[i, k]
        interference[i] = acc
    # mean interference at distance r1 of the PPP outside |y| < sqrt(qK): 2 pi lam qK^(1-h) / (beta-2) 2F1
    qK = np.ascontiguousarray(q2[:, K - 1])
    tail = np.empty(n)
    _neg_pow_row(qK, tail, h, m, half)
    F = tail_offset_factor(h, r1 * r1 / qK)
    for i in range(n):
        interference[i] += 2.0 * math.pi * lam / (beta - 2.0) * qK[i] * tail[i] * F[i]
    return echo, interference
