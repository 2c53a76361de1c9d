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


def trials_of(glued: dict) -> int:
    """The trial count a notebook ran with (it glues ``trials``)."""
    t = glued["trials"]
    assert isinstance(t, int) and t > 0, t
    return t


__all__ = ["Z_MC", "binomial_stderr", "within_mc", "close", "trials_of"]
