"""Bad input raises ValueError naming the parameter and its allowed range, for every public
function of the specification (one table; module-specific arguments are tested beside
their modules)."""
import math

import pytest

from coopisac import approximations as ap
from coopisac import coverage as cv
from coopisac import sensing as S
from coopisac import simulation as sim

NAN = float("nan")

# each public function with a valid call; a bad value replaces one keyword
FUNCTIONS = {
    "coverage.proposition1": (cv.proposition1, dict(T=1.0, Mt=4, p_c=0.5)),
    "coverage.theorem1": (cv.theorem1, dict(T=1.0, L=2, Mt=4, beta=4.0, p_c=0.5, lam=1.0)),
    "simulation.coverage": (sim.coverage, dict(T=1.0, L=1, Mt=4, beta=4.0, p_c=0.5, lam=1.0, trials=10)),
    "simulation.radar_rate": (sim.radar_rate, dict(N=1, Mt=4, Mr=2, beta=4.0, p_s=0.5, lam=1.0, sigma2=1.0,
                                                   trials=10, base=2)),
    "sensing.theorem2": (S.theorem2, dict(N=2, Mt=4, Mr=2, beta=4.0, p_s=0.5, lam=0.05, sigma2=1.0, base=2)),
    "sensing.proposition2": (S.proposition2, dict(Mt=4, Mr=2, beta=4.0, p_s=0.5, lam=0.05, sigma2=1.0, base=2)),
    "approximations.optimal_alpha": (ap.optimal_alpha, dict(N=3)),
    "approximations.ks_distance": (ap.ks_distance, dict(alpha=1.2, N=3)),
    "approximations.alzer_alpha": (ap.alzer_alpha, dict(N=3)),
}

_REAL = r"must be a (finite )?real number in "
_INT = r"must be an integer "
# parameter -> (bad values, the message naming it and its range); p_t = 1 in every call
BAD = {
    "beta": ([2.0, 1.5, NAN, math.inf, "4"], r"beta " + _REAL + r"\(2\.0, inf\]"),
    "Mt": ([1, 0, 3.5, NAN, "4", True], r"Mt " + _INT + r"(>= 2|in \[2, \d+\])"),  # a maximum where one applies
    "L": ([0, 1.5, True], r"L " + _INT + r"(>= 1|in \[1, \d+\])"),
    "N": ([0, -1, 2.5, NAN, "3", True], r"N " + _INT + r"(>= 1|in \[1, \d+\])"),
    "Mr": ([0, 1.5], r"Mr " + _INT + ">= 1"),
    "trials": ([0, 2.5], r"trials " + _INT + r"(>= 1|in \[1, \d+\])"),
    "p_c": ([0.0, -0.1, 1.5, NAN, "0.5"], r"p_c " + _REAL + r"\(0\.0, 1\.0\]"),
    "p_s": ([0.0, 1.5, NAN, "0.5"], r"p_s " + _REAL + r"\(0\.0, 1\.0\]"),
    "lam": ([0.0, -1.0, NAN, math.inf], r"lam " + _REAL + r"\(0\.0, inf\]"),
    "sigma2": ([0.0, -1.0, NAN], r"sigma2 " + _REAL + r"\(0\.0, inf\]"),
    "alpha": ([0.0, -1.0, NAN], r"alpha " + _REAL + r"\(0\.0, inf\]"),
    "base": ([0.0, -2.0, NAN, "e"], r"base " + _REAL + r"\(0\.0, inf\]"),
    "T": ([-1.0, NAN, [1.0, -0.1], "1"], r"T must be (finite )?real numbers >= 0"),
}
BASE_ONE = ([1, 1.0], r"base must be a positive real number other than 1")
# broadcast parameters: an element out of range, or nothing at all
ARRAYS = {
    "N": ([[], [1, 0]], r"N must (not be empty|be an integer (>= 1|in \[1, \d+\]))"),
    "p_s": ([[], [0.5, 2.0]], r"p_s must (not be empty|be a real number in \(0\.0, 1\.0\])"),
    "lam": ([[], [1.0, 0.0]], r"lam must (not be empty|be a real number in \(0\.0, inf\])"),
}
BROADCAST = ("simulation.radar_rate", "sensing.theorem2", "sensing.proposition2")


def _cases():
    for fname, (_, good) in FUNCTIONS.items():
        for key, (bads, match) in BAD.items():
            if key in good:
                yield fname, key, bads, match
        if "base" in good:
            yield fname, "base", *BASE_ONE
        if fname in BROADCAST:
            for key, (bads, match) in ARRAYS.items():
                if key in good:
                    yield fname, key, bads, match


CASES = [pytest.param(f, k, b, m, id=f"{f}-{k}={b!r}") for f, k, bads, m in _cases() for b in bads]


@pytest.mark.parametrize("fname, key, bad, match", CASES)
def test_bad_input_names_parameter_and_range(fname, key, bad, match):
    f, good = FUNCTIONS[fname]
    with pytest.raises(ValueError, match=match):
        f(**{**good, key: bad})



# --- the shared validators themselves ---------------------------------------------------
import numpy as np  # noqa: E402

from coopisac import _checks  # noqa: E402


@pytest.mark.parametrize("bad", [NAN, "3", None, object(), {}, [True], np.array([True, False]), 1, 0.0])
def test_check_flag_refuses_anything_but_a_bool(bad):
    with pytest.raises(ValueError, match=r"exact must be True or False"):
        _checks.check_flag("exact", bad)


@pytest.mark.parametrize("good", [True, False, np.bool_(True)])
def test_check_flag_accepts_bools(good):
    assert _checks.check_flag("exact", good) is bool(good)


@pytest.mark.parametrize("bad", [None, object(), {}, "x", True, [1 + 1j]])
def test_broadcast_parameters_refuse_non_numbers_by_name(bad):
    with pytest.raises(ValueError, match=r"N must be an integer >= 1"):
        _checks.check_int_each("N", bad)


@pytest.mark.parametrize("bad", [True, [1 + 1j], np.array([True]), [None]])
def test_threshold_refuses_booleans_and_complex(bad):
    with pytest.raises(ValueError, match=r"T must be real numbers >= 0"):
        _checks.check_threshold(bad)


# --- switches and choices: no truth value of NaN, strings, None or arrays ---------------
SWITCH_CALLS = {
    "simulation.coverage conjecture1": (sim.coverage, dict(T=1.0, L=1, Mt=4, beta=4.0, p_c=0.5, trials=10),
                                        "conjecture1", r"conjecture1 must be True or False"),
    "coverage.theorem1 distances": (cv.theorem1, dict(T=1.0, L=2, Mt=4, beta=4.0, p_c=0.5), "distances",
                                    r"distances must be one of 'paper', 'joint'"),
    "simulation.coverage fading": (sim.coverage, dict(T=1.0, L=1, Mt=4, beta=4.0, p_c=0.5, trials=10),
                                   "fading", r"fading must be one of 'paper', 'zf'"),
}


@pytest.mark.parametrize("bad", [NAN, "3", None, object(), {}, np.array(["paper", "joint"]), ["paper"]])
@pytest.mark.parametrize("case", list(SWITCH_CALLS))
def test_switches_and_choices_refuse_by_name(case, bad):
    f, good, key, match = SWITCH_CALLS[case]
    with pytest.raises(ValueError, match=match):
        f(**{**good, key: bad})


# --- sizes that no run can meet are refused by name, with the limit --------------------
HUGE = 10**30
SIZE_CASES = [
    (sim.coverage, dict(T=1.0, L=1, Mt=4, beta=4.0, p_c=0.5, trials=HUGE), r"trials must be an integer in \[1, "),
    (sim.coverage, dict(T=1.0, L=1, Mt=4, beta=4.0, p_c=0.5, trials=10, K=HUGE), r"K must be an integer in \[2, "),
    (sim.coverage, dict(T=1.0, L=HUGE, Mt=4, beta=4.0, p_c=0.5, trials=10), r"L must be an integer in \[1, "),
    (sim.coverage, dict(T=1.0, L=1, Mt=HUGE, beta=4.0, p_c=0.5, trials=10), r"Mt must be an integer in \[2, "),
    (sim.coverage, dict(T=1.0, L=1000, Mt=4, beta=2.01, p_c=0.5, trials=10), r"K: the default number"),
    (sim.radar_rate, dict(N=[1, HUGE], Mt=4, Mr=2, beta=4.0, p_s=0.5, lam=1.0, trials=10), r"N must be an integer in \[1, "),
    (sim.antenna_coverage, dict(T=1.0, L=HUGE, Mt=4, beta=4.0, p_c=0.5, trials=10), r"L must be an integer in \[1, "),
    (sim.conjecture1_samples, dict(L=1, Mt=4, beta=4.0, size=HUGE), r"size must be an integer in \[1, "),
]


@pytest.mark.parametrize("f, kw, match", SIZE_CASES, ids=[f"{f.__name__}-{i}" for i, (f, _, _) in enumerate(SIZE_CASES)])
def test_sizes_beyond_the_limits_are_refused_by_name(f, kw, match):
    with pytest.raises(ValueError, match=match):
        f(**kw)
