"""Antenna-level Monte Carlo (coopisac.antenna): its closed forms against the literal
pseudo-inverse of eq. (1), its gain laws against their exact distributions, its coverage
against an exact analytic value, and the paper-model simulator with fading="zf" against it.

K-S tests run at level 1e-4 per test: the threshold is the 1 - 1e-4 quantile of the exact
Kolmogorov distribution for the sample size (stats.kstwo), so a correct law fails with
probability 1e-4 and a seed is either always or never rejected.
"""
import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate, stats

from coopisac import antenna, beamforming, coverage
from coopisac import simulation as sim
from notebook_checks import within_mc

T_LIN = 10 ** (np.arange(-10.0, 20.1, 5.0) / 10)
COV_BIAS = 5e-5  # truncation bias of the default K: test_truncation_bias_zf, test_antenna_truncation_bias_*
KS_LEVEL = 1e-4


def ks_ok(sample, cdf):
    """K-S distance below its 1 - KS_LEVEL quantile for len(sample) draws."""
    return stats.kstest(sample, cdf).statistic < stats.kstwo(len(sample)).isf(KS_LEVEL)


def interferer_cdf(Mt, pi_c):
    """Exact CDF of an interferer's gain over p_t, l1 E1 + l2 E2 (l1 + l2 = 1,
    l1 l2 = pi_c pi_s (1 - B), B ~ Beta(1, Mt-1)), by scipy's adaptive quadrature over B:
    a route independent of the package's Gauss rules and of its samplers."""

    def given_b(y, b):
        q = pi_c * (1 - pi_c) * (1 - b)
        disc = math.sqrt(max(1 - 4 * q, 0.0))
        l1, l2 = (1 + disc) / 2, (1 - disc) / 2
        if l1 - l2 < 1e-6:  # Gamma(2, 1/2) limit
            return 1 - math.exp(-2 * y) * (1 + 2 * y)
        return 1 - (l1 * math.exp(-y / l1) - (l2 * math.exp(-y / l2) if l2 > 0 else 0.0)) / (l1 - l2)

    def cdf(y):
        y = np.atleast_1d(y)
        out = [integrate.quad(lambda b: given_b(v, b) * (Mt - 1) * (1 - b) ** (Mt - 2), 0, 1, epsabs=1e-10)[0]
               for v in y]
        return np.array(out)

    return cdf


# ---------------------------------------------------------------------------------------
# Closed forms of the normalised ZF beams vs the literal pseudo-inverse
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("Mt", [2, 5, 10])
def test_closed_forms_match_pseudo_inverse(Mt):
    rng = np.random.default_rng(Mt)
    n = 200
    h = (rng.standard_normal((n, Mt)) + 1j * rng.standard_normal((n, Mt))) / math.sqrt(2)
    theta = rng.uniform(0, 2 * np.pi, n)
    a, w_s, w_c = beamforming.zf_beams(h, theta)
    dot = lambda x, w: np.einsum("ij,ij->i", x.conj(), w)
    c = dot(a, h) / math.sqrt(Mt)  # u^H h
    nh2 = np.sum(np.abs(h) ** 2, axis=1)
    # h^H w^c = ||P h|| and a^H w^s = ||P_h a||: real and positive (phases of eq. 1)
    np.testing.assert_allclose(dot(h, w_c), np.sqrt(nh2 - np.abs(c) ** 2), rtol=1e-10)
    np.testing.assert_allclose(dot(a, w_s), np.sqrt(Mt * (1 - np.abs(c) ** 2 / nh2)), rtol=1e-10)
    # overlap of the two beams
    np.testing.assert_allclose(dot(w_c, w_s), -c.conj() / np.sqrt(nh2), atol=1e-12)
    # a victim's channel through the beam plane: x^H w^s = X w^cH w^s + Z sqrt(1 - B)
    x = (rng.standard_normal((n, Mt)) + 1j * rng.standard_normal((n, Mt))) / math.sqrt(2)
    B = np.abs(c) ** 2 / nh2
    e = (w_s - dot(w_c, w_s)[:, None] * w_c) / np.sqrt(1 - B)[:, None]
    np.testing.assert_allclose(np.linalg.norm(e, axis=1), 1, rtol=1e-10)
    np.testing.assert_allclose(dot(w_c, e), 0, atol=1e-12)
    np.testing.assert_allclose(dot(x, w_s), dot(x, w_c) * dot(w_c, w_s) + dot(x, e) * np.sqrt(1 - B), atol=1e-12)


def test_own_beams_use_the_steering_vector():
    # the simulator's |c|^2 and ||h||^2 are those of its drawn vector and the ULA steering vector
    Mt, cos_t = 7, np.array([[0.3, -0.8], [1.0, 0.0]])
    c2, nh2 = antenna._own_beams(np.random.default_rng(5), cos_t, Mt)
    h = np.moveaxis(antenna._cn(np.random.default_rng(5), (Mt, *cos_t.shape)), 0, -1)
    a = np.exp(-1j * np.pi * np.arange(Mt) * cos_t[..., None])  # written out, not beamforming.steering
    np.testing.assert_allclose(c2, np.abs(np.sum(a.conj() * h, axis=-1)) ** 2 / Mt, rtol=1e-12)
    np.testing.assert_allclose(nh2, np.sum(np.abs(h) ** 2, axis=-1), rtol=1e-13)
    np.testing.assert_allclose(beamforming.steering(cos_t, Mt), a, rtol=1e-14)


def test_unnormalised_beams_invert_the_channel():
    # eq. (1) without normalisation: H W = I, so the user's and the echo's gains are exactly 1
    rng = np.random.default_rng(1)
    Mt = 6
    h = (rng.standard_normal(Mt) + 1j * rng.standard_normal(Mt)) / math.sqrt(2)
    a = beamforming.steering(np.cos(0.7), Mt)
    H = np.vstack([a.conj(), h.conj()])
    W = H.conj().T @ np.linalg.inv(H @ H.conj().T)
    np.testing.assert_allclose(H @ W, np.eye(2), atol=1e-12)


# ---------------------------------------------------------------------------------------
# Gain laws of the simulator against their exact distributions
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("Mt", [2, 10])
def test_gain_laws(Mt):
    n = 20_000
    rng = np.random.default_rng(100 + Mt)
    c2, nh2 = antenna._own_beams(rng, rng.uniform(-1, 1, n), Mt)
    g = nh2 - c2
    f = Mt * (1 - c2 / nh2)
    assert ks_ok(g, stats.gamma(Mt - 1).cdf)
    assert ks_ok(f / Mt, stats.beta(Mt - 1, 1).cdf)
    assert np.all(f <= Mt)
    assert not ks_ok(f, stats.gamma(Mt - 1).cdf)  # the paper's echo law is rejected (Mt = 2: U(0, 2) vs Exp(1))
    # interferers: overlap B ~ Beta(1, Mt-1), the leakage gain's exact law
    pi_c = 0.5
    B = antenna._overlap(rng, (n,), Mt)
    assert ks_ok(B, stats.beta(1, Mt - 1).cdf)
    assert ks_ok(c2 / nh2, stats.beta(1, Mt - 1).cdf)  # the same law from the full vectors
    gc, gs = antenna._leakage(rng, B)
    assert ks_ok(gc, stats.expon().cdf) and ks_ok(gs, stats.expon().cdf)
    exact = interferer_cdf(Mt, pi_c)
    assert ks_ok(pi_c * gc + (1 - pi_c) * gs, exact)
    assert not ks_ok(pi_c * gc + (1 - pi_c) * gs, stats.expon().cdf)  # not the paper's Exp(1)


@pytest.mark.parametrize("Mt,pi_c", [(2, 0.5), (10, 0.3)])
def test_literal_interferer_gain_law(Mt, pi_c):
    # the literal pseudo-inverse (beamforming.zf_gains) follows the same exact law
    g = beamforming.zf_gains(Mt=Mt, p_c=pi_c, size=5000, seed=7)
    assert ks_ok(g.interferer, interferer_cdf(Mt, pi_c))


@pytest.mark.parametrize("Mt", [2, 10])
def test_zf_fading_sampler_laws(Mt):
    n = 20_000
    rng = np.random.default_rng(200 + Mt)
    echo, intf = sim._zf_gains(rng, (n,), (n,), Mt=Mt, echo=True, pi_c=0.3)
    assert ks_ok(echo / Mt, stats.beta(Mt - 1, 1).cdf)
    assert ks_ok(intf, interferer_cdf(Mt, 0.3))
    user, _ = sim._zf_gains(rng, (n,), (1,), Mt=Mt, echo=False, pi_c=0.3)
    assert ks_ok(user, stats.gamma(Mt - 1).cdf)


# ---------------------------------------------------------------------------------------
# Coverage: exact analytic value, joint transmission, fading="zf"
# ---------------------------------------------------------------------------------------

def test_zf_coverage_L1_reduces_to_exact_rayleigh_interferers():
    # p_c = p_t: q = 0, every interferer's gain is Exp(1): the package's betainc closed form
    # (coverage.exact_coverage_L1, a different route).  Both are accurate to rounding
    # (400 vs 800 Gauss nodes differ by 1e-13): tolerance 1e-10.
    for Mt in (2, 4, 10):
        np.testing.assert_allclose(antenna.zf_coverage_L1(T_LIN, Mt=Mt, beta=4.0, p_c=1.0),
                                   coverage.exact_coverage_L1(T_LIN, Mt=Mt, beta=4.0, p_c=1.0), atol=1e-10)


@pytest.mark.parametrize("beta", [3.0, 4.0])
def test_zf_coverage_L1_mt2_against_mpmath(beta):
    # Mt = 2: P_c = 1 / (1 + psi(t)), psi(t) = int_1^inf E_B[1 - 1/(1 + w + q w^2)] dv,
    # w = t v^(-beta/2), B ~ U(0, 1): mpmath's tanh-sinh quadrature of the definition
    pi_c = 0.5
    with mp.workdps(20):
        for T in (0.1, 10.0):
            t = T / pi_c
            def inner(v):
                w = t * v ** (-beta / 2)
                return mp.quad(lambda b: 1 - 1 / (1 + w + pi_c * (1 - pi_c) * (1 - b) * w**2), [0, 1])
            psi = mp.quad(inner, [1, 10, mp.inf])
            ref = float(1 / (1 + psi))
            got = antenna.zf_coverage_L1(T, Mt=2, beta=beta, p_c=pi_c)
            assert abs(got - ref) < 1e-9, (T, got, ref)


def test_antenna_coverage_L1_against_exact():
    trials = 100_000
    for Mt, p_c in ((2, 0.5), (10, 0.5)):
        mc = sim.antenna_coverage(T_LIN, L=1, Mt=Mt, beta=4.0, p_c=p_c, trials=trials, seed=3)
        ref = antenna.zf_coverage_L1(T_LIN, Mt=Mt, beta=4.0, p_c=p_c)
        within_mc(mc.estimate, mc.stderr, ref, name=f"antenna coverage L = 1, Mt = {Mt}", bias=COV_BIAS,
                  trials=trials)
    # the paper's Exp(1) interferers give a different value, which this check resolves
    paper = coverage.exact_coverage_L1(T_LIN, Mt=10, beta=4.0, p_c=0.5)
    assert np.max(np.abs(paper - ref)) > 10 * np.max(mc.stderr)


def test_coherent_at_least_noncoherent():
    rng = np.random.default_rng(4)
    g, w, _ = antenna._coverage_parts(rng, 5000, L=3, Mt=4, beta=4.0, Ks=(12,), pi_c=0.5)
    assert np.all(np.sqrt(g * w).sum(axis=1) ** 2 >= np.einsum("ij,ij->i", g, w) * (1 - 1e-12))
    kw = dict(L=2, Mt=4, beta=4.0, p_c=0.5, trials=20_000, seed=9)
    co = sim.antenna_coverage(T_LIN, joint="coherent", **kw).estimate
    nc = sim.antenna_coverage(T_LIN, joint="noncoherent", **kw).estimate
    assert np.all(co >= nc) and np.any(co > nc)
    one = dict(kw, L=1)  # one serving BS: the two are the same SIR, sample by sample
    np.testing.assert_array_equal(sim.antenna_coverage(T_LIN, joint="coherent", **one).estimate,
                                  sim.antenna_coverage(T_LIN, **one).estimate)


@pytest.mark.parametrize("L", [1, 3])
def test_zf_fading_equals_antenna_level_coverage(L):
    # two routes to one law (independent gains): the difference of two independent estimates
    trials = 100_000
    kw = dict(L=L, Mt=6, beta=4.0, p_c=0.4, trials=trials)
    a = sim.antenna_coverage(T_LIN, seed=1, **kw)
    z = sim.coverage(T_LIN, seed=2, fading="zf", **kw)
    within_mc(a.estimate - z.estimate, np.hypot(a.stderr, z.stderr), 0.0, name=f"antenna vs zf, L = {L}")
    if L == 1:
        within_mc(z.estimate, z.stderr, antenna.zf_coverage_L1(T_LIN, Mt=6, beta=4.0, p_c=0.4),
                  name="zf fading vs exact", bias=COV_BIAS, trials=trials)


def test_zf_fading_equals_antenna_level_radar_rate():
    kw = dict(N=[1, 2, 4], Mt=6, Mr=6, beta=4.0, p_s=[0.3, 0.6, 0.6], lam=0.05, trials=50_000)
    a = sim.antenna_radar_rate(seed=1, **kw)
    z = sim.radar_rate(seed=2, fading="zf", **kw)
    # 0.1 standard error at 1e6 trials bounds each truncation bias (test_truncation_bias_zf)
    within_mc(a.estimate - z.estimate, np.hypot(a.stderr, z.stderr), 0.0, name="antenna vs zf radar rate",
              bias=2 * 0.1 * a.stderr * math.sqrt(kw["trials"] / 1e6))


@pytest.mark.slow
@pytest.mark.parametrize("fading", ["zf"])
def test_truncation_bias_zf(fading):
    # the mean tail (mean gain 1 under either law) with the default K: bias below 0.1 standard
    # error at 1e6 trials, with 3 of its own standard errors (as tests/test_simulation.py)
    n = 2**15
    for L in (1, 3):
        b = sim.truncation_bias("coverage", K=sim.default_K(4.0, L), beta=4.0, Mt=10, T=T_LIN, L=L,
                                trials=n, seed=1, fading=fading, pi_c=0.5)
        assert np.all(np.abs(b.bias) + 3 * b.stderr < COV_BIAS), (L, b.bias, b.stderr)
    for N in (1, 4):
        b = sim.truncation_bias("radar", K=sim.default_K(4.0, N), beta=4.0, Mt=10, rho=[1e-2, 1.0, 1e2, 1e4],
                                N=N, trials=n, seed=1, fading=fading, pi_c=0.5)
        assert np.all(np.abs(b.bias) + 3 * b.stderr < 0.1 * b.sd / 1000), (N, b.bias, b.stderr, b.sd)


def test_reproducible_and_validated():
    kw = dict(L=2, Mt=4, beta=4.0, p_c=0.5, trials=3000, seed=5)
    np.testing.assert_array_equal(sim.antenna_coverage(T_LIN, **kw).estimate,
                                  sim.antenna_coverage(T_LIN, **kw).estimate)
    # two blocks on two worker processes: the same numbers as one process (seeded blocks)
    kw2 = dict(kw, trials=20_000)
    np.testing.assert_array_equal(sim.antenna_coverage(T_LIN, joint="coherent", workers=2, **kw2).estimate,
                                  sim.antenna_coverage(T_LIN, joint="coherent", **kw2).estimate)
    with pytest.raises(ValueError, match="joint must be one of"):
        sim.antenna_coverage(1.0, joint="both", **kw)
    with pytest.raises(ValueError, match="fading must be one of"):
        sim.coverage(1.0, fading="rician", **kw)
    with pytest.raises(ValueError, match=r"Mt must be an integer in \[2, 1024\]"):
        sim.antenna_radar_rate(N=1, Mt=1, Mr=2, beta=4.0, p_s=0.5, lam=1.0, trials=10)


def test_coherent_echoes_at_least_noncoherent():
    kw = dict(N=[1, 3], Mt=4, Mr=2, beta=4.0, p_s=0.5, lam=0.05, trials=5000, seed=2)
    co = sim.antenna_radar_rate(joint="coherent", **kw).estimate
    nc = sim.antenna_radar_rate(**kw).estimate
    assert co[0] == nc[0] and co[1] > nc[1]  # one BS: the same SIR; three: amplitudes add


@pytest.mark.slow
@pytest.mark.parametrize("joint", ["noncoherent", "coherent"])
def test_antenna_truncation_bias_below_bound(joint):
    # the antenna-level estimator itself (both joint transmissions), K vs 4K on the same draws:
    # below 5e-5 (0.1 standard error at 1e6 trials) with 3 of its own standard errors
    for L in (1, 3):
        b = antenna.antenna_truncation_bias("coverage", T=T_LIN, L=L, Mt=10, beta=4.0, p_c=0.5, trials=2**15, seed=1,
                                            joint=joint)
        assert np.all(np.abs(b.bias) + 3 * b.stderr < COV_BIAS), (L, b.bias, b.stderr)
    for N in (1, 4):
        b = antenna.antenna_truncation_bias("radar", rho=[1e-2, 1.0, 1e2, 1e4], N=N, Mt=10, beta=4.0, p_s=0.5,
                                            trials=2**15, seed=1, joint=joint)
        assert np.all(np.abs(b.bias) + 3 * b.stderr < 0.1 * b.sd / 1000), (N, b.bias, b.stderr, b.sd)


def test_antenna_truncation_bias_detects_small_K():
    b = antenna.antenna_truncation_bias("coverage", T=T_LIN, L=2, Mt=10, beta=4.0, p_c=0.5, K=6, trials=2**13,
                                        seed=1, joint="coherent")
    assert np.max(np.abs(b.bias) - 3 * b.stderr) > 10 * COV_BIAS
    r = antenna.antenna_truncation_bias("radar", rho=[1e-2, 1.0, 1e2, 1e4], N=1, Mt=10, beta=4.0, K=6, trials=2**13,
                                        seed=1)
    assert np.max(np.abs(r.bias) - 3 * r.stderr - 0.1 * r.sd / 1000) > 0


# the project's table of bad inputs (tests/test_validation.py), applied to this module's functions
from test_validation import ARRAYS, BAD, BASE_ONE  # noqa: E402

ANTENNA_FUNCTIONS = {
    "antenna_coverage": (sim.antenna_coverage, dict(T=1.0, L=1, Mt=4, beta=4.0, p_c=0.5, lam=1.0, trials=10)),
    "antenna_radar_rate": (sim.antenna_radar_rate, dict(N=1, Mt=4, Mr=2, beta=4.0, p_s=0.5, lam=1.0, sigma2=1.0,
                                                        trials=10, base=2)),
    "zf_coverage_L1": (antenna.zf_coverage_L1, dict(T=1.0, Mt=4, beta=4.0, p_c=0.5)),
}


def _bad_cases():
    for fname, (_, good) in ANTENNA_FUNCTIONS.items():
        for key, (bads, match) in BAD.items():
            if key in good:
                yield from ((fname, key, b, match) for b in bads)
        if "base" in good:
            yield from ((fname, "base", b, BASE_ONE[1]) for b in BASE_ONE[0])
        if fname == "antenna_radar_rate":
            for key, (bads, match) in ARRAYS.items():
                if key in good:
                    yield from ((fname, key, b, match) for b in bads)


@pytest.mark.parametrize("fname, key, bad, match", [pytest.param(*c, id=f"{c[0]}-{c[1]}={c[2]!r}") for c in _bad_cases()])
def test_bad_input_names_parameter_and_range(fname, key, bad, match):
    f, good = ANTENNA_FUNCTIONS[fname]
    with pytest.raises(ValueError, match=match):
        f(**{**good, key: bad})
