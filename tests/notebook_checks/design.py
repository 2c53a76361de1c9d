"""book/design.md: the physical constants against their closed forms, the physical rates against
Monte Carlo and the small-rho law, the power-split front's structure and its Monte Carlo, the best
split against the target (mpmath), and the marginal gains against mpmath and their own arrays."""
import math

import numpy as np

from notebook_checks import close, trials_of, within_mc
from notebook_checks import _coverage_refs as ref

PARAMETERS = {"trials": 20_000, "s_points": 7, "density_points": 5}
C = 299_792_458.0
F_C, RCS, BETA, MT, BOOK_UNIT = 3.5e9, 1.0, 4.0, 10, 100.0
GLUED = (
    "trials", "free_space_loss_dB", "sigma2_m", "u_gains", "u_values", "gain_for_book_unit",
    "density_mc", "density_mc_stderr", "density_exact_at_mc", "density_slope", "density_law_max_rel",
    "density_rho_max", "report_N", "report_gains", "report_rate", "report_small_rho", "report_mc",
    "report_mc_stderr", "report_sigma2_m",
    *(f"front_{e}_{k}" for e in ("rate_end", "coverage_end") for k in ("coverage", "rate", "s", "L", "N")),
    "front_pairs", "front_pairs_top", "front_all_on_budget", "front_coverage_end_outage", "front_mc_coverage", "front_mc_coverage_stderr", "front_analysis_coverage",
    "front_mc_rate", "front_mc_rate_stderr", "front_analysis_rate", "front_s_mc", "budget",
    "best_L", "best_N", "best_s", "best_rate", "best_mc_coverage", "best_mc_coverage_stderr",
    "best_budget_L", "best_budget_N", "best_budget_s", "best_budget_rate", "coverage_target",
    *(f"marginal_{w}_{k}" for w in ("L", "N", "Mt") for k in ("values", "coverage", "rate", "knee_coverage", "knee_rate")),
    "fraction", "s_marginal", "swap_cov_before", "swap_cov_after", "split_rate_ratio", "split_rate_ratio_law",
)
# design.physical_rate at 10 BSs/km^2, RCS 1 m^2, Mt = 10, Mr = 6, p_s = 0.5 W, beta = 4, N = 1, G_p = 1, 1e4.
# Recorded from this chapter's output on 2026-12-01 (deterministic quadrature).  N = 4 has no guard: its
# exact rate at such small rho is being refined in sensing.theorem2 (its reference here is the Monte Carlo).
REGRESSION_REPORT_RATE_N1 = [0.033577536390208496, 0.3351159330513902]


def _radar_bias(stderr, trials):
    # simulation.default_K keeps the truncation bias of the rate below 0.1 standard error at 1e6 trials
    return 0.1 * np.asarray(stderr) * math.sqrt(trials / 1e6)


def _knee(values, metric, fraction):
    gain = np.diff(metric)
    if gain[0] == 0:
        return -1
    below = np.nonzero(gain / gain[0] < fraction)[0]
    return int(values[below[0]]) if below.size else -1


def check(glued):
    trials = trials_of(glued)
    assert trials == PARAMETERS["trials"]

    # ---- physical constants: closed forms of the derivation (free space, d0 = 1 m)
    close(glued["free_space_loss_dB"], 20 * math.log10(4 * math.pi * F_C / C), name="free-space loss at 1 m", rtol=1e-14)
    close(glued["sigma2_m"], RCS / (4 * math.pi), name="sigma2 in metres", rtol=1e-14)
    close(glued["u_values"], (np.asarray(glued["u_gains"]) * RCS / (4 * math.pi)) ** (1 / BETA),
          name="equivalent length unit", rtol=1e-13)
    close(glued["gain_for_book_unit"], 4 * math.pi * BOOK_UNIT**BETA / RCS, name="G_p of the book's unit", rtol=1e-13)
    close(glued["report_sigma2_m"], np.asarray(glued["report_gains"]) * RCS / (4 * math.pi), name="G_p sigma2_m",
          rtol=1e-14)

    # ---- the rate against the density: Monte Carlo (in the unit u) and the small-rho law
    within_mc(glued["density_mc"], glued["density_mc_stderr"], glued["density_exact_at_mc"], name="density figure vs MC",
              bias=_radar_bias(glued["density_mc_stderr"], trials))
    # law R ~ C rho^(1/4) ~ density^(1/2); its next term is ~1.2 rho^(1/2) relative (tests/test_design.py),
    # so over rho <= rho_max the log-log slope moves from 1/2 by less than that
    rho_max = glued["density_rho_max"]
    assert glued["density_law_max_rel"] < 1e-6 + 2 * math.sqrt(rho_max)
    assert abs(glued["density_slope"] - 0.5) < 2 * math.sqrt(rho_max)

    # ---- the table at 10 BSs/km^2: Monte Carlo in metres, the law for N = 1, a regression guard
    within_mc(glued["report_mc"], glued["report_mc_stderr"], glued["report_rate"], name="physical rates vs MC (metres)",
              bias=_radar_bias(glued["report_mc_stderr"], trials))
    rate, law = np.asarray(glued["report_rate"]), np.asarray(glued["report_small_rho"])
    rho = np.asarray(glued["report_gains"]) * RCS / (4 * math.pi) * 6 * 0.5 * (math.pi * 10e-6) ** 2
    assert np.all(np.abs(rate[0] / law[0] - 1) < 1e-6 + 2 * np.sqrt(rho)), rate[0] / law[0]
    close(rate[0], REGRESSION_REPORT_RATE_N1, name="regression guard: physical rates, N = 1", rtol=1e-6)

    # ---- the front: both metrics rise with their own cluster, so the ends spend the budget on one side
    B = glued["budget"]
    assert (glued["front_rate_end_L"], glued["front_rate_end_N"]) == (1, B - 1)
    assert (glued["front_coverage_end_L"], glued["front_coverage_end_N"]) == (B - 1, 1)
    assert glued["front_rate_end_s"] > 0.9 and glued["front_coverage_end_s"] < 0.1
    assert glued["front_all_on_budget"] is True
    assert all(sum(p) == B for p in glued["front_pairs"])
    top = glued["front_pairs_top"]  # sorted by L: the more serving BSs, the higher the coverage reached
    assert top == sorted(top) and top[-1] == glued["front_coverage_end_coverage"]
    within_mc(glued["front_mc_rate"], glued["front_mc_rate_stderr"], glued["front_analysis_rate"],
              name="front: rate vs MC", bias=_radar_bias(glued["front_mc_rate_stderr"], trials))
    # the exact coverage against the simulation (truncation bias < 5e-5), and for L = 1 against mpmath at
    # p_c = (1 - s) p_t, T = 0 dB (exact_coverage is accurate to 1e-8 relative)
    s_mc = np.asarray(glued["front_s_mc"])
    exact = ref.exact_L1(1.0 / (1.0 - s_mc), Mt=MT, p_c=1.0)  # T p_t / p_c with p_c = (1 - s) p_t
    close(glued["front_analysis_coverage"][0], exact, name="front: L = 1 coverage vs mpmath", rtol=2e-8)
    within_mc(glued["front_mc_coverage"], glued["front_mc_coverage_stderr"], glued["front_analysis_coverage"],
              name="front: coverage vs MC", bias=5e-5, trials=trials)

    # ---- best split: the target is met exactly (mpmath at L = 1), Monte Carlo there, the best pair
    L, N, s, r = (np.asarray(glued[k]) for k in ("best_L", "best_N", "best_s", "best_rate"))
    target = glued["coverage_target"]
    close(ref.exact_L1([1.0], Mt=MT, p_c=1 - s[L == 1][0]), target, name="coverage at s*, L = 1", atol=2e-8)
    within_mc(glued["best_mc_coverage"], glued["best_mc_coverage_stderr"], target, name="MC coverage at s*", bias=5e-5,
              trials=trials)
    for l in np.unique(L):
        assert np.all(np.diff(r[L == l]) > 0), "the rate at s* rises with N"
    assert np.all(np.diff([s[L == l][0] for l in np.unique(L)]) > 0), "s* rises with L"
    ok = L + N <= B
    k = int(np.argmax(np.where(ok, r, -np.inf)))
    assert (glued["best_budget_L"], glued["best_budget_N"]) == (L[k], N[k])
    close([glued["best_budget_s"], glued["best_budget_rate"]], [s[k], r[k]], name="best under the budget", rtol=1e-15)

    # ---- marginal gains: the coverage against mpmath, no cross effects, the knees from the arrays
    s_m = glued["s_marginal"]
    cov_Mt = glued["marginal_Mt_coverage"]
    close(cov_Mt, [ref.exact_L1([1.0], Mt=m, p_c=1 - s_m)[0] for m in glued["marginal_Mt_values"]],
          name="coverage over Mt vs mpmath", rtol=2e-8)
    close(glued["marginal_L_coverage"][0], cov_Mt[glued["marginal_Mt_values"].index(MT)], name="L = 1 coverage", rtol=1e-15)
    assert len(set(glued["marginal_N_coverage"])) == 1 and len(set(glued["marginal_L_rate"])) == 1
    for w in ("L", "N", "Mt"):
        v = glued[f"marginal_{w}_values"]
        for metric in ("coverage", "rate"):
            assert glued[f"marginal_{w}_knee_{metric}"] == _knee(v, glued[f"marginal_{w}_{metric}"], glued["fraction"])
        if w != "L":
            assert np.all(np.diff(glued[f"marginal_{w}_rate"]) > 0)
    assert glued["marginal_L_knee_coverage"] > 0 and glued["marginal_Mt_knee_coverage"] > 0
    close([glued["swap_cov_before"], glued["swap_cov_after"]], glued["marginal_L_coverage"][1::-1],
          name="the swap uses the L = 2 and L = 1 coverage at s_marginal", rtol=1e-12)
    assert glued["swap_cov_after"] < glued["swap_cov_before"]
    # R_s(s) / R_s(0.98) against (s / 0.98)^(1/beta): the law's next term, < 2 rho^(1/2) relative, rho <= 5e-6
    assert abs(glued["split_rate_ratio"] / glued["split_rate_ratio_law"] - 1) < 2 * math.sqrt(5e-6)
