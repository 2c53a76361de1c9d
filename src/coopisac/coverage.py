"""Communication coverage: Theorem 1 (eq. 10), Proposition 1 (eq. 11), and exact references.

Model (paper, Section II-B and Appendix A): the L nearest BSs serve the typical user with gains
g_i ~ Gamma(Mt-1, 1); every other BS interferes with an Exp(1) gain; interference-limited SIR_c
(eq. 3) with powers p_c (serving) and p_t (interfering).  T is a linear SIR threshold (scalar or
array); results have T's shape.

Reduction used for Theorem 1 (both distance laws).  Write Q = Mt - 1, c_n = alpha n T p_t/(Q p_c)
and x_i = pi lam r_i^2.  Given the distances, the n-th term of eq. (19) is exp(-pi lam H_1) with

    pi lam H_1 = x_L phi(z),   z = s r_L^-beta = c_n / sum_i (x_i/x_L)^(-beta/2),
    phi(z) = int_1^inf z u^(-beta/2) / (1 + z u^(-beta/2)) du
           = delta B(delta, 1-delta) z^delta I_{z/(1+z)}(1-delta, delta),   delta = 2/beta,

(the bracket B(delta, 1-delta) - B(Q_L; delta, 1-delta) of eq. 20 is B(delta, 1-delta) times the
complementary regularised incomplete beta, evaluated here without cancellation).  The exponent is
homogeneous of degree 1 in (x_1, ..., x_L); with t_i = x_i/x_L (i < L) and
b(t) = 1/(1 + sum_{i<L} t_i^(-beta/2)), z = c_n b(t), and the scale x_L integrates out in closed
form, leaving an (L-1)-dimensional integral:

- "joint" (exact law of r_1 < ... < r_L): x_L ~ Gamma(L) is independent of the t_i, the order
  statistics of L-1 uniforms; the integrand is symmetric in them, so
      E_n = int_{(0,1)^(L-1)} (1 + phi(c_n b(t)))^-L dt.
- "paper" (eq. 21: independent r_i with the marginal laws x_i ~ Gamma(i)): integrating x_L against
  the product of Gamma(i) densities gives, with K = L(L+1)/2 (r_L need not be the largest here),
      E_n = Gamma(K)/prod_i Gamma(i) int_{(0,inf)^(L-1)} prod_i t_i^(i-1) (1 + sum t_i + phi(c_n b(t)))^-K dt.

lam drops out of both: the coverage does not depend on the BS density.  Each axis uses a
fixed composite Gauss rule adapted to the threshold (all thresholds at once, nodes of shape
(thresholds, nodes)): z changes from small to large around t ~ c_n^(-2/beta), so the axis is split
at t* = min(1, c_1^(-2/beta)); (0, t*) takes a rule graded at 0 (``quadrature.graded01``, which
makes the t^(beta/2) terms smooth), (t*, 1) Gauss-Legendre in log t, and for "paper" (1, inf) a
graded rule in 1/t.
"""
from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
from scipy.special import beta as beta_fn, betainc, comb, gammaln

from . import _gilpelaez, quadrature
from ._checks import check_beta, check_choice, check_flag, check_int, check_powers, check_real, check_threshold
from .approximations import optimal_alpha
from .results import Estimate

__all__ = ["phi", "rayleigh_coverage", "proposition1", "theorem1", "exact_coverage_L1", "exact_coverage",
           "conjecture1_coverage", "MAX_REL_ERR", "MAX_L", "MAX_MT"]

MAX_REL_ERR = 1e-8  # results whose estimated rounding error exceeds this are recomputed in mpmath
_ETA = 2e-15  # bound on the relative rounding error of one double-precision term (measured: <= 2.6e-16)
_BLOCK = 2**20  # (thresholds x nodes) elements per block
_N_LOW, _N_MID = 32, 24  # Gauss points per axis on (0, t*) and (t*, 1); the same again on (1, inf)


def phi(z, beta):
    """phi(z) = int_1^inf z u^(-beta/2) / (1 + z u^(-beta/2)) du: the Laplace exponent, per unit
    pi lam r_L^2, of Exp(1)-faded interference from an HPPP outside the disc of radius r_L, at
    s = z r_L^beta (eq. 20, H_1).  Equals rho(z, beta) = 2z/(beta-2) 2F1(1, 1-2/beta; 2-2/beta; -z)
    of Andrews-Baccelli-Ganti; for beta = 4, sqrt(z) arctan(sqrt(z))."""
    z = np.asarray(z, dtype=float)
    if beta == 4.0:  # the closed form behind Proposition 1 (Appendix B), cheaper than betainc
        return np.sqrt(z) * np.arctan(np.sqrt(z))
    d = 2.0 / beta
    with np.errstate(invalid="ignore"):
        out = d * beta_fn(d, 1.0 - d) * z**d * betainc(1.0 - d, d, z / (1.0 + z))
    return np.where(np.isinf(z), np.inf, out)


def rayleigh_coverage(T, beta):
    """Andrews-Baccelli-Ganti (2011) coverage of the nearest BS under Rayleigh fading, no noise:
    1 / (1 + rho(T, beta)), rho = 2T/(beta-2) 2F1(1, 1-2/beta; 2-2/beta; -T)."""
    T = check_threshold(T)
    beta = check_beta(beta)
    return 1.0 / (1.0 + phi(T, beta))


# ----------------------------------------------------------------------------------------------
# The alternating binomial sum of eq. (19), with a rounding-error guard


def _terms(c1, Q, A, b, w, K, beta):
    """E_n = sum_j w_j (A_j + phi(n c1 b_j))^-K for n = 1..Q; shape (thresholds, Q).
    A, b, w have shape (thresholds, nodes) or (1, nodes)."""
    out = np.empty(c1.shape + (Q,))
    for n in range(1, Q + 1):  # a loop over n keeps the (thresholds, nodes) block cache-sized
        out[:, n - 1] = np.sum(w * (A + phi(n * c1[:, None] * b, beta)) ** (-K), axis=-1)
    return out


def _mp_sum(c1, Q, A, b, w, K, beta, dps):
    """The same alternating sum in mpmath at ``dps`` digits, node by node.  The nodes and weights
    are those of the double-precision rule: its quadrature error is a linear functional of the
    whole combined integrand, and is not amplified by the cancellation; only rounding is."""
    A, b, w = np.broadcast_arrays(A, b, w)
    A, b, w = (np.broadcast_to(x, (len(c1), x.shape[-1])) for x in (A, b, w))
    with mpmath.workdps(dps):
        d = mpmath.mpf(2) / mpmath.mpf(beta)
        cst = d * mpmath.beta(d, 1 - d)
        coef = [(-1) ** (n + 1) * mpmath.binomial(Q, n) for n in range(1, Q + 1)]

        def phi_mp(z):
            if beta == 4.0:
                return mpmath.sqrt(z) * mpmath.atan(mpmath.sqrt(z))
            return cst * z**d * mpmath.betainc(1 - d, d, 0, z / (1 + z), regularized=True)

        out = np.empty(len(c1))
        for m, c in enumerate(c1):
            c = mpmath.mpf(c)
            acc = mpmath.mpf(0)
            for aj, bj, wj in zip(A[m], b[m], w[m]):
                aj, cb = mpmath.mpf(aj), c * mpmath.mpf(bj)
                acc += wj * sum(cf * (aj + phi_mp((n + 1) * cb)) ** (-K) for n, cf in enumerate(coef))
            out[m] = float(acc)
        return out


def _binomial_sum(T, c1, Q, rule, beta):
    """sum_{n=1}^Q (-1)^(n+1) C(Q, n) E_n (eq. 19), on the flat threshold array ``T``;
    ``rule(c1)`` gives the nodes (A, b, w) and K for the finite thresholds.

    The terms cancel: a term's rounding error is amplified by kappa = sum_n C(Q,n) E_n / |sum|.
    Where kappa * _ETA > MAX_REL_ERR the value is recomputed with mpmath at enough digits."""
    out = np.zeros(T.shape)
    live = np.isfinite(T)  # T = inf: coverage 0
    if not live.any():
        return out
    coef = comb(Q, np.arange(1, Q + 1)) * (-1.0) ** np.arange(0, Q)
    res = []
    c_all = c1[live]
    J = np.shape(rule(c_all[:1])[2])[-1]
    step = max(1, _BLOCK // J)  # thresholds per block: keeps the node arrays near _BLOCK elements
    for c1 in np.array_split(c_all, range(step, len(c_all), step)):
        A, b, w, K = rule(c1)
        E = _terms(c1, Q, A, b, w, K, beta)
        total = E @ coef
        mag = np.abs(E) @ np.abs(coef)
        with np.errstate(divide="ignore", invalid="ignore"):
            kappa = np.where(mag == 0, 1.0, mag / np.abs(total))
        bad = ~(kappa * _ETA <= MAX_REL_ERR)
        if bad.any():
            dps = int(20 + math.log10(max(float(np.max(np.where(bad, kappa, 1.0))), 1.0)))
            sel = lambda x: x[bad] if np.shape(x)[0] == len(c1) else x
            total[bad] = _mp_sum(c1[bad], Q, sel(A), sel(b), sel(w), K, beta, dps)
        res.append(total)
    out[live] = np.concatenate(res)
    return out


def _prepare(T, Mt, p_c, p_t, alpha):
    T = check_threshold(T)
    Mt = check_int("Mt", Mt, minimum=2)
    p_c, p_t = check_powers(p_c, p_t, name="p_c")
    Q = Mt - 1
    alpha = optimal_alpha(Q) if alpha is None else check_real("alpha", alpha, lower=0.0)
    Tf = T.ravel()
    return T, Tf, Q, alpha * Tf * p_t / (Q * p_c)


def _single_node(c1):
    one = np.ones((1, 1))
    return one, one, one, 1


def proposition1(T, *, Mt: int, p_c: float, p_t: float = 1.0, alpha=None):
    """Proposition 1 (eq. 11): coverage for L = 1, beta = 4,

        P_c = sum_{n=1}^Q (-1)^(n+1) C(Q, n) / (1 + sqrt(c_n) (pi/2 - arcsin(sqrt(U'))))

    with Q = Mt - 1, c_n = alpha n T p_t/(Q p_c), U' = 1/(1 + c_n); alpha defaults to
    ``optimal_alpha(Mt - 1)``.  pi/2 - arcsin(sqrt(U')) is evaluated as arctan(sqrt(c_n)) (the same
    number, without cancellation at small c_n).  Independent of lam.  With Mt = 2 (alpha = 1) it is
    the Andrews-Baccelli-Ganti formula at threshold T p_t/p_c.

    Precision: the terms alternate in sign.  Their rounding (measured <= 2.6e-16 relative per term)
    is amplified by kappa = sum_n C(Q,n) E_n / P_c, which grows like 2^Q where P_c is small; where
    kappa * 2e-15 > 1e-8 the sum is redone in mpmath (slower, same result to 1e-8).  In double
    precision alone the error over T in [-10, 20] dB (p_c = p_t) stays below 1e-8 up to Mt = 27.
    """
    T, Tf, Q, c1 = _prepare(T, Mt, p_c, p_t, alpha)
    return _binomial_sum(Tf, c1, Q, _single_node, 4.0).reshape(T.shape)


def _split(edge):
    """Rule on (0, 1) split at ``edge`` (shape (m,)): graded toward 0 on (0, edge), Gauss-Legendre
    in log on (edge, 1).  Returns (x, w) of shape (m, _N_LOW + _N_MID)."""
    x, wx = quadrature.graded01(_N_LOW, 3)
    s, ws = quadrature.legendre01(_N_MID)
    e = edge[:, None]
    mid = e ** (1.0 - s)
    return np.concatenate([e * x, mid], axis=1), np.concatenate([e * wx, -mid * np.log(e) * ws], axis=1)


def _axis(c_max, beta, unbounded, scale_inf):
    """Composite rule for one axis t on (0, 1), or (0, inf) if ``unbounded``; returns (t, w) of
    shape (m, J).  Below t* = min(1, c_max^(-2/beta)) the argument z of phi is below 1 for every n;
    the transition of the integrand lies in (t*, 1), covered in log t.  On (1, inf) (t = 1/y) the
    integrand changes where t ~ scale_inf, so y is split at 1/scale_inf the same way."""
    t, w = _split(np.minimum(1.0, np.maximum(c_max, 1e-300) ** (-2.0 / beta)))
    if not unbounded:
        return t, w
    y, wy = _split(1.0 / np.maximum(scale_inf, 1.0))
    return np.concatenate([t, 1.0 / y], axis=1), np.concatenate([w, wy / y**2], axis=1)


def _rule(L, Q, beta, distances):
    """rule(c1) -> (A, b, w, K) with E_n = sum_j w_j (A_j + phi(n c1 b_j))^-K (module docstring)."""
    if L == 1:
        return _single_node
    paper = distances == "paper"
    K = (L * (L + 1)) // 2 if paper else L

    def rule(c1):
        # paper: the factor (1 + sum t + phi)^-K turns over where t ~ 1 + phi(c_n)
        t1, w1 = _axis(Q * c1, beta, paper, 1.0 + phi(Q * c1, beta))
        m, J1 = t1.shape
        # product rule over the L-1 axes: node index (j_1, ..., j_{L-1}) flattened
        t = [np.broadcast_to(t1.reshape((m,) + (1,) * i + (J1,) + (1,) * (L - 2 - i)), (m,) + (J1,) * (L - 1))
             .reshape(m, -1) for i in range(L - 1)]
        w = np.ones((m, J1 ** (L - 1)))
        for i in range(L - 1):
            wi = w1.reshape((m,) + (1,) * i + (J1,) + (1,) * (L - 2 - i))
            w = w * np.broadcast_to(wi, (m,) + (J1,) * (L - 1)).reshape(m, -1)
        b = 1.0 / (1.0 + sum(ti ** (-beta / 2.0) for ti in t))
        if not paper:
            return np.ones((1, 1)), b, w, K
        for i, ti in enumerate(t, start=1):
            w = w * ti ** (i - 1)
        w = w * math.exp(gammaln(K) - sum(gammaln(i) for i in range(1, L + 1)))
        return 1.0 + sum(t), b, w, K

    return rule


def theorem1(T, *, L: int, Mt: int, beta: float, p_c: float, p_t: float = 1.0, lam: float = 1.0, alpha=None,
             distances: str = "paper"):
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
    validated but the value does not depend on it (scale invariance; see the module docstring).
    Cost: a product rule of 56 ("joint") or 112 ("paper") points per axis over the L - 1 axes, per
    threshold: fast for L <= 3, costly beyond (L = 4 "paper": 1.4e6 nodes per threshold).
    Precision: quadrature error below 1e-11 relative (checked by doubling the rule, beta in
    [2.2, 6], T up to 30 dB).  Rounding: as in ``proposition1`` (the same guard; where it
    switches to mpmath, that path costs about a millisecond per node and threshold).
    """
    L = check_int("L", L, minimum=1)
    beta = check_beta(beta)
    check_real("lam", lam, lower=0.0)
    check_choice("distances", distances, ("paper", "joint"))
    T, Tf, Q, c1 = _prepare(T, Mt, p_c, p_t, alpha)
    return _binomial_sum(Tf, c1, Q, _rule(L, Q, beta, distances), beta).reshape(T.shape)


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
    Tp = (T * (p_t / p_c)).ravel()  # T' = T p_t / p_c: only the power ratio matters
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


def exact_coverage(T, *, L: int, Mt: int, beta: float, p_c: float, p_t: float = 1.0, full_output: bool = False):
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


def conjecture1_coverage(T, *, L: int, Mt: int, beta: float, p_c: float, p_t: float = 1.0,
                         full_output: bool = False):
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


def exact_coverage_L1(T, *, Mt: int, beta: float, p_c: float, p_t: float = 1.0, full_output: bool = False):
    """Exact coverage for L = 1 (nearest BS, Gamma(Mt-1, 1) gain, no Conjecture 1 or 2): the L = 1
    case of ``exact_coverage``.  It equals sum_{k<Q} (-c)^k/k! psi^(k)(c), c = T p_t/p_c,
    psi = ``rayleigh_coverage(., beta)`` (the tests check it against that series)."""
    return exact_coverage(T, L=1, Mt=Mt, beta=beta, p_c=p_c, p_t=p_t, full_output=full_output)
