"""Monte Carlo of the communication SIR (eq. 3) and of the sensing SIR (eq. 6).

Model (the paper's, Section II): BSs form an HPPP of intensity ``lam``; serving/echo gains
are Gamma(Mt-1, 1), interferers' gains Exp(1); interference-limited (no noise).

Windowless construction.  By the mapping theorem the values x_k = pi lam r_k^2 of the
ordered distances are the arrivals of a unit-rate Poisson process, so the K nearest BSs are
sampled exactly (``geometry.sample_nearest``) with no window and no edge effect.  The
interference of the BSs beyond the K-th is replaced by its conditional mean given r_K
(Campbell's theorem: ``geometry.tail_mean_at_origin`` at the user,
``geometry.tail_mean_offset`` at BS 1 for the radar).  The bias this leaves is second order,
-1/2 E[d^2 h / dI^2] Var(I_tail), and Var(I_tail) ~ x_K^(1-beta): it decays like
K^(1-beta).  The default K (``default_K``) makes it below 0.1 standard error at 10^6 trials;
``truncation_bias`` measures it by a paired comparison of K against 4K nearest BSs on the
same arrivals (common random numbers), and the tests check the bound with the measurement's
own standard error.

Scale invariance.  In units of x the SIRs are
    SIR_c = (p_c / p_t) S_c,      SIR_s = rho S,   rho = sigma2 Mr (p_s / p_t) (pi lam)^(beta/2),
with S_c, S free of (lam, p_c, p_t) and S free of (lam, p_s, p_t, sigma2, Mr): one set of
samples serves every threshold, power, density and log base.

Reproducibility: see ``coopisac._engine`` (fixed blocks, one SeedSequence child per block).

Speed: each block runs compiled kernels (``coopisac._kernels``, numba) that draw from the
block's numpy Generator exactly the numbers, in exactly the order, of the array formulation in
their docstrings, so a result is that formulation's up to rounding (the tests compare them); a
block takes ~1.1-1.3 times the time numpy needs to draw its random numbers alone
(benchmarks/bench_montecarlo.py).
"""
from __future__ import annotations

import math
import os
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import ArrayLike

from . import _engine, _kernels
from ._checks import (
    check_base,
    check_beta,
    check_choice,
    check_executor,
    check_flag,
    check_int,
    check_int_each,
    check_nonnegative_array,
    check_path,
    check_positive_each,
    check_powers,
    check_real,
    check_threshold,
)

__all__ = [
    "FADING",
    "MCResult",
    "LaplaceResult",
    "BiasResult",
    "default_K",
    "coverage",
    "conjecture1_samples",
    "radar_rate",
    "sensing_laplace",
    "truncation_bias",
    "antenna_coverage",
    "antenna_radar_rate",
]

# What a run can be asked for: a block holds BLOCK x K doubles per array (0.5 GiB at MAX_K),
# and 10^12 trials take days on one core; larger values are refused by name.
MAX_TRIALS = 10**12
MAX_K = 4096
MAX_CLUSTER = 1024  # L and N
MAX_MT = 1024

_UNIT_LAM = 1.0 / np.pi  # intensity at which r^2 = x (unit-rate arrivals; coopisac.antenna uses it)

#: Small-scale fading laws: the paper's abstraction, or the exact laws of the ZF beams of eq. (1).
FADING = ("paper", "zf")


@dataclass(frozen=True)
class MCResult:
    """A Monte Carlo estimate: ``estimate`` and ``stderr`` (arrays of the result's shape),
    ``trials`` (number of independent trials) and ``K`` (explicit BSs per trial)."""

    estimate: np.ndarray
    stderr: np.ndarray
    trials: int
    K: int

    def to_dict(self, parameters: dict | None = None) -> dict:
        """A JSON-able dict: ``estimate`` and ``stderr`` as nested lists with their ``shape``,
        ``trials``, ``K`` and, when given, the ``parameters`` that made the result (e.g. the
        keywords of the ``coverage`` call).  ``MCResult.from_dict`` reads it back exactly
        (JSON writes floats with enough digits to round-trip)."""
        est = np.asarray(self.estimate, dtype=float)
        out = {
            "shape": list(est.shape),
            "estimate": est.ravel().tolist(),
            "stderr": np.asarray(self.stderr, dtype=float).ravel().tolist(),
            "trials": int(self.trials),
            "K": int(self.K),
        }
        if parameters is not None:
            # numpy values to Python numbers / lists, so that json.dumps takes them
            out["parameters"] = {
                str(k): np.asarray(v).tolist() if isinstance(v, (np.ndarray, np.generic, tuple)) else v
                for k, v in dict(parameters).items()
            }
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "MCResult":
        """The result stored by ``to_dict`` (its ``parameters`` entry, if any, is left in ``d``)."""
        shape = tuple(d["shape"])
        return cls(
            np.asarray(d["estimate"], dtype=float).reshape(shape),
            np.asarray(d["stderr"], dtype=float).reshape(shape),
            check_int("trials", d["trials"], minimum=1),
            check_int("K", d["K"], minimum=1),
        )


@dataclass(frozen=True)
class LaplaceResult:
    """Empirical conditional Laplace transforms E[exp(-zX) | r_1, r_N], E[exp(-zY) | r_1, r_N]
    (shaped like z) with their standard errors."""

    laplace_x: np.ndarray
    stderr_x: np.ndarray
    laplace_y: np.ndarray
    stderr_y: np.ndarray
    trials: int
    K: int


# ---------------------------------------------------------------------------------------
# Truncation of the far interferers
# ---------------------------------------------------------------------------------------

def default_K(beta: float, m: int = 1) -> int:
    """Default number of explicit BSs per trial: the ``m`` serving (L) or sensing (N) BSs
    plus k = ceil(7 (60 m)^(1/(beta-1))) interferers, e.g. K = 29 for beta = 4, m = 1.

    The mean-tail bias decays like k^(1-beta) (module docstring), hence the power
    1/(beta-1); the constants were fitted to ``truncation_bias`` measurements (coverage at
    Mt = 10, T in [-10, 20] dB, L = 1, 3; radar at N = 1, 4, rho in [1e-2, 1e4]) so that the
    bias stays below 0.1 standard error at 10^6 trials (5e-5 in probability for the
    coverage), with a margin; tests/test_simulation.py re-measures it for beta in [2.5, 6].
    """
    beta = check_beta(beta)
    m = check_int("m", m, minimum=0)
    return m + int(math.ceil(7.0 * (60.0 * max(m, 1)) ** (1.0 / (beta - 1.0))))


def _resolve_K(K, beta, m):
    if K is None:
        K = default_K(beta, m)
        if K > MAX_K:  # beta near 2 with a large cluster: the bias bound needs more BSs than fit
            raise ValueError(
                f"K: the default number of explicit BSs ({K}) for beta = {beta} and {m} cluster BSs exceeds "
                f"the limit {MAX_K}; give K <= {MAX_K} (and accept a larger truncation bias) or a larger beta"
            )
        return K
    return check_int("K", K, minimum=m + 1, maximum=MAX_K)


# ---------------------------------------------------------------------------------------
# Gain samplers: gains(rng, serving_shape, interferer_shape) -> (serving, interferers or None)
# ---------------------------------------------------------------------------------------

def _paper_gains(rng, serving_shape, interferer_shape, *, Mt):
    """The paper's fading (Appendices A, C): serving and echo gains Gamma(Mt-1, 1),
    interferers Exp(1).  The interferers' gains are returned as None: the kernel draws them
    itself, row by row where ``rng.standard_exponential(interferer_shape)`` would (the same
    numbers), without storing them."""
    return rng.standard_gamma(Mt - 1, serving_shape), None


def _zf_gains(rng, serving_shape, interferer_shape, *, Mt, echo, pi_c):
    """The exact marginal laws of the normalised ZF beams of eq. (1) (``coopisac.antenna``):
    user gains Gamma(Mt-1, 1), echo gains Mt Beta(Mt-1, 1), and an interferer's gain over p_t
    l_1 E_1 + l_2 E_2 (E_k iid Exp(1)), l_{1,2} the roots of l^2 - l + q, q = pi_c (1 - pi_c) (1 - B),
    B ~ Beta(1, Mt-1), pi_c = p_c / p_t: mean 1, as the paper's Exp(1)."""
    if echo:
        serving = Mt * rng.beta(Mt - 1, 1.0, serving_shape)
    else:
        serving = rng.standard_gamma(Mt - 1, serving_shape)
    q = pi_c * (1.0 - pi_c) * (1.0 - rng.beta(1.0, Mt - 1, interferer_shape))
    small = 2.0 * q / (1.0 + np.sqrt(1.0 - 4.0 * q))  # the smaller root, without cancellation
    e = rng.standard_exponential((2, *interferer_shape))
    return serving, (1.0 - small) * e[0] + small * e[1]


def _gains(fading, *, Mt, echo, pi_c):
    """The gain sampler of ``fading`` (one of ``FADING``)."""
    if check_choice("fading", fading, FADING) == "paper":
        return partial(_paper_gains, Mt=Mt)
    return partial(_zf_gains, Mt=Mt, echo=echo, pi_c=pi_c)


# ---------------------------------------------------------------------------------------
# Block kernels (module-level so that worker processes can run them)
# ---------------------------------------------------------------------------------------

_NO_GAINS = np.empty((0, 0))  # interferer gains drawn inside the kernel (``_paper_gains``)


def _plan(beta):
    """The kernels' path-loss arguments (beta, m, half): see ``_kernels.power_plan``."""
    _, m, half = _kernels.power_plan(beta)
    return float(beta), m, half


def _coverage_parts(rng, n, *, L, Mt, beta, Ks, conjecture1, gains=None):
    """One block of the communication model in units of x = pi lam r^2, unit powers.

    Returns (S, g, w, I): the serving power is sum_j g_j w_j, with g the L serving gains
    (Gamma(Mt-1, 1) under either fading) and w = x_i^(-beta/2) (or, with ``conjecture1``, ONE
    gain and w = sum_i x_i^(-beta/2)); column c of I is the interference of the BSs L+1..Ks[c]
    plus the mean tail beyond x_K, and S = sum_j g_j w_j / I[:, 0]
    (``_kernels.coverage_geometry`` and ``coverage_interference``; Ks increasing).  ``gains``:
    a sampler of ``_gains`` (default: the paper's fading)."""
    gains = gains or partial(_paper_gains, Mt=Mt)
    Ks = np.asarray(Ks, dtype=np.int64)
    Kmax = int(Ks.max())
    (pl,) = _kernels.workspace((n, Kmax))
    w, tails = _kernels.coverage_geometry(rng, pl, L, Ks, *_plan(beta), bool(conjecture1))
    g, e = gains(rng, (n, 1 if conjecture1 else L), (n, Kmax - L))
    S, interference = _kernels.coverage_interference(rng, pl, L, Ks, g, w, tails, _NO_GAINS if e is None else e,
                                                     e is None)
    return S, g, w, interference


def _coverage_block(rng, n, *, t, L, Mt, beta, K, conjecture1, gains=None):
    """Counts of S_c >= t for every threshold in ``t`` (S_c = SIR_c p_t / p_c)."""
    s, *_ = _coverage_parts(rng, n, L=L, Mt=Mt, beta=beta, Ks=(K,), conjecture1=conjecture1, gains=gains)
    s.sort()
    return n - np.searchsorted(s, t, side="left")


def _pathloss_to_bs1(s1, s, theta, beta):
    """|d_1 - d_q|^-beta for BS 1 at radius s1 and angle 0 (rotation invariance) and BSs q at
    radii s and angles theta, iid uniform on [0, 2 pi) (the array form of the kernels'
    ``_bs1_d2_row``, for ``coopisac.antenna``)."""
    d2 = np.sin(0.25 * theta)
    d2 *= d2
    d2 *= s
    d2 *= 4.0 * s1
    d2 += (s1 - s) ** 2
    return np.power(d2, -0.5 * beta, out=d2)


def _radar_parts(rng, n, *, Nmax, Mt, beta, Ks, gains=None):
    """One block of the sensing model in units of x = pi lam r^2, unit powers.

    Returns (S, I), each of shape (len(Ks), n, Nmax): [c, :, N-1] holds, with the Ks[c] nearest
    BSs explicit (Ks increasing),
        S = x_1^(-beta/2) sum_{i<=N} f_i x_i^(-beta/2) / I,   I = sum_{q>N} f_q |d_1 - d_q|^(-beta),
    the BSs beyond the K-th replaced by their mean interference at BS 1
    (``_kernels.radar_geometry`` and ``radar_interference``).  ``gains``: as in ``_coverage_parts``."""
    gains = gains or partial(_paper_gains, Mt=Mt)
    Ks = np.asarray(Ks, dtype=np.int64)
    K = int(Ks.max())
    x, ipl = _kernels.workspace((n, K), (n, K - 1))
    tails, pl = _kernels.radar_geometry(rng, x, ipl, Nmax, Ks, *_plan(beta))
    f, e = gains(rng, (n, Nmax), (n, K - 1))
    return _kernels.radar_interference(rng, ipl, Ks, f, pl, tails, _NO_GAINS if e is None else e, e is None)


def _radar_block(rng, n, *, cols, rho, Nmax, Mt, beta, K, gains=None):
    """Moments of ln(1 + rho S_N) for output element j = (N = cols[j] + 1, rho[j])."""
    S, _ = _radar_parts(rng, n, Nmax=Nmax, Mt=Mt, beta=beta, Ks=(K,), gains=gains)
    return _engine.Moments(np.log1p(S[0][:, cols] * rho))


def _conjecture1_block(rng, n, *, L, Mt, beta, lam):
    return _kernels.conjecture1_parts(rng, n, L, float(Mt - 1), *_plan(beta), 1.0 / (np.pi * lam))


def _laplace_block(rng, n, *, z, N, Mt, beta, K, lam, r1, rN, cx, cy):
    """Moments of exp(-z X) and exp(-z Y) given (r_1, r_N) (see ``sensing_laplace``)."""
    q2, ipl = _kernels.workspace((n, K), (n, K))
    echo, interference = _kernels.laplace_parts(rng, q2, ipl, N, float(Mt - 1), *_plan(beta), float(lam), float(r1),
                                                float(rN))
    zz = np.asarray(z).ravel()
    return (
        _engine.Moments(np.exp(-(cx * echo)[:, None] * zz)),
        _engine.Moments(np.exp(-(cy * interference)[:, None] * zz)),
    )


# ---------------------------------------------------------------------------------------
# Public estimators
# ---------------------------------------------------------------------------------------

def _run(block_fn, trials, seed, *, workers=1, executor=None, cache=None, progress=False, reduce=_engine.merge):
    """Validate the run's keywords and run the blocks, folded in block order by ``reduce``
    as they finish (``None``: the list of block results).  Returns (trials, total)."""
    trials = check_int("trials", trials, minimum=1, maximum=MAX_TRIALS)
    seed = check_int("seed", seed, minimum=0)
    workers = check_int("workers", workers, minimum=1)
    executor = check_executor("executor", executor)
    if executor is not None and workers != 1:
        raise ValueError(f"workers must be 1 when an executor is given (its own workers run the blocks), got {workers!r}")
    cache = None if cache is None else check_path("cache", cache)
    progress = check_flag("progress", progress)
    total = _engine.run_blocks(
        block_fn, trials, seed, reduce=reduce, workers=workers, executor=executor, cache=cache, progress=progress
    )
    return trials, total


def coverage(
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
    K: int | None = None,
    conjecture1: bool = False,
    fading: str = "paper",
    workers: int = 1,
    executor: Executor | None = None,
    cache: str | os.PathLike | None = None,
    progress: bool = False,
) -> MCResult:
    """Monte Carlo of the communication coverage P(SIR_c >= T), eqs. (3)-(4).

    SIR_c = sum_{i<=L} p_c g_i r_i^-beta / sum_{j>L} p_t g_j r_j^-beta with g_i ~ Gamma(Mt-1, 1)
    (serving) and g_j ~ Exp(1) (every other BS).  Eq. (3) prints ||d_i|| in the interference
    sum; the sum runs over the interferers j and so does their distance (implemented).
    With ``conjecture1=True`` the L serving gains are replaced by ONE Gamma(Mt-1, 1) draw
    times sum_i r_i^-beta (the paper's Conjecture 1, Fig. 2b).

    ``fading="zf"`` draws instead the exact laws of the normalised ZF beams of eq. (1):
    serving gains Gamma(Mt-1, 1) as before, every interferer's p_c |h^H w^c|^2 + p_s |h^H w^s|^2
    (p_s = p_t - p_c) from its law (``_zf_gains``; the two terms correlated through the beams'
    overlap).  The gains of different BSs are independent, so this equals the non-coherent
    ``antenna_coverage`` in distribution, at a fraction of its cost.  Where the gains are not
    independent the marginal laws do not suffice: within one BS (its two beam terms share the
    overlap B, which the interferer's law above includes), across the two metrics (the same B
    sets that BS's echo gain Mt (1 - B): a statistic of coverage and rate together would need
    the antenna-level model), and for coherent joint transmission, whose amplitudes eq. (3)'s
    powers cannot express (``antenna_coverage(joint="coherent")``).

    T: linear threshold(s), any shape; the result has T's shape.  One set of SIR samples
    serves every threshold.  ``lam`` cancels from SIR_c (an infinite PPP is scale free), so
    the trials are drawn in units of x = pi lam r^2 and ``lam`` is only validated; the
    invariance itself is derived in the book's density chapter, not tested here.  K: explicit BSs per trial (default
    ``default_K(beta, L)``), the rest enter through their mean interference.  stderr is the
    binomial sqrt(p (1 - p) / trials).

    Running: ``workers`` local processes share the blocks, or ``executor`` runs them (any
    ``concurrent.futures``-style executor, e.g. ``coopisac.cluster.executor`` or a Dask
    client's ``get_executor()``; then ``workers`` stays 1); ``cache``: a directory where the
    finished blocks are checkpointed, so that an interrupted run given the same arguments
    resumes; ``progress`` shows a tqdm bar.  Block counts are summed as blocks finish (memory
    does not grow with ``trials``).  The result depends on ``seed`` alone, not on
    ``workers``, ``executor`` or ``cache``.
    """
    T = check_threshold(T)
    L = check_int("L", L, minimum=1, maximum=MAX_CLUSTER)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    beta = check_beta(beta)
    p_c, p_t = check_powers(p_c, p_t, name="p_c")
    check_real("lam", lam, lower=0.0)
    gains = _gains(fading, Mt=Mt, echo=False, pi_c=p_c / p_t)
    K = _resolve_K(K, beta, L)
    t = (T * (p_t / p_c)).ravel()
    block = partial(
        _coverage_block, t=t, L=L, Mt=Mt, beta=beta, K=K, conjecture1=check_flag("conjecture1", conjecture1),
        gains=gains
    )
    trials, counts = _run(block, trials, seed, workers=workers, executor=executor, cache=cache, progress=progress)
    p = counts / trials
    return MCResult(p.reshape(T.shape), np.sqrt(p * (1.0 - p) / trials).reshape(T.shape), trials, K)


def conjecture1_samples(*, L: int, Mt: int, beta: float, lam: float = 1.0, size: int, seed: int = 0, workers: int = 1,
                        executor: Executor | None = None,
                        progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Samples for the paper's Conjecture 1 (Fig. 2a): returns ``(exact, approx)``, arrays of
    length ``size`` with

        exact  = sum_{i<=L} x_i r_i^-beta,   x_i iid Gamma(Mt-1, 1),
        approx = x sum_{i<=L} r_i^-beta,     one x ~ Gamma(Mt-1, 1),

    r_1 < ... < r_L the L nearest distances of an HPPP of intensity ``lam`` (both built on
    the same distances).  The coverage each gives is ``coverage(..., conjecture1=False/True)``.
    ``workers``, ``executor`` and ``progress`` as in ``coverage`` (no ``cache``: the result is
    the samples themselves).
    """
    L = check_int("L", L, minimum=1, maximum=MAX_CLUSTER)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    beta = check_beta(beta)
    lam = check_real("lam", lam, lower=0.0)
    block = partial(_conjecture1_block, L=L, Mt=Mt, beta=beta, lam=lam)
    size = check_int("size", size, minimum=1, maximum=MAX_TRIALS)
    _, parts = _run(block, size, seed, workers=workers, executor=executor, progress=progress, reduce=None)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def radar_rate(
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
    K: int | None = None,
    fading: str = "paper",
    workers: int = 1,
    executor: Executor | None = None,
    cache: str | os.PathLike | None = None,
    progress: bool = False,
) -> MCResult:
    """Monte Carlo of the radar information rate R_s = E[log_base(1 + SIR_s)], eqs. (6)-(7).

    Target at the origin; BSs an HPPP of intensity ``lam`` (per unit area, in the unit of
    every distance); the sensing cluster is the N nearest BSs; the echo is received at the
    nearest, BS 1:

        SIR_s = sigma2 Mr r_1^-beta sum_{i<=N} p_s f_i r_i^-beta / sum_{q>N} p_t f_q |d_1 - d_q|^-beta,

    f_i ~ Gamma(Mt-1, 1), f_q ~ Exp(1), every BS outside the cluster interfering at its
    distance to BS 1.  ``base``: any positive real other than 1 (2: bit/s/Hz, math.e: nats).

    N, p_s and lam broadcast; the result has their broadcast shape.  One set of samples
    serves every element: SIR_s = rho S with rho = sigma2 Mr (p_s/p_t) (pi lam)^(beta/2) and S
    sampled once for the N nearest BSs up to max(N) (the cluster sizes share their BSs:
    common random numbers across N).  K: explicit BSs per trial (default
    ``default_K(beta, max(N))``), the rest through their mean interference at BS 1.
    ``workers``, ``executor``, ``cache`` and ``progress`` as in ``coverage``; the result
    depends on ``seed`` alone.

    ``fading="zf"``: the exact laws of the normalised ZF beams of eq. (1), echo gains
    Mt Beta(Mt-1, 1) and interferers p_s |v H w^s|^2 + p_c |v H w^c|^2 (``_zf_gains``), equal in
    distribution to ``antenna_radar_rate`` (independent gains across BSs).  The interferers'
    law depends on p_s / p_t, so each distinct p_s gets its own run of the same seed.
    """
    N = check_int_each("N", N, maximum=MAX_CLUSTER)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    beta = check_beta(beta)
    base = check_base(base)
    from .sensing import sensing_rho  # (here: a block worker does not need the analysis modules)

    rho = sensing_rho(Mr=Mr, beta=beta, p_s=p_s, p_t=p_t, lam=lam, sigma2=sigma2)
    N, rho, pi_s = np.broadcast_arrays(N, rho, np.asarray(p_s, dtype=float) / p_t)
    Nmax = int(N.max())
    K = _resolve_K(K, beta, Nmax)
    check_choice("fading", fading, FADING)
    # one run per distinct interferer law: all elements for the paper's, one p_s each for "zf"
    groups = [None] if fading == "paper" else np.unique(pi_s)
    mean, stderr = np.empty(N.size), np.empty(N.size)
    for split in groups:
        idx = np.arange(N.size) if split is None else np.flatnonzero(pi_s.ravel() == split)
        gains = _gains(fading, Mt=Mt, echo=True, pi_c=None if split is None else 1.0 - split)
        block = partial(
            _radar_block, cols=N.ravel()[idx] - 1, rho=rho.ravel()[idx], Nmax=Nmax, Mt=Mt, beta=beta, K=K,
            gains=gains,
        )
        trials_run, m = _run(
            block, trials, seed, workers=workers, executor=executor, cache=cache, progress=progress
        )
        mean[idx], stderr[idx] = m.mean, m.stderr()
    scale = 1.0 / math.log(base)
    return MCResult((mean * scale).reshape(N.shape), (stderr * scale).reshape(N.shape), trials_run, K)


def sensing_laplace(
    z: ArrayLike, *, N: int, Mt: int, Mr: int, beta: float, p_s: float, p_t: float = 1.0, lam: float,
    sigma2: float = 1.0, r1: float, rN: float, trials: int, seed: int = 0, K: int | None = None,
    workers: int = 1, executor: Executor | None = None, cache: str | os.PathLike | None = None,
    progress: bool = False,
) -> LaplaceResult:
    """Conditional Monte Carlo of the two Laplace transforms of Lemma 1 (eqs. 12-15):

        E[exp(-z X) | r_1, r_N],  X = sigma2 Mr p_s sum_{i<=N} f_i r_i^-beta,
        E[exp(-z Y) | r_1, r_N],  Y = r_1^beta sum_{q>N} p_t f_q |d_1 - d_q|^-beta,

    the definitions under eq. (12).  Given r_1 and r_N: BS 1 at distance r_1 (angle 0 by
    rotation invariance), BS N at r_N; the other N-2 cluster BSs iid with pi lam r^2 uniform
    on (pi lam r_1^2, pi lam r_N^2) (their angles do not enter X); the interferers are the
    PPP outside the disc of radius r_N, sampled windowless (arrivals beyond pi lam r_N^2),
    the K-th onwards through their mean interference at BS 1 (default: ``default_K(beta, 0)``
    interferers).
    Requires 0 < r1 <= rN, and r1 == rN when N = 1.  z >= 0, any shape; one sample set serves
    every z.  This is the exact conditional quantity that Lemma 1 approximates: the
    paper's derivation treats the N-1 inner points as a Poisson process and measures the
    interferers' distances from the target rather than from BS 1.
    ``workers``, ``executor``, ``cache`` and ``progress`` as in ``coverage``.
    """
    z = check_nonnegative_array("z", z)
    N = check_int("N", N, minimum=1, maximum=MAX_CLUSTER)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    Mr = check_int("Mr", Mr, minimum=1)
    beta = check_beta(beta)
    p_s, p_t = check_powers(p_s, p_t, name="p_s")
    lam = check_real("lam", lam, lower=0.0)
    sigma2 = check_real("sigma2", sigma2, lower=0.0)
    r1 = check_real("r1", r1, lower=0.0)
    rN = check_real("rN", rN, lower=r1, lower_open=False)
    if N == 1 and rN != r1:
        raise ValueError(f"rN must equal r1 when N = 1, got r1={r1!r}, rN={rN!r}")
    K = _resolve_K(K, beta, 0)
    block = partial(
        _laplace_block, z=z, N=N, Mt=Mt, beta=beta, K=K, lam=lam, r1=r1, rN=rN,
        cx=sigma2 * Mr * p_s, cy=p_t * r1**beta,
    )
    trials, (mx, my) = _run(block, trials, seed, workers=workers, executor=executor, cache=cache, progress=progress)
    sh = z.shape
    return LaplaceResult(
        mx.mean.reshape(sh), mx.stderr().reshape(sh), my.mean.reshape(sh), my.stderr().reshape(sh), trials, K
    )


# ---------------------------------------------------------------------------------------
# Measuring the truncation bias
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BiasResult:
    """Estimated bias of a K-truncated estimator (``bias``, ``stderr``, shaped like the
    swept argument), ``sd``: the per-trial standard deviation of the estimated quantity
    (so that its standard error at n trials is sd / sqrt(n)), and the K compared."""

    bias: np.ndarray
    stderr: np.ndarray
    sd: np.ndarray
    trials: int
    K: int
    K_ref: int


def _bias_coverage_block(rng, n, *, t, L, Mt, beta, Ks, gains):
    from scipy.special import gammaincc, gammaln  # (here: block workers of the other estimators skip scipy's import)

    # Rao-Blackwellised: given everything but the first serving gain g_1,
    # P(S_c >= t) = Q(Mt-1, u), u = (t I - R)^+ / w_1, R the other serving terms: smooth in I.
    _, g, w, II = _coverage_parts(rng, n, L=L, Mt=Mt, beta=beta, Ks=Ks, conjecture1=False, gains=gains)
    I, I_ref = II[:, 0], II[:, 1]
    a = Mt - 1
    rest = np.einsum("ij,ij->i", g[:, 1:], w[:, 1:])[:, None]
    u, u_ref = (np.maximum(t * J[:, None] - rest, 0.0) / w[:, :1] for J in (I, I_ref))
    q = gammaincc(a, u)
    # dQ/dI at I_K: -(gamma pdf at u) t / w_1 where u > 0
    with np.errstate(divide="ignore"):
        dens = np.exp((a - 1) * np.log(u) - u - gammaln(a)) if a > 1 else np.exp(-u)
    slope = np.where(u > 0, -dens * t / w[:, :1], 0.0)
    d = q - gammaincc(a, u_ref) + slope * (I_ref - I)[:, None]
    return _engine.Moments(d), _engine.Moments(q)


def _bias_radar_block(rng, n, *, rho, N, Mt, beta, Ks, gains):
    S, II = _radar_parts(rng, n, Nmax=N, Mt=Mt, beta=beta, Ks=Ks, gains=gains)
    I, I_ref = II[0, :, N - 1 : N], II[1, :, N - 1 : N]
    E = S[0, :, N - 1 : N] * I  # the echo (unit powers)
    v = np.log1p(rho * E / I)
    slope = -rho * E / (I * (I + rho * E))  # d/dI ln(1 + rho E / I) at I_K
    d = v - np.log1p(rho * E / I_ref) + slope * (I_ref - I)
    return _engine.Moments(d), _engine.Moments(v)


def truncation_bias(
    kind: str, *, K: int, beta: float, Mt: int, trials: int, seed: int = 0, factor: int = 4,
    T: ArrayLike | None = None, L: int = 1, rho: ArrayLike | None = None, N: int = 1, fading: str = "paper",
    pi_c: float = 0.5,
    workers: int = 1, executor: Executor | None = None, cache: str | os.PathLike | None = None,
    progress: bool = False,
) -> BiasResult:
    """Bias of the K-nearest + mean-tail construction, by common random numbers.

    The same arrivals serve K and K_ref = factor K explicit BSs (the first K shared), and
    the paired difference m(K) - m(K_ref) is averaged with the control variate
    m'(I_K) (I_Kref - I_K): its mean is exactly zero, because given the K nearest BSs the
    mean of I_Kref is I_K (that is how the tail mean is defined), and it cancels the
    first-order part of the difference, leaving the second-order part that is the bias.  With the decay law
    bias(K) ~ K^(1-beta) (see the module docstring), bias(K) = d / (1 - factor^(1-beta));
    that is what ``bias`` reports, with its standard error.

    kind="coverage": m = P(S_c >= T) at L serving BSs (S_c = SIR_c p_t / p_c), T an array;
    the conditional (Rao-Blackwellised) probability given all but one serving gain is
    averaged, which keeps the paired variance small.  ``sd`` = sqrt(p (1 - p)).
    kind="radar": m = E[ln(1 + rho S)] (nats) at cluster size N, rho an array;
    ``sd`` is the standard deviation of ln(1 + rho S).
    ``fading``: as in ``coverage``; with "zf", ``pi_c`` = p_c / p_t sets the interferers' law.
    ``workers``, ``executor``, ``cache`` and ``progress`` as in ``coverage``.
    """
    beta = check_beta(beta)
    Mt = check_int("Mt", Mt, minimum=2, maximum=MAX_MT)
    factor = check_int("factor", factor, minimum=2)
    pi_c = check_real("pi_c", pi_c, lower=0.0, upper=1.0, lower_open=False)
    if kind == "coverage":
        L = check_int("L", L, minimum=1, maximum=MAX_CLUSTER)
        t = check_threshold(T).ravel()
        K = check_int("K", K, minimum=L + 1, maximum=MAX_K)
        gains = _gains(fading, Mt=Mt, echo=False, pi_c=pi_c)
        block = partial(_bias_coverage_block, t=t, L=L, Mt=Mt, beta=beta, Ks=(K, factor * K), gains=gains)
    elif kind == "radar":
        N = check_int("N", N, minimum=1, maximum=MAX_CLUSTER)
        t = check_positive_each("rho", rho).ravel()
        K = check_int("K", K, minimum=N + 1, maximum=MAX_K)
        gains = _gains(fading, Mt=Mt, echo=True, pi_c=pi_c)
        block = partial(_bias_radar_block, rho=t, N=N, Mt=Mt, beta=beta, Ks=(K, factor * K), gains=gains)
    else:
        raise ValueError(f"kind must be one of 'coverage', 'radar'; got {kind!r}")
    trials, (d, m) = _run(block, trials, seed, workers=workers, executor=executor, cache=cache, progress=progress)
    if kind == "coverage":
        sd = np.sqrt(m.mean * (1.0 - m.mean))
    else:
        sd = np.sqrt(m.m2 / max(m.n - 1, 1))
    c = 1.0 / (1.0 - factor ** (1.0 - beta))
    return BiasResult(c * d.mean, c * d.stderr(), sd, trials, K, factor * K)


def __getattr__(name):
    """The antenna-level Monte Carlo (``coopisac.antenna``, eq. 1 beams) is re-exported here.
    It imports this module's engine and result types, so it is loaded on first use (PEP 562):
    an import at either module's top would be circular whichever of the two is imported first."""
    if name in ("antenna_coverage", "antenna_radar_rate"):
        from . import antenna

        return getattr(antenna, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
