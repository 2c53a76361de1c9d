"""Distance laws against closed forms; the windowless sampler against them with K-S tests."""
import math

import numpy as np
import pytest
from scipy import integrate, stats

from coopisac import geometry as geo


@pytest.mark.parametrize("n", [1, 2, 5])
@pytest.mark.parametrize("lam", [0.3, 2.0])
def test_nth_distance_pdf_normalised_and_mean(n, lam):
    f = lambda r: geo.nth_distance_pdf(r, n, lam)
    total = integrate.quad(f, 0, np.inf, epsabs=1e-13)[0]
    mean = integrate.quad(lambda r: r * f(r), 0, np.inf, epsabs=1e-13)[0]
    assert total == pytest.approx(1.0, abs=1e-10)
    # E[r_n] = Gamma(n + 1/2) / (Gamma(n) sqrt(pi lam))  (Haenggi 2005)
    assert mean == pytest.approx(math.gamma(n + 0.5) / (math.gamma(n) * math.sqrt(math.pi * lam)), rel=1e-9)


def test_ordered_joint_pdf_normalised_L2():
    lam = 0.7
    val = integrate.dblquad(
        lambda r1, r2: float(geo.ordered_distances_pdf(np.array([r1, r2]), lam)), 0, np.inf, 0, lambda r2: r2
    )[0]
    assert val == pytest.approx(1.0, abs=1e-8)
    # zero off the ordered cone
    assert float(geo.ordered_distances_pdf(np.array([2.0, 1.0]), lam)) == 0.0


@pytest.mark.parametrize("N", [2, 3, 7])
def test_eta_pdf_normalised_and_mean(N):
    total = integrate.quad(lambda e: geo.eta_pdf(e, N), 0, 1)[0]
    mean = integrate.quad(lambda e: e * geo.eta_pdf(e, N), 0, 1)[0]
    assert total == pytest.approx(1.0, abs=1e-12)
    # eta^2 ~ Beta(1, N-1): E[eta] = Gamma(3/2) Gamma(N) / Gamma(N + 1/2)
    assert mean == pytest.approx(math.gamma(1.5) * math.gamma(N) / math.gamma(N + 0.5), rel=1e-10)


def test_eta_pdf_rejects_N1():
    with pytest.raises(ValueError, match="N must be an integer >= 2"):
        geo.eta_pdf(0.5, 1)


def test_sampler_matches_distance_laws():
    # K-S test at level 1e-4 per margin: its critical value sqrt(-ln(1e-4/2)/(2 n)) follows from n.
    rng = np.random.default_rng(1234)
    lam, n = 0.5, 20000
    r2, theta = geo.sample_nearest(rng, n, 4, lam, angles=True)
    assert np.all(np.diff(r2, axis=1) > 0)
    r = np.sqrt(r2)
    for k in (1, 4):
        cdf = lambda x, k=k: stats.gamma.cdf(np.pi * lam * np.asarray(x) ** 2, k)
        assert stats.kstest(r[:, k - 1], cdf).pvalue > 1e-4
    assert stats.kstest(theta[:, 2] / (2 * np.pi), "uniform").pvalue > 1e-4
    eta = r[:, 0] / r[:, 3]
    assert stats.kstest(eta**2, stats.beta(1, 3).cdf).pvalue > 1e-4


def test_sampler_rejects_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="K must be an integer >= 1"):
        geo.sample_nearest(rng, 10, 0)
    with pytest.raises(ValueError, match="lam must be"):
        geo.sample_nearest(rng, 10, 3, lam=-1.0)


def test_tail_means_campbell():
    lam, beta, R, a = 0.8, 3.3, 2.0, 0.9
    # direct 2-D integral of |y - a|^-beta over |y| > R
    f = lambda th, rho: rho * (rho**2 + a**2 - 2 * rho * a * np.cos(th)) ** (-beta / 2)
    direct = lam * integrate.dblquad(f, R, np.inf, 0, 2 * np.pi, epsabs=1e-12)[0]
    assert geo.tail_mean_offset(R, a, lam, beta) == pytest.approx(direct, rel=1e-8)
    # at the origin: Campbell's mean as a radial integral
    mean = 2 * np.pi * lam * integrate.quad(lambda rho: rho ** (1 - beta), R, np.inf, epsabs=0, epsrel=1e-12)[0]
    assert geo.tail_mean_at_origin(R, lam, beta) == pytest.approx(mean, rel=1e-10)
    # beta = 4 closed form
    assert geo.tail_mean_offset(R, a, lam, 4.0) == pytest.approx(np.pi * lam * R**2 / (R**2 - a**2) ** 2, rel=1e-12)
