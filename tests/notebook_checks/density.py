"""book/density.md: the analysis against mpmath, the simulation at each density against the exact
coverage, and the densities against each other (independent replicates)."""
import itertools

import numpy as np

from coopisac.approximations import optimal_alpha
from coopisac.figures import db2lin
from notebook_checks import Z_MC, binomial_stderr, close, trials_of, within_mc
from notebook_checks import _coverage_refs as ref

PARAMETERS = {"trials": 20_000}
P_C = 0.5
LAM_VALUES = (0.1, 1.0, 10.0)
GLUED = (
    "trials", "beta", "p_c", "p_t", "L", "Mt", "lam_values", "T_dB_mc", "exact_mc", "prop1_mc", "pair_z_max", "pair_count",
    "mc_exact_gap_max", "mc_stderr_max", *(f"mc_{i}" for i in range(3)), *(f"mc_stderr_{i}" for i in range(3)),
)


def check(glued):
    trials = trials_of(glued)
    assert trials == PARAMETERS["trials"]
    assert glued["L"] == 1
    # the chapter's parameters at their defaults (the references below are computed at these)
    assert (glued["beta"], glued["p_c"], glued["p_t"]) == (4.0, P_C, 1.0)
    Mt = glued["Mt"]
    assert list(glued["lam_values"]) == list(LAM_VALUES)
    T_dB = np.asarray(glued["T_dB_mc"])
    close(T_dB, np.arange(-10.0, 20.1, 2.0), name="Monte Carlo thresholds")
    T = db2lin(T_dB)

    exact = ref.exact_L1(T, Mt=Mt, p_c=P_C)
    close(glued["exact_mc"], exact, name="exact coverage vs mpmath", rtol=1e-10)
    close(glued["prop1_mc"], ref.proposition1_eq11(T, Mt=Mt, p_c=P_C, alpha=optimal_alpha(Mt - 1)),
          name="Proposition 1 vs eq. (11) in mpmath", rtol=1e-8)

    # Each density's simulation against the exact coverage (binomial standard error at the
    # reference, since an estimate of exactly 1 reports 0); truncation bias < 0.1 standard error.
    est = [np.asarray(glued[f"mc_{i}"]) for i in range(3)]
    se = [np.asarray(glued[f"mc_stderr_{i}"]) for i in range(3)]
    for i, lam in enumerate(LAM_VALUES):
        within_mc(est[i], np.maximum(se[i], binomial_stderr(exact, trials)), exact,
                  name=f"Monte Carlo at lam = {lam} vs exact")
    close(glued["mc_exact_gap_max"], max(np.max(np.abs(e - exact)) for e in est), name="largest gap", rtol=1e-9)
    close(glued["mc_stderr_max"], max(np.max(s) for s in se), name="largest stderr", rtol=1e-12)

    # Independent replicates (distinct seeds): not the same numbers, and statistically equal.
    assert not np.array_equal(est[0], est[1]) and not np.array_equal(est[1], est[2])
    z = []
    for a, b in itertools.combinations(range(3), 2):
        s = np.hypot(se[a], se[b])
        z.extend(np.abs(est[a] - est[b])[s > 0] / s[s > 0])
    assert glued["pair_count"] == len(z)
    close(glued["pair_z_max"], max(z), name="largest pairwise z", rtol=1e-9)
    # Between two independent estimates of one probability; the binomial standard error at the
    # exact value bounds the spread where an estimate is 0 or 1.
    for a, b in itertools.combinations(range(3), 2):
        s = np.hypot(np.maximum(se[a], binomial_stderr(exact, trials)), np.maximum(se[b], binomial_stderr(exact, trials)))
        assert np.all(np.abs(est[a] - est[b]) <= Z_MC * s), (a, b)
