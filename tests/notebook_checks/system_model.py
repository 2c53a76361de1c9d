"""book/system_model.md: the sampler against the mapping theorem; the sampled network."""
import numpy as np

from notebook_checks import close, trials_of, within_mc

PARAMETERS = {"trials": 20_000}
GLUED = ("trials", "mapping_k", "mapping_mean", "mapping_stderr", "sample_r1_user", "sample_r1_target", "sample_shared", "sample_L", "sample_N", "sample_lam")


def check(glued):
    assert trials_of(glued) == PARAMETERS["trials"]
    assert glued["sample_L"] >= 1 and glued["sample_N"] >= 1 and glued["sample_lam"] > 0
    assert 0 <= glued["sample_shared"] <= min(glued["sample_L"], glued["sample_N"])
    k = np.asarray(glued["mapping_k"])
    close(k, np.arange(1, 6), name="k")
    # pi lam r_k^2 ~ Gamma(k, 1): mean k (independent reference: the mapping theorem).
    within_mc(glued["mapping_mean"], glued["mapping_stderr"], k, name="E[pi lam r_k^2]")
    # Its standard error is sqrt(k / trials) (Var Gamma(k, 1) = k); the sample estimate of it
    # has relative error about 1/sqrt(2 trials) per k, far below 10 %.
    close(glued["mapping_stderr"], np.sqrt(k / PARAMETERS["trials"]), name="stderr", rtol=0.1)
