"""The shared Gauss rules against integrals known in closed form."""
import math

import numpy as np
import pytest

from coopisac import quadrature as qd


def test_legendre01_exact_for_polynomials():
    x, w = qd.legendre01(8)
    for k in range(16):  # an n-point Gauss rule is exact up to degree 2n - 1
        assert x**k @ w == pytest.approx(1.0 / (k + 1), rel=1e-14)


def test_legendre_broadcasts_over_limits():
    a, b = np.array([0.0, 1.0]), np.array([2.0, 3.0])
    x, w = qd.legendre(6, a, b)
    assert x.shape == (2, 6)
    np.testing.assert_allclose(np.sum(np.exp(x) * w, axis=-1), np.exp(b) - np.exp(a), rtol=1e-12)


@pytest.mark.parametrize("a", [0.25, 0.5, 1.5])
def test_graded01_handles_endpoint_powers(a):
    # x^a (1 - x)^a: Beta(a + 1, a + 1); plain Gauss-Legendre converges slowly here
    x, w = qd.graded01(48, 3)
    exact = math.gamma(a + 1) ** 2 / math.gamma(2 * a + 2)
    assert (x**a * (1 - x) ** a) @ w == pytest.approx(exact, rel=1e-9)
    xl, wl = qd.legendre01(48)
    assert abs((xl**a * (1 - xl) ** a) @ wl - exact) > abs((x**a * (1 - x) ** a) @ w - exact)


@pytest.mark.parametrize("alpha", [0.0, 2.0, 5.5])
def test_laguerre_moments(alpha):
    x, w = qd.laguerre(20, alpha)
    for k in range(5):  # int x^(alpha + k) e^-x dx = Gamma(alpha + k + 1)
        assert x**k @ w == pytest.approx(math.gamma(alpha + k + 1), rel=1e-12)


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e4])
def test_exp_sinh_dz_over_z(scale):
    # Integrands whose transition sits at z = scale (the rule is centred there):
    # int_0^inf u / (1 + u)^2 dz / z = 1 and int_0^inf (1 - e^-u) e^-u dz / z = ln 2 (Frullani), u = z / scale
    z, w = qd.exp_sinh(scale)
    u = z / scale
    assert (u / (1 + u) ** 2) @ w == pytest.approx(1.0, rel=1e-12)
    assert (-np.expm1(-u) * np.exp(-u)) @ w == pytest.approx(math.log(2.0), rel=1e-12)
