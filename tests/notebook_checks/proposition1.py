"""book/proposition1.md: Proposition 1 against the published Andrews-Baccelli-Ganti values and
eq. (11) in mpmath, the exact coverage against mpmath, Monte Carlo against the exact coverage,
and the claims about the cost of Conjecture 2."""
import numpy as np

from coopisac.approximations import ks_distance, optimal_alpha
from coopisac.figures import db2lin
from notebook_checks import Z_MC, binomial_stderr, close, trials_of, within_mc
from notebook_checks import _coverage_refs as ref

PARAMETERS = {"trials": 20_000}
P_C = 0.5
MT_VALUES = (2, 4, 8, 10, 16)
MT_COST = (2, 4, 6, 8, 10, 16, 32, 64)
GLUED = (
    "trials", "beta", "p_c", "p_t", "T_dB_min", "T_dB_max", "abg_T_dB", "abg_prop1", "abg_max_diff", "fig6_Mt", "fig6_T_dB_mc",
    *(f"fig6_{k}_Mt{m}" for m in MT_VALUES for k in ("mc", "mc_stderr", "exact", "prop1")),
    "fig6_prop1_mc_gap", "fig6_prop1_mc_gap_max", "fig6_coverage_rises_with_Mt",
    "cost_Mt", "cost_under", "cost_over", "cost_ks", "cost_worst_max", "cost_worst_argmax_Mt",
    "cost_worst_last", "cost_Mt_last", "cost_ratio_max", "cost_over_max",
)
# Published: Andrews, Baccelli, Ganti (2011), nearest BS, Rayleigh, beta = 4, at -10..20 dB (4 digits).
ABG_PUBLISHED = [0.9117, 0.7764, 0.5601, 0.3469, 0.2000, 0.1131, 0.0636]
# Regression guards: largest under- and over-estimate of Proposition 1 vs the exact coverage on
# T = -10..20 dB in 0.5 dB steps, p_c = 0.5, for MT_COST; recorded from coopisac.coverage at
# commit 534949a (both curves are checked against mpmath at the Monte Carlo thresholds below).
REGRESSION_COST_UNDER = [0.0, 0.00463242444693357, 0.005935111936491766, 0.0063433369904273285,
                         0.006441553331181682, 0.006208802413580239, 0.005264862718936225, 0.004127161210703334]
REGRESSION_COST_OVER = [0.0, 0.0005819082175423373, 0.0009054253423860237, 0.0011376531368141318,
                        0.0013190514361832717, 0.0017059422987132367, 0.002268571283249754, 0.0027755078690929746]


def check(glued):
    trials = trials_of(glued)
    assert trials == PARAMETERS["trials"]
    # the chapter's parameters at their defaults (the references below are computed at these)
    assert (glued["beta"], glued["p_c"], glued["p_t"]) == (4.0, P_C, 1.0)
    assert (glued["T_dB_min"], glued["T_dB_max"]) == (-10.0, 20.0)

    # Mt = 2, p_c = p_t: the published table (4 digits: half a unit of the last one) and the formula
    close(glued["abg_T_dB"], np.arange(-10.0, 20.1, 5.0), name="ABG thresholds")
    close(glued["abg_prop1"], ABG_PUBLISHED, name="Proposition 1 (Mt = 2) vs ABG 2011 table", atol=5e-5 + 1e-12)
    close(glued["abg_prop1"], ref.abg(db2lin(glued["abg_T_dB"])), name="Proposition 1 (Mt = 2) vs ABG formula",
          rtol=1e-12)
    close(glued["abg_max_diff"], np.max(np.abs(np.subtract(glued["abg_prop1"], ABG_PUBLISHED))), name="max diff",
          rtol=1e-12)

    # Fig. 6
    assert list(glued["fig6_Mt"]) == list(MT_VALUES)
    T_dB = np.asarray(glued["fig6_T_dB_mc"])
    close(T_dB, np.arange(-10.0, 20.1, 2.0), name="Monte Carlo thresholds")
    T = db2lin(T_dB)
    gaps = []
    for Mt in MT_VALUES:
        exact = ref.exact_L1(T, Mt=Mt, p_c=P_C)
        close(glued[f"fig6_exact_Mt{Mt}"], exact, name=f"exact coverage, Mt = {Mt} vs mpmath", rtol=1e-10)
        prop1 = np.asarray(glued[f"fig6_prop1_Mt{Mt}"])
        close(prop1, ref.proposition1_eq11(T, Mt=Mt, p_c=P_C, alpha=optimal_alpha(Mt - 1)),
              name=f"Proposition 1, Mt = {Mt} vs eq. (11) in mpmath", rtol=1e-8)
        # Monte Carlo vs exact (binomial standard error at the reference: an estimate of 1
        # reports 0); the simulator's truncation bias is below 0.1 standard error at 1e6 trials.
        mc = np.asarray(glued[f"fig6_mc_Mt{Mt}"])
        se = np.maximum(glued[f"fig6_mc_stderr_Mt{Mt}"], binomial_stderr(exact, trials))
        within_mc(mc, se, exact, name=f"Monte Carlo vs exact, Mt = {Mt}")
        # Proposition 1 is within Conjecture 2's K-S distance of the truth
        D = ks_distance(optimal_alpha(Mt - 1), Mt - 1) if Mt > 2 else 0.0
        within_mc(prop1, se, mc, bias=D, name=f"Proposition 1 vs Monte Carlo within D, Mt = {Mt}")
        gaps.append(np.max(np.abs(prop1 - mc)))
    close(glued["fig6_prop1_mc_gap"], gaps, name="Proposition 1 - Monte Carlo gaps", rtol=1e-12)
    close(glued["fig6_prop1_mc_gap_max"], max(gaps), name="largest gap", rtol=1e-12)
    # "More antennas raise the coverage at every threshold" (whole grid in the notebook; here on
    # the Monte Carlo thresholds)
    assert glued["fig6_coverage_rises_with_Mt"] is True
    for a, b in zip(MT_VALUES, MT_VALUES[1:]):
        assert np.all(np.asarray(glued[f"fig6_exact_Mt{b}"]) >= np.asarray(glued[f"fig6_exact_Mt{a}"]))

    # The cost of Conjecture 2
    assert list(glued["cost_Mt"]) == list(MT_COST)
    under, over, ks = (np.asarray(glued[k]) for k in ("cost_under", "cost_over", "cost_ks"))
    close(ks[1:], [ks_distance(optimal_alpha(m - 1), m - 1) for m in MT_COST[1:]], name="K-S distances", rtol=1e-12)
    close(under, REGRESSION_COST_UNDER, name="regression guard: largest under-estimate", rtol=1e-6, atol=1e-12)
    close(over, REGRESSION_COST_OVER, name="regression guard: largest over-estimate", rtol=1e-6, atol=1e-12)
    worst = np.maximum(under, over)
    assert worst[0] < 1e-12  # Mt = 2: Conjecture 2 is exact
    assert np.all(worst[1:] <= ks[1:])  # the derived bound: |error| <= D
    # "rises to ... at Mt = argmax, then shrinks slowly, while D keeps growing"
    i = int(np.argmax(worst))
    assert glued["cost_worst_argmax_Mt"] == MT_COST[i] and 0 < i < len(MT_COST) - 1
    assert np.all(np.diff(worst[: i + 1]) > 0) and np.all(np.diff(worst[i:]) < 0)
    assert np.all(np.diff(ks) > 0)
    close(glued["cost_worst_max"], worst[i], name="largest cost", rtol=1e-12)
    close(glued["cost_worst_last"], worst[-1], name="cost at the largest Mt", rtol=1e-12)
    assert glued["cost_Mt_last"] == MT_COST[-1]
    close(glued["cost_ratio_max"], np.max(worst[1:] / ks[1:]), name="largest cost / D", rtol=1e-12)
    # "mostly an under-estimate ... except for an over-estimate of at most ..."
    assert np.all(under[1:] > over[1:])
    close(glued["cost_over_max"], np.max(over), name="largest over-estimate", rtol=1e-12)
