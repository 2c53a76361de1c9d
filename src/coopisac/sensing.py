"""Radar information rate: Hamdi's lemma (eq. 12), Lemma 1 (eqs. 13-15), Theorem 2 (eq. 16),
Proposition 2 (eq. 17), and the exact rate under the paper's model.

Model (Section II-C): target at the origin, BSs an HPPP of intensity ``lam``, the N nearest
sense it, the echo is received by the nearest (BS 1), every other BS interferes at its
distance to BS 1 (eq. 6):

    SIR_s = sigma2 Mr r_1^-beta sum_{i<=N} p_s f_i r_i^-beta / sum_{q>N} p_t f_q |d_1 - d_q|^-beta,

f_i ~ Gamma(Mt-1, 1) (the paper's model; with the ZF beam of eq. (1) and a deterministic
steering vector the exact law of |a^H w^s|^2 is Mt Beta(Mt-1, 1), mean Mt-1 and never above
Mt: we implement the paper's Gamma), f_q ~ Exp(1).  R_s = E[log_base(1 + SIR_s)].

Units.  SIR_s is not scale invariant (the echo travels twice): R_s depends on (lam, p_s, p_t,
sigma2, Mr) only through rho = sigma2 Mr (p_s/p_t) (pi lam)^(beta/2), and lam matters.
``lam`` is BSs per unit area in the same length unit as every distance, and sigma2 and the
path loss r^-beta are in that unit too; no function converts units.  ``base``: any positive
real other than 1 (2, the default, gives bit/s/Hz; math.e gives nats).

Figure defaults (``FIGURE_DEFAULTS``).  The paper (Section IV) fixes Mt = 10, Mr = 6,
beta = 4, p_t = 1 W, sigma2 = 1 but not lam, its unit, or p_s.  We take the length unit
100 m, so lam = 0.01 ... 0.1 is 1 ... 10 BSs per km^2 (macro to dense urban), and
p_s = p_c = 0.5 W.  At lam = 0.05 this gives rho = 0.074 and R_s from about 4 bit/s/Hz at
N = 1 to about 7 at N = 8: a few bit/s/Hz, visibly increasing with N, lam and p_s.  With km
as the unit the same densities give rho ~ 10^3 and R_s ~ 10-15 bit/s/Hz.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from . import _radar, quadrature
from ._checks import check_beta as _check_beta
from ._checks import (
    check_base,
    check_each,
    check_flag,
    check_int,
    check_nonnegative_array,
    check_positive_each,
    check_powers,
    check_real,
)
from ._hole import offset_exponent, tail_exponent
from .results import Estimate

__all__ = [
    "FIGURE_DEFAULTS",
    "to_base",
    "hamdi_rate",
    "sensing_rho",
    "lemma1_laplace_x",
    "lemma1_laplace_y",
    "laplace_x_exact",
    "laplace_y_exact",
    "theorem2",
    "proposition2",
    "AccuracyWarning",
    "BETA_MAX",
    "N_MAX",
    "RHO_RANGE",
    "RTOL",
    "ATOL",
]

BETA_MAX = 8.0  # the upper end of the domain the rules are checked on (beyond, the printed rule converges slowly)
N_MAX = 64  # sensing cluster sizes: time and memory grow with N (the x_N grid, one row per N)
RHO_RANGE = (1e-20, 1e12)  # rho = sigma2 Mr (p_s/p_t)(pi lam)^(beta/2) the rules are built for
RTOL, ATOL = 1e-8, 1e-10  # default accuracy: RTOL relative, or ATOL absolute below 1e-2


class AccuracyWarning(UserWarning):
    """A rate whose estimated quadrature error exceeds the requested accuracy after the
    automatic refinement (the message names the parameters and the accuracy reached)."""


def check_beta(beta: float) -> float:
    """Path-loss exponent of the sensing functions: 2 < beta <= BETA_MAX."""
    beta = _check_beta(beta)
    if beta > BETA_MAX:
        raise ValueError(f"beta must be <= {BETA_MAX:g} for the radar rate (its rules' limit), got {beta!r}")
    return beta


def _check_N(N) -> np.ndarray:
    """Cluster sizes: integers in [1, N_MAX] (an array)."""
    def one(v):
        n = check_int("N", v, minimum=1)
        if n > N_MAX:
            raise ValueError(f"N must be <= {N_MAX} (the rate rules' limit), got {n}")

    return check_each("N", N, one).astype(int)

FIGURE_DEFAULTS = {
    "length_unit": "100 m",
    "Mt": 10,
    "Mr": 6,
    "beta": 4.0,
    "p_t": 1.0,
    "sigma2": 1.0,
    "p_s": 0.5,  # p_c = p_t - p_s = 0.5
    "lam": 0.05,  # 5 BSs per km^2
    "N": tuple(range(1, 9)),  # Fig. 9
    "Mt_values": (4, 6, 8, 10),  # Figs. 9-10
    "lam_values": tuple(np.round(np.linspace(0.01, 0.1, 10), 3)),  # Fig. 10: 1..10 per km^2
    "p_s_values": tuple(np.round(np.linspace(0.05, 1.0, 20), 3)),  # Fig. 11
}


def to_base(nats: ArrayLike, base: float = 2) -> np.ndarray:
    """Convert a rate in nats to log base ``base`` (2: bit/s/Hz, math.e: nats)."""
    return np.asarray(nats, dtype=float) / math.log(check_base(base))


def hamdi_rate(laplace_x: Callable[[np.ndarray], ArrayLike], laplace_y: Callable[[np.ndarray], ArrayLike], *,
               scale: float = 1.0, axis: int = -1) -> np.ndarray:
    """Hamdi's lemma (eq. 12) for independent X, Y >= 0, in nats:

        E[ln(1 + X/Y)] = int_0^inf (1 - L_X(z)) L_Y(z) / z dz.

    ``laplace_x`` and ``laplace_y`` receive the 1-D array of nodes z and return arrays whose
    axis ``axis`` runs over z (other axes are parameters and broadcast).  The rule is the
    exp-sinh trapezoid ``quadrature.exp_sinh(scale)``: it handles power-law decay at both ends
    (z -> 0: 1 - L_X ~ z E[X]; z -> inf: L_Y ~ P(Y = 0) + power law), over z/scale in
    (e^-86, e^86); ``scale`` should sit near the crossing of the two transforms (1 when X and
    Y are of order one)."""
    scale = check_real("scale", scale, lower=0.0)
    z, w = quadrature.exp_sinh(scale)
    g = (1.0 - np.asarray(laplace_x(z), dtype=float)) * np.asarray(laplace_y(z), dtype=float)
    return np.moveaxis(g, axis, -1) @ w


def sensing_rho(*, Mr: int, beta: float, p_s: ArrayLike, p_t: float = 1.0, lam: ArrayLike,
                sigma2: float = 1.0) -> np.ndarray:
    """rho = sigma2 Mr (p_s/p_t) (pi lam)^(beta/2): SIR_s = rho S with S free of these
    parameters (units of x = pi lam r^2).  p_s and lam broadcast."""
    Mr = check_int("Mr", Mr, minimum=1)
    beta = check_beta(beta)
    p_t = check_real("p_t", p_t, lower=0.0)
    sigma2 = check_real("sigma2", sigma2, lower=0.0)
    p_s = check_each("p_s", p_s, lambda v: check_powers(v, p_t, name="p_s")).astype(float)
    lam = check_positive_each("lam", lam)
    # in logarithms: p_s = 5e-324 or lam = 1e300 must not under- or overflow silently
    with np.errstate(divide="ignore"):
        ln_rho = math.log(sigma2 * Mr / p_t) + np.log(p_s) + 0.5 * beta * np.log(np.pi * lam)
    lo, hi = RHO_RANGE
    bad = (ln_rho < math.log(lo)) | (ln_rho > math.log(hi))
    if np.any(bad):
        raise ValueError(
            f"rho = sigma2 Mr (p_s/p_t) (pi lam)^(beta/2) must be in [{lo:g}, {hi:g}] (the range the "
            f"rate rules are built for); got ln(rho) = {float(np.ravel(ln_rho)[np.argmax(np.ravel(bad))]):.6g} "
            "(check p_s, lam, sigma2, Mr)"
        )
    return np.exp(ln_rho)


# ---------------------------------------------------------------------------------------
# Lemma 1: conditional Laplace transforms
# ---------------------------------------------------------------------------------------

def _echo_params(Mt, Mr, beta, p_s, sigma2):
    """(Q, sigma2 Mr p_s, beta) after validation."""
    Q = check_int("Mt", Mt, minimum=2) - 1
    Mr = check_int("Mr", Mr, minimum=1)
    beta = check_beta(beta)
    p_s = check_real("p_s", p_s, lower=0.0)
    sigma2 = check_real("sigma2", sigma2, lower=0.0)
    return Q, sigma2 * Mr * p_s, beta


def _distances(r_1, r_N):
    r_1 = np.asarray(r_1, dtype=float)
    r_N = np.asarray(r_N, dtype=float)
    for name, v in (("r_1", r_1), ("r_N", r_N)):
        for x in v.ravel():
            check_real(name, x, lower=0.0)
    if np.any(r_1 > r_N):
        raise ValueError("r_1 must be <= r_N (r_1 is the nearest of the N sensing BSs)")
    return r_1, r_N


def _rounding(value, terms=1.0):
    """Error bound of a closed form: a few ulp per term, relative to |value|."""
    return 4.0 * np.finfo(float).eps * np.asarray(terms, dtype=float) * np.abs(value)


def _out(value, error, full_output: bool):
    return Estimate(np.asarray(value), np.asarray(error)) if full_output else value


def lemma1_laplace_x(z: ArrayLike, r_N: ArrayLike, *, Mt: int, Mr: int, beta: float, p_s: float, sigma2: float = 1.0,
                     lam: float, full_output: bool = False) -> np.ndarray | Estimate:
    """Eq. (13) as printed: E[e^{-zX} | r_N] = exp(-(2 pi lam / beta) H_3),

        H_3 = (z sigma2 Mr p_s)^(2/beta) sum_{i=1}^{Q} C(Q, i) B(u_N; Q-i+2/beta, i-2/beta),
        u_N = 1 / (1 + p_s z sigma2 Mr r_N^-beta),  Q = Mt - 1,

    B(u; a, b) the incomplete beta function, X = sigma2 Mr p_s sum_{i<=N} f_i r_i^-beta.
    This is the PGFL (eq. 25) of a PPP inside the disc of radius r_N: a Poisson number of
    points, not the N-1 points that are there (see ``laplace_x_exact``).  Eq. (25)'s first
    line omits p_s; its step (b) and (15) have it.  z, r_N broadcast.  A closed form:
    ``full_output=True`` returns ``Estimate(value, error)`` with its rounding bound (Q
    positive terms)."""
    z = check_nonnegative_array("z", z)
    Q, a, beta = _echo_params(Mt, Mr, beta, p_s, sigma2)
    lam = check_real("lam", lam, lower=0.0)
    full_output = check_flag("full_output", full_output)
    r_N = np.asarray(r_N, dtype=float)
    for x in r_N.ravel():
        check_real("r_N", x, lower=0.0)
    # 2 pi lam int_0^{r_N} (...) r dr = pi lam int_0^{r_N^2} (...) dx, x = r^2
    H = np.pi * lam * _radar.h3_exponent(z * a, r_N**2, Q, beta)
    value = np.exp(-H)
    return _out(value, _rounding(value, 1.0 + (Q + 4) * H), full_output)


def _interference_args(z, r_1, r_N, beta, p_t, lam):
    """Validated arguments of the two conditional interference transforms."""
    z = check_nonnegative_array("z", z)
    beta = check_beta(beta)
    p_t = check_real("p_t", p_t, lower=0.0)
    lam = check_real("lam", lam, lower=0.0)
    return (z, beta, p_t, lam, *_distances(r_1, r_N))


def lemma1_laplace_y(z: ArrayLike, r_1: ArrayLike, r_N: ArrayLike, *, beta: float, p_t: float = 1.0, lam: float,
                     full_output: bool = False) -> np.ndarray | Estimate:
    """Eq. (14): E[e^{-zY} | r_1, eta_N] = exp(-2 pi lam r_1^2 H_4(z p_t, beta, eta_N)),

        H_4(z, beta, eta) = (z^(2/beta) / beta) (B(2/beta, 1-2/beta) - B(v_N; 2/beta, 1-2/beta)),
        v_N = 1 / (1 + z eta^beta),  eta_N = r_1 / r_N,

    Y = r_1^beta sum_{q>N} p_t f_q |d_1 - d_q|^-beta.  Eq. (28) replaces |d_1 - d_q| by the
    distance from the target |d_q|, i.e. H_4 = int_0^eta z t^(beta-3) / (1 + z t^beta) dt
    (the printed step (29)(a) has the limits (eta, 1) and 1/(1 + z t^beta): a typo; H_4 as
    defined is right).  The paper drops p_t (normalised to 1); we keep z p_t.  A closed form:
    ``full_output=True`` returns ``Estimate(value, error)`` with its rounding bound."""
    z, beta, p_t, lam, r_1, r_N = _interference_args(z, r_1, r_N, beta, p_t, lam)
    full_output = check_flag("full_output", full_output)
    # 2 pi H_4(c, eta) = 2 pi int_{1/eta}^inf c d / (c + d^beta) dd = tail_exponent(c, 1/eta)
    with np.errstate(divide="ignore", invalid="ignore"):
        H = lam * r_1**2 * tail_exponent(z * p_t, r_N / r_1, beta)
    value = np.exp(-H)
    return _out(value, _rounding(value, 8.0 + 8.0 * H), full_output)


def laplace_x_exact(z: ArrayLike, r_1: ArrayLike, r_N: ArrayLike, *, N: int, Mt: int, Mr: int, beta: float,
                    p_s: float, sigma2: float = 1.0, full_output: bool = False) -> np.ndarray | Estimate:
    """E[e^{-zX} | r_1, r_N] exactly: given r_1 and r_N, BS 1 and BS N are at those distances
    and the other N-2 cluster BSs are iid uniform in the annulus r_1 < r < r_N, so

        (1 + a r_1^-beta)^-Q (1 + a r_N^-beta)^-Q [mean over the annulus of (1 + a r^-beta)^-Q]^(N-2),

    a = z sigma2 Mr p_s (N = 1: r_N = r_1 and only the first factor).  The annulus mean is a
    composite Gauss-Legendre rule in ln r^2 (``_radar.inner_mean``, 12 nodes per piece);
    ``full_output=True`` returns ``Estimate(value, error)``, the error from the same pieces
    with 24 nodes.  No dependence on lam."""
    z = check_nonnegative_array("z", z)
    N = int(_check_N(check_int("N", N, minimum=1))[()])
    Q, a, beta = _echo_params(Mt, Mr, beta, p_s, sigma2)
    full_output = check_flag("full_output", full_output)
    r_1, r_N = _distances(r_1, r_N)
    if N == 1 and np.any(r_1 != r_N):
        raise ValueError("r_N must equal r_1 when N = 1")
    with np.errstate(divide="ignore"):
        lnW = np.log(z * a) - beta * np.log(r_N)  # W of BS N
        s = 2.0 * np.log(r_N / r_1)
    log_value = _radar._log_echo(lnW + 0.5 * beta * s, Q)
    error = np.zeros_like(log_value)
    if N > 1:
        log_value = log_value + _radar._log_echo(lnW, Q)
        if N > 2:
            def log_m(nodes):  # ln m from whichever of m, 1 - m is the smaller (its digits)
                om, m = _radar.inner_mean(lnW, s, Q, beta, nodes)
                with np.errstate(divide="ignore"):
                    return np.where(m < 0.5, np.log(m), np.log1p(-om))

            lm = log_m(24)
            log_value = log_value + (N - 2) * lm
            with np.errstate(invalid="ignore"):
                error = np.nan_to_num((N - 2) * np.abs(log_m(12) - lm))
    value = np.exp(log_value)
    return _out(value, value * (np.expm1(error) + 16.0 * np.finfo(float).eps * (1.0 + np.abs(log_value))), full_output)


def laplace_y_exact(z: ArrayLike, r_1: ArrayLike, r_N: ArrayLike, *, beta: float, p_t: float = 1.0, lam: float,
                    full_output: bool = False) -> np.ndarray | Estimate:
    """E[e^{-zY} | r_1, r_N] exactly: the interferers are the PPP outside the disc of radius
    r_N about the target, seen from BS 1 at distance r_1.  Scaling y = r_1 u,

        exp(-lam r_1^2 G(z p_t, r_1/r_N)),  G(c, eta) = int_{|u| > 1/eta} c / (c + |u - e|^beta) du,

    (``_hole.offset_exponent``: closed form for beta = 4, a composite Gauss rule otherwise).
    At r_N = r_1 (N = 1) it is the paper's interference-hole transform of eq. (37).
    ``full_output=True`` returns ``Estimate(value, error)``: for beta != 4 the error of G
    from the same rule with twice the nodes, for beta = 4 the closed form's rounding bound."""
    z, beta, p_t, lam, r_1, r_N = _interference_args(z, r_1, r_N, beta, p_t, lam)
    full_output = check_flag("full_output", full_output)
    G = offset_exponent(z * p_t, r_1 / r_N, beta)
    dG = 8.0 * np.finfo(float).eps * np.abs(G)
    if beta != 4.0:
        dG = dG + np.abs(offset_exponent(z * p_t, r_1 / r_N, beta, nodes=2) - G)
    H = lam * r_1**2 * G
    value = np.exp(-H)
    return _out(value, value * np.expm1(lam * r_1**2 * dG) + _rounding(value, 1.0 + H), full_output)


# ---------------------------------------------------------------------------------------
# Theorem 2 and Proposition 2
# ---------------------------------------------------------------------------------------

def _tolerance(value):
    """RTOL relative, or ATOL absolute where |value| < 1e-2 (nats)."""
    v = np.abs(value)
    return np.where(v < 1e-2, np.maximum(ATOL, RTOL * v), RTOL * v)


def _refined(compute, rho, what: str):
    """(value, error) of ``compute(rho, level)`` (arrays with last axis over rho) at the
    coarsest level whose error estimate meets ``_tolerance``; rhos that miss it are
    recomputed at the next level, up to ``_radar.LEVEL_MAX``; what still misses it is
    returned with an ``AccuracyWarning`` naming rho and the accuracy reached."""
    value, error = compute(rho, 0)
    for level in range(1, _radar.LEVEL_MAX + 1):
        bad = np.any(error > _tolerance(value), axis=tuple(range(value.ndim - 1)))
        if not bad.any():
            break
        v, e = compute(rho[bad], level)
        value[..., bad], error[..., bad] = v, e
    bad = np.any(error > _tolerance(value), axis=tuple(range(value.ndim - 1)))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        rel = float(np.max(error[..., k] / np.maximum(np.abs(value[..., k]), 1e-300)))
        warnings.warn(
            f"{what}: at rho = {rho[k]:.6g} the estimated relative error is {rel:.1e} after "
            f"refining {_radar.LEVEL_MAX} times (requested {RTOL:g} relative or {ATOL:g} absolute)",
            AccuracyWarning,
            stacklevel=3,
        )
    return value, error


def _sensing_common(Mt, Mr, beta, p_s, p_t, lam, sigma2, base, full_output):
    Mt = check_int("Mt", Mt, minimum=2)
    beta = check_beta(beta)
    base = check_base(base)
    full_output = check_flag("full_output", full_output)
    rho = sensing_rho(Mr=Mr, beta=beta, p_s=p_s, p_t=p_t, lam=lam, sigma2=sigma2)
    return Mt - 1, beta, base, full_output, rho


def theorem2(N: ArrayLike, *, Mt: int, Mr: int, beta: float, p_s: ArrayLike, p_t: float = 1.0, lam: ArrayLike,
             sigma2: float = 1.0, base: float = 2, exact: bool = False,
             full_output: bool = False) -> np.ndarray | Estimate:
    """Radar information rate R_s, Theorem 2 (eq. 16), for N >= 1 BSs in the sensing cluster.

    ``exact=False``: eq. (16) as printed,

        R_s = int_0^inf (1/z) (1 - int_0^inf e^{-(2 pi lam/beta) H_3(z, r_N)} f(r_N) dr_N)
                  x int_0^1 f(eta_N) / (1 + 2 H_4(z p_t, beta, eta_N)) d eta_N dz,

    f(r_N) = 2 (lam pi r_N^2)^N e^{-lam pi r_N^2} / (Gamma(N) r_N), f(eta) = 2(N-1) eta (1-eta^2)^(N-2),
    with H_3, H_4 of Lemma 1 (eq. 15).  Corrections, each where the intent is unambiguous:
    f(r_N) as in (16), not (31)'s r_N^N; f(r_1) = 2 pi lam r_1 e^{-pi lam r_1^2} in (32)-(33)
    (printed without pi; (33)(b) = 1/(1 + 2 H_4) needs the pi); H_4 takes z p_t (the paper
    sets p_t = 1).  N = 1: f(eta_N) vanishes identically, because eta_N = r_1/r_N = 1 surely
    (a point mass, no density); the second factor is then 1/(1 + 2 H_4(z p_t, beta, 1)), the
    N -> 1 limit of Beta(1, N-1) for eta_N^2.  Inexact steps kept, as printed: the PGFL of a
    PPP inside r_N for the echo (eq. 25), the distance to the target instead of to BS 1
    (eq. 28), r_1 and eta_N integrated as independent (eqs. 32-33), and X, Y treated as
    independent in eq. (12) although both depend on r_1.

    ``exact=True``: none of these.  Given x_1 = pi lam r_1^2 and x_N, the echo X and the
    interference Y are independent, so eq. (12) holds conditionally; x_N ~ Gamma(N) and
    x_1/x_N ~ Beta(1, N-1) independent; the N-2 inner BSs are iid uniform in x on (x_1, x_N);
    the interferers are the PPP outside r_N seen from BS 1 (``laplace_y_exact``).

    Accuracy (both variants): quadrature only, on the lattice of ``coopisac._radar``, with an
    error estimate from its embedded coarser rules; by default RTOL = 1e-8 relative (ATOL =
    1e-10 absolute, in nats, where the rate is below 1e-2), refined automatically, with an
    ``AccuracyWarning`` (rho and the accuracy reached) where two refinements do not suffice.
    ``full_output=True`` returns ``Estimate(value, error)`` (error: estimated absolute error,
    same unit).  Domain: N <= N_MAX, beta <= BETA_MAX, rho in RHO_RANGE (refused outside).

    N, p_s and lam broadcast; the result has their broadcast shape, element by element (one
    rate per distinct rho = sigma2 Mr (p_s/p_t)(pi lam)^(beta/2), every distinct N computed on
    shared nodes).  Returns log base ``base`` (default bit/s/Hz).
    """
    Q, beta, base, full_output, rho = _sensing_common(Mt, Mr, beta, p_s, p_t, lam, sigma2, base, full_output)
    exact = check_flag("exact", exact)
    N = _check_N(N)
    N, rho = np.broadcast_arrays(N, rho)
    Ns = [int(n) for n in np.unique(N)]
    u, inv = np.unique(rho.ravel(), return_inverse=True)
    engine = _radar.rate_exact if exact else _radar.rate_theorem2_printed
    value, error = _refined(lambda r, level: engine(r, Ns, Q, beta, level), u, "theorem2")
    rows = np.searchsorted(Ns, N.ravel())
    scale = 1.0 / math.log(base)
    value = value[rows, inv.ravel()].reshape(N.shape) * scale
    error = error[rows, inv.ravel()].reshape(N.shape) * scale
    return _out(value, error, full_output)


def proposition2(*, Mt: int, Mr: int, beta: float, p_s: ArrayLike, p_t: float = 1.0, lam: ArrayLike,
                 sigma2: float = 1.0, hole: bool = True, base: float = 2,
                 full_output: bool = False) -> np.ndarray | Estimate:
    """Radar information rate for N = 1, Proposition 2 (eq. 17), with the interference hole.

        R_s = int_0^inf (1/z) (1 - (1 + z sigma2 Mr p_s)^-(Mt-1)) int_0^inf f(r_1)
              exp(-pi lam r_1^4 (2/beta) (z p_t)^(2/beta) B(2/beta, 1-2/beta))
              exp(lam r_1^2 int_0^2 2 arccos(t/2) z p_t r_1^beta t^-beta / (1 + z p_t r_1^beta t^-beta) t dt) dr_1 dz,

    f(r_1) = 2 pi lam r_1 e^{-pi lam r_1^2}.  Corrections (each checked against the appendix):
    r_1^4 in the first exponential ((17) prints r_1^2; (37)(c)-(39) have r_1^4, as
    Y = r_1^(2 beta) sum ... makes (z p_t r_1^(2 beta))^(2/beta) = (z p_t)^(2/beta) r_1^4);
    r_1^(+beta) in the hole term ((37)(b) prints r_1^(-2 beta) before the substitution
    t = x/r_1, which with r_1^(+2 beta) gives (37)(c) and (17)); f(r_1) with its factor r_1
    ((17) prints 2 pi lam e^{-pi lam r_1^2}, which is not a pdf).

    With ``hole=True`` this is exact under the paper's model: for N = 1, X = sigma2 Mr p_s f_1
    is independent of Y, and the hole's angular extent 2 arccos(x/(2 r_1)) is exact geometry;
    it equals ``theorem2(1, exact=True)`` to quadrature accuracy (a different route: the hole
    integral J of eq. 37 beside the plane, there the exponent G of the region outside).
    ``hole=False`` drops the hole term (the interferers are then a PPP on the whole plane
    around BS 1).  Accuracy, ``full_output`` and domain as in ``theorem2``.

    p_s and lam broadcast; one rate per distinct rho.  Returns log base ``base``."""
    Q, beta, base, full_output, rho = _sensing_common(Mt, Mr, beta, p_s, p_t, lam, sigma2, base, full_output)
    hole = check_flag("hole", hole)
    u, inv = np.unique(rho.ravel(), return_inverse=True)
    value, error = _refined(lambda r, level: _radar.rate_proposition2(r, Q, beta, hole, level), u, "proposition2")
    scale = 1.0 / math.log(base)
    value = value[inv.ravel()].reshape(rho.shape) * scale
    error = error[inv.ravel()].reshape(rho.shape) * scale
    return _out(value, error, full_output)
