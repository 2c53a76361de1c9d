"""Antenna-level Monte Carlo: the network of Section II with the ZF beams of eq. (1).

Where ``coopisac.simulation`` draws the paper's fading abstraction (serving and echo gains
Gamma(Mt-1, 1), interferers Exp(1)), this module builds the gains from channel vectors:

* BS i has its own user channel h_i ~ CN(0, I_Mt) and the steering vector a(theta_i) of a
  half-wavelength ULA (``beamforming.steering``) toward the typical target at the origin
  (every array along the x axis, so cos theta_i = -cos phi_i for a BS at polar angle phi_i);
* H_i = [a^H; h_i^H] and W_i = H_i^H (H_i H_i^H)^-1 (eq. 1), each column scaled to unit norm.

Why normalise.  Eq. (1) alone gives H_i W_i = I: the unnormalised beams invert the channel, so
the user's and the echo's gains would be exactly 1 and the *transmit* power p_c ||w^c||^2 random,
with E||w^c||^2 = E[1 / ||P h||^2] = 1/(Mt - 2) (infinite for Mt = 2).  The model's powers p_c,
p_s per beam (Section II-A, W_i = [sqrt(p_s) w^s, sqrt(p_c) w^c]) hold only with unit-norm columns.

Closed forms of the normalised beams (proved in the book's chapter "Does the fading model
hold?", checked against ``beamforming.zf_beams`` in the tests).  W e_2 lies in span{a, h} and
is orthogonal to a, W e_1 lies in span{a, h} and is orthogonal to h, and h^H W e_2 = a^H W e_1 = 1
are real and positive.  With u = a / sqrt(Mt), c = u^H h and P the projector orthogonal to a:

    w^c = P h / ||P h||,   h^H w^c = ||P h|| > 0,   g = ||h||^2 - |c|^2           ~ Gamma(Mt-1, 1),
    w^s = P_h a / ||P_h a||,  a^H w^s > 0,          f = Mt (1 - |c|^2 / ||h||^2)  ~ Mt Beta(Mt-1, 1),
    w^cH w^s = -conj(c) / ||h||,  so |w^cH w^s|^2 = B = |c|^2 / ||h||^2            ~ Beta(1, Mt-1).

An interferer's beams lie in the plane span{a_j, h_j}; a victim's channel x ~ CN(0, I_Mt)
(the typical user's channel from BS j, or v(theta_1) H_{1,q} at BS 1, which is CN(0, I_Mt) because
||v|| = 1 and the rows of H_{1,q} are iid) enters only through its coordinates in an orthonormal
basis {w^c, e} of that plane, X = x^H w^c and Z = x^H e, iid CN(0, 1) and independent of the
beams.  Then x^H w^s = X w^cH w^s + Z sqrt(1 - B).  The interferer's own user channel enters
only through the overlap B, and X being circular, only through its law Beta(1, Mt-1): each
interferer costs two complex Gaussians and one exponential instead of 2 Mt complex Gaussians.  The serving
and sensing BSs are built from their full vectors and steering vectors.

Joint transmission.  Eq. (2) has the L serving BSs send the same symbol s^c, and eq. (1) makes
each h_i^H w^c_i = sqrt(g_i) real and positive: the amplitudes add in phase, and the received
power is p_c (sum_i sqrt(g_i) r_i^(-beta/2))^2 (``joint="coherent"``).  Eq. (3) adds powers,
p_c sum_i g_i r_i^-beta (``joint="noncoherent"``): it assumes independent symbols or phases.
Coherent >= non-coherent on every sample (the cross terms are >= 0).

The interference of an interferer is p_c |X|^2 + p_s |x^H w^s|^2 (mean p_t, the paper's p_t g_j
with g_j ~ Exp(1)); beyond the K-th BS the mean tail of ``coopisac.simulation`` is used, which
holds because both terms have mean 1.  Geometry, seeding, blocks and results are those of
``coopisac.simulation`` (units of x = pi lam r^2; the coverage is free of lam).
"""
from __future__ import annotations

import math
import os
from concurrent.futures import Executor
from functools import partial

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats
from scipy.special import gammaincc, roots_jacobi

from . import _engine
from ._checks import (
    check_base,
    check_beta,
    check_choice,
    check_int,
    check_int_each,
    check_positive_each,
    check_powers,
    check_real,
    check_threshold,
)
from .geometry import sample_nearest, tail_mean_at_origin, tail_mean_offset
from .quadrature import legendre
from .sensing import sensing_rho
from .simulation import _UNIT_LAM, MAX_CLUSTER, MAX_MT, BiasResult, MCResult, _pathloss_to_bs1, _resolve_K, _run

__all__ = ["antenna_coverage", "antenna_radar_rate", "antenna_truncation_bias", "zf_coverage_L1", "JOINT"]

#: Joint transmission of the serving cluster: powers add (eq. 3) or amplitudes add (eq. 2).
JOINT = ("noncoherent", "coherent")


# ---------------------------------------------------------------------------------------
# Channel draws and the closed forms of the normalised ZF gains
# ---------------------------------------------------------------------------------------

def _cn(rng, shape):
    """CN(0, 1) draws of ``shape``: real and imaginary parts N(0, 1/2)."""
    z = rng.standard_normal((*shape, 2))
    z *= math.sqrt(0.5)
    return z.view(np.complex128)[..., 0]


def _own_beams(rng, cos_theta, Mt):
    """Full user channels h (Mt entries for every element of ``cos_theta``) of BSs whose
    targets lie at cos_theta; returns |c|^2 = |u^H h|^2 (u = a(theta) / sqrt(Mt)) and ||h||^2.

    a^H h = sum_m exp(j pi m cos theta) h_m (``beamforming.steering``) is evaluated by Horner's
    rule in exp(j pi cos theta), without forming a."""
    h = _cn(rng, (Mt, *cos_theta.shape))  # antenna index first: contiguous slices
    z = np.exp(1j * np.pi * cos_theta)
    ah = h[Mt - 1].copy()
    for m in range(Mt - 2, -1, -1):
        ah *= z
        ah += h[m]
    nh2 = np.einsum("m...,m...->...", h.real, h.real) + np.einsum("m...,m...->...", h.imag, h.imag)
    return (ah.real**2 + ah.imag**2) / Mt, nh2


def _overlap(rng, shape, Mt):
    """Overlaps B = |w^cH w^s|^2 = |c|^2 / ||h||^2 of interferers' beams, from their law
    Beta(1, Mt-1) by inversion: 1 - B = U^(1/(Mt-1)) with U = e^-E uniform."""
    B = rng.standard_exponential(shape)
    B *= -1.0 / (Mt - 1)
    return -np.expm1(B, out=B)


def _leakage(rng, B):
    """|x^H w^c|^2 and |x^H w^s|^2 at a victim with channel x ~ CN(0, I) independent of the
    beams, for beams of overlap |w^cH w^s|^2 = B: with X, Z the victim's beam-plane coordinates,
    x^H w^s = X w^cH w^s + Z sqrt(1 - B), and X times the phase of w^cH w^s is again CN(0, 1)
    independent of everything else (circular symmetry), so x^H w^s = Z sqrt(1 - B) - X sqrt(B)
    in law, jointly with x^H w^c = X up to that phase."""
    X = rng.standard_normal((4, *B.shape))  # Re X, Im X, Re Z, Im Z, each N(0, 1): half-power below
    sb, sc = np.sqrt(B), np.sqrt(1.0 - B)
    gc = 0.5 * (X[0] ** 2 + X[1] ** 2)
    yr = sc * X[2] - sb * X[0]
    yi = sc * X[3] - sb * X[1]
    return gc, 0.5 * (yr * yr + yi * yi)


# ---------------------------------------------------------------------------------------
# Block kernels
# ---------------------------------------------------------------------------------------

def _coverage_parts(rng, n, *, L, Mt, beta, Ks, pi_c):
    """One block in units of x = pi lam r^2, unit total power.  Returns (g, w, [I_K for K in
    Ks]): the L serving gains ||P h_i||^2, their path losses x_i^(-beta/2), and the interference
    of BSs L+1..K (p_c |X|^2 + p_s |Y|^2 over p_t) plus the mean tail beyond x_K, every K on
    the same draws."""
    Kmax = max(Ks)
    x = sample_nearest(rng, n, Kmax, _UNIT_LAM)
    pl = x ** (-0.5 * beta)
    phi = rng.uniform(0.0, 2.0 * np.pi, (n, L))  # the serving BSs' angles (iid uniform, independent of x)
    c2, nh2 = _own_beams(rng, -np.cos(phi), Mt)
    g = nh2 - c2
    gc, gs = _leakage(rng, _overlap(rng, (n, Kmax - L), Mt))
    gc *= pi_c
    gc += (1.0 - pi_c) * gs
    interference = [
        np.einsum("ij,ij->i", gc[:, : k - L], pl[:, L:k]) + tail_mean_at_origin(np.sqrt(x[:, k - 1]), _UNIT_LAM, beta)
        for k in Ks
    ]
    return g, pl[:, :L], interference


def _coverage_block(rng, n, *, t, L, Mt, beta, K, pi_c, coherent):
    """Counts of S_c >= t (S_c = SIR_c p_t / p_c) for every threshold in ``t``."""
    g, w, (interference,) = _coverage_parts(rng, n, L=L, Mt=Mt, beta=beta, Ks=(K,), pi_c=pi_c)
    if coherent:
        signal = np.sqrt(g * w).sum(axis=1) ** 2
    else:
        signal = np.einsum("ij,ij->i", g, w)
    s = np.sort(signal / interference)
    return n - np.searchsorted(s, t, side="left")


def _radar_parts(rng, n, *, Nmax, Mt, beta, Ks, coherent=False):
    """One block of the sensing model in units of x, unit powers.  Returns (echo, [(I_c, I_s)
    for K in Ks]), each (n, Nmax), every K on the same draws; column N-1 holds

        echo = x_1^(-beta/2) sum_{i<=N} f_i x_i^(-beta/2),  f_i = Mt - Mt |c_i|^2 / ||h_i||^2,
        (``coherent``: x_1^(-beta/2) (sum_{i<=N} sqrt(f_i x_i^(-beta/2)))^2, a^H w^s_i > 0)
        I_c, I_s = sum_{q>N} |X_q|^2 resp. |Y_q|^2 |d_1 - d_q|^-beta  (+ the mean tail),

    so that the interference is (p_c I_c + p_s I_s) / p_t.  BSs 2..Nmax keep one set of beams
    whichever role N gives them (common random numbers across N, as in the paper model)."""
    h = -0.5 * beta
    K = max(Ks)
    x, theta = sample_nearest(rng, n, K, _UNIT_LAM, angles=True)
    c2, nh2 = _own_beams(rng, -np.cos(theta[:, :Nmax]), Mt)
    B = c2 / nh2  # overlap of each BS's two beams, whichever role it has
    f = Mt * (1.0 - B)
    pl = x[:, :Nmax] ** h
    if coherent:
        echo = pl[:, :1] * np.cumsum(np.sqrt(f * pl), axis=1) ** 2
    else:
        echo = pl[:, :1] * np.cumsum(f * pl, axis=1)
    B = np.hstack([B[:, 1:], _overlap(rng, (n, K - Nmax), Mt)])  # K > Nmax (_resolve_K)
    s = np.sqrt(x)
    ipl = _pathloss_to_bs1(s[:, :1], s[:, 1:], theta[:, 1:], beta)  # column j: BS q = j + 2
    out = {k: [] for k in Ks}
    for gain in _leakage(rng, B):
        gain *= ipl
        near = np.zeros((n, Nmax))
        if Nmax > 1:
            near[:, :-1] = np.cumsum(gain[:, Nmax - 2 :: -1], axis=1)[:, ::-1]
        for k in Ks:
            far = gain[:, Nmax - 1 : k - 1].sum(axis=1) + tail_mean_offset(s[:, k - 1], s[:, 0], _UNIT_LAM, beta)
            out[k].append(near + far[:, None])
    return echo, [tuple(out[k]) for k in Ks]


def _radar_block(rng, n, *, cols, rho, pi_s, Nmax, Mt, beta, K, coherent):
    """Moments of ln(1 + rho S_N) for output element j = (N = cols[j] + 1, rho[j], p_s/p_t = pi_s[j])."""
    echo, ((i_c, i_s),) = _radar_parts(rng, n, Nmax=Nmax, Mt=Mt, beta=beta, Ks=(K,), coherent=coherent)
    interference = (1.0 - pi_s) * i_c[:, cols] + pi_s * i_s[:, cols]
    return _engine.Moments(np.log1p(echo[:, cols] / interference * rho))


# ---------------------------------------------------------------------------------------
# Public estimators
# ---------------------------------------------------------------------------------------

def antenna_coverage(
    T: ArrayLike,
    *,
    L: int,
    Mt: int,
    beta: float,
    p_c: float,
    p_t: float = 1.0,
    lam: float = 1.0,
    trials: int,
    seed: int = 0,
    joint: str = "noncoherent",
    K: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    cache: str | os.PathLike | None = None,
    progress: bool = False,
) -> MCResult:
    """Antenna-level Monte Carlo of the coverage P(SIR_c >= T), eqs. (1)-(4).

    The typical user at the origin is served by its L nearest BSs, each with its own channel
    h_i ~ CN(0, I_Mt) and ZF beams of eq. (1) (columns normalised); every other BS interferes
    with both beams, p_c |h^H w^c_j|^2 + p_s |h^H w^s_j|^2, p_s = p_t - p_c (module docstring).
    ``joint="noncoherent"``: the serving powers add (eq. 3); ``"coherent"``: the amplitudes add
    (the same symbol from every serving BS, eq. 2).

    T: linear threshold(s), any shape.  lam is only validated (SIR_c is free of it).  K:
    explicit BSs per trial (default ``simulation.default_K(beta, L)``), the rest through their
    mean interference.  stderr is binomial.  ``workers``, ``executor``, ``cache`` and
    ``progress`` as in ``simulation.coverage``; the result depends on ``seed`` alone.
    """
    T = check_threshold(T)
    L = check_int("L", L, minimum=1, maximum=MAX_CLUSTER)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    beta = check_beta(beta)
    p_c, p_t = check_powers(p_c, p_t, name="p_c")
    check_real("lam", lam, lower=0.0)
    joint = check_choice("joint", joint, JOINT)
    K = _resolve_K(K, beta, L)
    t = (T * (p_t / p_c)).ravel()
    block = partial(
        _coverage_block, t=t, L=L, Mt=Mt, beta=beta, K=K, pi_c=p_c / p_t, coherent=joint == "coherent"
    )
    trials, counts = _run(block, trials, seed, workers=workers, executor=executor, cache=cache, progress=progress)
    p = counts / trials
    return MCResult(p.reshape(T.shape), np.sqrt(p * (1.0 - p) / trials).reshape(T.shape), trials, K)


def antenna_radar_rate(
    *,
    N: ArrayLike,
    Mt: int,
    Mr: int,
    beta: float,
    p_s: ArrayLike,
    p_t: float = 1.0,
    lam: ArrayLike,
    sigma2: float = 1.0,
    trials: int,
    seed: int = 0,
    base: float = 2,
    joint: str = "noncoherent",
    K: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    cache: str | os.PathLike | None = None,
    progress: bool = False,
) -> MCResult:
    """Antenna-level Monte Carlo of the radar information rate E[log_base(1 + SIR_s)], eqs. (5)-(7).

    The target at the origin; the sensing cluster is the N nearest BSs, each with echo gain
    f_i = |a^H(theta_i) w^s_i|^2 from its own ZF beams; BS 1 combines with v(theta_1) (gain
    |v b|^2 = Mr); every BS outside the cluster interferes at its distance to BS 1 through
    v(theta_1) H_{1,q} with both beams, p_s |.. w^s_q|^2 + p_c |.. w^c_q|^2, p_c = p_t - p_s:

        SIR_s = sigma2 Mr r_1^-beta sum_{i<=N} p_s f_i r_i^-beta / sum_{q>N} (p_c |X_q|^2 + p_s |Y_q|^2) |d_1 - d_q|^-beta.

    ``joint="noncoherent"``: the echoes add in power (eq. 6: uncorrelated waveforms s_i);
    ``"coherent"``: the N BSs send one waveform and the echo amplitudes add, as eq. (5) sums them
    (each a^H(theta_i) w^s_i is real and positive by eq. 1; the target's reflection is taken as
    the same sigma on every path, an upper bound).  N = 1: the two coincide.

    N, p_s and lam broadcast (one sample set serves all: common random numbers).  Same
    interference geometry, truncation (K, default ``default_K(beta, max N)``) and seeding as
    ``simulation.radar_rate``.
    """
    N = check_int_each("N", N, maximum=MAX_CLUSTER)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    beta = check_beta(beta)
    base = check_base(base)
    joint = check_choice("joint", joint, JOINT)
    rho = sensing_rho(Mr=Mr, beta=beta, p_s=p_s, p_t=p_t, lam=lam, sigma2=sigma2)
    N, rho, pi_s = np.broadcast_arrays(N, rho, np.asarray(p_s, dtype=float) / p_t)
    Nmax = int(N.max())
    K = _resolve_K(K, beta, Nmax)
    block = partial(
        _radar_block, cols=N.ravel() - 1, rho=rho.ravel(), pi_s=pi_s.ravel(), Nmax=Nmax, Mt=Mt, beta=beta, K=K,
        coherent=joint == "coherent",
    )
    trials, m = _run(block, trials, seed, workers=workers, executor=executor, cache=cache, progress=progress)
    scale = 1.0 / math.log(base)
    return MCResult((m.mean * scale).reshape(N.shape), (m.stderr() * scale).reshape(N.shape), trials, K)


def _bias_block(rng, n, *, t, L, Mt, beta, Ks, pi_c, coherent):
    """Paired K vs K_ref difference of P(S_c >= t), Rao-Blackwellised over the first serving
    gain g_1 ~ Gamma(Mt-1, 1) (independent of the rest): given the rest, S_c >= t exactly when
    g_1 >= u(I) with u = (t I - R)_+ / w_1, R = sum_{i>=2} g_i w_i (non-coherent), or
    u = (sqrt(t I) - A)_+^2 / w_1, A = sum_{i>=2} sqrt(g_i w_i) (coherent); the control variate
    is dQ/dI (I_ref - I), whose mean is zero (the tail mean is the mean of I_ref given I)."""
    g, w, (I, I_ref) = _coverage_parts(rng, n, L=L, Mt=Mt, beta=beta, Ks=Ks, pi_c=pi_c)
    a = Mt - 1
    w1 = w[:, :1]
    if coherent:
        rest = np.sqrt(g[:, 1:] * w[:, 1:]).sum(axis=1, keepdims=True)
        root = lambda J: np.maximum(np.sqrt(t * J[:, None]) - rest, 0.0)
        u, u_ref = (root(J) ** 2 / w1 for J in (I, I_ref))
        du = root(I) * np.sqrt(t / I[:, None]) / w1
    else:
        rest = np.einsum("ij,ij->i", g[:, 1:], w[:, 1:])[:, None]
        u, u_ref = (np.maximum(t * J[:, None] - rest, 0.0) / w1 for J in (I, I_ref))
        du = np.where(u > 0, t / w1, 0.0)
    q = gammaincc(a, u)
    d = q - gammaincc(a, u_ref) - stats.gamma.pdf(u, a) * du * (I_ref - I)[:, None]
    return _engine.Moments(d), _engine.Moments(q)


def _bias_radar_block(rng, n, *, rho, N, pi_s, Mt, beta, Ks, coherent):
    """Paired K vs K_ref difference of ln(1 + rho S_N) with the control variate
    d/dI ln(1 + rho E / I) (I_ref - I), as ``simulation._bias_radar_block``."""
    echo, ((ic, is_), (ic_r, is_r)) = _radar_parts(rng, n, Nmax=N, Mt=Mt, beta=beta, Ks=Ks, coherent=coherent)
    E = echo[:, N - 1 : N]
    I, I_ref = ((1.0 - pi_s) * a[:, N - 1 : N] + pi_s * b[:, N - 1 : N] for a, b in ((ic, is_), (ic_r, is_r)))
    v = np.log1p(rho * E / I)
    d = v - np.log1p(rho * E / I_ref) - rho * E / (I * (I + rho * E)) * (I_ref - I)
    return _engine.Moments(d), _engine.Moments(v)


def antenna_truncation_bias(kind: str, *, beta: float, Mt: int, trials: int, K: int | None = None, seed: int = 0,
                            factor: int = 4, joint: str = "noncoherent", T: ArrayLike | None = None, L: int = 1,
                            p_c: float = 0.5, rho: ArrayLike | None = None, N: int = 1, p_s: float = 0.5,
                            p_t: float = 1.0) -> BiasResult:
    """Bias of the antenna-level estimators' K nearest BSs + mean tail, measured as
    ``simulation.truncation_bias`` does: K against K_ref = factor K on the same draws, the paired
    difference corrected by its control variate (mean zero: the tail mean is the mean of I_Kref
    given the K nearest), scaled by 1 / (1 - factor^(1-beta)) (bias ~ K^(1-beta)).

    kind="coverage": P(S_c >= T) (S_c = SIR_c p_t / p_c) at L serving BSs, Rao-Blackwellised
    over g_1; ``sd`` = sqrt(p (1 - p)).  kind="radar": E[ln(1 + rho S)] (nats) at N sensing BSs
    and sensing share p_s / p_t; ``sd`` its standard deviation.  K defaults to ``default_K``.
    """
    beta = check_beta(beta)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    joint = check_choice("joint", joint, JOINT)
    factor = check_int("factor", factor, minimum=2)
    coherent = joint == "coherent"
    if kind == "coverage":
        L = check_int("L", L, minimum=1, maximum=MAX_CLUSTER)
        p_c, p_t = check_powers(p_c, p_t, name="p_c")
        t = (check_threshold(T) * (p_t / p_c)).ravel()
        K = _resolve_K(K, beta, L)
        block = partial(_bias_block, t=t, L=L, Mt=Mt, beta=beta, Ks=(K, factor * K), pi_c=p_c / p_t,
                        coherent=coherent)
    elif kind == "radar":
        N = check_int("N", N, minimum=1, maximum=MAX_CLUSTER)
        p_s, p_t = check_powers(p_s, p_t, name="p_s")
        rho = check_positive_each("rho", rho).ravel()
        K = _resolve_K(K, beta, N)
        block = partial(_bias_radar_block, rho=rho, N=N, pi_s=p_s / p_t, Mt=Mt, beta=beta, Ks=(K, factor * K),
                        coherent=coherent)
    else:
        raise ValueError(f"kind must be one of 'coverage', 'radar'; got {kind!r}")
    trials, (d, m) = _run(block, trials, seed)
    sd = np.sqrt(m.mean * (1.0 - m.mean)) if kind == "coverage" else np.sqrt(m.m2 / max(m.n - 1, 1))
    c = 1.0 / (1.0 - factor ** (1.0 - beta))
    return BiasResult(c * d.mean, c * d.stderr(), sd, trials, K, factor * K)


# ---------------------------------------------------------------------------------------
# Exact coverage for L = 1 under the interferers' true gain law
# ---------------------------------------------------------------------------------------

def zf_coverage_L1(T: ArrayLike, *, Mt: int, beta: float, p_c: float, p_t: float = 1.0,
                   nodes: int = 400) -> np.ndarray:
    """Exact coverage of one serving BS with the ZF gains of eq. (1) (non-coherent = coherent
    for L = 1): serving gain Gamma(Q, 1), Q = Mt - 1, interferers p_c |X|^2 + p_s |Y|^2.

    Interferer's law.  Given its beams, (X, Y) = (x^H w^c, x^H w^s) is CN(0, C) with
    C = [[1, r], [conj(r), 1]], |r|^2 = B ~ Beta(1, Mt-1).  Its gain over p_t is then
    l_1 E_1 + l_2 E_2 with E_k iid Exp(1) and l_{1,2} the eigenvalues of diag(pi_c, pi_s) C,
    pi = p / p_t: l_1 + l_2 = 1, l_1 l_2 = q = pi_c pi_s (1 - B).  Its Laplace transform is a
    product of two factors, 1 / ((1 + l_1 w)(1 + l_2 w)) = 1 / (1 + w + q w^2) =: G_q(w).

    Coverage.  With t = T p_t / p_c and x = pi lam r^2, P(Gamma(Q) >= y) = sum_{k<Q} e^-y y^k / k!
    and the PGFL of the interferers beyond x_1 give, as for ``coverage.exact_coverage_L1``,

        P_c = sum_{k<Q} (-t)^k / k! d^k/dt^k [1 / (1 + psi(t))],
        psi(t) = int_1^inf E_B[1 - G_q(t v^(-beta/2))] dv.

    The Taylor coefficients of psi at t, scaled by t^k, are, with d = 2/beta and w = t v^(-beta/2),

        r_0 = psi(t) = d t^d int_0^t E_B[1 - G_q(w)] w^(-d-1) dw,
        r_k = -d t^d int_0^t E_B[e_k(w)] w^(k-d-1) dw   (k >= 1),

    e_k the Taylor coefficients of G_q at w (the reciprocal of the quadratic 1 + w + q w^2:
    e_0 = 1/D, e_1 = -D' e_0 / D, e_k = -(D' e_{k-1} + q e_{k-2}) / D).  The w integrals run over
    y = ln(t / w) in (0, ln t + 40 / (k' - d)) (the integrand decays like e^{-(k'-d) y},
    k' = max(k, 1); the cut leaves < e^-40) with ``nodes`` Gauss-Legendre points; E_B is a
    Gauss-Jacobi rule of 40 points in 1 - B ~ Beta(Mt-1, 1).  1/(1+psi) is completely monotone,
    so every term of the sum has one sign.  p_c = p_t (q = 0) is ``coverage.exact_coverage_L1``.
    """
    T = check_threshold(T)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    beta = check_beta(beta)
    p_c, p_t = check_powers(p_c, p_t, name="p_c")
    nodes = check_int("nodes", nodes, minimum=8)
    Q = Mt - 1
    d = 2.0 / beta
    pi_c = p_c / p_t
    finite = np.isfinite(T) & (T > 0)
    t = np.where(finite, T, 1.0).ravel() * (p_t / p_c)
    xj, wj = roots_jacobi(40, 0.0, Mt - 2.0)  # weight (1 + x)^(Mt-2) on [-1, 1]: s = 1 - B = (1 + x)/2
    q = pi_c * (1.0 - pi_c) * (1.0 + xj) / 2.0
    wj = wj / wj.sum()
    r = []
    for k in range(Q):
        kk = max(k, 1)
        y, wy = legendre(nodes, 0.0, 1.0)
        ymax = np.log(np.maximum(t, 1.0)) + 40.0 / (kk - d)
        y = y[None, :] * ymax[:, None]  # (thresholds, nodes)
        wy = wy[None, :] * ymax[:, None]
        w = t[:, None] * np.exp(-y)
        W, Qb = w[..., None], q[None, None, :]
        D = 1.0 + W + Qb * W**2
        if k == 0:
            f = (W + Qb * W**2) / D  # 1 - G_q(w), without cancellation
        else:
            D1 = 1.0 + 2.0 * Qb * W
            e_prev, e = 1.0 / D, -D1 / D**2
            for _ in range(k - 1):
                e_prev, e = e, -(D1 * e + Qb * e_prev) / D
            f = -e
        inner = (f @ wj) * w ** (k - d)  # E_B, times w^(k-d): dw = w dy
        r.append(d * t**d * np.sum(inner * wy, axis=1))
    r[0] = 1.0 + r[0]
    coef = [1.0 / r[0]]
    for k in range(1, Q):
        coef.append(-sum(r[j] * coef[k - j] for j in range(1, k + 1)) / r[0])
    out = sum((-1.0) ** k * coef[k] for k in range(Q)).reshape(T.shape)
    return np.where(T == 0, 1.0, np.where(np.isinf(T), 0.0, out))
