"""Designing with the model: the radar rate in physical units, the power split between sensing and
communication, cluster sizes and antennas, and the BS density.

Physical units (the paper's eq. (6) has none).  Take the one-hop power gain at distance r as
K0 (r / d0)^-beta, d0 = 1 m, with K0 the reference gain at 1 m (free space by default,
K0 = (lambda_c / (4 pi d0))^2, lambda_c = c / f_c; ``ref_loss_dB`` = -10 log10 K0 otherwise).
The echo travels two hops and is re-radiated by the target with cross-section ``rcs`` [m^2]; the
bistatic radar equation with the same path-loss law gives the echo power

    p_s f_i Mr (4 pi K0 / lambda_c^2) rcs K0 d0^(2 beta) r_i^-beta r_1^-beta

(the spreading factor of one hop is K0 (r/d0)^-beta 4 pi / lambda_c^2, the receive aperture
lambda_c^2 / (4 pi)), and one interferer q contributes p_t f_q K0 d0^beta |d_1 - d_q|^-beta.  In
the sensing SIR one K0 cancels, and with it the carrier frequency whenever K0 is free space:

    SIR_s = G_p sigma2_m Mr r_1^-beta sum_i p_s f_i r_i^-beta / sum_q p_t f_q |d_1 - d_q|^-beta,
    sigma2_m = rcs 4 pi K0 / lambda_c^2 [m^beta]  (= rcs / (4 pi) in free space),

with every distance in metres, i.e. eq. (6) with sigma2 = G_p sigma2_m.  G_p is the radar
processing gain (the time-bandwidth product of the sensing waveform), by which matched filtering
raises the echo above interference that is noise-like over the waveform's band and uncorrelated
with it (an assumption: interferers that send the same waveform are not suppressed).  Hence

    rho = G_p sigma2_m Mr (p_s / p_t) (pi lam_m)^(beta/2),   lam_m = density_km2 * 1e-6 m^-2,

(``physical_rho``), and the paper's convention sigma2 = 1 gives the same rho in the length unit
u = (G_p sigma2_m)^(1/beta) metres (``equivalent_length_unit``): with lengths in u, lam_u = lam_m u^2
and sigma2 = 1.  Every rate function of the package (``sensing.theorem2``, ``sensing.proposition2``,
``simulation.radar_rate``) depends on (lam, sigma2) only through rho, so it takes physical units
through either pair of ``rate_arguments``: (lam_m, G_p sigma2_m) in metres or (lam_u, 1) in u;
``physical_rate`` does this for the exact Theorem 2.  The coverage is scale free (one hop on both
sides of SIR_c): K0, f_c and the density cancel and it needs no conversion.

Trade-offs (all on the analytic functions, exact variants): ``power_split_front`` (p_s = s p_t,
p_c = (1 - s) p_t: coverage at T and radar rate for each (L, N), and the Pareto front under a
cooperation budget L + N <= B), ``best_split`` (the split that maximises the rate at a coverage
target), ``marginal_gains`` (one more serving BS, sensing BS or antenna, per metric, and where the
returns fall below a fraction of the first step).  The coverage is ``coverage.exact_coverage``
(no conjecture), the rate ``sensing.theorem2(exact=True)``; ``small_rho_rate`` is the rate's
leading term at small rho, where physical units put it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq
from scipy.special import gammaln

from . import coverage, quadrature, sensing
from ._checks import (
    check_base,
    check_beta,
    check_each,
    check_int,
    check_int_each,
    check_positive_each,
    check_real,
)

__all__ = [
    "SPEED_OF_LIGHT",
    "free_space_ref_loss_dB",
    "sigma2_metres",
    "physical_rho",
    "equivalent_length_unit",
    "rate_arguments",
    "physical_rate",
    "small_rho_rate",
    "coverage_at",
    "COVERAGE_METHOD",
    "non_dominated",
    "SplitFront",
    "power_split_front",
    "BestSplit",
    "max_share",
    "best_split",
    "MarginalGains",
    "marginal_gains",
]

SPEED_OF_LIGHT = 299_792_458.0  # m/s
_PER_KM2 = 1e-6  # BSs per m^2 in one BS per km^2


def free_space_ref_loss_dB(f_c: ArrayLike) -> np.ndarray:
    """Free-space path loss at d0 = 1 m, 20 log10(4 pi d0 f_c / c) dB (Friis); 43.3 dB at 3.5 GHz."""
    f_c = check_positive_each("f_c", f_c)
    return 20.0 * np.log10(4.0 * np.pi * f_c / SPEED_OF_LIGHT)


def _positive_at_least_one(name, value):
    return check_each(name, value, lambda v: check_real(name, v, lower=1.0, lower_open=False)).astype(float)


def sigma2_metres(*, f_c: ArrayLike, rcs: ArrayLike, processing_gain: ArrayLike = 1.0,
                  ref_loss_dB: ArrayLike | None = None) -> np.ndarray:
    """G_p sigma2_m: the value of eq. (6)'s sigma2 when every distance is in metres,

        G_p rcs 4 pi K0 / lambda_c^2,   K0 = 10^(-ref_loss_dB / 10), lambda_c = c / f_c,

    which is G_p rcs / (4 pi) for the free-space K0 = (lambda_c / 4 pi)^2 (``ref_loss_dB=None``):
    f_c then cancels (module docstring).  ``f_c`` [Hz] > 0, ``rcs`` [m^2] > 0,
    ``processing_gain`` >= 1, ``ref_loss_dB`` > 0 (the loss at 1 m); arrays broadcast."""
    f_c = check_positive_each("f_c", f_c)
    rcs = check_positive_each("rcs", rcs)
    G_p = _positive_at_least_one("processing_gain", processing_gain)
    if ref_loss_dB is None:
        ratio = np.full(f_c.shape, 1.0 / (4.0 * np.pi))  # 4 pi K0 / lambda_c^2 in free space (f_c broadcasts)
    else:
        loss = check_each("ref_loss_dB", ref_loss_dB, lambda v: check_real("ref_loss_dB", v, lower=0.0))
        lam_c = SPEED_OF_LIGHT / f_c
        ratio = 4.0 * np.pi * 10.0 ** (-loss.astype(float) / 10.0) / lam_c**2
    return G_p * rcs * ratio


def physical_rho(*, f_c: ArrayLike, rcs: ArrayLike, processing_gain: ArrayLike = 1.0, density_km2: ArrayLike,
                 Mr: int, p_s: ArrayLike, p_t: float = 1.0, beta: float,
                 ref_loss_dB: ArrayLike | None = None) -> np.ndarray:
    """The paper's rho = sigma2 Mr (p_s/p_t)(pi lam)^(beta/2) (``sensing.sensing_rho``) in physical
    units: sigma2 = ``sigma2_metres(...)`` and lam = density_km2 * 1e-6 BSs per m^2,

        rho = G_p rcs (4 pi K0 / lambda_c^2) Mr (p_s/p_t) (pi density_km2 1e-6)^(beta/2),

    ~ density^(beta/2), ~ rcs, ~ G_p, free of f_c in free space (module docstring).
    ``density_km2`` in BSs per km^2; f_c, rcs, processing_gain, density_km2, p_s broadcast."""
    density_km2 = check_positive_each("density_km2", density_km2)
    s2 = sigma2_metres(f_c=f_c, rcs=rcs, processing_gain=processing_gain, ref_loss_dB=ref_loss_dB)
    # rho is linear in sigma2: the one rho of the package at sigma2 = 1, times sigma2_m
    rho1 = sensing.sensing_rho(Mr=Mr, beta=beta, p_s=p_s, p_t=p_t, lam=density_km2 * _PER_KM2, sigma2=1.0)
    return s2 * rho1


def equivalent_length_unit(*, f_c: ArrayLike, rcs: ArrayLike, processing_gain: ArrayLike = 1.0, beta: float,
                           ref_loss_dB: ArrayLike | None = None) -> np.ndarray:
    """The length unit u [m] in which the paper's convention sigma2 = 1 gives the physical rho:
    u = (G_p sigma2_m)^(1/beta) (``sigma2_metres``).  With lengths in u, lam_u = lam_m u^2 and
    sigma2 = 1 give sigma2 Mr (p_s/p_t)(pi lam_u)^(beta/2) = physical_rho at every density.
    Free space, beta = 4, rcs = 1 m^2, G_p = 1: u = (4 pi)^(-1/4) m = 0.53 m."""
    beta = check_beta(beta)
    s2 = sigma2_metres(f_c=f_c, rcs=rcs, processing_gain=processing_gain, ref_loss_dB=ref_loss_dB)
    return s2 ** (1.0 / beta)


def rate_arguments(*, f_c: float, rcs: float, processing_gain: float = 1.0, density_km2: float, beta: float,
                   ref_loss_dB: float | None = None, unit: str = "m") -> dict:
    """``lam`` and ``sigma2`` that make any rate function of the package physical:

    - ``unit="m"``: lengths in metres, {"lam": density_km2 * 1e-6, "sigma2": G_p sigma2_m};
    - ``unit="paper"``: the paper's sigma2 = 1, lengths in u = ``equivalent_length_unit``,
      {"lam": density_km2 * 1e-6 * u^2, "sigma2": 1.0, "length_unit_m": u}.

    Both give the same rho, hence the same rate.  Scalars only (sigma2 is a scalar argument of
    the rate functions); ``physical_rate`` broadcasts."""
    if unit not in ("m", "paper"):
        raise ValueError(f"unit must be one of 'm', 'paper'; got {unit!r}")
    beta = check_beta(beta)
    kw = dict(f_c=check_real("f_c", f_c, lower=0.0), rcs=check_real("rcs", rcs, lower=0.0),
              processing_gain=check_real("processing_gain", processing_gain, lower=1.0, lower_open=False),
              ref_loss_dB=ref_loss_dB)
    lam_m = check_real("density_km2", density_km2, lower=0.0) * _PER_KM2
    if unit == "m":
        return {"lam": lam_m, "sigma2": float(sigma2_metres(**kw))}
    u = float(equivalent_length_unit(beta=beta, **kw))
    return {"lam": lam_m * u * u, "sigma2": 1.0, "length_unit_m": u}


def physical_rate(N: ArrayLike, *, f_c: ArrayLike, rcs: ArrayLike, processing_gain: ArrayLike = 1.0,
                  density_km2: ArrayLike, Mt: int, Mr: int, p_s: ArrayLike, p_t: float = 1.0, beta: float,
                  ref_loss_dB: ArrayLike | None = None, base: float = 2) -> np.ndarray:
    """Exact radar information rate (``sensing.theorem2(exact=True)``) in physical units: BS density
    ``density_km2`` [BSs/km^2], target cross-section ``rcs`` [m^2], processing gain G_p, carrier
    f_c [Hz] (cancels in free space), powers p_s, p_t [W].  It calls theorem2 with the paper's
    sigma2 = 1 and lam in the equivalent length unit (``rate_arguments(unit="paper")``), so N, p_s,
    density_km2, rcs, processing_gain and f_c all broadcast.  Log base ``base`` (2: bit/s/Hz)."""
    u = equivalent_length_unit(f_c=f_c, rcs=rcs, processing_gain=processing_gain, beta=beta,
                               ref_loss_dB=ref_loss_dB)
    lam = check_positive_each("density_km2", density_km2) * _PER_KM2 * u**2
    return sensing.theorem2(N, Mt=Mt, Mr=Mr, beta=beta, p_s=p_s, p_t=p_t, lam=lam, sigma2=1.0,
                            base=base, exact=True)


def small_rho_rate(rho: ArrayLike, N: int, *, Mt: int, beta: float, base: float = 2) -> np.ndarray:
    """Leading term of the exact radar rate as rho -> 0 (the regime of physical units):

        R_s ~ C_N rho^(1/beta),   C_N = E[f^(1/beta)] E[Y_N^(-1/beta)] pi / sin(pi / beta) / ln(base),

    f ~ Gamma(Mt-1, 1).  In units of x = pi lam r^2, SIR_s = rho S with S ~ f_1 x_1^-beta / Y_N as
    x_1 -> 0 (the echo pays r_1^-beta twice, BS 1's other terms are of lower order), x_1 ~ Exp(1) has
    density 1 at 0, so P(S > y) ~ E[(f_1 / Y_N)^(1/beta)] y^(-1/beta) and
    int_0^inf P(rho S > e^t - 1) dt ~ rho^(1/beta) E[...] B(1/beta, 1 - 1/beta).  Y_N is the Exp(1)-faded
    interference at the target from a unit-rate process on the x-line beyond its (N-1)-th point
    (given x_1 ~ 0 the other points form such a process): with t = that point ~ Gamma(N-1),
    E[e^{-s Y_N}] = E_t exp(-t phi(s t^(-beta/2))) (``coverage.phi``), and for N = 1 exp(-c s^delta),
    c = pi delta / sin(pi delta), delta = 2/beta, whence E[Y_1^(-1/beta)] = (beta/2) sqrt(pi) /
    (Gamma(1/beta) sqrt(c)).  N >= 2: E[Y^-a] = int s^a E[e^{-sY}] ds/s / Gamma(a) by
    ``quadrature.exp_sinh`` and a 64-point Gauss-Laguerre rule in t (relative error 2e-6 at N = 2,
    against a nested mpmath quadrature).
    The next term is smaller by a factor O(rho^(1/beta)) or less (for N = 1 measured O(rho^(2/beta)))."""
    rho = check_positive_each("rho", rho)
    N = check_int("N", N, minimum=1)
    Q = check_int("Mt", Mt, minimum=2) - 1
    beta = check_beta(beta)
    a, d = 1.0 / beta, 2.0 / beta
    if N == 1:
        c = math.pi * d / math.sin(math.pi * d)
        EY = 0.5 * beta * math.sqrt(math.pi) / (math.exp(gammaln(a)) * math.sqrt(c))
    else:
        s, w = quadrature.exp_sinh(1.0)
        t, wt = quadrature.laguerre(64, N - 2)
        M = np.exp(-t[None, :] * coverage.phi(s[:, None] * t[None, :] ** (-beta / 2.0), beta)) @ wt
        EY = float((s**a * M) @ w) / math.exp(gammaln(a) + gammaln(N - 1))
    Ef = math.exp(gammaln(Q + a) - gammaln(Q))
    C = Ef * EY * math.pi / math.sin(math.pi * a) / math.log(check_base(base))
    return C * rho**a


# ---------------------------------------------------------------------------------------
# Coverage used by every trade-off
# ---------------------------------------------------------------------------------------

def coverage_at(T: ArrayLike, *, L: int, Mt: int, beta: float, p_c: float, p_t: float = 1.0) -> np.ndarray:
    """Coverage of L serving BSs at linear threshold(s) T, exact under the paper's model
    (``coverage.exact_coverage``: no conjecture, 1e-8 relative).  Depends on p_c, p_t only through
    T p_t / p_c."""
    return coverage.exact_coverage(T, L=L, Mt=Mt, beta=beta, p_c=p_c, p_t=p_t)


#: The coverage method, as the book names it.
COVERAGE_METHOD = "the exact coverage (coverage.exact_coverage, no conjecture)"


def _splits(s) -> np.ndarray:
    s = check_each("s", s, lambda v: check_real("s", v, lower=0.0, upper=1.0, upper_open=True)).astype(float)
    if s.ndim != 1:
        raise ValueError(f"s must be a 1-D array of splits in (0, 1), got shape {s.shape}")
    return s


def _pairs(L, N, budget):
    """The (L, N) pairs of the given sizes with L + N <= budget (all of them if budget is None)."""
    Ls = np.unique(check_int_each("L", L).ravel())
    Ns = np.unique(check_int_each("N", N).ravel())
    LL, NN = (a.ravel() for a in np.meshgrid(Ls, Ns, indexing="ij"))
    keep = _within(LL, NN, budget)
    return LL[keep], NN[keep]


def _within(LL, NN, budget):
    """Indices of the pairs with L + N <= budget (all if budget is None); at least one."""
    if budget is None:
        return np.arange(LL.size)
    budget = check_int("budget", budget, minimum=2)
    keep = np.nonzero(LL + NN <= budget)[0]
    if not keep.size:
        raise ValueError(f"budget must allow at least one pair with L + N <= budget; got {budget}")
    return keep


def non_dominated(coverage_values: ArrayLike, rate_values: ArrayLike) -> np.ndarray:
    """Mask of the points (coverage, rate) that no other point dominates (>= in both, > in one)."""
    c = np.asarray(coverage_values, dtype=float).ravel()
    r = np.asarray(rate_values, dtype=float).ravel()
    ge = (c[None, :] >= c[:, None]) & (r[None, :] >= r[:, None])
    gt = (c[None, :] > c[:, None]) | (r[None, :] > r[:, None])
    return ~np.any(ge & gt, axis=1).reshape(np.shape(coverage_values))


@dataclass(frozen=True)
class SplitFront:
    """Coverage and radar rate over the power split for each cluster pair.

    ``s`` (S,): sensing shares; ``L``, ``N`` (P,): the pairs; ``coverage``, ``rate`` (P, S);
    ``pareto`` (P, S): the points on the Pareto front of the pairs within the budget and all
    splits together (False for every pair beyond the budget)."""

    s: np.ndarray
    L: np.ndarray
    N: np.ndarray
    coverage: np.ndarray
    rate: np.ndarray
    pareto: np.ndarray

    def front(self) -> dict[str, np.ndarray]:
        """The front's points, by increasing coverage: {"coverage", "rate", "s", "L", "N"}."""
        i, j = np.nonzero(self.pareto)
        order = np.argsort(self.coverage[i, j], kind="stable")
        i, j = i[order], j[order]
        return {"coverage": self.coverage[i, j], "rate": self.rate[i, j], "s": self.s[j],
                "L": self.L[i], "N": self.N[i]}


def _rates(N, s, *, Mt, Mr, beta, lam, sigma2, p_t, base):
    """theorem2(exact=True) for every N (rows) and share s (columns)."""
    N = np.asarray(N)
    return sensing.theorem2(N[:, None], Mt=Mt, Mr=Mr, beta=beta, p_s=s[None, :] * p_t, p_t=p_t,
                            lam=lam, sigma2=sigma2, base=base, exact=True)


def power_split_front(s: ArrayLike, *, T: float, L: ArrayLike, N: ArrayLike, Mt: int, Mr: int, beta: float,
                      lam: float, sigma2: float = 1.0, p_t: float = 1.0, budget: int | None = None,
                      base: float = 2) -> SplitFront:
    """The sensing-communication trade-off of the power split p_s = s p_t, p_c = (1 - s) p_t.

    For every pair (L, N) of the given cluster sizes and every share s in (0, 1): the coverage at
    the linear threshold ``T`` (``coverage_at``, a function of T / (1 - s)) and the exact radar
    rate (``sensing.theorem2(exact=True)``, a function of rho ~ s); then the Pareto front over
    (s, L, N) of the two (both to be maximised) among the pairs with L + N <= ``budget`` (all
    pairs if None).
    ``lam`` and ``sigma2`` as in ``sensing.theorem2`` (physical units: ``rate_arguments``).
    The coverage depends on L and the rate on N only, so each is computed once per size."""
    s = _splits(s)
    T = check_real("T", T, lower=0.0)
    LL, NN = _pairs(L, N, None)
    within = np.isin(np.arange(LL.size), _within(LL, NN, budget))
    p_t = check_real("p_t", p_t, lower=0.0)
    cov = {l: coverage_at(T / (1.0 - s), L=int(l), Mt=Mt, beta=beta, p_c=1.0) for l in np.unique(LL)}
    Ns = np.unique(NN)
    rate_N = dict(zip(Ns, _rates(Ns, s, Mt=Mt, Mr=Mr, beta=beta, lam=lam, sigma2=sigma2, p_t=p_t, base=base)))
    c = np.array([cov[l] for l in LL])
    r = np.array([rate_N[n] for n in NN])
    pareto = np.zeros(c.shape, dtype=bool)
    pareto[within] = non_dominated(c[within], r[within])
    return SplitFront(s, LL, NN, c, r, pareto)


@dataclass(frozen=True)
class BestSplit:
    """For each pair (L, N): ``s`` the largest sensing share meeting the coverage target (NaN where
    even s -> 0 misses it), ``rate`` the radar rate there; ``best`` the index of the pair with the
    highest rate (None if no pair meets the target)."""

    target: float
    L: np.ndarray
    N: np.ndarray
    s: np.ndarray
    rate: np.ndarray
    best: int | None


def max_share(target: float, *, T: float, L: int, Mt: int, beta: float, xtol: float = 1e-12) -> float:
    """The largest s with coverage_at(T / (1 - s)) >= target: the coverage falls with the effective
    threshold T_eff = T / (1 - s), so s = 1 - T / T_eff with T_eff the root of coverage = target
    (Brent's method in log T_eff, absolute tolerance ``xtol`` on ln T_eff).  NaN if the target
    exceeds the coverage at s = 0."""
    target = check_real("target", target, lower=0.0, upper=1.0, upper_open=True)
    T = check_real("T", T, lower=0.0)
    f = lambda lt: float(coverage_at(math.exp(lt), L=L, Mt=Mt, beta=beta, p_c=1.0)) - target
    lo = math.log(T)
    if f(lo) < 0:
        return math.nan
    hi = lo + 1.0
    while f(hi) > 0:  # coverage -> 0 as T_eff -> inf: a bracket exists
        hi += 2.0 * (hi - lo)
    return 1.0 - T / math.exp(brentq(f, lo, hi, xtol=xtol))


def best_split(target: float, *, T: float, L: ArrayLike, N: ArrayLike, Mt: int, Mr: int, beta: float, lam: float,
               sigma2: float = 1.0, p_t: float = 1.0, budget: int | None = None, base: float = 2) -> BestSplit:
    """The split that maximises the radar rate under a coverage target P_c(T) >= ``target``: the rate
    increases with s and the coverage decreases, so for each pair it is ``max_share``; over the
    pairs with L + N <= ``budget`` the best is the highest rate there."""
    LL, NN = _pairs(L, N, budget)
    share = {l: max_share(target, T=T, L=int(l), Mt=Mt, beta=beta) for l in np.unique(LL)}
    s = np.array([share[l] for l in LL])
    rate = np.full(s.shape, np.nan)
    ok = np.isfinite(s)
    if ok.any():  # one call for every N and share: the rates of all N share their nodes
        Ns, shares = np.unique(NN[ok]), np.unique(s[ok])
        table = _rates(Ns, shares, Mt=Mt, Mr=Mr, beta=beta, lam=lam, sigma2=sigma2, p_t=p_t, base=base)
        rate[ok] = table[np.searchsorted(Ns, NN[ok]), np.searchsorted(shares, s[ok])]
    best = int(np.nanargmax(rate)) if ok.any() else None
    return BestSplit(float(target), LL, NN, s, rate, best)


@dataclass(frozen=True)
class MarginalGains:
    """Marginal gains of one more unit of ``what`` ("L", "N" or "Mt"), for both metrics.

    ``values`` (K,): the sizes; ``coverage``, ``rate`` (K,): the metrics there; ``gain_*`` (K-1,):
    the increase from values[k] to values[k+1]; ``relative_*`` (K-1,): that increase over the first
    one; ``knee_*``: the first size whose next step adds less than ``fraction`` of the first step
    (None if none in the range; for a metric that does not depend on ``what``, None)."""

    what: str
    values: np.ndarray
    coverage: np.ndarray
    rate: np.ndarray
    gain_coverage: np.ndarray
    gain_rate: np.ndarray
    relative_coverage: np.ndarray
    relative_rate: np.ndarray
    knee_coverage: int | None
    knee_rate: int | None
    fraction: float


def _knee(values, gain, fraction):
    if gain[0] == 0.0:
        return None, np.zeros_like(gain)
    rel = gain / gain[0]
    below = np.nonzero(rel < fraction)[0]
    return (int(values[below[0]]) if below.size else None), rel


def marginal_gains(what: str, values: ArrayLike, *, T: float, s: float, L: int = 1, N: int = 1, Mt: int, Mr: int,
                   beta: float, lam: float, sigma2: float = 1.0, p_t: float = 1.0, fraction: float = 0.1,
                   base: float = 2) -> MarginalGains:
    """Coverage at T and exact radar rate as ``what`` ("L", "N" or "Mt") runs over ``values`` (at
    least 2, consecutive integers), the others fixed at (L, N, Mt), split s; with the gain of each
    step, its ratio to the first step, and where that ratio first falls below ``fraction``
    (the paper's "diminishing returns" as a number).  In the model the coverage does not depend on
    N nor the rate on L (gains exactly 0)."""
    if what not in ("L", "N", "Mt"):
        raise ValueError(f"what must be one of 'L', 'N', 'Mt'; got {what!r}")
    minimum = 2 if what == "Mt" else 1
    v = np.unique(check_int_each(what, values, minimum=minimum).ravel())
    if v.size < 2 or np.any(np.diff(v) != 1):
        raise ValueError(f"values must be at least 2 consecutive integers, got {v.tolist()}")
    fraction = check_real("fraction", fraction, lower=0.0, upper=1.0)
    s_arr = _splits([s])
    T = check_real("T", T, lower=0.0)
    Teff = T / (1.0 - s_arr[0])
    kw = dict(Mr=Mr, beta=beta, lam=lam, sigma2=sigma2, p_t=p_t, base=base)
    if what == "L":
        cov = np.array([float(coverage_at(Teff, L=int(k), Mt=Mt, beta=beta, p_c=1.0)) for k in v])
        rate = np.full(v.shape, _rates([N], s_arr, Mt=Mt, **kw)[0, 0])
    elif what == "N":
        cov = np.full(v.shape, float(coverage_at(Teff, L=L, Mt=Mt, beta=beta, p_c=1.0)))
        rate = _rates(v, s_arr, Mt=Mt, **kw)[:, 0]
    else:
        cov = np.array([float(coverage_at(Teff, L=L, Mt=int(k), beta=beta, p_c=1.0)) for k in v])
        rate = np.array([_rates([N], s_arr, Mt=int(k), **kw)[0, 0] for k in v])
    gc, gr = np.diff(cov), np.diff(rate)
    kc, rc = _knee(v, gc, fraction)
    kr, rr = _knee(v, gr, fraction)
    return MarginalGains(what, v, cov, rate, gc, gr, rc, rr, kc, kr, fraction)
