"""Coverage: Proposition 1, Theorem 1 and the exact L = 1 coverage against independent references
(closed forms, printed formulas transcribed literally, mpmath on the original r-space integrals)."""
import math

import mpmath as mp
import numpy as np
import pytest
from scipy.special import hyp2f1

from coopisac import approximations as ap
from coopisac import coverage as cv

TdB = np.array([-10.0, -5.0, 0.0, 5.0, 10.0, 15.0, 20.0])
T7 = 10 ** (TdB / 10)


def abg_beta4(T):
    """Andrews-Baccelli-Ganti, nearest BS, Rayleigh, beta = 4 (closed form)."""
    T = np.asarray(T, dtype=float)
    return 1.0 / (1.0 + np.sqrt(T) * (np.pi / 2 - np.arctan(1.0 / np.sqrt(T))))


def mp_rspace(T, *, L, Mt, beta, p_c, alpha, distances, lam=1, p_t=1, method="tanh-sinh"):
    """Theorem 1 straight from eqs. (20)-(22) in mpmath: nested ``mpmath.quad`` over r_1..r_L of
    exp(-pi lam H_1), H_1 as printed (unregularised incomplete beta), times the normalised
    marginal pdfs ("paper") or the joint pdf of r_1 < ... < r_L ("joint")."""
    beta, lam, T, p_c, p_t = (mp.mpf(x) for x in (beta, lam, T, p_c, p_t))
    Q = Mt - 1
    d = 2 / beta
    Bfull = mp.beta(d, 1 - d)
    pl = mp.pi * lam

    def H1(rs, n):  # rs = (r_1, ..., r_L)
        D = sum(r ** (-beta) for r in rs)
        s = alpha * n * T * p_t / (Q * p_c * D)
        QL = 1 / (1 + s * rs[-1] ** (-beta))
        return d * s**d * (Bfull - mp.betainc(d, 1 - d, 0, QL))

    def marg(r, i):  # pdf of the i-th nearest distance
        return 2 * (pl * r**2) ** i * mp.exp(-pl * r**2) / (r * mp.factorial(i - 1))

    cuts = [0] + [x / mp.sqrt(lam) for x in (mp.mpf(1) / 2, 1, 2, 4)] + [mp.inf]

    def term(n):
        def inner(rs):  # rs = (r_L, r_{L-1}, ...) from the outer integral inwards
            k = len(rs)
            if k == L:
                return mp.exp(-pl * H1(rs[::-1], n))
            if distances == "joint":
                return mp.quad(lambda r: inner(rs + [r]) * 2 * pl * r, [0, rs[-1]], method=method)
            return mp.quad(lambda r: inner(rs + [r]) * marg(r, L - k), cuts, method=method)

        if distances == "joint":
            return mp.quad(lambda r: inner([r]) * 2 * pl * r * mp.exp(-pl * r**2), cuts, method=method)
        return mp.quad(lambda r: inner([r]) * marg(r, L), cuts, method=method)

    return sum((-1) ** (n + 1) * mp.binomial(Q, n) * term(n) for n in range(1, Q + 1))


# ---------------------------------------------------------------------------------------------
# closed forms


def test_abg_published_values():
    want = [0.9117, 0.7764, 0.5601, 0.3469, 0.2000, 0.1131, 0.0636]  # ABG 2011, 4 decimals
    assert np.allclose(cv.rayleigh_coverage(T7, 4.0), want, atol=5e-5)
    assert np.allclose(cv.rayleigh_coverage(T7, 4.0), abg_beta4(T7), rtol=1e-14)


@pytest.mark.parametrize("beta", [2.3, 3.0, 3.7, 4.0, 5.5])
def test_phi_is_abg_rho(beta):
    rho = 2 * T7 / (beta - 2) * hyp2f1(1, 1 - 2 / beta, 2 - 2 / beta, -T7)
    assert np.allclose(cv.phi(T7, beta), rho, rtol=1e-12, atol=0)


@pytest.mark.parametrize("p_c", [1.0, 0.3])
def test_proposition1_Mt2_is_abg(p_c):
    assert ap.optimal_alpha(1) == 1.0
    assert np.allclose(cv.proposition1(T7, Mt=2, p_c=p_c), abg_beta4(T7 / p_c), rtol=1e-12, atol=0)


@pytest.mark.parametrize("Mt", [3, 4, 10])
def test_proposition1_is_printed_eq11(Mt):
    """Eq. (11) transcribed literally (arcsin form), and Theorem 1 at L = 1, beta = 4."""
    Q, alpha, p_c = Mt - 1, ap.optimal_alpha(Mt - 1), 0.6
    n = np.arange(1, Q + 1)
    c = alpha * n * T7[:, None] / (Q * p_c)
    U = 1 / (1 + c)
    terms = 1 / (1 + np.sqrt(c) * (np.pi / 2 - np.arcsin(np.sqrt(U))))
    want = terms @ (np.array([math.comb(Q, k) for k in n]) * (-1.0) ** (n + 1))
    got = cv.proposition1(T7, Mt=Mt, p_c=p_c)
    assert np.allclose(got, want, rtol=1e-10, atol=0)
    for dist in ("paper", "joint"):
        assert np.allclose(cv.theorem1(T7, L=1, Mt=Mt, beta=4, p_c=p_c, distances=dist), got, rtol=1e-10, atol=0)


def test_shape_and_limits():
    T = np.array([[0.0, 1.0], [np.inf, 3.0]])
    for f in (lambda t: cv.theorem1(t, L=2, Mt=4, beta=3.5, p_c=1.0),
              lambda t: cv.proposition1(t, Mt=4, p_c=1.0),
              lambda t: cv.exact_coverage_L1(t, Mt=4, beta=3.5, p_c=1.0)):
        p = f(T)
        assert p.shape == T.shape
        assert p[0, 0] == pytest.approx(1.0, abs=1e-13) and p[1, 0] == 0.0
        assert np.ndim(f(2.0)) == 0


# ---------------------------------------------------------------------------------------------
# Theorem 1 against mpmath on the r-space integrals

@pytest.mark.parametrize("beta, Mt, T, lam", [(3.0, 4, 2.0, 1.0), (4.0, 10, 0.3, 2.5), (5.0, 4, 30.0, 0.3),
                                              (2.5, 3, 8.0, 1.0)])
def test_theorem1_L1_vs_mpmath(beta, Mt, T, lam):
    with mp.workdps(30):
        ref = mp_rspace(T, L=1, Mt=Mt, beta=beta, p_c="0.5", alpha=mp.mpf(ap.optimal_alpha(Mt - 1)),
                        distances="paper", lam=lam)
    got = cv.theorem1(T, L=1, Mt=Mt, beta=beta, p_c=0.5, lam=lam)
    assert got == pytest.approx(float(ref), rel=1e-8)


# Reference values computed with ``mp_rspace`` above (nested mpmath.quad; dps and method given),
# p_c = 0.5, p_t = 1, lam = 1, alpha = optimal_alpha(Mt - 1), method="gauss-legendre" (smooth at
# beta = 4).  They took 3 and 0.5 minutes, too long for the suite; L = 3 would take hours.
RSPACE = [
    # (L, Mt, beta, T, distances, dps, value)
    (2, 4, 4.0, 2.0, "joint", 30, "0.7587230572962058675526923"),
    (2, 2, 4.0, 5.0, "paper", 20, "0.3652485000569785682571269"),
]


@pytest.mark.parametrize("L, Mt, beta, T, dist, dps, value", RSPACE)
def test_theorem1_vs_stored_mpmath(L, Mt, beta, T, dist, dps, value):
    got = cv.theorem1(T, L=L, Mt=Mt, beta=beta, p_c=0.5, distances=dist)
    assert got == pytest.approx(float(value), rel=1e-8)


# ---------------------------------------------------------------------------------------------
# precision guard


@pytest.mark.parametrize("Mt", [30, 45])
def test_large_Mt_proposition1_vs_mpmath_eq11(Mt):
    """Beyond the double-precision limit the result must still be right: eq. (11) at 60 digits."""
    Q, alpha = Mt - 1, mp.mpf(ap.optimal_alpha(Mt - 1))
    T = np.array([0.1, 10.0, 100.0, 1000.0])
    with mp.workdps(60):
        ref = [sum((-1) ** (n + 1) * mp.binomial(Q, n)
                   / (1 + mp.sqrt(c) * (mp.pi / 2 - mp.asin(mp.sqrt(1 / (1 + c)))))
                   for n in range(1, Q + 1) for c in [alpha * n * mp.mpf(t) / Q]) for t in T]
    got = cv.proposition1(T, Mt=Mt, p_c=1.0)
    assert np.allclose(got, np.array(ref, dtype=float), rtol=1e-8, atol=0)


# ---------------------------------------------------------------------------------------------
# exact coverage, L = 1


@pytest.mark.parametrize("beta", [2.7, 4.0])
def test_exact_L1_Mt2_is_rayleigh(beta):
    # 1e-12: exact_coverage_L1 is a Gil-Pelaez integral, accurate to ~3e-16 absolute (2e-14
    # relative at a coverage of 0.005); tests/test_exact_coverage.py checks it over T in [1e-6, 1e6]
    assert np.allclose(cv.exact_coverage_L1(T7, Mt=2, beta=beta, p_c=0.4),
                       cv.rayleigh_coverage(T7 / 0.4, beta), rtol=1e-12, atol=0)


@pytest.mark.parametrize("Mt", [3, 5, 12])
def test_exact_L1_vs_derivatives_of_abg(Mt):
    """sum_{k<Q} (-T)^k/k! d^k/dT^k [1/(1 + rho(T))] by mpmath's high-precision differentiation."""
    psi = lambda t: 1 / (1 + mp.sqrt(t) * (mp.pi / 2 - mp.atan(1 / mp.sqrt(t))))
    T = np.array([0.1, 1.0, 10.0, 100.0])
    with mp.workdps(40):
        ref = [sum((-mp.mpf(t)) ** k / mp.factorial(k) * mp.diff(psi, mp.mpf(t), k) for k in range(Mt - 1))
               for t in T]
    got = cv.exact_coverage_L1(T, Mt=Mt, beta=4.0, p_c=1.0)
    assert np.allclose(got, np.array(ref, dtype=float), rtol=1e-11, atol=0)


def test_exact_L1_general_beta_vs_mpmath():
    """Any beta: E over r_1 of P(Gamma(Q) >= c I r_1^beta), by the same derivative formula with
    rho from mpmath's hyp2f1 (independent of the incomplete-beta coefficients)."""
    beta, Mt = mp.mpf(3), 4
    rho = lambda t: 2 * t / (beta - 2) * mp.hyp2f1(1, 1 - 2 / beta, 2 - 2 / beta, -t)
    with mp.workdps(40):
        ref = [sum((-t) ** k / mp.factorial(k) * mp.diff(lambda u: 1 / (1 + rho(u)), t, k) for k in range(Mt - 1))
               for t in (mp.mpf("0.5"), mp.mpf(7))]
    got = cv.exact_coverage_L1(np.array([0.5, 7.0]), Mt=Mt, beta=3.0, p_c=1.0)
    assert np.allclose(got, np.array(ref, dtype=float), rtol=1e-11, atol=0)


def test_exact_L1_monotone():
    T = np.logspace(-2, 3, 60)
    for Mt in (2, 6, 40):
        p = cv.exact_coverage_L1(T, Mt=Mt, beta=3.5, p_c=1.0)
        assert np.all(np.diff(p) <= 1e-15) and np.all((p > 0) & (p <= 1 + 1e-15))
        assert np.all(np.diff(p[T > 1]) < 0)
    assert np.all(cv.exact_coverage_L1(T, Mt=40, beta=3.5, p_c=1.0) > cv.exact_coverage_L1(T, Mt=6, beta=3.5, p_c=1.0))


# ---------------------------------------------------------------------------------------------
# validation (the parameters common to all public functions: tests/test_validation.py)

GOOD = dict(L=2, Mt=4, beta=4.0, p_c=0.5)


@pytest.mark.parametrize("key, bad, name", [
    ("distances", "independent", "distances"), ("alpha", -1.0, "alpha"), ("p_t", 0.0, "p_t"),
])
def test_theorem1_validation(key, bad, name):
    with pytest.raises(ValueError, match=name):
        cv.theorem1(1.0, **{**GOOD, key: bad})


@pytest.mark.parametrize("T", [-1.0, float("nan"), [1.0, -0.1], "x"])
def test_threshold_validation(T):
    for f in (lambda: cv.theorem1(T, **GOOD), lambda: cv.proposition1(T, Mt=4, p_c=0.5),
              lambda: cv.exact_coverage_L1(T, Mt=4, beta=4, p_c=0.5), lambda: cv.rayleigh_coverage(T, 4)):
        with pytest.raises(ValueError, match="T"):
            f()


def test_other_validation():
    with pytest.raises(ValueError, match="beta"):
        cv.exact_coverage_L1(1.0, Mt=3, beta=2.0, p_c=0.5)
    with pytest.raises(ValueError, match="p_c"):
        cv.exact_coverage_L1(1.0, Mt=3, beta=3.0, p_c=2.0)


@pytest.mark.parametrize("dist, beta", [("joint", 4.0), ("paper", 3.0)])
def test_mpmath_path_agrees_with_double_within_its_rounding_bound(dist, beta):
    """L = 2, Mt = 30: the guard sends these thresholds to mpmath; the result must agree with the
    plain double-precision sum to within that sum's own rounding bound (kappa * 1e-15)."""
    from scipy.special import comb
    Mt, T = 30, np.array([1.0, 100.0])
    Q = Mt - 1
    c1 = ap.optimal_alpha(Q) * T / Q
    A, b, w, K = cv._rule(2, Q, beta, dist)(c1)
    E = cv._terms(c1, Q, A, b, w, K, beta)
    coef = comb(Q, np.arange(1, Q + 1)) * (-1.0) ** np.arange(0, Q)
    mag = np.abs(E) @ np.abs(coef)
    assert np.any(mag / np.abs(E @ coef) * cv._ETA > cv.MAX_REL_ERR)  # the guard is engaged here
    got = cv.theorem1(T, L=2, Mt=Mt, beta=beta, p_c=1.0, distances=dist)
    assert np.all(np.abs(got - E @ coef) <= 1e-15 * mag)


# ---------------------------------------------------------------------------------------------
# L = 3: a second, independent method (no mpmath reference is affordable in three dimensions)


@pytest.mark.parametrize("dist", ["joint", "paper"])
def test_theorem1_L3_vs_sampled_distances(dist):
    """Average the conditional coverage of eqs. (19)-(20) over sampled distances: an estimate of
    the same integral by a second method, exact up to its own standard error (quadrature is
    checked to ~1e-11 by rule doubling; this checks the dimension reduction itself)."""
    from scipy.special import beta as B
    from scipy.special import betainc

    L, Mt, beta, T, p_c = 3, 4, 3.5, 2.0, 0.5
    Q, alpha = Mt - 1, ap.optimal_alpha(Mt - 1)
    rng = np.random.default_rng(7)
    n = 400_000
    if dist == "joint":  # x = pi lam r^2 of the 3 nearest points: running sums of exponentials
        x = np.cumsum(rng.standard_exponential((n, L)), axis=1)
    else:  # the paper's independent marginals: x_i ~ Gamma(i)
        x = np.stack([rng.gamma(i + 1, size=n) for i in range(L)], axis=1)
    D = np.sum(x ** (-beta / 2), axis=1)  # lam = 1/pi, so r^2 = x
    a, b = 2 / beta, 1 - 2 / beta
    vals = np.zeros(n)
    for k in range(1, Q + 1):
        s = alpha * k * T / (Q * p_c * D)
        QL = 1 / (1 + s * x[:, -1] ** (-beta / 2))
        H1 = (2 / beta) * s ** (2 / beta) * B(a, b) * (1 - betainc(a, b, QL))
        vals += (-1) ** (k + 1) * math.comb(Q, k) * np.exp(-H1)  # pi lam H_1 with lam = 1/pi
    est, se = vals.mean(), vals.std(ddof=1) / math.sqrt(n)
    got = cv.theorem1(T, L=L, Mt=Mt, beta=beta, p_c=p_c, lam=1 / np.pi, distances=dist)
    assert se < 2e-3 and abs(got - est) < 5 * se, (got, est, se)
