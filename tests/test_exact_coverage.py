"""Exact coverage (no conjecture) and the coverage under Conjecture 1 alone, against references
computed independently of coopisac._gilpelaez:

- the Andrews-Baccelli-Ganti closed form (Mt = 2, L = 1);
- the L = 1 series sum_{k<Q} (-c)^k/k! psi^(k)(c) in the derivatives of the Rayleigh coverage psi,
  differentiated by mpmath (any Mt);
- a Bromwich integral on the line Re s = c > 0 (not the imaginary axis of the Gil-Pelaez integral),
  in mpmath at 30 digits, with F and m as Gauss hypergeometric functions (mpmath.hyp2f1), not the
  package's series and panels;
- for L = 2, Mt = 2: the ordered distances integrated out by mpmath quadrature over t = x_1/x_2 of
  the hypoexponential tail (w psi_2(T'/w) - psi_2(T'))/(w - 1), w = t^(-beta/2);
- Monte Carlo (simulation.coverage, 1e6 trials, 4 standard errors) at L = 2..4;
- hypothesis property tests over the domain (derandomized: the same examples on every run).
"""
import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from coopisac import coverage as cv
from coopisac import simulation
from coopisac.approximations import ks_distance, optimal_alpha
from coopisac.results import Estimate

TOL_REL, TOL_ABS = cv.MAX_REL_ERR, 1e-10  # the documented accuracy


def tolerance(ref):
    """1e-8 relative, 1e-10 absolute below 1e-2: the accuracy both functions promise."""
    return np.maximum(TOL_REL * np.abs(ref), TOL_ABS)


# ---------------------------------------------------------------------------------------------
# independent references


def mp_F(z, b):
    """F(z) = int_1^inf z/(y^b + z) dy = z/(b-1) 2F1(1, 1 - 1/b; 2 - 1/b; -z) (Andrews et al.'s rho)."""
    d = 1 / b
    return z / (b - 1) * mp.hyp2f1(1, 1 - d, 2 - d, -z)


def bromwich(T, *, L, Mt, beta, conjecture1=False):
    """1 - P(X < 0), X = S - T J, P(X < 0) = (1/pi) int_0^inf Re[E e^{-sX}/s] dw on s = c + iw.

    E e^{-sS} = (1 + s)^-Q M(s)^(L-1), M(s) = E (1 + sV)^-Q = delta s^-Q/(Q + delta)
    2F1(Q, Q + delta; Q + delta + 1; -1/s); E e^{sTJ} = (1 + F(-sT))^-L, finite for
    0 < cT < theta*, 1 + F(-theta*) = 0; cT = min(1/2, (b - 1)/4) stays inside.  Under
    Conjecture 1, E e^{-s g W} = E_g[e^{-sg} Mt1(sg)^(L-1)] with Mt1(p) = E e^{-pV} =
    delta p^delta Gamma(-delta, p) (mpmath.gammainc), the g average by mpmath.quad."""
    with mp.workdps(30):
        T, beta = mp.mpf(T), mp.mpf(beta)
        Q, b = Mt - 1, beta / 2
        d = 1 / b
        c = min(mp.mpf(1) / 2, (b - 1) / 4) / T
        M = lambda s: d * s ** (-Q) / (d + Q) * mp.hyp2f1(Q, Q + d, Q + d + 1, -1 / s)

        def laplace_S(s):
            if not conjecture1:
                return (1 + s) ** (-Q) * M(s) ** (L - 1)
            m1 = lambda p: d * p**d * mp.gammainc(-d, p)
            dens = lambda g: g ** (Q - 1) * mp.exp(-g) / mp.gamma(Q)
            return mp.quad(lambda g: dens(g) * mp.exp(-s * g) * m1(s * g) ** (L - 1), [0, Q, 4 * Q + 20, mp.inf])

        def integrand(w):
            s = mp.mpc(c, w)
            return (laplace_S(s) * (1 + mp_F(-s * T, b)) ** (-L) / s).real

        pts = [0] + [c * 10**k for k in range(-2, 8)] + [mp.inf]
        return float(1 - mp.quad(integrand, pts) / mp.pi)


def series_L1(T, *, Mt, beta):
    """sum_{k<Q} (-c)^k/k! psi^(k)(c), psi(c) = 1/(1 + F(c)): P(g >= c J) for g ~ Gamma(Q, 1)."""
    with mp.workdps(40):
        b = mp.mpf(beta) / 2
        psi = lambda x: 1 / (1 + mp_F(x, b))
        c = mp.mpf(T)
        return float(sum((-c) ** k / mp.factorial(k) * mp.diff(psi, c, k) for k in range(Mt - 1)))


def ordered_L2_Mt2(T, *, beta):
    """L = 2, Mt = 2: given t = x_1/x_2 (uniform), S = e_2 + w e_1, w = t^-b, has the tail
    (w e^{-x/w} - e^{-x})/(w - 1); averaged over J: (w psi_2(T/w) - psi_2(T))/(w - 1)."""
    with mp.workdps(40):
        b, T = mp.mpf(beta) / 2, mp.mpf(T)
        psi2 = lambda x: (1 + mp_F(x, b)) ** -2
        p0 = psi2(T)

        def f(t):
            w = t ** (-b)
            return (w * psi2(T / w) - p0) / (w - 1)

        return float(mp.quad(f, [0, mp.mpf(1) / 100, mp.mpf(1) / 2, 1]))


# ---------------------------------------------------------------------------------------------
# closed forms and series


@pytest.mark.parametrize("beta", [2.05, 2.5, 4.0, 6.0, 8.0])
def test_L1_Mt2_is_rayleigh(beta):
    T = np.logspace(-6, 6, 25)
    for p_c in (1.0, 0.3):
        got = cv.exact_coverage(T, L=1, Mt=2, beta=beta, p_c=p_c)
        # 1e-12 relative; the Gil-Pelaez sum is accurate in absolute terms (its O(1) terms are
        # rounded to ~1e-16 each), so below 1e-2 the comparison is 1e-14 absolute
        assert np.allclose(got, cv.rayleigh_coverage(T / p_c, beta), rtol=1e-12, atol=1e-14)
        assert np.array_equal(cv.exact_coverage_L1(T, Mt=2, beta=beta, p_c=p_c), got)


@pytest.mark.parametrize("Mt, beta", [(3, 4.0), (5, 3.0), (12, 7.0), (8, 2.2)])
def test_L1_series_in_the_rayleigh_derivatives(Mt, beta):
    T = np.array([1e-3, 0.5, 7.0, 300.0])
    ref = np.array([series_L1(t, Mt=Mt, beta=beta) for t in T])
    got = cv.exact_coverage(T, L=1, Mt=Mt, beta=beta, p_c=1.0, full_output=True)
    assert np.all(np.abs(got.value - ref) <= tolerance(ref))
    assert np.all(np.abs(got.value - ref) <= got.error)  # the estimate bounds the true error
    # Conjecture 1 is no approximation for one serving BS
    assert np.allclose(cv.conjecture1_coverage(T, L=1, Mt=Mt, beta=beta, p_c=1.0), got.value, rtol=0, atol=0)


@pytest.mark.parametrize("beta", [2.2, 4.0, 8.0])
def test_L2_Mt2_ordered_distances(beta):
    T = np.array([1e-4, 0.3, 10.0, 1e4])
    ref = np.array([ordered_L2_Mt2(t, beta=beta) for t in T])
    got = cv.exact_coverage(T, L=2, Mt=2, beta=beta, p_c=1.0, full_output=True)
    assert np.all(np.abs(got.value - ref) <= tolerance(ref))
    assert np.all(np.abs(got.value - ref) <= got.error)


# corner points of the domain: small and large T, beta near 2 and at 8, Mt = 2 and 64, L = 1 and 6
CORNERS = [
    (1e-6, 1, 2, 8.0), (1e6, 1, 64, 2.05), (1e-6, 6, 2, 2.05), (1e6, 6, 64, 8.0),
    (1e3, 6, 2, 8.0), (3.0, 6, 64, 2.05), (1e-2, 6, 10, 4.0),
]


@pytest.mark.slow
@pytest.mark.parametrize("T, L, Mt, beta", CORNERS)
def test_corners_vs_bromwich(T, L, Mt, beta):
    ref = bromwich(T, L=L, Mt=Mt, beta=beta)
    got = cv.exact_coverage(T, L=L, Mt=Mt, beta=beta, p_c=1.0, full_output=True)
    err = abs(float(got.value) - ref)
    assert err <= tolerance(ref), (ref, float(got.value))
    assert err <= float(got.error), (err, float(got.error))


@pytest.mark.slow
@pytest.mark.parametrize("T, L, Mt, beta", [(0.5, 2, 4, 4.0), (1e4, 6, 2, 8.0), (1e-3, 3, 64, 2.05)])
def test_conjecture1_vs_bromwich(T, L, Mt, beta):
    ref = bromwich(T, L=L, Mt=Mt, beta=beta, conjecture1=True)
    got = cv.conjecture1_coverage(T, L=L, Mt=Mt, beta=beta, p_c=1.0, full_output=True)
    err = abs(float(got.value) - ref)
    assert err <= tolerance(ref), (ref, float(got.value))
    assert err <= float(got.error), (err, float(got.error))


# ---------------------------------------------------------------------------------------------
# Monte Carlo at L = 2..4 (1e6 trials; the simulator's truncation bias is below 0.1 standard
# error there, see simulation.default_K; 4 binomial standard errors at the reference value)

Z = 4.0
T_MC = np.array([0.05, 0.3, 1.0, 3.0, 10.0, 50.0])


@pytest.mark.slow
@pytest.mark.parametrize("L, Mt, beta, conj", [(2, 4, 4.0, False), (3, 10, 3.0, False), (4, 2, 6.0, False),
                                               (2, 10, 4.0, True), (3, 4, 3.5, True), (4, 6, 5.0, True)])
def test_monte_carlo(L, Mt, beta, conj):
    f = cv.conjecture1_coverage if conj else cv.exact_coverage
    ref = f(T_MC, L=L, Mt=Mt, beta=beta, p_c=0.5)
    mc = simulation.coverage(T_MC, L=L, Mt=Mt, beta=beta, p_c=0.5, trials=10**6, seed=7 + L, conjecture1=conj)
    se = np.sqrt(ref * (1 - ref) / mc.trials)
    assert np.all(np.abs(mc.estimate - ref) <= Z * se + 1e-12), (mc.estimate - ref) / se


# ---------------------------------------------------------------------------------------------
# the interface


def test_full_output_and_shapes():
    T = np.array([[0.0, 1.0], [np.inf, 10.0]])
    r = cv.exact_coverage(T, L=3, Mt=4, beta=4.0, p_c=0.5, full_output=True)
    assert isinstance(r, Estimate) and r.value.shape == r.error.shape == T.shape
    assert r.value[0, 0] == 1.0 and r.value[1, 0] == 0.0 and r.error[0, 0] == r.error[1, 0] == 0.0
    assert np.array_equal(cv.exact_coverage(T, L=3, Mt=4, beta=4.0, p_c=0.5), r.value)
    assert np.ndim(cv.conjecture1_coverage(2.0, L=2, Mt=4, beta=4.0, p_c=0.5)) == 0
    # only the power ratio matters
    assert np.allclose(cv.exact_coverage(3.0, L=2, Mt=4, beta=4.0, p_c=0.5),
                       cv.exact_coverage(6.0, L=2, Mt=4, beta=4.0, p_c=1.0), rtol=1e-14)


@pytest.mark.parametrize("f", [cv.exact_coverage, cv.conjecture1_coverage])
@pytest.mark.parametrize("key, bad, name", [
    ("L", 0, "L"), ("L", cv.MAX_L + 1, "L"), ("Mt", 1, "Mt"), ("Mt", cv.MAX_MT + 1, "Mt"), ("Mt", 10**30, "Mt"),
    ("beta", 2.0, "beta"), ("p_c", 2.0, "p_c"), ("full_output", "yes", "full_output"), ("full_output", None, "full_output"),
])
def test_validation(f, key, bad, name):
    with pytest.raises(ValueError, match=name):
        f(1.0, **{**dict(L=2, Mt=4, beta=4.0, p_c=0.5), key: bad})


# ---------------------------------------------------------------------------------------------
# properties over the domain (hypothesis, derandomized: a fixed set of examples)

domain = dict(
    L=st.integers(1, 6), Mt=st.integers(2, 64), beta=st.floats(2.02, 8.0),
    T=st.lists(st.floats(1e-6, 1e6), min_size=2, max_size=8, unique=True),
)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(**domain)
def test_probability_and_monotone_in_T(L, Mt, beta, T):
    T = np.sort(np.array(T))
    for f in (cv.exact_coverage, cv.conjecture1_coverage):
        r = f(T, L=L, Mt=Mt, beta=beta, p_c=1.0, full_output=True)
        assert np.all((r.value >= 0) & (r.value <= 1))
        assert np.all(np.diff(r.value) <= r.error[1:] + r.error[:-1])


@settings(max_examples=20, deadline=None, derandomize=True)
@given(**domain)
def test_increasing_in_L_and_Mt(L, Mt, beta, T):
    """Pathwise: one more serving BS turns an interferer into signal; Gamma(Mt) dominates
    Gamma(Mt - 1) stochastically.  Both hold for the exact model and under Conjecture 1."""
    T = np.array(T)
    for f in (cv.exact_coverage, cv.conjecture1_coverage):
        base = f(T, L=L, Mt=Mt, beta=beta, p_c=1.0, full_output=True)
        for kw in (dict(L=L + 1, Mt=Mt), dict(L=L, Mt=min(Mt + 1, cv.MAX_MT))):
            more = f(T, beta=beta, p_c=1.0, full_output=True, **kw)
            assert np.all(more.value >= base.value - more.error - base.error)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(L=st.integers(2, 4), Mt=st.integers(2, 16), T=domain["T"])
def test_theorem1_joint_within_ks_distance_of_conjecture1(L, Mt, T):
    """Theorem 1 with the joint law differs from the Conjecture 1 coverage by Conjecture 2 alone:
    E[CCDF] under two CDFs of the normalised gain, so by at most their K-S distance D."""
    T = np.array(T)
    D = ks_distance(optimal_alpha(Mt - 1), Mt - 1)
    c1 = cv.conjecture1_coverage(T, L=L, Mt=Mt, beta=4.0, p_c=1.0)
    th = cv.theorem1(T, L=L, Mt=Mt, beta=4.0, p_c=1.0, distances="joint")
    assert np.all(np.abs(th - c1) <= D + 1e-8)
