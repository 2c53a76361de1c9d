"""Coverage: Proposition 1, Theorem 1 and the exact L = 1 coverage against independent references
(closed forms, printed formulas transcribed literally, mpmath on the original r-space integrals)."""
import math

import mpmath as mp
import numpy as np
import pytest
from scipy.special import hyp2f1

from coopisac import approximations as ap
from coopisac import coverage as cv
from coopisac.results import Estimate

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


# Theorem 1 with the joint law at L = 3, from tests/reference/theorem1_joint_L3_mpmath.py (eq. (19)
# summed literally over a 2-D mpmath.quad of the uniform arrivals, phi from hyp2f1, 20 digits;
# 2-4 minutes each); p_c = p_t = 1.  The package takes the Gil-Pelaez route instead.
TSPACE_L3 = [
    # (Mt, beta, T, value)
    (3, 8.0, 1.0, "0.99572682605245479"),
    (3, 8.0, 100.0, "0.69020635725367356"),
    (5, 2.2, 0.01, "0.9999965907824335"),
]


@pytest.mark.parametrize("Mt, beta, T, value", TSPACE_L3)
def test_theorem1_joint_L3_vs_stored_mpmath(Mt, beta, T, value):
    e = cv.theorem1(T, L=3, Mt=Mt, beta=beta, p_c=1.0, distances="joint", full_output=True)
    assert abs(e.value - float(value)) <= e.error <= max(cv.MAX_REL_ERR * float(value), cv.ATOL)


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


# ---------------------------------------------------------------------------------------------
# L >= 3: a second, independent method (no mpmath reference is affordable in three dimensions)


@pytest.mark.parametrize("L, dist", [(3, "joint"), (3, "paper"), (5, "joint"), (6, "joint"), (4, "paper"),
                                     (6, "paper")])
def test_theorem1_vs_sampled_distances(L, dist):
    """Average the conditional coverage of eqs. (19)-(20) over sampled distances: an estimate of
    the same integral by a second method, exact up to its own standard error (quadrature is
    checked to ~1e-11 by rule doubling; this checks the dimension reduction of "paper" at L = 3,
    and the Gil-Pelaez forms of "joint" and of "paper" at L = 4, 6 themselves)."""
    from scipy.special import beta as B
    from scipy.special import betainc

    Mt, beta, T, p_c = 4, 3.5, 2.0, 0.5
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


@pytest.mark.parametrize("L", [2, 5, 16])
def test_theorem1_joint_at_Mt2_is_conjecture1(L):
    """At Mt = 2 (Q = 1) alpha* = 1 and 1 - (1 - e^-x)^1 = e^-x is the Exp(1) CCDF: Conjecture 2 is
    exact, so Theorem 1 with the joint law is the coverage under Conjecture 1 alone.  The two are
    computed by different rules (the Gamma integral turned onto its exact ray, against the rotated
    rule for the largest of Q exponentials), so they agree only as far as both are accurate."""
    assert ap.optimal_alpha(1) == 1.0
    T = np.logspace(-6, 6, 13)
    a = cv.theorem1(T, L=L, Mt=2, beta=3.3, p_c=0.5, distances="joint", full_output=True)
    b = cv.conjecture1_coverage(T, L=L, Mt=2, beta=3.3, p_c=0.5, full_output=True)
    assert np.all(np.abs(a.value - b.value) <= a.error + b.error)
    assert np.all(a.error <= np.maximum(cv.MAX_REL_ERR * a.value, cv.ATOL))


# ---------------------------------------------------------------------------------------------
# Regression tests of the parameter-domain sweep.  Reference: the alternating sum of eq. (19) in
# mpmath at Q/2 + 40 digits (the sum loses at most Q log10(2) < Q/2 digits), with phi from
# mpmath's hyp2f1 (the package uses Gauss-Jacobi on phi's integral and Rice's integral for the
# sum: a different route).  Tolerance: the package's own error estimate, which must itself meet
# the default accuracy (1e-8 relative, 1e-10 absolute below 1e-2).


def mp_eq19_L1(T, Mt, beta, ratio=1):
    Q = Mt - 1
    with mp.workdps(Q // 2 + 40):
        a, b = mp.mpf(ap.optimal_alpha(Q)), mp.mpf(beta)
        d = 2 / b
        c = a * mp.mpf(T) * ratio / Q
        phi = lambda z: 2 * z / (b - 2) * mp.hyp2f1(1, 1 - d, 2 - d, -z)
        return float(mp.fsum((-1) ** (n + 1) * mp.binomial(Q, n) / (1 + phi(n * c)) for n in range(1, Q + 1)))


def within_estimate(est, ref):
    """|value - ref| <= error <= default accuracy."""
    tol = max(cv.MAX_REL_ERR * abs(ref), cv.ATOL)
    assert abs(float(est.value) - ref) <= float(est.error) <= tol, (float(est.value), ref, float(est.error))


@pytest.mark.parametrize("T, Mt, beta", [(1e8, 100, 10), (1e12, 32, 50), (1e12, 100, 50), (1e8, 100, 6),
                                         (1e12, 64, 50), (1e12, 24, 10), (1e6, 64, 2.05), (1e-3, 40, 7.5)])
def test_theorem1_L1_large_Mt_and_T(T, Mt, beta):
    """Row 1: the double-precision sum gave -5.29, 214.26, 4.33e22, ... at these points."""
    within_estimate(cv.theorem1(T, L=1, Mt=Mt, beta=beta, p_c=1.0, full_output=True), mp_eq19_L1(T, Mt, beta))


@pytest.mark.parametrize("T, Mt", [(10.0, 200), (1e3, 100), (0.3, 16), (1e5, 64)])
def test_proposition1_large_Mt(T, Mt):
    within_estimate(cv.proposition1(T, Mt=Mt, p_c=0.5, full_output=True), mp_eq19_L1(T, Mt, 4, ratio=2))


def test_theorem1_L1_monotone_at_large_T():
    """Row 1: Mt = 16, beta = 50 gave P(1e14) = 0.571 > P(1e12) = 0.378."""
    P = cv.theorem1(np.array([1e10, 1e12, 1e14, 1e16]), L=1, Mt=16, beta=50.0, p_c=1.0)
    assert np.all(np.diff(P) < 0) and np.all((P > 0) & (P < 1))


@pytest.mark.parametrize("z, beta", [(1e14, 50.0), (1e12, 10.0), (1e8, 2.01), (1.0, 3.0), (1e-9, 7.0),
                                     (1e300, 8.0), (0.999, 2.5), (1.001, 2.5)])
def test_phi_large_z_vs_hyp2f1(z, beta):
    """Row 1: phi was off by 1.2e-5 (beta 50, z 1e14) and 1.7e-8 (beta 10, z 1e12)."""
    with mp.workdps(40):
        b = mp.mpf(beta)
        ref = 2 * mp.mpf(z) / (b - 2) * mp.hyp2f1(1, 1 - 2 / b, 2 - 2 / b, -mp.mpf(z))
    assert cv.phi(z, beta) == pytest.approx(float(ref), rel=1e-14)  # 16 Jacobi points: ~eps per term


def test_phi_complex_continuation():
    """phi at complex z (Rice's integral needs it): against mpmath's hyp2f1 continued off the axis."""
    z = np.array([0.5 + 0.5j, 0.3j, 2.0 + 7.0j, 1e6 - 3e6j, 1e-3 + 1e-2j])
    for beta in (2.3, 4.0, 7.0):
        with mp.workdps(30):
            b = mp.mpf(beta)
            ref = [complex(2 * mp.mpc(x) / (b - 2) * mp.hyp2f1(1, 1 - 2 / b, 2 - 2 / b, -mp.mpc(x))) for x in z]
        assert np.allclose(cv._phi(z, beta), ref, rtol=1e-14, atol=0)  # measured <= 4e-15 for beta <= 8


def test_huge_integers_refused_with_the_limit():
    """Row 9: 10**30 gave TypeError/OverflowError; L = 5, 6 ran out of memory (both laws now take
    L up to 16, as one Gil-Pelaez integral each)."""
    for kw, name in [(dict(Mt=10**30), "Mt"), (dict(L=10**30), "L"), (dict(L=cv.MAX_L_PAPER + 1), "L"),
                     (dict(L=cv.MAX_L_THEOREM1 + 1, distances="joint"), "L"), (dict(Mt=cv.MAX_MT_THEOREM1 + 1), "Mt")]:
        with pytest.raises(ValueError, match=rf"{name} must be an integer in \[\d, \d+\]"):
            cv.theorem1(1.0, **{**dict(L=2, Mt=4, beta=4.0, p_c=0.5), **kw})
    with pytest.raises(ValueError, match=r"Mt must be an integer in \[2, 1024\]"):
        cv.proposition1(1.0, Mt=10**30, p_c=0.5)


@pytest.mark.parametrize("dist", ["paper", "joint"])
def test_extreme_thresholds_and_powers(dist):
    """Row 10: T = 1e300, p_c = 1e-300, alpha = 1e300 at L = 2 gave 'cannot convert float NaN to
    integer'; p_t = p_c = 1e300 gave 0.  Only T p_t/p_c (and alpha) matter, and no warning escapes."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Row 12: no RuntimeWarning escapes either
        for L in (1, 2, 3):
            base = cv.theorem1(1e12, L=L, Mt=4, beta=4.0, p_c=1.0, distances=dist)
            assert cv.theorem1(1e12, L=L, Mt=4, beta=4.0, p_c=1e300, p_t=1e300, distances=dist) == base
            assert cv.theorem1(1.0, L=L, Mt=4, beta=4.0, p_c=1e-12, distances=dist) == pytest.approx(base, rel=1e-12)
            for kw in (dict(T=1e300, p_c=1.0), dict(T=1.0, p_c=1e-300), dict(T=1.0, p_c=1.0, alpha=1e300)):
                e = cv.theorem1(kw.pop("T"), L=L, Mt=4, beta=4.0, distances=dist, full_output=True, **kw)
                # P <= Q E_1 <= Q / (1 + phi(c)) (1 - (1-x)^Q <= Q x) and phi(c) ~ sqrt(c) pi/2 at beta = 4;
                # the Gil-Pelaez route ("joint", L >= 2) is accurate in absolute terms only
                assert 0 <= e.value <= 3 / 1e149 + e.error and e.error <= cv.ATOL
    with pytest.raises(ValueError, match="largest"):  # c overflows: refused, not turned into 0 or NaN
        cv.theorem1(1e300, L=2, Mt=4, beta=4.0, p_c=1e-300)


def test_small_threshold_limits():
    """Row 11: P(0) was 1 + 8.4e-12 (L = 3 "paper") and proposition1(Mt=16) up to 1 + 2.6e-12."""
    T = np.array([0.0, 1e-12, 1e-9, 1e-6, 1e-3])
    for f in (lambda: cv.theorem1(T, L=3, Mt=4, beta=3.5, p_c=1.0, full_output=True),
              lambda: cv.theorem1(T, L=3, Mt=10, beta=4.0, p_c=0.5, distances="joint", full_output=True),
              lambda: cv.proposition1(T, Mt=16, p_c=1.0, full_output=True)):
        e = f()
        assert e.value[0] == 1.0 and np.all((e.value >= 0) & (e.value <= 1))
        assert np.all(np.diff(e.value) <= e.error[1:] + e.error[:-1])  # non-increasing within the estimates
        assert np.all(1 - e.value[1:] >= -e.error[1:])
    within_estimate(cv.proposition1(1e-6, Mt=16, p_c=1.0, full_output=True), mp_eq19_L1(1e-6, 16, 4))


def test_clip_only_within_error():
    P = np.array([1 + 1e-13, 1 + 1e-6, -1e-14, -1e-3, 0.5])
    err = np.array([1e-12, 1e-9, 1e-12, 1e-9, 1e-3])
    assert list(cv._clip(P, err)) == [1.0, 1 + 1e-6, 0.0, -1e-3, 0.5]


def test_vector_and_scalar_calls_agree():
    """Row 13: proposition1 at Mt = 100, one vector call and separate scalar calls differed by 6e-9."""
    T = np.logspace(-2, 4, 13)
    for f in (lambda t: cv.proposition1(t, Mt=100, p_c=1.0), lambda t: cv.theorem1(t, L=1, Mt=30, beta=3.0, p_c=1.0)):
        vec = f(T)
        assert np.array_equal(vec, [f(float(t)) for t in T])
        assert np.array_equal(vec[::-1], f(T[::-1]))
    # the Gil-Pelaez routes share one u rule per group of thresholds, so the rule (and the last
    # digits) depend on the group: equal within the estimates, and bit for bit under reordering
    g = lambda t: cv.theorem1(t, L=2, Mt=30, beta=3.0, p_c=1.0, full_output=True)
    vec = g(T)
    for k, t in enumerate(T):
        one = g(float(t))
        assert abs(one.value - vec.value[k]) <= one.error + vec.error[k]
    assert np.array_equal(vec.value[::-1], g(T[::-1]).value)


def test_full_output_and_flag():
    e = cv.theorem1([1.0, 2.0], L=2, Mt=4, beta=4.0, p_c=0.5, full_output=True)
    assert isinstance(e, Estimate) and e.value.shape == e.error.shape == (2,)
    assert np.array_equal(e.value, cv.theorem1([1.0, 2.0], L=2, Mt=4, beta=4.0, p_c=0.5))
    for bad in (float("nan"), "3", None, np.array([True, False]), 1):
        with pytest.raises(ValueError, match="full_output"):
            cv.proposition1(1.0, Mt=4, p_c=0.5, full_output=bad)


def mp_eq19_L2(T, Mt, beta, dist):
    """L = 2 by mpmath.quad on the one-dimensional integral of each term (module docstring of
    coverage: E(w) = int_0^1 (1 + phi(w b(t)))^-2 dt, or 2 int_0^inf (1 + t + phi(w b(t)))^-3 dt
    for "paper"), split where w b(t) = 1, then the sum at Q/2 + 40 digits."""
    Q = Mt - 1
    with mp.workdps(Q // 2 + 30):
        a, b = mp.mpf(ap.optimal_alpha(Q)), mp.mpf(beta)
        d = 2 / b
        c = a * mp.mpf(T) / Q
        phi = lambda z: 2 * z / (b - 2) * mp.hyp2f1(1, 1 - d, 2 - d, -z)

        def E(w):
            bt = lambda t: 1 / (1 + t ** (-b / 2))
            edge = min(mp.mpf(1), w ** (-2 / b))
            if dist == "joint":
                return mp.quad(lambda t: (1 + phi(w * bt(t))) ** -2, [0, edge, 1])
            return 2 * mp.quad(lambda t: (1 + t + phi(w * bt(t))) ** -3, [0, edge, 1, 1 + phi(w), mp.inf])

        return float(mp.fsum((-1) ** (n + 1) * mp.binomial(Q, n) * E(n * c) for n in range(1, Q + 1)))


@pytest.mark.slow
@pytest.mark.parametrize("T, Mt, beta, dist", [(10.0, 24, 3.0, "joint"), (1e3, 16, 5.0, "paper")])
def test_theorem1_L2_large_Mt_vs_mpmath(T, Mt, beta, dist):
    """Before, Mt = 24 needed the mpmath guard (minutes); the sum is now Rice's integral."""
    within_estimate(cv.theorem1(T, L=2, Mt=Mt, beta=beta, p_c=1.0, distances=dist, full_output=True),
                    mp_eq19_L2(T, Mt, beta, dist))


# ---------------------------------------------------------------------------------------------
# "paper" by its Gil-Pelaez route (coopisac._independent) against the product rule with the direct
# alternating sum, a different method (the (L-1)-dimensional rule of eq. (19)'s terms), where both
# apply: L = 2, 3 and Mt <= 12 (the package takes the product rule there, being faster)


@pytest.mark.parametrize("L, Mt, beta", [(2, 2, 4.0), (2, 5, 2.3), (3, 4, 3.5), (3, 12, 8.0), (2, 12, 5.0)])
def test_theorem1_paper_gil_pelaez_vs_product_rule(L, Mt, beta):
    from coopisac import _independent

    T = np.logspace(-5, 5, 11)
    Q = Mt - 1
    alpha = ap.optimal_alpha(Q)
    value, error = _independent.coverage(T, L=L, Q=Q, delta=2.0 / beta, alpha=alpha, rtol=cv.MAX_REL_ERR,
                                         atol=cv.ATOL)
    ref = cv.theorem1(T, L=L, Mt=Mt, beta=beta, p_c=1.0, full_output=True)  # the product rule
    assert np.all(np.abs(value - ref.value) <= error + ref.error), np.abs(value - ref.value) / (error + ref.error)
    assert np.all(error <= np.maximum(cv.MAX_REL_ERR * value, cv.ATOL))


def test_chi_table_against_direct_quadrature():
    """chi(v) = prod_{i<L} E[exp(i v X_i^-b)], X_i ~ Gamma(i), on the ray arg v = arctan(1/4), from
    the interpolated table, against mpmath's quadrature of each expectation on the real line
    (split where the phase v X^-b turns slowly; a different rule and contour from the package's
    rotated trapezoid), and the interpolation estimate (12 against 8 points) bounds the error."""
    from coopisac import _independent

    b, L = 1.7, 4
    th = math.atan(0.25)
    lv = np.array([-30.0, -4.0, -0.7, 0.0, 1.3, 2.9])
    got, check = _independent._chi(lv, L, b)
    with mp.workdps(25):
        for k, t in enumerate(lv):
            v = mp.exp(t) * mp.expjpi(th / mp.pi)
            ref = mp.mpf(1)
            for i in range(1, L):
                f = lambda x: x ** (i - 1) * mp.exp(-x) / mp.factorial(i - 1) * mp.exp(1j * v * x ** (-b))
                # below `edge`, |e^{ivx^-b}| = exp(-|v| sin(th) x^-b) < e^-40; up to x10 the phase
                # |v| cos(th) x^-b runs fast (panels 4 % apart), beyond it turns less than 10 rad
                edge = (abs(v) * math.sin(th) / 40) ** (1 / b)
                x10 = (abs(v) / 10) ** (1 / b)
                pts = [edge * mp.mpf(1.04) ** k for k in range(int(mp.log(x10 / edge) / mp.log(1.04)) + 2)]
                pts += [p for p in (x10 * 10**k for k in range(1, 12)) if p < 120] + [120]
                ref *= mp.quad(f, pts)
            assert abs(got[k] - complex(ref)) <= 1e-13 + abs(got[k] - check[k]), (t, got[k], complex(ref))
