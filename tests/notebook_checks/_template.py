"""book/_template.md (the chapter template): Monte Carlo against the exact coverage."""
from notebook_checks import trials_of, within_mc

PARAMETERS = {"trials": 20_000}
GLUED = ("trials", "mc", "mc_stderr", "exact_at_mc", "prop1_max_gap")


def check(glued):
    assert trials_of(glued) == PARAMETERS["trials"]
    # The exact coverage is independent of the simulator (a series in the Rayleigh coverage's
    # derivatives); the simulator's truncation bias is below 0.1 standard error at 1e6 trials.
    within_mc(glued["mc"], glued["mc_stderr"], glued["exact_at_mc"], name="Monte Carlo vs exact, L = 1")
    # Conjecture 2 is an approximation: the gap is positive and a few hundredths at most
    # (the Gamma CDF fit is off by at most its K-S distance, about 0.02 for Mt = 4).
    assert 0 < glued["prop1_max_gap"] < 0.05
