"""Laplace exponents of Rayleigh-faded PPP interference seen from a point off the centre of an
empty disc: the geometry behind the sensing interference (Lemma 1, Proposition 2).

Lengths are in units of r_1 (the distance from the target to the echo-receiving BS 1): BS 1
sits at e = (1, 0), the interferers are a PPP outside the disc |u| < rho0 = 1/eta centred on the
target, and a unit-density interferer at u contributes 1 - E[exp(-c f |u - e|^-beta)] =
c / (c + |u - e|^beta) (f ~ Exp(1)).  The exponent is

    G(c, eta) = int_{|u| > 1/eta} c / (c + |u - e|^beta) du,

so that E[exp(-z Y) | r_1, r_N] = exp(-lam r_1^2 G(z p_t, r_1 / r_N)).  At eta = 1 (N = 1) the
empty disc is the paper's interference hole: G(c, 1) = full(c) - J(c) with ``full`` the whole
plane and J the hole integral of eqs. (37)-(39).
"""
from __future__ import annotations

import numpy as np
from scipy.special import beta as beta_fn, betainc

from .quadrature import legendre01

__all__ = ["plane_exponent", "tail_exponent", "hole_exponent", "offset_exponent"]

_N_ANGLE = 96  # Gauss-Legendre nodes of the hole integral (relative error < 1e-9, see tests)


def tail_exponent(c, D, beta: float):
    """2 pi int_D^inf c d / (c + d^beta) dd = (2 pi / beta) c^(2/beta) B(2/beta, 1 - 2/beta)
    I_{c/(c + D^beta)}(1 - 2/beta, 2/beta): the exponent of the interferers farther than D from
    the receiver (substitute v = d^beta / (c + d^beta)).  D = 0 gives the whole plane."""
    a = 2.0 / beta
    c = np.asarray(c, dtype=float)
    D = np.asarray(D, dtype=float)
    q = c / (c + D**beta)
    return (2.0 * np.pi / beta) * c**a * beta_fn(a, 1.0 - a) * betainc(1.0 - a, a, q)


def plane_exponent(c, beta: float):
    """int_{R^2} c / (c + |u|^beta) du = pi (2/beta) c^(2/beta) B(2/beta, 1 - 2/beta)."""
    a = 2.0 / beta
    return np.pi * a * np.asarray(c, dtype=float) ** a * beta_fn(a, 1.0 - a)


def _excluded_integral(c, rho0, beta: float):
    """int over the annulus rho0 - 1 < d < rho0 + 1 (d = |u - e|) of psi(d) c d / (c + d^beta),
    psi(d) = 2 arccos((d^2 + 1 - rho0^2) / (2 d)) the angle of the circle of radius d about e
    that lies inside the empty disc.  Substituting d = rho0 - cos(theta) removes the
    square-root ends of psi; at rho0 = 1 it grades the nodes toward d = 0 as theta^2 / 2."""
    x, w = legendre01(_N_ANGLE)
    c = np.asarray(c, dtype=float)[..., None]
    rho0 = np.asarray(rho0, dtype=float)[..., None]
    theta = np.pi * x
    d = rho0 - np.cos(theta)
    cosang = np.clip((d * d + 1.0 - rho0 * rho0) / (2.0 * d), -1.0, 1.0)
    k = c * d / (c + d**beta)
    return (2.0 * np.arccos(cosang) * k * np.sin(theta)) @ (np.pi * w)


def hole_exponent(c, beta: float):
    """The interference-hole integral of eqs. (37)-(39), in units of r_1:

        J(c) = int_0^2 2 arccos(t/2) c t / (c + t^beta) dt,

    the exponent of the (non-existent) interferers inside the disc of radius r_1 about the
    target, seen from BS 1 at its edge.  Exact geometry: the chord angle 2 arccos(t/2)."""
    return _excluded_integral(c, np.ones_like(np.asarray(c, dtype=float)), beta)


def _offset_exponent_beta4(c, rho0):
    """Closed form of G for beta = 4.  The angular average of c / (c + |u - e|^4) over
    |u| = rho is 2 pi sqrt(c) Im[1 / sqrt(P(rho^2))] with
    P(q) = ((rho - 1)^2 - i sqrt c)((rho + 1)^2 - i sqrt c) = q^2 - 2 q (1 + i sqrt c) + (1 - i sqrt c)^2
    (partial fractions in |u - e|^2 and int dtheta / (a - b cos theta) = 2 pi / sqrt(a^2 - b^2)),
    and int dq / sqrt(P) = ln(2 sqrt(P) + 2 q - 2 (1 + i sqrt c)).  Every term keeps a
    negative imaginary part, so the logarithm stays on one branch and
        G = -pi sqrt(c) arg(2 sqrt(P(rho0^2)) + 2 rho0^2 - 2 - 2 i sqrt c).
    At rho0 = 0 it gives pi^2 sqrt(c) / 2, the whole plane."""
    s = np.sqrt(np.asarray(c, dtype=float))
    P = np.sqrt((rho0 - 1.0) ** 2 - 1j * s) * np.sqrt((rho0 + 1.0) ** 2 - 1j * s)
    return -np.pi * s * np.angle(2.0 * P + 2.0 * rho0 * rho0 - 2.0 - 2.0j * s)


def offset_exponent(c, eta, beta: float):
    """G(c, eta) = int_{|u| > 1/eta} c / (c + |u - e|^beta) du, 0 < eta <= 1 (module docstring).

    beta = 4: closed form (``_offset_exponent_beta4``).  Other beta: every point with
    |u - e| > 1/eta - 1 (``tail_exponent``) minus those of them inside the empty disc
    (``_excluded_integral``): exact geometry, one fixed Gauss rule.  c and eta broadcast."""
    c, eta = np.broadcast_arrays(np.asarray(c, dtype=float), np.asarray(eta, dtype=float))
    rho0 = 1.0 / eta
    if beta == 4.0:
        return _offset_exponent_beta4(c, rho0)
    return tail_exponent(c, rho0 - 1.0, beta) - _excluded_integral(c, rho0, beta)
