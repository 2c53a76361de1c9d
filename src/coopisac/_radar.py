"""Fixed-rule engines of the radar information rate in normalised units (used by ``sensing``).

Units of x = pi lam r^2 (the distances' images, a unit-rate Poisson process) and unit p_t:
SIR_s = rho S with rho = sigma2 Mr (p_s/p_t) (pi lam)^(beta/2) and S free of every parameter
but (N, Mt, beta), so a rate depends on (lam, p_s, p_t, sigma2, Mr) only through rho.  Every
function here takes a 1-D array ``rho`` and returns nats of that shape.

Rules (all fixed, vectorised over rho and the nodes):
* z: ``quadrature.exp_sinh`` (dz/z, centred at 1/sqrt(rho Q), where the echo and the
  interference transforms cross);
* x_N ~ Gamma(N): Gauss-Legendre in v = ln x_N between the 1e-14 and 1 - 1e-16 quantiles,
  since the conditional rates grow like ln(1/x_N) (a log singularity at x_N = 0);
* t = x_1/x_N ~ Beta(1, N-1): Gauss-Laguerre in s = -ln t (the rates grow linearly in s);
* the N-2 inner cluster points: Gauss-Legendre in ln x on (ln x_1, ln x_N).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.special import beta as beta_fn, betainc, comb, erfcx, gammainccinv, gammaincinv, gammaln

from . import quadrature
from ._hole import hole_exponent, offset_exponent, plane_exponent, tail_exponent

_N_S = 32  # Gauss-Laguerre nodes in s = -ln(x_1/x_N)
_N_INNER = 16  # nodes of the inner cluster points' mean


def z_rule(rho, Q: int):
    """exp-sinh nodes/weights of dz/z, shape (len(rho), n)."""
    return quadrature.exp_sinh(1.0 / np.sqrt(np.asarray(rho, dtype=float) * Q))


@lru_cache(maxsize=None)
def _v_nodes(lo: float, hi: float, n: int):
    return quadrature.legendre(n, lo, hi)


def xN_rule(N: int, Nmax: int = 8):
    """(x_N nodes, weights) for E[g(x_N)], x_N ~ Gamma(N), through v = ln x_N.

    N = 1 has its own 96-node rule.  Every N >= 2 shares one set of nodes (so that quantities
    computed on them serve all N at once), spanning the 1e-14 quantile of Gamma(2) to the
    1 - 1e-16 quantile of Gamma(max(8, Nmax)), 64 nodes for that width of 20 (more beyond);
    Gamma(N) moments on it are exact to 1e-10."""
    if N == 1:
        v, w = _v_nodes(np.log(gammaincinv(1, 1e-14)), np.log(gammainccinv(1, 1e-16)), 96)
    else:
        lo, hi = np.log(gammaincinv(2, 1e-14)), np.log(gammainccinv(max(8, Nmax), 1e-16))
        v, w = _v_nodes(lo, hi, int(np.ceil(64 * max(1.0, (hi - lo) / 20.0))))
    return np.exp(v), w * np.exp(N * v - np.exp(v) - gammaln(N))


@lru_cache(maxsize=None)
def s_rule(N: int):
    """(s nodes, weights) for E[g(t)], t = e^-s ~ Beta(1, N-1), N >= 2."""
    s, w = quadrature.laguerre(_N_S)
    return s, w * (N - 1) * (-np.expm1(-s)) ** (N - 2)


def echo_factor(W, Q: int):
    """E[exp(-W f)] = (1 + W)^-Q for f ~ Gamma(Q, 1)."""
    return (1.0 + W) ** (-float(Q))


def inner_mean(W, s, Q: int, beta: float):
    """Mean of (1 + W (x/x_N)^(-beta/2))^-Q over x uniform on (x_N e^-s, x_N): the Laplace
    factor of one of the N-2 inner cluster points given (x_1, x_N), s = ln(x_N/x_1).
    Gauss-Legendre in ln x; W and s broadcast, a trailing node axis is summed."""
    y, w = quadrature.legendre01(_N_INNER)
    s = np.asarray(s, dtype=float)[..., None]
    lnr = -s * (1.0 - y)  # ln(x / x_N) at the nodes
    vals = echo_factor(np.asarray(W, dtype=float)[..., None] * np.exp(-0.5 * beta * lnr), Q)
    # (ln x_N - ln x_1) / (1 - x_1/x_N), -> 1 as s -> 0
    norm = np.where(s > 0, s / -np.expm1(-np.where(s > 0, s, 1.0)), 1.0)
    return (vals * np.exp(lnr)) @ w * norm[..., 0]


def rate_exact(rho, Ns, Q: int, beta: float):
    """E[ln(1 + rho S)] for each N in ``Ns`` without the derivation's approximations: Hamdi's
    lemma applied conditionally on (x_1, x_N), given which the echo X and the interference Y
    are independent.

      L_X(z | x_1, x_N) = (1 + w x_1^-b)^-Q (1 + w x_N^-b)^-Q m^(N-2),  w = z rho, b = beta/2,
      L_Y(z | x_1, x_N) = exp(-(x_1/pi) G(z, sqrt(x_1/x_N)))         (``_hole.offset_exponent``),

    m the ``inner_mean``; X, Y split so that BS 1's own x_1^-b sits in X.  N = 1:
    x_1 = x_N ~ Exp(1), L_Y = exp(-(x_1/pi) G(z, 1)).  The nodes in (x_N, s, z) and the
    inner means are shared by every N >= 2.  Returns nats, shape (len(Ns),) + rho.shape."""
    rho = np.atleast_1d(np.asarray(rho, dtype=float))
    Ns = [int(N) for N in Ns]
    b = 0.5 * beta
    z, wz = z_rule(rho, Q)  # (m, nz)
    out = np.empty((len(Ns), rho.size))
    if 1 in Ns:
        out[Ns.index(1)] = rate_single(rho, Q, offset_exponent(z, 1.0, beta), beta)
    rest = [N for N in Ns if N > 1]
    if not rest:
        return out
    Nmax = max(rest)
    xN, _ = xN_rule(2, Nmax)
    s, _ = s_rule(2)
    t = np.exp(-s)
    wv = np.stack([xN_rule(N, Nmax)[1] for N in rest])  # (nN, nv)
    ws = np.stack([s_rule(N)[1] for N in rest])  # (nN, ns)
    tG = t[None, :, None] * offset_exponent(z[:, None, :], np.sqrt(t)[None, :, None], beta) / np.pi
    rows = [Ns.index(N) for N in rest]
    for k in range(rho.size):  # one rho at a time bounds the memory (nv * ns * nz * inner)
        W = (z[k] * rho[k])[None, None, :] * xN[:, None, None] ** -b  # (nv, 1, nz)
        ends = echo_factor(W, Q) * echo_factor(W * t[None, :, None] ** -b, Q)
        m = inner_mean(W, s[None, :, None], Q, beta) if Nmax > 2 else None
        LY = np.exp(-xN[:, None, None] * tG[k][None])
        for j, N in enumerate(rest):
            LX = ends if N == 2 else ends * m ** (N - 2)
            r = ((1.0 - LX) * LY) @ wz[k]  # conditional rates, (nv, ns)
            out[rows[j], k] = wv[j] @ r @ ws[j]
    return out


def h3_exponent(w, xN, Q: int, beta: float):
    """(2 pi lam / beta) H_3 of eq. (15) in units of x: the PGFL exponent of eq. (25),
    int_0^{x_N} (1 - (1 + w x^-b)^-Q) dx = (2/beta) w^(2/beta) sum_i C(Q,i) B(u_N; Q-i+2/beta, i-2/beta),
    u_N = 1 / (1 + w x_N^-b)."""
    a = 2.0 / beta
    u = 1.0 / (1.0 + w * xN ** (-0.5 * beta))
    total = 0.0
    for i in range(1, Q + 1):
        p, q = Q - i + a, i - a
        total = total + comb(Q, i) * beta_fn(p, q) * betainc(p, q, u)
    return a * w**a * total


def rate_theorem2_printed(rho, N: int, Q: int, beta: float):
    """Eq. (16) in units of x (see ``sensing.theorem2`` for the corrections), nats.

      R = int dz/z (1 - E_{x_N}[exp(-(2/beta) H_3)]) E_eta[1 / (1 + 2 H_4(z, eta))],

    the eta-expectation taken outside the z-integral (Fubini) so that the inner integrand is
    smooth; N = 1: eta = 1 surely."""
    rho = np.asarray(rho, dtype=float)
    z, wz = z_rule(rho, Q)
    xN, wv = xN_rule(N, N)
    A = np.exp(-h3_exponent((z * rho[:, None])[..., None], xN, Q, beta)) @ wv  # (m, nz)
    if N == 1:
        two_h4 = tail_exponent(z, 1.0, beta) / np.pi
        return ((1.0 - A) / (1.0 + two_h4)) @ wz[0]
    s, ws = s_rule(N)
    eta = np.exp(-0.5 * s)
    two_h4 = tail_exponent(z[:, None, :], 1.0 / eta[None, :, None], beta) / np.pi  # (m, ns, nz)
    return (((1.0 - A)[:, None, :] / (1.0 + two_h4)) @ wz[0]) @ ws


def rate_single(rho, Q: int, G1, beta: float):
    """N = 1 given the exponent G1 = G(z, 1) on the nodes of ``z_rule(rho, Q)``:
    E_x[int dz/z (1 - (1 + z rho x^-b)^-Q) exp(-(x/pi) G1(z))], x = x_1 ~ Exp(1)."""
    z, wz = z_rule(rho, Q)
    x1, w1 = xN_rule(1)
    LX = echo_factor((z * rho[:, None])[:, None, :] * x1[None, :, None] ** (-0.5 * beta), Q)
    LY = np.exp(-x1[None, :, None] * (G1 / np.pi)[:, None, :])
    return (((1.0 - LX) * LY) @ wz[0]) @ w1


def rate_proposition2(rho, Q: int, beta: float, hole: bool):
    """Eq. (17) with the corrections listed in ``sensing.proposition2``, in units of x, nats:

      R = int dz/z (1 - (1 + z rho)^-Q) E_x[exp(-x^2 (2/beta) z^(2/beta) B + (x/pi) J(z x^b))],

    x = pi lam r_1^2 ~ Exp(1), b = beta/2, J the hole integral (``_hole.hole_exponent``).
    Without the hole E_x has a closed form (erfcx).  With it, the substitution z = zeta x^-b
    (for each x) turns the exponent into (x/pi)(plane(zeta) - J(zeta)), so J is needed only
    on the zeta nodes: ``rate_single`` with G1 = plane - J."""
    rho = np.asarray(rho, dtype=float)
    z, wz = z_rule(rho, Q)
    if hole:
        return rate_single(rho, Q, plane_exponent(z, beta) - hole_exponent(z, beta), beta)
    a = plane_exponent(z, beta) / np.pi  # x^2 a = x^2 (2/beta) z^(2/beta) B
    # E[exp(-a x^2)], x ~ Exp(1): int_0^inf e^(-x - a x^2) dx = sqrt(pi/a)/2 erfcx(1/(2 sqrt a))
    LY = 0.5 * np.sqrt(np.pi / a) * erfcx(0.5 / np.sqrt(a))
    return ((1.0 - echo_factor(z * rho[:, None], Q)) * LY) @ wz[0]
