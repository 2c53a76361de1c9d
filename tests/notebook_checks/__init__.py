"""Per-chapter expectations on the numbers each book notebook glues (see README.md here).

Helpers shared by the chapter files.  Every tolerance is derived: Monte Carlo against an
independent reference uses a multiple of the estimate's own standard error plus a stated bias
bound; deterministic values use a tolerance justified by the method's accuracy.
"""
from __future__ import annotations

import numpy as np

#: Standard errors allowed between a Monte Carlo estimate and an exact reference: the chance of
#: a false failure is 6e-7 per point for a normal estimate (seeds are fixed, so it is either
#: always or never reached for a given code version).
Z_MC = 5.0


def binomial_stderr(p, trials: int):
    """Standard error of a Monte Carlo probability estimate: sqrt(p (1 - p) / trials)."""
    p = np.asarray(p, dtype=float)
    return np.sqrt(p * (1.0 - p) / trials)


def within_mc(estimate, stderr, reference, *, name: str, z: float = Z_MC, bias: float = 0.0,
              trials: int | None = None) -> None:
    """Assert |estimate - reference| <= z * stderr + bias at every point.

    ``reference`` must be independent of the Monte Carlo (a closed form, an exact value, mpmath);
    ``bias`` bounds any known systematic error of the estimator (state where it comes from).

    ``trials``: give it when ``estimate`` is a proportion of ``trials`` outcomes (a coverage, a
    CDF).  Where such an estimate is 0 or 1 its binomial standard error is 0, which would leave
    only ``bias`` as tolerance; there (and only there) the binomial standard error at the
    reference, sqrt(p (1 - p) / trials), is used instead (the score test).  An estimate 0 then
    fails only if p / (1 - p) > z^2 / trials, and an all-zero sample has probability
    (1 - p)^trials <= e^(-trials p) < e^(-z^2 (1 - p)), at most e^(-z^2 / 2) = 4e-6 for p <= 1/2
    (an estimate 1 likewise with 1 - p).  Points with a non-zero standard error keep it.
    """
    est, se, ref = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (estimate, stderr, reference)))
    if trials is not None:
        assert isinstance(trials, int) and trials > 0, trials
        se = np.where((se == 0) & ((est == 0) | (est == 1)), binomial_stderr(np.clip(ref, 0, 1), trials), se)
    tol = z * se + bias
    bad = ~(np.abs(est - ref) <= tol)
    assert not bad.any(), (
        f"{name}: at {np.argwhere(bad).tolist()}: Monte Carlo {est[bad]} vs reference {ref[bad]}, "
        f"allowed {tol[bad]} ({z} standard errors + bias {bias})"
    )


def close(value, reference, *, name: str, rtol: float = 0.0, atol: float = 0.0) -> None:
    """Assert |value - reference| <= atol + rtol |reference| at every point (deterministic values).

    Name a stored value of our own output as such: ``REGRESSION_<what> = ...`` in the chapter
    file, with the commit or the date it was recorded.
    """
    v, r = np.broadcast_arrays(np.asarray(value, dtype=float), np.asarray(reference, dtype=float))
    bad = ~(np.abs(v - r) <= atol + rtol * np.abs(r))
    assert not bad.any(), f"{name}: at {np.argwhere(bad).tolist()}: {v[bad]} vs {r[bad]} (rtol {rtol}, atol {atol})"


def laplace_truncation_bound(z, *, r1, rN, lam, beta, p_t=1.0, K=None):
    """Bound on the truncation bias of ``simulation.sensing_laplace``'s E[exp(-z Y) | r_1, r_N].

    The simulator keeps the K nearest interferers beyond r_N and replaces the rest, I_tail, by
    its conditional mean m given R_K (the K-th one's distance).  With s = z p_t r_1^beta and
    e^{-s x} = e^{-s m} - s e^{-s m} (x - m) + s^2 e^{-s xi} (x - m)^2 / 2, xi >= 0, the error
    is at most s^2 Var(I_tail | R_K) / 2 (times e^{-s I_K} <= 1).  Campbell with E[f^2] = 2 for
    Exp(1) gains: Var(I_tail | R) = 2 lam int_{|y| > R} |y - d_1|^(-2 beta) dy, which is
    2 ``geometry.tail_mean_offset(R, r1, lam, 2 beta)``; R_K^2 = r_N^2 + Gamma(K) / (pi lam)
    (arrivals beyond the disc), averaged here by Gauss-Laguerre quadrature.
    """
    from scipy.special import gammaln

    from coopisac.geometry import tail_mean_offset
    from coopisac.quadrature import laguerre
    from coopisac.simulation import default_K

    K = default_K(beta, 0) if K is None else K
    x, w = laguerre(60, K - 1)  # int u^(K-1) e^-u h(u) du / Gamma(K)
    var = 2.0 * tail_mean_offset(np.sqrt(rN**2 + x / (np.pi * lam)), r1, lam, 2.0 * beta)
    mean_var = float(np.exp(np.log(w) - gammaln(K)) @ var)
    s = np.asarray(z, dtype=float) * p_t * r1**beta
    return 0.5 * s**2 * mean_var


def trials_of(glued: dict) -> int:
    """The trial count a notebook ran with (it glues ``trials``)."""
    t = glued["trials"]
    assert isinstance(t, int) and t > 0, t
    return t


__all__ = ["Z_MC", "binomial_stderr", "within_mc", "close", "laplace_truncation_bound", "trials_of"]
