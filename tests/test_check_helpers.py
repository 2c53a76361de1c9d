"""The assertion helpers of tests/notebook_checks (shared with the package tests)."""
import pytest

from notebook_checks import within_mc


def test_within_mc_zero_binomial_stderr_uses_the_reference():
    # an estimate of exactly 1 has binomial standard error 0: with trials given, the standard
    # error at the reference decides (5 sqrt(p (1 - p) / 1000) = 0.047 at p = 0.9)
    within_mc(1.0, 0.0, 1 - 1e-9, name="p near 1", trials=1000)
    within_mc([0.0, 1.0], 0.0, [0.01, 0.99], name="both ends", trials=1000)
    with pytest.raises(AssertionError):
        within_mc(1.0, 0.0, 0.9, name="p = 0.9", trials=1000)
    with pytest.raises(AssertionError):  # without trials only the bias is left
        within_mc(1.0, 0.0, 1 - 1e-9, name="p near 1")


def test_within_mc_keeps_a_nonzero_stderr():
    # the reference's binomial standard error at 10 trials (0.157) must not replace the
    # estimate's own (0.01): 0.06 > 5 * 0.01
    with pytest.raises(AssertionError):
        within_mc(0.5, 0.01, 0.56, name="no loosening", trials=10)
    within_mc(0.5, 0.01, 0.56, name="bias", bias=0.011)
