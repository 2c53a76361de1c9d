"""Conjecture 2: the K-S distance and its minimiser against brute-force dense evaluation."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.special import gammainc

from coopisac import approximations as ap

# Dense grid for brute force: the sup of a smooth function read off a grid of step h is low by at
# most |d''| h^2 / 8 = 50 (4e-6)^2 / 8 = 1e-10 here (|d''| < 50 for N <= 12 on this range).
_G = np.linspace(0.0, 8.0, 2_000_001)


def brute_ks(alpha, N):
    return np.max(np.abs(gammainc(N, N * _G) - (-np.expm1(-alpha * _G)) ** N))


def test_N1_exact():
    assert ap.optimal_alpha(1) == 1.0
    assert ap.ks_distance(1.0, 1) == 0.0
    assert ap.alzer_alpha(1) == 1.0


@pytest.mark.parametrize("N", [2, 3, 5, 12])
@pytest.mark.parametrize("scale", [0.8, 1.0, 1.3])
def test_ks_distance_against_dense_grid(N, scale):
    alpha = scale * ap.optimal_alpha(N)
    d = ap.ks_distance(alpha, N)
    assert brute_ks(alpha, N) == pytest.approx(d, abs=1e-10)


@pytest.mark.parametrize("N", [2, 4, 9])
def test_optimal_alpha_is_argmin_of_brute_force(N):
    # Independent route: bounded minimisation of the dense-grid distance.
    a = ap.optimal_alpha(N)
    res = minimize_scalar(lambda x: brute_ks(x, N), bounds=(a - 0.05, a + 0.05), method="bounded",
                          options={"xatol": 1e-10})
    # the grid D is within 1e-10 of the true D and |dD/dalpha| > 0.01 on both sides of the kink
    assert res.x == pytest.approx(a, abs=1e-6)


@pytest.mark.parametrize("N", [2, 3, 7, 16, 32])
def test_optimal_alpha_local_min_and_equioscillation(N):
    a = ap.optimal_alpha(N)
    d = ap.ks_distance(a, N)
    for step in (1e-5, 1e-6):
        assert ap.ks_distance(a + step, N) > d
        assert ap.ks_distance(a - step, N) > d
    pos, neg = ap._extremes(a, N)
    assert pos == pytest.approx(neg, rel=1e-9)  # the two extreme excursions are equal


@pytest.mark.parametrize("N, gap", [(2, 0.026), (3, 0.059), (4, 0.093), (5, 0.126), (8, 0.221)])
def test_alzer_is_lower_bound_with_known_gaps(N, gap):
    z = ap.alzer_alpha(N)
    # Alzer's alpha is the one that matches the CDF at the origin: G_N(g) ~ (N g)^N / N! and
    # (1 - e^{-alpha g})^N ~ (alpha g)^N; their ratio is 1 + O(N^2 g), below 1e-6 here, while a
    # 1e-3 relative change in alpha moves it by N 1e-3
    g = 1e-8
    assert (-np.expm1(-z * g)) ** N / gammainc(N, N * g) == pytest.approx(1.0, abs=1e-6)
    F, G = ap.cdf_pair(_G, N, alpha=z)
    assert np.all(F - G >= -1e-15)  # a lower bound on the CDF
    # published to 3 decimals (N = 4 gives 0.09249, printed 0.093): allow one unit in the last place
    assert ap.ks_distance(z, N) == pytest.approx(gap, abs=1e-3)
    assert ap.optimal_alpha(N) > z  # the K-S choice lifts the curve toward the true CDF


def test_alpha_table_shapes_and_ordering():
    t = ap.alpha_table(32)
    assert t["N"][0] == 1 and t["N"][-1] == 32
    assert np.all(np.diff(t["alpha"]) > 0)
    assert np.all(t["D"][1:] < t["alzer_D"][1:])
    assert t["D"][0] == 0.0


def test_optimal_alpha_cached():
    ap.optimal_alpha(6)
    assert ap._optimal_alpha.cache_info().currsize >= 1
    hits = ap._optimal_alpha.cache_info().hits
    ap.optimal_alpha(6)
    assert ap._optimal_alpha.cache_info().hits == hits + 1


# ---------------------------------------------------------------------------------------------
# Extreme alpha (the sweep found D = 0.0 for alpha = 1e-12, 1e8 (N <= 4) and 1e12, where the sup
# is ~1): against a brute-force maximum on a geometric grid over 1e-22..1e22 (1e6 points, step
# ratio 1 + 1e-4; at the maximum |F - G| is flat to second order, so the grid reads it within
# (1e-4)^2 (g^2 |d''|) / 8 with g^2 |d''| <= N + 1 at the maxima here: below 1e-8).

_GEO = np.geomspace(1e-22, 1e22, 1_000_001)


def brute_ks_geo(alpha, N):
    F = gammainc(N, N * _GEO)
    G = (-np.expm1(-alpha * _GEO)) ** N
    return np.max(np.abs(F - G))


@pytest.mark.parametrize("alpha", [1e-12, 1e-6, 1e8, 1e12])
@pytest.mark.parametrize("N", [1, 2, 4, 16])
def test_ks_distance_extreme_alpha(alpha, N):
    d = ap.ks_distance(alpha, N)
    assert d == pytest.approx(brute_ks_geo(alpha, N), abs=1e-8)
    assert d > 0.99  # one CDF has risen where the other has not


def test_huge_N_refused_with_the_limit():
    for f in (lambda: ap.ks_distance(1.0, 10**30), lambda: ap.optimal_alpha(10**30), lambda: ap.alzer_alpha(10**30)):
        with pytest.raises(ValueError, match=r"N must be an integer in \[1, 4096\]"):
            f()
