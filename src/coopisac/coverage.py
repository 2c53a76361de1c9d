"""Communication coverage: Theorem 1 (eq. 10), Proposition 1 (eq. 11), and exact references.

Model (paper, Section II-B and Appendix A): the L nearest BSs serve the typical user with gains
g_i ~ Gamma(Mt-1, 1); every other BS interferes with an Exp(1) gain; interference-limited SIR_c
(eq. 3) with powers p_c (serving) and p_t (interfering).  T is a linear SIR threshold (scalar or
array); results have T's shape.

Reduction used for Theorem 1 with the paper's law of the distances (eq. 21, "paper").  Write
Q = Mt - 1, c = alpha T p_t/(Q p_c) and x_i = pi lam r_i^2.  Given the distances, the n-th term
of eq. (19) is exp(-pi lam H_1) with

    pi lam H_1 = x_L phi(z),   z = s r_L^-beta = n c / sum_i (x_i/x_L)^(-beta/2),
    phi(z) = int_1^inf z u^(-beta/2) / (1 + z u^(-beta/2)) du = delta z int_0^1 v^-delta / (1 + z v) dv,

delta = 2/beta (eq. 20's bracket B(delta, 1-delta) - B(Q_L; delta, 1-delta), evaluated without
the incomplete beta function: see ``phi``).  The exponent is homogeneous of degree 1 in
(x_1, ..., x_L); with t_i = x_i/x_L (i < L) and b(t) = 1/(1 + sum_{i<L} t_i^(-beta/2)),
z = n c b(t), and the scale x_L integrates out in closed form, leaving an (L-1)-dimensional
integral E(w) whose value at w = n c is the n-th term.  With independent r_i of the marginal
laws x_i ~ Gamma(i), integrating x_L against the product of Gamma(i) densities gives, with
K = L(L+1)/2 (r_L need not be the largest here),

    E(w) = Gamma(K)/prod_i Gamma(i) int_{(0,inf)^(L-1)} prod_i t_i^(i-1) (1 + sum t_i + phi(w b(t)))^-K dt.

Theorem 1 with the exact joint law of r_1 < ... < r_L ("joint") takes another route, and so does
"paper" beyond L = 3 or Mt = 12 (P(G S >= T' J) with S = sum_i x_i^(-beta/2): coopisac._independent).  There
x_L ~ Gamma(L) is independent of the t_i, iid uniform, and E(w) = E[exp(-w J/W)] with
W = 1 + sum_{i<L} t_i^(-beta/2) and J the interference of ``exact_coverage`` (E e^{-sJ} =
(1 + phi(s))^-L, independent of W).  As sum_n (-1)^(n+1) C(Q, n) a^n = 1 - (1 - a)^Q, eq. (19) is
then exactly P(G W >= T' J) with T' = T p_t/p_c and the common gain G = (Q/alpha) M1, M1 the
largest of Q iid Exp(1) variables: P(G > x) = 1 - (1 - e^{-alpha x/Q})^Q is eq. (9)'s form of the
Gamma CCDF (Conjecture 2) and one gain times W is Conjecture 1.  That is one Gil-Pelaez integral,
with no alternating sum and no (L-1)-dimensional rule, for any L (coopisac._gilpelaez); L = 1 is
the same number for both laws and keeps the route below.

lam drops out of both: the coverage does not depend on the BS density.  For "paper", each axis
uses a composite Gauss rule adapted to the threshold (split at t* = min(1, (Q c)^(-2/beta)),
where the integrand turns over: a rule graded at 0 below, Gauss-Legendre in log t above, a graded
rule in 1/t on (1, inf)); the nodes are built per block of thresholds, so memory stays bounded
whatever the number of thresholds.

The alternating sum.  P = sum_{n=1}^Q (-1)^(n+1) C(Q, n) E(n c) cancels: its terms reach
C(Q, Q/2) E while P can be small, so in double precision it loses log10(2^Q) digits.  E is the
Laplace transform of a positive variable (E(w) = E[exp(-w X)]), analytic and bounded by 1 for
Re w > 0, and Rice's integral (Noerlund-Rice) turns the sum into

    P = (1/2 pi i) int_{Re z = 1/2} E(c z) kern(z) dz,   kern(z) = Gamma(Q+1) Gamma(1-z) / (z Gamma(Q+1-z)),

on the line between the poles 0 and 1 of the kernel (closed to the right around the poles
1..Q).  On that line |kern| is at most about 2 sqrt(Q) and decays like exp(-pi |Im z| / 2) until
|Im z| ~ Q, so the integral has no cancellation at any Mt.  It is a trapezoid rule in
Im z = sinh(tau)/2 (poles of the kernel at tau = +-i pi/2), which converges geometrically and
carries its own error estimate (the same rule at twice the step).  For Q <= 11 the direct sum
costs less and loses at most 2^Q eps < 5e-13; it is used there.

Error estimates (``full_output=True``): the difference to the same computation with the coarser
rule (half the Gauss points per axis, twice the trapezoid step), plus a bound on rounding
(16 eps times the sum of the absolute terms).  Where that exceeds the default accuracy
(1e-8 relative, 1e-10 absolute below 1e-2), the rules are refined once; where the refined rule
still misses it, a ``RuntimeWarning`` names the parameters and the accuracy reached.
"""
from __future__ import annotations

import itertools
import math
import warnings
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import beta as beta_fn, betainc, comb, gammaln, loggamma

from . import _gilpelaez, _independent, quadrature
from ._checks import (check_beta, check_choice, check_flag, check_int, check_powers, check_real,
                      check_threshold)
from .approximations import optimal_alpha
from .results import Estimate

__all__ = ["phi", "rayleigh_coverage", "proposition1", "theorem1", "exact_coverage_L1", "exact_coverage",
           "conjecture1_coverage", "MAX_REL_ERR", "ATOL", "MAX_L", "MAX_MT", "MAX_L_THEOREM1", "MAX_L_PAPER",
           "MAX_MT_THEOREM1"]

MAX_REL_ERR, ATOL = 1e-8, 1e-10  # default accuracy: relative, or absolute where the coverage is below 1e-2
MAX_MT_THEOREM1 = 1024  # Theorem 1 / Proposition 1: beyond, alpha* of Conjecture 2 is not validated
MAX_L_THEOREM1 = 16  # Theorem 1 with distances="joint" (the range of the Gil-Pelaez route, as exact_coverage)
MAX_L_PAPER = 16  # distances="paper": the range of its Gil-Pelaez route (coopisac._independent)
_L_PRODUCT = 3  # "paper" with L <= this and Mt <= _Q_DIRECT + 1: the product rule and the direct sum (faster there)
_EPS = np.finfo(float).eps
_BLOCK = 2**19  # (thresholds x points x nodes) elements per block
_N_JACOBI = 20  # Gauss-Jacobi points for phi (see _phi)
_Q_DIRECT = 11  # Q <= this: direct sum (rounding <= 2^Q eps); above: Rice's integral
_LEVELS = ((24, 18), (32, 24), (64, 48))  # Gauss points per axis segment (graded, log) per level
_TAU_STEP = (0.1, 0.05)  # trapezoid step in tau for Rice's integral per refinement (0.2 misses 1e-9 at L = 3)


def _phi(z, beta: float):
    """phi at real z >= 0 or complex z with Re z >= 0 (no checks).  For |z| <= 2 the integral
    delta z int_0^1 v^-delta / (1 + z v) dv by Gauss-Jacobi; for |z| > 2 its complement

        phi(z) = delta pi / sin(pi delta) z^delta - delta int_0^1 u^(delta-1) / (1 + u/z) du

    (the integral over (0, inf) minus that over (1, inf)), again by Gauss-Jacobi.  Either way the
    pole of the integrand lies at distance >= 1/2 from [0, 1] (>= 1 for real z), so 20 points give
    full precision (Bernstein ellipse: 2.9^-40 < 1e-18), and no argument of the form z/(1+z) is
    rounded near 1."""
    z = np.asarray(z)
    if beta == 4.0 and not np.iscomplexobj(z):  # closed form behind Proposition 1 (Appendix B)
        with np.errstate(invalid="ignore"):
            return np.sqrt(z) * np.arctan(np.sqrt(z))
    d = 2.0 / beta
    out = np.empty(z.shape, dtype=np.result_type(z, float))
    small = np.abs(z) <= 2.0
    zs = z[small]
    acc = np.zeros_like(zs)
    for v, w in zip(*quadrature.jacobi01(_N_JACOBI, -d)):
        acc += w / (1.0 + zs * v)
    out[small] = d * zs * acc
    large = ~small
    zl = z[large]
    acc = np.zeros_like(zl)
    with np.errstate(invalid="ignore", divide="ignore"):
        for v, w in zip(*quadrature.jacobi01(_N_JACOBI, d - 1.0)):
            acc += w / (1.0 + v / zl)
        out[large] = d * math.pi / math.sin(math.pi * d) * zl**d - d * acc
    return out


def phi(z: ArrayLike, beta: float) -> np.ndarray:
    """phi(z) = int_1^inf z u^(-beta/2) / (1 + z u^(-beta/2)) du: the Laplace exponent, per unit
    pi lam r_L^2, of Exp(1)-faded interference from an HPPP outside the disc of radius r_L, at
    s = z r_L^beta (eq. 20, H_1).  Equals rho(z, beta) = 2z/(beta-2) 2F1(1, 1-2/beta; 2-2/beta; -z)
    of Andrews-Baccelli-Ganti; for beta = 4, sqrt(z) arctan(sqrt(z)).  Relative error a few
    eps for every z >= 0 (z = inf gives inf)."""
    z = np.asarray(z, dtype=float)
    beta = check_beta(beta)
    out = _phi(np.where(np.isinf(z), 0.0, z), beta)
    return np.where(np.isinf(z), np.inf, out)


def rayleigh_coverage(T: ArrayLike, beta: float) -> np.ndarray:
    """Andrews-Baccelli-Ganti (2011) coverage of the nearest BS under Rayleigh fading, no noise:
    1 / (1 + rho(T, beta)), rho = 2T/(beta-2) 2F1(1, 1-2/beta; 2-2/beta; -T)."""
    T = check_threshold(T)
    beta = check_beta(beta)
    return 1.0 / (1.0 + phi(T, beta))


# ----------------------------------------------------------------------------------------------
# The (L-1)-dimensional rules for E(w) (module docstring)


def _split(edge, n_low, n_mid):
    """Rule on (0, 1) split at ``edge`` (shape (m,)): graded toward 0 on (0, edge), Gauss-Legendre
    in log on (edge, 1).  Returns (x, w) of shape (m, n_low + n_mid)."""
    x, wx = quadrature.graded01(n_low, 3)
    s, ws = quadrature.legendre01(n_mid)
    e = edge[:, None]
    mid = e ** (1.0 - s)
    return np.concatenate([e * x, mid], axis=1), np.concatenate([e * wx, -mid * np.log(e) * ws], axis=1)


def _axis(c_max, beta, scale_inf, level):
    """Composite rule for one axis t on (0, inf); returns (t, w) of shape (m, J).  Below
    t* = min(1, c_max^(-2/beta)) the argument of phi is below 1 for every n; the transition of the
    integrand lies in (t*, 1), covered in log t.  On (1, inf) (t = 1/y) the integrand changes where
    t ~ scale_inf, so y is split at 1/scale_inf the same way."""
    n_low, n_mid = _LEVELS[level]
    t, w = _split(np.minimum(1.0, np.maximum(c_max, 1e-300) ** (-2.0 / beta)), n_low, n_mid)
    y, wy = _split(1.0 / np.maximum(scale_inf, 1.0), n_low, n_mid)
    return np.concatenate([t, 1.0 / y], axis=1), np.concatenate([w, wy / y**2], axis=1)


@lru_cache(maxsize=None)
def _multisets(J1: int, d: int):
    """The node index tuples j_1 <= ... <= j_d of a d-fold product rule with J1 points per axis,
    and for each the number of distinct orderings and the list of orderings: the integrand is
    symmetric in the axes apart from the weight, so each multiset is evaluated once."""
    combos = np.array(list(itertools.combinations_with_replacement(range(J1), d)), dtype=np.intp).reshape(-1, d)
    # distinct orderings = d! / prod over the distinct values of (their count)!
    fact = np.cumprod(np.r_[1.0, np.arange(1.0, d + 1.0)])
    dup = np.ones(len(combos))
    for i in range(d):
        count = np.sum(combos == combos[:, [i]], axis=1)
        first = np.all(combos[:, :i] != combos[:, [i]], axis=1)  # first position holding this value
        dup *= np.where(first, fact[count], 1.0)
    combos.setflags(write=False)
    return combos, math.factorial(d) / dup, np.array(list(itertools.permutations(range(d))), dtype=np.intp)


def _nodes(L, beta, c_max, level):
    """(a, b, w, K) with E(w) = sum_j w_j (1 + a_j phi(w b_j))^-K ("paper"), arrays of shape
    (m, J), for the m thresholds whose largest argument of phi is ``c_max``.

    The (L-1)-fold product of the axis rule, with each multiset of node indices taken once: the
    integrand depends on the t_i only through sum t_i and sum t_i^(-beta/2), so the orderings of a
    multiset share one value, weighed by the sum of prod_i t_i^(i-1) over them (the rule is
    exactly the full product rule, with (L-1)! fewer nodes).  (A + phi)^-K = A^-K (1 + phi/A)^-K
    with A = 1 + sum t: the factor A^-K joins the weights, in logarithms (the nodes on (1, inf)
    reach 1e100 for huge thresholds)."""
    K = (L * (L + 1)) // 2
    # the factor (1 + sum t + phi)^-K turns over where t ~ 1 + phi(c_max)
    t1, w1 = _axis(c_max, beta, np.minimum(1.0 + _phi(c_max, beta), 1e100), level)
    combos, mult, perms = _multisets(t1.shape[1], L - 1)
    t = t1[:, combos]  # (m, M, L-1)
    with np.errstate(over="ignore"):  # t^(-beta/2) = inf at the tiniest nodes: b = 0 there, rightly
        b = 1.0 / (1.0 + np.sum(t ** (-beta / 2.0), axis=-1))
    with np.errstate(divide="ignore"):  # weights that underflowed to 0 stay 0
        log_t, log_w1 = np.log(t), np.log(w1)
    powers = np.arange(L - 1)  # prod_i t_i^(i-1) summed over the orderings (repeats: / dup)
    X = np.stack([log_t[..., list(p)] @ powers for p in perms])
    top = X.max(axis=0)
    log_perm = top + np.log(np.sum(np.exp(X - top), axis=0))
    A = 1.0 + np.sum(t, axis=-1)
    log_w = (np.sum(log_w1[:, combos], axis=-1) + log_perm + np.log(mult / math.factorial(L - 1))
             + gammaln(K) - sum(gammaln(i) for i in range(1, L + 1)) - K * np.log(A))
    return 1.0 / A, b, np.exp(log_w), K


def _transform(L, beta, c_max, w, level):
    """E(w) for every threshold (rows of ``w``, shape (m, k), real or complex) with the rule of
    ``level`` ("paper"); for L = 1, E(w) = 1/(1 + phi(w)) needs no rule."""
    if L == 1:
        return 1.0 / (1.0 + _phi(w, beta))
    out = np.empty(w.shape, dtype=w.dtype)
    m, k = w.shape
    J = math.comb(2 * sum(_LEVELS[level]) + L - 2, L - 1)
    rows = max(1, _BLOCK // (k * J))
    cols = max(1, min(k, _BLOCK // J))
    for i in range(0, m, rows):
        a, b, wt, K = _nodes(L, beta, c_max[i:i + rows], level)
        for j in range(0, k, cols):
            arg = w[i:i + rows, j:j + cols, None] * b[:, None, :]
            out[i:i + rows, j:j + cols] = np.sum(wt[:, None, :] * (1.0 + a[:, None, :] * _phi(arg, beta)) ** (-K),
                                                 axis=-1)
    return out


# ----------------------------------------------------------------------------------------------
# The alternating binomial sum of eq. (19)


def _rice_rule(Q: int, h: float):
    """Nodes z and weights of (1/pi) Re int_0^inf E(c z) kern(z) dIm z on Re z = 1/2, Im z =
    sinh(tau)/2, tau = 0, h, 2h, ...; a bound on the kernel's relative rounding; and a bound on
    |kern| beyond the last node (the tail)."""
    y_max = 30.0 + 8000.0 / Q**2  # |kern| tail below 1e-16 beyond (checked for Q = 12..300)
    tau = np.arange(0.0, math.asinh(2.0 * y_max) + h, h)
    z = 0.5 + 0.5j * np.sinh(tau)
    # kern = Q! Gamma(1-z) / (z Gamma(Q+1-z)) = 1 / (z prod_j (1 - z/j)): the product keeps
    # the relative error near Q eps, where exp(loggamma) would lose eps |loggamma| ~ eps Q log Q
    prod = np.ones_like(z)
    for j in range(1, Q + 1):
        prod *= 1.0 - z / j
    kern = 1.0 / (z * prod)
    wt = h * 0.5 * np.cosh(tau) / math.pi
    wt[0] *= 0.5
    tail = abs(kern[-1]) * abs(z[-1]) / Q  # |kern| ~ |z|^-(Q+1) there
    return z, kern * wt, 2.0 * (Q + 8) * _EPS, tail


def _sum(c, Q, transform, level, h):
    """(P, err) of sum_{n=1}^Q (-1)^(n+1) C(Q, n) E(n c) for thresholds c (> 0, finite), with E
    from ``transform(w, level)``; err compares with the rule of level - 1 (and step 2h)."""
    if Q <= _Q_DIRECT:
        n = np.arange(1, Q + 1)
        coef = comb(Q, n) * (-1.0) ** (n + 1)
        w = c[:, None] * n
        fine, coarse = transform(w, level), transform(w, level - 1)
        P = fine @ coef
        err = np.abs(P - coarse @ coef) + 16 * _EPS * (np.abs(fine) @ np.abs(coef))
        return P, err
    z, kw, rel, tail = _rice_rule(Q, h)
    w = c[:, None] * z
    fine, coarse = transform(w, level), transform(w, level - 1)
    terms = (fine * kw).real
    P = terms.sum(-1)
    size = np.abs(fine * kw).sum(-1)
    # The trapezoid error at step h decays like exp(-pi^2 / h) (the kernel's poles 0 and 1 sit at
    # tau = +-i pi/2, E(c z) is analytic for Re z > 0), so the error at step h is about the square
    # of that at 2h, relative to the size of the integral: e_h <= e_2h^2 / size, with a factor 100.
    kw2 = 2.0 * kw[::2]  # the same trapezoid at step 2h (tau = 0 keeps its half weight)
    e_2h = np.abs(P - (fine[:, ::2] * kw2).real.sum(-1))
    e_h = e_2h * np.minimum(1.0, 100.0 * e_2h / np.maximum(size, 1e-300))
    err = e_h + np.abs(P - (coarse * kw).real.sum(-1)) + rel * size + tail
    return P, err


def _clip(P, err):
    """P clipped to [0, 1] where it lies outside by no more than its error estimate (rounding of a
    probability near 0 or 1); a larger excess is left visible."""
    excess = np.maximum(P - 1.0, -P)
    return np.where((excess > 0) & (excess <= err), np.clip(P, 0.0, 1.0), P)


def _coverage(T, Q, alpha, ratio, L, beta, distances, full_output, what):
    """Shared body of ``proposition1`` and ``theorem1``: P for every threshold, refined where
    the error estimate misses the default accuracy; clipped to [0, 1] only where the excess is
    within the error estimate."""
    Tf = T.ravel()
    with np.errstate(over="ignore"):
        c = alpha * Tf * ratio / Q
    if np.any(np.isinf(c) & np.isfinite(Tf)):
        raise ValueError(f"alpha T p_t / ((Mt - 1) p_c) must be below {np.finfo(float).max:.3g} (the largest "
                         f"double); got alpha = {alpha!r}, p_t/p_c = {ratio!r}, T up to {Tf.max()!r}")
    P = np.where(np.isinf(Tf), 0.0, 1.0)  # T = inf: 0; T = 0: exactly 1
    err = np.zeros(Tf.shape)
    live = (c > 0) & np.isfinite(c)
    idx = np.flatnonzero(live)
    gil_pelaez = L > 1 and (distances == "joint" or L > _L_PRODUCT or Q > _Q_DIRECT)
    if gil_pelaez and idx.size:  # P(G W >= T' J) or P(G S >= T' J): module docstring
        with np.errstate(over="ignore"):
            Tp = c[idx] * (Q / alpha)
        P[idx[np.isinf(Tp)]] = 0.0  # T' beyond the largest double: not covered, to double precision
        idx = idx[np.isfinite(Tp)]
        Tp = Tp[np.isfinite(Tp)]
        if distances == "joint":
            P[idx], err[idx] = _gilpelaez.coverage(Tp, L=L, Q=Q, delta=2.0 / beta, conjecture1=True, rtol=MAX_REL_ERR,
                                                   atol=ATOL, alpha=alpha)
        else:
            P[idx], err[idx] = _independent.coverage(Tp, L=L, Q=Q, delta=2.0 / beta, alpha=alpha, rtol=MAX_REL_ERR,
                                                     atol=ATOL)
        idx = idx[err[idx] > np.maximum(MAX_REL_ERR * np.abs(P[idx]), ATOL)]
    if not gil_pelaez or (distances == "paper" and L <= _L_PRODUCT):
        # L = 1, and the product rule: where it is the faster route, and where the Gil-Pelaez
        # route missed the target (beta close to 2, where its u rule converges slowly)
        for attempt, level in enumerate((1, 2)):
            if idx.size == 0:
                break
            ci = c[idx]
            trf = lambda w, lev: _transform(L, beta, Q * ci, w, lev)
            P[idx], err[idx] = _sum(ci, Q, trf, level, _TAU_STEP[attempt])
            idx = idx[err[idx] > np.maximum(MAX_REL_ERR * np.abs(P[idx]), ATOL)]
    if idx.size:
        warnings.warn(f"{what}: accuracy {err[idx].max():.2g} reached (asked {MAX_REL_ERR:g} relative, {ATOL:g} absolute) "
                      f"at L = {L}, Mt = {Q + 1}, beta = {beta}, T = {Tf[idx[np.argmax(err[idx])]]!r}",
                      RuntimeWarning, stacklevel=3)
    P, err = _clip(P, err).reshape(T.shape), err.reshape(T.shape)
    return Estimate(P, err) if full_output else P


def _prepare(T, Mt, p_c, p_t, alpha, full_output):
    T = check_threshold(T)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT_THEOREM1)
    p_c, p_t = check_powers(p_c, p_t, name="p_c")
    full_output = check_flag("full_output", full_output)
    Q = Mt - 1
    alpha = optimal_alpha(Q) if alpha is None else check_real("alpha", alpha, lower=0.0)
    return T, Q, alpha, p_t / p_c, full_output  # only the power ratio matters


def proposition1(T: ArrayLike, *, Mt: int, p_c: float, p_t: float = 1.0, alpha: float | None = None,
                 full_output: bool = False) -> np.ndarray | Estimate:
    """Proposition 1 (eq. 11): coverage for L = 1, beta = 4,

        P_c = sum_{n=1}^Q (-1)^(n+1) C(Q, n) / (1 + sqrt(c_n) (pi/2 - arcsin(sqrt(U'))))

    with Q = Mt - 1 (Mt in [2, MAX_MT_THEOREM1]), c_n = alpha n T p_t/(Q p_c), U' = 1/(1 + c_n); alpha
    defaults to ``optimal_alpha(Mt - 1)``.  pi/2 - arcsin(sqrt(U')) is evaluated as
    arctan(sqrt(c_n)) (the same number, without cancellation at small c_n).  Independent of lam.
    With Mt = 2 (alpha = 1) it is the Andrews-Baccelli-Ganti formula at threshold T p_t/p_c.

    The alternating sum is evaluated as Rice's integral for Mt > 12 (module docstring), accurate
    to about 1e-14 at any Mt.  ``full_output=True`` returns ``results.Estimate(value, error)``.
    """
    T, Q, alpha, ratio, full_output = _prepare(T, Mt, p_c, p_t, alpha, full_output)
    return _coverage(T, Q, alpha, ratio, 1, 4.0, "joint", full_output, "proposition1")


def theorem1(T: ArrayLike, *, L: int, Mt: int, beta: float, p_c: float, p_t: float = 1.0, lam: float = 1.0,
             alpha: float | None = None, distances: str = "paper",
             full_output: bool = False) -> np.ndarray | Estimate:
    """Theorem 1 (eq. 10): coverage with L cooperating BSs under Conjectures 1-2,

        P_c = sum_{n=1}^Q (-1)^(n+1) C(Q, n) E[exp(-pi lam H_1(Q, n, beta, T, p_t, p_c))],

    Q = Mt - 1, alpha defaults to ``optimal_alpha(Mt - 1)``; the expectation is over r_1..r_L:

    - ``distances="paper"``: the product f(r_1)...f(r_L) of the marginal pdfs of eq. (21), each
      normalised (the n-th nearest distance pdf 2 (lam pi r^2)^n e^{-lam pi r^2} / (r (n-1)!)).
      Printed, eq. (21) gives f(r_1) = 2 pi lam r_1 e^{-pi lam r_1^2} correctly but f(r_L) without
      the factor 2, so each of r_2..r_L would carry mass 1/2 and eq. (10) read literally would be
      2^-(L-1) times the value returned here (identical for L = 1).
    - ``distances="joint"``: the exact joint pdf (2 pi lam)^L r_1...r_L e^{-pi lam r_L^2} on
      r_1 < ... < r_L.

    For L = 1 both are the same; with beta = 4 they equal Proposition 1.  lam is accepted and
    validated but the value does not depend on it (scale invariance; see the module docstring),
    nor do p_c and p_t except through p_t/p_c.  Mt in [2, MAX_MT_THEOREM1]; L in [1, MAX_L_THEOREM1]
    with "joint", in [1, MAX_L_PAPER] with "paper".

    Accuracy: 1e-8 relative (1e-10 absolute below 1e-2) by default, checked against a coarser rule
    and refined where missed (a ``RuntimeWarning`` says where even that is not enough).
    ``full_output=True`` returns ``results.Estimate(value, error)``.  Cost: "joint" with L >= 2 is
    one Gil-Pelaez integral (the module docstring: the same number as eq. (19), without its
    alternating sum), a fraction of a second for 50 thresholds at any L and Mt.  "paper" is one
    Gil-Pelaez integral too (P(G S >= T' J), coopisac._independent), of about a second for 50
    thresholds, except for L = 2, 3 with Mt <= 12, where the product rule of 112 points per axis
    over the L - 1 axes with the direct sum over n = 1..Q costs less (0.003-0.3 s).
    """
    check_choice("distances", distances, ("paper", "joint"))
    L = check_int("L", L, minimum=1, maximum=MAX_L_THEOREM1 if distances == "joint" else MAX_L_PAPER)
    beta = check_beta(beta)
    check_real("lam", lam, lower=0.0)
    T, Q, alpha, ratio, full_output = _prepare(T, Mt, p_c, p_t, alpha, full_output)
    return _coverage(T, Q, alpha, ratio, L, beta, distances, full_output, "theorem1")


# ----------------------------------------------------------------------------------------------
# Exact coverage (no conjecture) and the coverage under Conjecture 1 alone, by one Gil-Pelaez
# integral each (the route and its numerics: coopisac._gilpelaez)

MAX_L = 16  # largest serving cluster of exact_coverage / conjecture1_coverage (the verified range)
MAX_MT = 64  # largest number of transmit antennas there
_ATOL = 1e-10  # absolute accuracy where the coverage is below 1e-2 (MAX_REL_ERR above)


def _gil_pelaez(T, L, Mt, beta, p_c, p_t, full_output, conjecture1, name):
    T = check_threshold(T)
    L = check_int("L", L, minimum=1, maximum=MAX_L)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    beta = check_beta(beta)
    p_c, p_t = check_powers(p_c, p_t, name="p_c")
    full_output = check_flag("full_output", full_output)
    # T' = T p_t / p_c: only the power ratio matters; T' = inf (overflow): not covered, the limit
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        Tp = np.where(T == 0, 0.0, T / (p_c / p_t)).ravel()
    value = np.where(Tp == 0, 1.0, 0.0)  # T' = 0: covered; T' = inf: not
    error = np.zeros(Tp.shape)
    live = (Tp > 0) & np.isfinite(Tp)
    if live.any():
        v, e = _gilpelaez.coverage(Tp[live], L=L, Q=Mt - 1, delta=2.0 / beta, conjecture1=conjecture1,
                                   rtol=MAX_REL_ERR, atol=_ATOL)
        tol = np.maximum(MAX_REL_ERR * np.abs(v), _ATOL)
        if np.any(e > tol):
            k = int(np.argmax(e / tol))
            warnings.warn(f"{name}: estimated error {e[k]:.1e} at T = {T.ravel()[live][k]!r} (L = {L}, Mt = {Mt}, "
                          f"beta = {beta}) exceeds the target {tol[k]:.1e} after refining", RuntimeWarning, stacklevel=3)
        # probabilities: clip only an excess that lies within the error estimate
        value[live] = np.where((v > 1) & (v - 1 <= e), 1.0, np.where((v < 0) & (-v <= e), 0.0, v))
        error[live] = e
    value, error = value.reshape(T.shape), error.reshape(T.shape)
    return Estimate(value, error) if full_output else value


def exact_coverage(T: ArrayLike, *, L: int, Mt: int, beta: float, p_c: float, p_t: float = 1.0,
                   full_output: bool = False) -> np.ndarray | Estimate:
    """Exact coverage P(SIR_c >= T) of eq. (3) under the paper's fading model, no conjecture:
    L serving BSs with iid Gamma(Mt-1, 1) gains, Exp(1) interferers, and the true joint law of the
    ordered distances r_1 < ... < r_L.  L = 1..MAX_L, Mt = 2..MAX_MT, any beta > 2.

    In x = pi lam r^2 units the first L-1 arrivals, given x_L, are iid uniform on (0, x_L), so with
    t_i = x_i/x_L, V_i = t_i^-beta/2 and T' = T p_t/p_c the covered event is S >= T' J with
    S = g_L + sum_{i<L} g_i V_i independent of J = x_L^(beta/2) I, and

        P_c = 1/2 + (1/pi) int_0^inf Im[(1 - iu)^-Q m(u)^(L-1) (1 + F(i u T'))^-L] du/u,

    Q = Mt - 1, m(u) = E[(1 - iuV)^-Q], F(s) = int_1^inf s/(y^(beta/2) + s) dy (the Laplace exponent
    H_1 of eq. 20 per unit pi lam r_L^2, continued to s = iu T').  No alternating sum, no
    L-dimensional integral.  Independent of lam.  L = 1 with Mt = 2 is
    ``rayleigh_coverage(T p_t/p_c, beta)``.

    Accuracy: 1e-8 relative, or 1e-10 absolute where the coverage is below 1e-2, estimated by
    comparing the trapezoid rule with the one of half its step (which it contains); the step
    halves until the estimate meets the target, and a RuntimeWarning names the threshold and the
    accuracy reached where it cannot.  ``full_output=True`` returns ``results.Estimate(value,
    error)`` with that estimate of the absolute error.
    """
    return _gil_pelaez(T, L, Mt, beta, p_c, p_t, full_output, False, "exact_coverage")


def conjecture1_coverage(T: ArrayLike, *, L: int, Mt: int, beta: float, p_c: float, p_t: float = 1.0,
                         full_output: bool = False) -> np.ndarray | Estimate:
    """Coverage under Conjecture 1 alone: the serving signal is ONE g ~ Gamma(Mt-1, 1) times
    sum_{i<=L} r_i^-beta, with the exact Gamma CCDF (no Conjecture 2) and the true joint law of the
    distances; Exp(1) interferers.  With W = 1 + sum_{i<L} V_i (notation of ``exact_coverage``):

        P_c = P(g W >= T' J) = 1/2 + (1/pi) int_0^inf Im[E(e^{iugW}) (1 + F(i u T'))^-L] du/u,
        E(e^{iugW}) = (1 - iu)^-Q E_g[m1(g u/(1 - iu))^(L-1)],  m1(z) = E[e^{izV}],

    (the Gamma integral turned onto the ray g (1 - iu) > 0; coopisac._gilpelaez).  For L = 1 it is
    ``exact_coverage``.  Beside ``exact_coverage`` and ``theorem1(distances="joint")`` it isolates
    the cost of each approximation of Theorem 1.  Accuracy, refinement, warning and
    ``full_output`` as in ``exact_coverage``.
    """
    return _gil_pelaez(T, L, Mt, beta, p_c, p_t, full_output, L > 1, "conjecture1_coverage")


def exact_coverage_L1(T: ArrayLike, *, Mt: int, beta: float, p_c: float, p_t: float = 1.0,
                      full_output: bool = False) -> np.ndarray | Estimate:
    """Exact coverage for L = 1 (nearest BS, Gamma(Mt-1, 1) gain, no Conjecture 1 or 2): the L = 1
    case of ``exact_coverage``.  It equals sum_{k<Q} (-c)^k/k! psi^(k)(c), c = T p_t/p_c,
    psi = ``rayleigh_coverage(., beta)`` (the tests check it against that series)."""
    return exact_coverage(T, L=1, Mt=Mt, beta=beta, p_c=p_c, p_t=p_t, full_output=full_output)
