"""Property sweep of the radar-rate functions over their domain (hypothesis, fixed budget,
derandomized: the same examples on every run; a failure prints its example and the
``@reproduce_failure`` blob).  Domain: rho from 1e-12 to 1e6, beta in (2, 8], Mt 2..64,
N 1..16.  Properties: rates positive and increasing in rho and in N, the error estimate within
the default accuracy, Proposition 2 with the hole above the one without.  The exact rate is
swept at beta = 4 (its interference exponent in closed form); every beta is swept through the
printed theorem, which shares its rules for the echo, x_N and eta."""
import math

import numpy as np
from hypothesis import given, settings, strategies as st

from coopisac import sensing as S

SWEEP = settings(max_examples=6, deadline=None, derandomize=True, print_blob=True)


def _lam(rho, beta, Mr=6, p_s=0.5):
    """lam giving rho = sigma2 Mr (p_s/p_t)(pi lam)^(beta/2) at sigma2 = p_t = 1."""
    return (np.asarray(rho) / (Mr * p_s)) ** (2.0 / beta) / math.pi


def _check(r):
    v, e = r.value, r.error
    assert np.all(np.isfinite(v)) and np.all(v > 0)
    assert np.all(e <= np.maximum(S.RTOL * v, np.where(v < 1e-2, S.ATOL, 0.0)))
    # increasing in N (rows) and in rho (columns), beyond both estimates
    assert np.all(np.diff(v, axis=0) > e[1:] + e[:-1])
    assert np.all(np.diff(v, axis=1) > e[:, 1:] + e[:, :-1])


@SWEEP
@given(log_rho=st.floats(-12.0, 6.0), Mt=st.integers(2, 64), N=st.integers(1, 15))
def test_exact_rate_properties(log_rho, Mt, N):
    rho = 10.0 ** np.array([log_rho, log_rho + 0.3])
    r = S.theorem2(np.array([[N], [N + 1]]), Mt=Mt, Mr=6, beta=4.0, p_s=0.5, lam=_lam(rho, 4.0)[None, :],
                   exact=True, full_output=True)
    _check(r)


@SWEEP
@given(log_rho=st.floats(-12.0, 6.0), beta=st.floats(2.05, 8.0), Mt=st.integers(2, 64), N=st.integers(1, 15))
def test_printed_rate_properties(log_rho, beta, Mt, N):
    rho = 10.0 ** np.array([log_rho, log_rho + 0.3])
    r = S.theorem2(np.array([[N], [N + 1]]), Mt=Mt, Mr=6, beta=beta, p_s=0.5, lam=_lam(rho, beta)[None, :],
                   full_output=True)
    _check(r)


@SWEEP
@given(log_rho=st.floats(-12.0, 6.0), Mt=st.integers(2, 64))
def test_proposition2_properties(log_rho, Mt):
    lam = _lam(10.0 ** np.array([log_rho, log_rho + 0.3]), 4.0)
    kw = dict(Mt=Mt, Mr=6, beta=4.0, p_s=0.5, lam=lam, full_output=True)
    hole, free = S.proposition2(hole=True, **kw), S.proposition2(hole=False, **kw)
    for r in (hole, free):
        _check(type(r)(r.value[None, :], r.error[None, :]))
    assert np.all(hole.value > free.value)  # the hole removes interferers
    exact = S.theorem2(1, Mt=Mt, Mr=6, beta=4.0, p_s=0.5, lam=lam, exact=True, full_output=True)
    # two routes to the same N = 1 rate (the hole integral J vs the outside exponent G)
    assert np.all(np.abs(hole.value - exact.value) <= hole.error + exact.error)
