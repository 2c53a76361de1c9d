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
from scipy.special import beta as beta_fn, betainc, expit

from .quadrature import legendre

__all__ = ["plane_exponent", "tail_exponent", "hole_exponent", "offset_exponent"]

# Gauss-Legendre nodes of the pieces of the annulus integral (see _annulus_integral)
_N_PEAK, _N_WIDE, _N_EDGE = 16, 10, 24
_RHO0_FAR, _N_FAR = 2.0, 48  # the simpler rule for a far disc edge (_annulus_far)


def tail_exponent(c, D, beta: float):
    """2 pi int_D^inf c d / (c + d^beta) dd = (2 pi / beta) c^(2/beta) B(2/beta, 1 - 2/beta)
    I_{c/(c + D^beta)}(1 - 2/beta, 2/beta): the exponent of the interferers farther than D from
    the receiver (substitute v = d^beta / (c + d^beta)).  D = 0 gives the whole plane."""
    a = 2.0 / beta
    c = np.asarray(c, dtype=float)
    D = np.asarray(D, dtype=float)
    with np.errstate(divide="ignore"):  # D = 0: the whole plane, q = 1
        q = expit(np.log(c) - beta * np.log(D))  # c / (c + D^beta), no overflow
    return (2.0 * np.pi / beta) * c**a * beta_fn(a, 1.0 - a) * betainc(1.0 - a, a, q)


def plane_exponent(c, beta: float):
    """int_{R^2} c / (c + |u|^beta) du = pi (2/beta) c^(2/beta) B(2/beta, 1 - 2/beta)."""
    a = 2.0 / beta
    return np.pi * a * np.asarray(c, dtype=float) ** a * beta_fn(a, 1.0 - a)



def _annulus_rule(nodes: int = 1):
    """Piece boundaries (offsets from ln v_c) and node counts of ``_annulus_integral``: pieces
    of width 1 within e^(+-3) of v_c (the kernel's corner has complex singularities pi/beta off
    the real ln d axis), of width 4 out to e^(+-28) (power laws: smooth in ln v)."""
    offsets = np.r_[np.arange(-28.0, -3.0, 4.0), np.arange(-3.0, 3.5, 1.0), np.arange(4.0, 28.5, 4.0)]
    counts = np.where(np.abs(offsets[:-1] + 0.5) < 3.0, _N_PEAK, _N_WIDE)
    return offsets, nodes * np.r_[counts, _N_WIDE]  # the last piece: from e^28 v_c up to v = 1


def _annulus_integral(c, rho0, beta: float, *, inside: bool, nodes: int = 1):
    """int over the annulus rho0 - 1 < d < rho0 + 1 (d = |u - e|) of psi(d) c d / (c + d^beta),
    psi(d) the angle of the circle of radius d about e that lies inside (``inside=True``) or
    outside the empty disc |u| < rho0, rho0 >= 1: psi_in = 2 arccos((d^2 + 1 - rho0^2) / (2 d)),
    psi_out = 2 pi - psi_in.

    With v = d - (rho0 - 1) in (0, 2): on (0, 1) composite Gauss-Legendre in ln v, graded about
    v_c = max(c^(1/beta), rho0 - 1) (the kernel's corner, of width ~ 1/beta in ln d, or the
    scale of the disc's edge; ln v also absorbs psi's square-root end at v = 0, and the
    kernel's power-law decay over many decades when c is small); on (1, 2)
    d = rho0 - cos(theta), theta in (pi/2, pi), for the square-root end at v = 2."""
    c = np.asarray(c, dtype=float)
    rho0 = np.asarray(rho0, dtype=float)
    lc = np.log(np.maximum(c ** (1.0 / beta), rho0 - 1.0))
    offsets, counts = _annulus_rule(nodes)
    lo = np.minimum(lc, 0.0) - 28.0  # below e^-28 v_c the integrand is < e^-40 of its peak
    bounds = [np.clip(lc + o, lo, 0.0) for o in offsets] + [np.zeros_like(lc)]
    pieces = [legendre(n, bounds[k], bounds[k + 1]) for k, n in enumerate(counts)]
    lnv = np.concatenate([x for x, _ in pieces], axis=-1)
    wl = np.concatenate([w for _, w in pieces], axis=-1) * np.exp(lnv)
    theta, wt = legendre(nodes * _N_EDGE, 0.5 * np.pi, np.pi)
    edge = lnv.shape[:-1] + theta.shape
    v = np.concatenate([np.exp(lnv), np.broadcast_to(1.0 - np.cos(theta), edge)], axis=-1)
    wv = np.concatenate([wl, np.broadcast_to(wt * np.sin(theta), edge)], axis=-1)
    c, rho0 = c[..., None], rho0[..., None]
    d = rho0 - 1.0 + v
    # d^2 + 1 - rho0^2 = 2 (1 - rho0)(1 - v) + v^2, free of cancellation near rho0 = 1
    cos_in = np.clip((2.0 * (1.0 - rho0) * (1.0 - v) + v * v) / (2.0 * d), -1.0, 1.0)
    psi = 2.0 * np.arccos(cos_in) if inside else 2.0 * np.arccos(-cos_in)
    # c d / (c + d^beta) = d / (1 + e^(beta ln d - ln c)), no overflow at large beta or d
    return np.sum(psi * d * expit(np.log(c) - beta * np.log(d)) * wv, axis=-1)


def _annulus_far(c, rho0, beta: float, *, nodes: int = 1):
    """``_annulus_integral`` (outside part) for rho0 >= _RHO0_FAR: there the annulus is at most
    as wide as the distance to BS 1 (d > rho0 - 1 >= 1), the kernel's corner has width
    ~ d / beta >= 1/beta, and one Gauss-Legendre rule in theta (d = rho0 - cos theta, square-root
    ends removed) of _N_FAR nodes suffices."""
    theta, wt = legendre(nodes * _N_FAR, 0.0, np.pi)
    c, rho0 = c[..., None], rho0[..., None]
    d = rho0 - np.cos(theta)
    v = 1.0 - np.cos(theta)
    cos_in = np.clip((2.0 * (1.0 - rho0) * (1.0 - v) + v * v) / (2.0 * d), -1.0, 1.0)
    psi = 2.0 * np.arccos(-cos_in)
    return np.sum(psi * d * expit(np.log(c) - beta * np.log(d)) * np.sin(theta) * wt, axis=-1)


def hole_exponent(c, beta: float):
    """The interference-hole integral of eqs. (37)-(39), in units of r_1:

        J(c) = int_0^2 2 arccos(t/2) c t / (c + t^beta) dt,

    the exponent of the (non-existent) interferers inside the disc of radius r_1 about the
    target, seen from BS 1 at its edge.  Exact geometry: the chord angle 2 arccos(t/2)."""
    return _annulus_integral(c, np.ones_like(np.asarray(c, dtype=float)), beta, inside=True)


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
    # 2 (rho0^2 - 1) formed before adding: 2 P + 2 rho0^2 - 2 loses the digits of a small P
    return -np.pi * s * np.angle(2.0 * P + 2.0 * (rho0 - 1.0) * (rho0 + 1.0) - 2.0j * s)


def offset_exponent(c, eta, beta: float, *, nodes: int = 1):
    """G(c, eta) = int_{|u| > 1/eta} c / (c + |u - e|^beta) du, 0 < eta <= 1 (module docstring).

    beta = 4: closed form (``_offset_exponent_beta4``).  Other beta: the points with
    |u - e| > 1/eta + 1 (all outside the disc: ``tail_exponent``) plus those of the annulus
    1/eta - 1 < |u - e| < 1/eta + 1 that lie outside it (``_annulus_integral``): exact
    geometry, both terms positive (no cancellation).  c and eta broadcast; ``nodes`` multiplies
    the rule's node counts (a finer rule, for an error estimate)."""
    c, eta = np.broadcast_arrays(np.asarray(c, dtype=float), np.asarray(eta, dtype=float))
    rho0 = 1.0 / eta
    if beta == 4.0:
        return _offset_exponent_beta4(c, rho0)
    far = rho0 >= _RHO0_FAR
    out = np.empty(c.shape)
    if np.any(~far):
        out[~far] = _annulus_integral(c[~far], rho0[~far], beta, inside=False, nodes=nodes)
    if np.any(far):
        out[far] = _annulus_far(c[far], rho0[far], beta, nodes=nodes)
    return tail_exponent(c, rho0 + 1.0, beta) + out
