"""Property sweep of Theorem 1 and Proposition 1 over the parameter domain (hypothesis, fixed
budget, derandomized: the same examples every run; a failure prints the falsifying example).

Domain: T in [1e-6, 1e6] (log-uniform), beta in (2, 8], Mt = 2..64, L = 1..6 with "joint",
L = 1..6 with "paper" too (L = 17 is refused by name).  Properties, each within the returned
error estimates:
probabilities in [0, 1]; non-increasing in T; increasing in Mt (L = 1: checked over the grid
beta x Mt x T, not proven for the printed formula with the fitted alpha, so it stays a test);
increasing in L for "joint" (provable: adding the (L+1)-th BS to the serving set raises the
common-gain SIR M D / I pointwise); and the error estimate bounds the difference to a finer
evaluation (L = 1 and "paper" at L <= 3: the next finer product rule, and Rice's integral at a
quarter of the step; otherwise the Gil-Pelaez rules at half their steps).
"""
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from coopisac import coverage as cv

log_T = st.floats(-6.0, 6.0)
beta_s = st.floats(2.0, 8.0, exclude_min=True).filter(lambda b: b > 2.0 + 1e-9)
Mt_s = st.integers(2, 64)
SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def estimate(T, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a warned accuracy is checked below anyway
        return cv.theorem1(T, full_output=True, **kw)


def finer(T, *, L, Mt, beta, distances):
    """The same coverage by finer rules.  L = 1, and "paper" at L <= 3: the product rule of the
    next level, and for Mt > 12 Rice's integral at a quarter of the default step (for Mt <= 12 the
    direct sum, as in the package: Rice's kernel decays too slowly there); for "paper" beyond
    Mt = 12 that is a second method beside the package's Gil-Pelaez route.  Otherwise the
    Gil-Pelaez integral with every step halved once more than the package's rule needs."""
    from scipy.special import comb

    from coopisac import _gilpelaez, _independent
    from coopisac.approximations import optimal_alpha

    Q = Mt - 1
    T = np.atleast_1d(np.asarray(T, float))
    if distances == "paper" and L > cv._L_PRODUCT:
        return _independent._coverage_group(T, L=L, Q=Q, delta=2.0 / beta, alpha=optimal_alpha(Q), rtol=cv.MAX_REL_ERR,
                                            atol=cv.ATOL, h0=_gilpelaez._initial_step(Q, L) / 2.0,
                                            h_r=_independent._H_M / 2.0, h_s=_independent._HS_B * (2.0 / beta) / 2.0)[0]
    if distances == "joint" and L > 1:
        h = _gilpelaez._H_ALZER
        try:
            _gilpelaez._H_ALZER = h / 2.0
            # start at half the package's steps; halving goes on where the default target is missed
            return _gilpelaez._coverage_group(T, L=L, Q=Q, delta=2.0 / beta, conjecture1=True, rtol=cv.MAX_REL_ERR,
                                              atol=cv.ATOL, alpha=optimal_alpha(Q),
                                              h0=_gilpelaez._initial_step(Q, L) / 2.0)[0]
        finally:
            _gilpelaez._H_ALZER = h
    c = optimal_alpha(Q) * T / Q
    if Q <= cv._Q_DIRECT:
        n = np.arange(1, Q + 1)
        return cv._transform(L, beta, Q * c, c[:, None] * n, 2) @ (comb(Q, n) * (-1.0) ** (n + 1))
    z, kw, _, _ = cv._rice_rule(Q, 0.05)
    return (cv._transform(L, beta, Q * c, c[:, None] * z, 2) * kw).real.sum(-1)


def check_probability(e):
    assert np.all(e.value >= 0) and np.all(e.value <= 1)
    assert np.all(e.error >= 0) and np.all(np.isfinite(e.error))


@settings(max_examples=40, **SETTINGS)
@given(log_T, st.floats(0.01, 3.0), beta_s, Mt_s)
def test_L1_domain(lt, step, beta, Mt):
    T = 10.0 ** np.array([lt, lt + step])
    e = estimate(T, L=1, Mt=Mt, beta=beta, p_c=1.0)
    check_probability(e)
    assert e.value[1] <= e.value[0] + e.error.sum()  # non-increasing in T
    more = estimate(T, L=1, Mt=min(Mt + 1, 64), beta=beta, p_c=1.0)
    assert np.all(more.value >= e.value - e.error - more.error)  # increasing in Mt
    ref = finer(T, L=1, Mt=Mt, beta=beta, distances="joint")
    assert np.all(np.abs(e.value - ref) <= e.error + 1e-15)
    if beta == 4.0:
        assert np.array_equal(cv.proposition1(T, Mt=Mt, p_c=1.0), e.value)


@settings(max_examples=12, **SETTINGS)
@given(log_T, st.floats(0.01, 3.0), beta_s, Mt_s, st.sampled_from(["paper", "joint"]))
def test_L2_domain(lt, step, beta, Mt, dist):
    T = 10.0 ** np.array([lt, lt + step])
    e = estimate(T, L=2, Mt=Mt, beta=beta, p_c=1.0, distances=dist)
    check_probability(e)
    assert e.value[1] <= e.value[0] + e.error.sum()
    assert np.all(np.abs(e.value - finer(T, L=2, Mt=Mt, beta=beta, distances=dist)) <= e.error + 1e-15)
    if dist == "joint":
        one = estimate(T, L=1, Mt=Mt, beta=beta, p_c=1.0)
        assert np.all(e.value >= one.value - e.error - one.error)  # increasing in L


@settings(max_examples=6, **SETTINGS)
@given(log_T, beta_s, st.integers(2, 20), st.sampled_from(["paper", "joint"]))
def test_L3_domain(lt, beta, Mt, dist):
    T = 10.0**lt
    e = estimate(T, L=3, Mt=Mt, beta=beta, p_c=1.0, distances=dist)
    check_probability(e)
    assert abs(e.value - finer(T, L=3, Mt=Mt, beta=beta, distances=dist)[0]) <= e.error + 1e-15
    if dist == "joint":
        two = estimate(T, L=2, Mt=Mt, beta=beta, p_c=1.0, distances=dist)
        assert e.value >= two.value - e.error - two.error


@settings(max_examples=8, **SETTINGS)
@given(log_T, st.floats(0.01, 3.0), beta_s, Mt_s, st.integers(4, 6), st.sampled_from(["paper", "joint"]))
def test_L4_to_6_domain(lt, step, beta, Mt, L, dist):
    T = 10.0 ** np.array([lt, lt + step])
    e = estimate(T, L=L, Mt=Mt, beta=beta, p_c=1.0, distances=dist)
    check_probability(e)
    assert e.value[1] <= e.value[0] + e.error.sum()  # non-increasing in T
    assert np.all(np.abs(e.value - finer(T, L=L, Mt=Mt, beta=beta, distances=dist)) <= e.error + 1e-15)
    if dist == "joint":  # increasing in L (not a property of the independent marginals)
        less = estimate(T, L=L - 1, Mt=Mt, beta=beta, p_c=1.0, distances="joint")
        assert np.all(e.value >= less.value - e.error - less.error)


def test_L_beyond_the_paper_range_refused():
    with pytest.raises(ValueError, match=r"L must be an integer in \[1, 16\]"):
        cv.theorem1(1.0, L=17, Mt=4, beta=4.0, p_c=1.0)


def test_L_beyond_the_joint_range_refused():
    with pytest.raises(ValueError, match=r"L must be an integer in \[1, 16\]"):
        cv.theorem1(1.0, L=17, Mt=4, beta=4.0, p_c=1.0, distances="joint")
