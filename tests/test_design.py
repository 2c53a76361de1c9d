"""Tests of coopisac.design: the physical parameterisation of the radar rate against the textbook
radar equation and its scaling laws, the equivalent length unit, the power-split front and its
Pareto front, the best split, the marginal gains, and Monte Carlo at a few points."""
import math

import numpy as np
import pytest

from coopisac import coverage, design, sensing, simulation
from notebook_checks import within_mc

C = 299_792_458.0
KW = dict(Mt=10, Mr=6, beta=4.0)


# ------------------------------------------------------------------ physical units

def _textbook_sir(f_c, rcs, G_p, r_i, r_1, d_q, f_i, f_q, Mr, p_s, p_t):
    """SIR_s for beta = 2 from the textbook bistatic radar equation and Friis, in watts:
    echo = p_s f G_t G_r lambda^2 rcs / ((4 pi)^3 R_t^2 R_r^2), interferer = p_t f_q lambda^2 / (4 pi d)^2,
    the combining gain Mr on the echo and the processing gain G_p on the ratio."""
    lam_c = C / f_c
    echo = sum(p_s * f * Mr * lam_c**2 * rcs / ((4 * math.pi) ** 3 * r**2 * r_1**2) for f, r in zip(f_i, r_i))
    interference = sum(p_t * f * lam_c**2 / (4 * math.pi * d) ** 2 for f, d in zip(f_q, d_q))
    return G_p * echo / interference


@pytest.mark.parametrize("f_c", [0.9e9, 3.5e9, 28e9])
def test_sigma2_matches_the_textbook_radar_equation(f_c):
    # one configuration (distances in m), beta = 2: eq. (6) with sigma2 = sigma2_metres
    r_i, f_i = [40.0, 95.0, 130.0], [9.1, 7.7, 10.4]
    d_q, f_q = [210.0, 330.0, 515.0, 80.0], [0.4, 1.9, 1.1, 0.7]
    rcs, G_p, Mr, p_s, p_t = 2.5, 300.0, 6, 0.4, 1.0
    sigma2 = design.sigma2_metres(f_c=f_c, rcs=rcs, processing_gain=G_p)
    eq6 = sigma2 * Mr * r_i[0] ** -2 * sum(p_s * f * r**-2 for f, r in zip(f_i, r_i)) / sum(
        p_t * f * d**-2 for f, d in zip(f_q, d_q))
    ref = _textbook_sir(f_c, rcs, G_p, r_i, r_i[0], d_q, f_i, f_q, Mr, p_s, p_t)
    assert abs(eq6 / ref - 1) < 1e-13  # same products in another order: rounding only


def test_sigma2_free_space_closed_form_and_reference_loss():
    # free space: G_p rcs / (4 pi); a given loss at 1 m: G_p rcs 4 pi K0 / lambda^2
    assert design.sigma2_metres(f_c=3.5e9, rcs=1.0) == pytest.approx(1 / (4 * math.pi), rel=1e-15)
    fs = float(design.free_space_ref_loss_dB(3.5e9))
    assert fs == pytest.approx(20 * math.log10(4 * math.pi * 3.5e9 / C), rel=1e-15)
    assert fs == pytest.approx(43.33, abs=0.01)  # the textbook 3.5 GHz value
    same = design.sigma2_metres(f_c=3.5e9, rcs=1.0, ref_loss_dB=fs)
    assert same == pytest.approx(1 / (4 * math.pi), rel=1e-12)
    # 10 dB more loss at 1 m than free space: one K0 survives the ratio, so sigma2 / 10
    lossy = design.sigma2_metres(f_c=3.5e9, rcs=1.0, ref_loss_dB=fs + 10.0)
    assert lossy == pytest.approx(0.1 / (4 * math.pi), rel=1e-12)


def test_physical_rho_closed_form():
    # rho = G_p rcs / (4 pi) Mr (p_s / p_t) (pi d 1e-6)^(beta/2), typed from the derivation
    for beta in (3.0, 4.0, 5.5):
        d, rcs, G_p, Mr, p_s = 7.0, 0.3, 1e4, 4, 0.3
        hand = G_p * rcs / (4 * math.pi) * Mr * p_s * (math.pi * d * 1e-6) ** (beta / 2)
        got = design.physical_rho(f_c=2e9, rcs=rcs, processing_gain=G_p, density_km2=d, Mr=Mr, p_s=p_s, beta=beta)
        assert got == pytest.approx(hand, rel=1e-13)


def test_physical_rho_scaling_laws():
    base = dict(f_c=3.5e9, rcs=1.0, processing_gain=10.0, density_km2=10.0, Mr=6, p_s=0.5)
    for beta in (3.0, 4.0, 6.0):
        r0 = design.physical_rho(beta=beta, **base)
        r = design.physical_rho(beta=beta, **{**base, "density_km2": [10.0, 20.0, 100.0]})
        np.testing.assert_allclose(r / r0, np.array([1.0, 2.0, 10.0]) ** (beta / 2), rtol=1e-13)
        r = design.physical_rho(beta=beta, **{**base, "rcs": [1.0, 0.1, 10.0]})
        np.testing.assert_allclose(r / r0, [1.0, 0.1, 10.0], rtol=1e-13)
        r = design.physical_rho(beta=beta, **{**base, "processing_gain": [10.0, 1e3, 1e6]})
        np.testing.assert_allclose(r / r0, [1.0, 1e2, 1e5], rtol=1e-13)
        # free space: f_c cancels exactly (one K0 ~ lambda^2 against the RCS conversion 4 pi / lambda^2)
        r = design.physical_rho(beta=beta, **{**base, "f_c": [0.7e9, 3.5e9, 60e9]})
        np.testing.assert_array_equal(r, np.full(3, r0))
        # a fixed loss at 1 m (not free space): rho ~ f_c^2 (the 4 pi / lambda^2 of the RCS remains)
        r = design.physical_rho(beta=beta, ref_loss_dB=50.0, **{**base, "f_c": [1e9, 2e9, 10e9]})
        np.testing.assert_allclose(r / r[0], [1.0, 4.0, 100.0], rtol=1e-12)


def test_equivalent_length_unit_reproduces_rho_and_rate():
    kw = dict(f_c=3.5e9, rcs=1.0, processing_gain=1e4, beta=4.0)
    u = float(design.equivalent_length_unit(**kw))
    assert u == pytest.approx((1e4 / (4 * math.pi)) ** 0.25, rel=1e-14)
    d = np.array([1.0, 10.0, 100.0])
    rho_m = design.physical_rho(density_km2=d, Mr=6, p_s=0.5, **kw)
    rho_u = sensing.sensing_rho(Mr=6, beta=4.0, p_s=0.5, lam=d * 1e-6 * u**2, sigma2=1.0)
    np.testing.assert_allclose(rho_u, rho_m, rtol=1e-13)
    # the rate: metres (lam_m, G_p sigma2_m) and the paper's convention in u give the same number
    m = design.rate_arguments(density_km2=10.0, unit="m", **kw)
    p = design.rate_arguments(density_km2=10.0, unit="paper", **kw)
    assert p["sigma2"] == 1.0 and p["length_unit_m"] == pytest.approx(u, rel=1e-15)
    via_m = sensing.theorem2([1, 4], **KW, p_s=0.5, lam=m["lam"], sigma2=m["sigma2"], exact=True)
    via_u = sensing.theorem2([1, 4], **KW, p_s=0.5, lam=p["lam"], sigma2=1.0, exact=True)
    got = design.physical_rate([1, 4], density_km2=10.0, p_s=0.5, Mt=10, Mr=6, **kw)
    np.testing.assert_allclose(via_u, via_m, rtol=1e-10)  # theorem2 is smooth in rho; rho agrees to 1e-15
    np.testing.assert_allclose(got, via_m, rtol=1e-10)


def test_length_unit_convention_of_the_paper():
    # sigma2 = 1 with lengths in u metres is the physical network whose G_p rcs / (4 pi) = u^beta:
    # the paper's rate at 10 BSs/km^2 in the units m, 10 m, 100 m, km is reproduced by physical_rate
    for u in (1.0, 10.0, 100.0, 1000.0):
        paper = sensing.theorem2(1, Mt=8, Mr=4, beta=4.0, p_s=0.3, lam=10 * 1e-6 * u**2, exact=True)
        phys = design.physical_rate(1, f_c=3.5e9, rcs=1.0, processing_gain=4 * math.pi * u**4, density_km2=10.0,
                                    Mt=8, Mr=4, p_s=0.3, beta=4.0)
        assert phys == pytest.approx(paper, rel=1e-10)


def test_physical_rate_broadcasts():
    r = design.physical_rate(np.array([1, 4])[:, None, None], f_c=3.5e9, rcs=np.array([0.1, 1.0])[None, :, None],
                             processing_gain=1e3, density_km2=np.array([1.0, 10.0, 100.0]), Mt=10, Mr=6, p_s=0.5,
                             beta=4.0)
    assert r.shape == (2, 2, 3)
    assert np.all(np.diff(r, axis=0) > 0) and np.all(np.diff(r, axis=1) > 0) and np.all(np.diff(r, axis=2) > 0)


@pytest.mark.parametrize("kw, name", [
    (dict(f_c=0.0), "f_c"), (dict(rcs=-1.0), "rcs"), (dict(processing_gain=0.5), "processing_gain"),
    (dict(density_km2=0.0), "density_km2"), (dict(ref_loss_dB=-3.0), "ref_loss_dB"),
])
def test_physical_rho_refuses_bad_input(kw, name):
    args = dict(f_c=3.5e9, rcs=1.0, processing_gain=1.0, density_km2=10.0, Mr=6, p_s=0.5, beta=4.0)
    with pytest.raises(ValueError, match=name):
        design.physical_rho(**{**args, **kw})


# ------------------------------------------------------------------ the power split

S = np.linspace(0.05, 0.95, 10)
SENSE = dict(Mt=10, Mr=6, beta=4.0, lam=0.05, sigma2=1.0)


def test_non_dominated_on_a_hand_example():
    c = np.array([0.9, 0.8, 0.7, 0.85, 0.9])
    r = np.array([1.0, 2.0, 1.5, 1.0, 0.5])
    # (0.7, 1.5) is dominated by (0.8, 2.0); (0.85, 1.0) by (0.9, 1.0); (0.9, 0.5) by (0.9, 1.0)
    np.testing.assert_array_equal(design.non_dominated(c, r), [True, True, False, False, False])


@pytest.fixture(scope="module")
def front():
    return design.power_split_front(S, T=1.0, L=[1, 2, 3], N=[1, 2, 3], budget=4, **SENSE)


def test_front_pairs_and_monotonicity(front):
    assert set(zip(front.L.tolist(), front.N.tolist())) == {(l, n) for l in (1, 2, 3) for n in (1, 2, 3)}
    assert not front.pareto[front.L + front.N > 4].any()  # beyond the budget: never on the front
    assert np.all(np.diff(front.coverage, axis=1) < 0)  # more power to sensing: less coverage
    assert np.all(np.diff(front.rate, axis=1) > 0)  # ... and more rate
    # the metrics of each pair: coverage at p_c = (1 - s) p_t, rate at p_s = s p_t
    k = int(np.nonzero((front.L == 2) & (front.N == 2))[0][0])
    cov = coverage.exact_coverage(1.0, L=2, Mt=10, beta=4.0, p_c=1 - S[3])
    assert front.coverage[k, 3] == pytest.approx(float(cov), rel=1e-12)
    rate = sensing.theorem2(2, Mt=10, Mr=6, beta=4.0, p_s=S[3], lam=0.05, exact=True)
    assert front.rate[k, 3] == pytest.approx(float(rate), rel=1e-12)
    k = int(np.nonzero((front.L == 1) & (front.N == 1))[0][0])
    exact = coverage.exact_coverage_L1(1.0, Mt=10, beta=4.0, p_c=1 - S[3])
    assert front.coverage[k, 3] == pytest.approx(float(exact), rel=1e-12)


def test_front_is_the_set_of_non_dominated_points(front):
    inside = front.L + front.N <= 4
    c, r, on = front.coverage[inside].ravel(), front.rate[inside].ravel(), front.pareto[inside].ravel()
    for i in np.nonzero(on)[0]:  # nothing dominates a front point
        assert not np.any((c >= c[i]) & (r >= r[i]) & ((c > c[i]) | (r > r[i])))
    for i in np.nonzero(~on)[0]:  # something on the front dominates every other point
        assert np.any(on & (c >= c[i]) & (r >= r[i]))
    f = front.front()
    assert np.all(np.diff(f["coverage"]) > 0) and np.all(np.diff(f["rate"]) < 0)
    assert np.all(f["L"] + f["N"] == 4)  # with both metrics rising in L and N the budget binds
    # end points: all power to sensing with the largest N; least sensing power with the largest L
    assert (f["s"][0], f["N"][0]) == (S[-1], 3) and (f["s"][-1], f["L"][-1]) == (S[0], 3)


def test_best_split_meets_the_target_exactly():
    b = design.best_split(0.9, T=1.0, L=[1, 2], N=[1, 2], **SENSE)
    for L, s in zip(b.L, b.s):
        # brentq's root of the same function: the target to its xtol times the slope
        assert float(design.coverage_at(1.0, L=int(L), Mt=10, beta=4.0, p_c=1 - s)) == pytest.approx(0.9, abs=1e-10)
    # and against another route: L = 1 by the series in the Rayleigh coverage's derivatives, in mpmath
    from notebook_checks import _coverage_refs as ref

    assert ref.exact_L1([1.0], Mt=10, p_c=1 - b.s[0])[0] == pytest.approx(0.9, abs=2e-8)  # 1e-8 relative accuracy
    for n, s, rate in zip(b.N, b.s, b.rate):
        assert rate == pytest.approx(float(sensing.theorem2(int(n), **SENSE, p_s=s, exact=True)), rel=1e-12)
    assert (b.L[b.best], b.N[b.best]) == (2, 2)
    # a target above the coverage at s -> 0 cannot be met
    b = design.best_split(0.99, T=10.0, L=[1], N=[1], **SENSE)
    assert math.isnan(b.s[0]) and b.best is None


def test_marginal_gains():
    g = design.marginal_gains("N", [1, 2, 3, 4, 5], T=1.0, s=0.5, fraction=0.4, **SENSE)
    rate = sensing.theorem2([1, 2, 3, 4, 5], **SENSE, p_s=0.5, exact=True)
    np.testing.assert_allclose(g.rate, rate, rtol=1e-12)
    np.testing.assert_allclose(g.gain_rate, np.diff(rate), rtol=1e-12)
    rel = np.diff(rate) / (rate[1] - rate[0])
    assert g.knee_rate == [1, 2, 3, 4][int(np.nonzero(rel < 0.4)[0][0])]
    assert np.all(g.gain_coverage == 0) and g.knee_coverage is None  # N does not enter the coverage
    g = design.marginal_gains("L", [1, 2, 3], T=1.0, s=0.5, **SENSE)
    assert np.all(g.gain_rate == 0) and np.all(np.diff(g.coverage) > 0)
    g = design.marginal_gains("Mt", [2, 3, 4], T=1.0, s=0.5, **{k: v for k, v in SENSE.items() if k != "Mt"}, Mt=2)
    assert np.all(g.gain_coverage > 0) and np.all(g.gain_rate > 0)
    with pytest.raises(ValueError, match="values"):
        design.marginal_gains("L", [1, 3], T=1.0, s=0.5, **SENSE)
    with pytest.raises(ValueError, match="what"):
        design.marginal_gains("K", [1, 2], T=1.0, s=0.5, **SENSE)


@pytest.mark.parametrize("kw, name", [(dict(s=[0.0, 0.5]), "s"), (dict(s=[0.5, 1.0]), "s"), (dict(budget=1), "budget")])
def test_front_refuses_bad_input(kw, name):
    args = dict(s=[0.5], T=1.0, L=[1], N=[1], budget=None, **SENSE)
    with pytest.raises(ValueError, match=name):
        design.power_split_front(**{**args, **kw})


# ------------------------------------------------------------------ Monte Carlo at a few points

def test_front_against_monte_carlo():
    # coverage with p_c = (1 - s) p_t simulated directly (not through T / (1 - s))
    s = np.array([0.2, 0.6, 0.9])
    f = design.power_split_front(s, T=1.0, L=[1, 3], N=[1, 3], **SENSE)
    for i, L in enumerate((1, 3)):
        for j, sj in enumerate(s):
            mc = simulation.coverage(1.0, L=L, Mt=10, beta=4.0, p_c=1 - sj, trials=20_000, seed=31 + 3 * i + j)
            # truncation bias below 0.1 stderr at 1e6 trials (simulation.default_K): 5e-5
            within_mc(mc.estimate, mc.stderr, f.coverage[2 * i, j], name=f"coverage, L = {L}, s = {sj}", bias=5e-5,
                      trials=20_000)
    mc = simulation.radar_rate(N=np.array([1, 3])[:, None], Mt=10, Mr=6, beta=4.0, p_s=s[None, :], lam=0.05,
                               trials=20_000, seed=37)
    rate = f.rate[:2]  # pairs (1, 1), (1, 3)
    # the exact rate is accurate to 1e-6 relative; the simulator's truncation bias < 1e-3 bit/s/Hz
    within_mc(mc.estimate, mc.stderr, rate, name="radar rate along the front", bias=1e-3)


def test_physical_rate_against_monte_carlo_in_metres():
    # the simulation in metres (lam in BSs/m^2, sigma2 = G_p rcs / 4 pi) against the rate computed in
    # the equivalent unit: two routes to one rho
    kw = dict(f_c=3.5e9, rcs=1.0, processing_gain=1e4, beta=4.0)
    m = design.rate_arguments(density_km2=10.0, **kw)
    mc = simulation.radar_rate(N=[1, 4], Mt=10, Mr=6, beta=4.0, p_s=0.5, lam=m["lam"], sigma2=m["sigma2"],
                               trials=20_000, seed=41)
    ref = design.physical_rate([1, 4], density_km2=10.0, Mt=10, Mr=6, p_s=0.5, **kw)
    within_mc(mc.estimate, mc.stderr, ref, name="physical rate, 10 BSs/km^2", bias=1e-3)


# ------------------------------------------------------------------ the small-rho law of physical units

def test_small_rho_rate_N1_against_the_exact_rate():
    # N = 1: C_1 in closed form; the exact rate (theorem2 / proposition2, another route) converges to it.
    # The next term measured here is ~1.2 rho^(2/beta) relative: 1.2e-6 at rho = 1e-12; the exact
    # rate is accurate to 1e-6 relative
    for rho in (1e-12, 1e-9):
        lam = (rho / 6) ** 0.5 / math.pi  # Mr = 6, p_s = p_t, sigma2 = 1
        exact = sensing.theorem2(1, Mt=10, Mr=6, beta=4.0, p_s=1.0, lam=lam, exact=True)
        assert abs(exact / design.small_rho_rate(rho, 1, Mt=10, beta=4.0) - 1) < 1e-6 + 2 * rho**0.5
    r = design.small_rho_rate([1e-8, 1e-4], 1, Mt=4, beta=3.0)
    assert r[1] / r[0] == pytest.approx(1e4 ** (1 / 3), rel=1e-14)  # ~ rho^(1/beta)


@pytest.mark.parametrize("N", [1, 2, 4])
def test_small_rho_interference_moment_by_monte_carlo(N):
    # E[Y_N^(-1/4)], beta = 4: Y_N = sum_{k >= N} f_k y_k^-2 over unit-rate arrivals y_k, f_k ~ Exp(1),
    # the arrivals beyond the K-th replaced by their mean int_{y_K}^inf y^-2 dy = 1 / y_K
    from scipy.special import gamma

    a, Q = 0.25, 9
    C = design.small_rho_rate(1.0, N, Mt=10, beta=4.0, base=math.e)
    EY = C / (gamma(Q + a) / gamma(Q) * math.pi / math.sin(math.pi * a))
    rng = np.random.default_rng(71 + N)
    y = np.cumsum(rng.exponential(size=(20_000, 100)), axis=1)
    Y = (rng.exponential(size=y.shape)[:, N - 1:] * y[:, N - 1:] ** -2.0).sum(axis=1) + 1.0 / y[:, -1]
    v = Y**-a
    # the mean-tail replacement changes Y by a second-order amount (variance of the tail ~ y_K^-3 ~ 1e-6)
    within_mc(v.mean(), v.std() / math.sqrt(v.size), EY, name=f"E[Y_{N}^-1/4]", bias=1e-5)


# ------------------------------------------------------------------ the chapter's experiments

def test_front_experiment_series_and_drawing():
    from coopisac import experiments

    r = experiments.run("design_front", trials=2000, seed=3, s=(0.2, 0.6, 0.9), s_mc=(0.5,), L_values=(1, 2),
                        N_values=(1, 2), budget=3)
    pairs = r.select(kind="analysis", method="analysis")
    assert {(s.curve["L"], s.curve["N"]) for s in pairs if "metric" not in s.curve} == {(1, 1), (1, 2), (2, 1), (2, 2)}
    f = r.one(kind="analysis", method="Pareto front, L + N <= 3")
    args = design.rate_arguments(f_c=3.5e9, rcs=1.0, processing_gain=1e4, density_km2=10.0, beta=4.0)
    ref = design.power_split_front([0.2, 0.6, 0.9], T=1.0, L=[1, 2], N=[1, 2], budget=3, Mt=10, Mr=6, beta=4.0,
                                   lam=args["lam"], sigma2=args["sigma2"]).front()
    np.testing.assert_array_equal(f.x, ref["coverage"])
    np.testing.assert_array_equal(f.y, ref["rate"])
    mc = r.one(kind="monte_carlo", L=1, N=2)  # the marker: simulated coverage against simulated rate
    assert mc.x[0] == r.one(kind="monte_carlo", L=1, metric="coverage").y[0]
    assert mc.y[0] == r.one(kind="monte_carlo", N=2, metric="rate").y[0]
    fig = r.figure()
    cols = fig.columns()
    assert "metric" not in cols and set(cols["L"]) == {1, 2, None}
    fig.legend()
    labels = [t.get_text() for t in fig.ax.get_legend().get_texts()]
    assert labels[:4] == ["$L$ = 1", "$L$ = 2", "$N$ = 1", "$N$ = 2"], labels
    import matplotlib.pyplot as plt

    plt.close(fig.fig)


def test_density_experiment_matches_physical_rate():
    from coopisac import experiments

    r = experiments.run("design_density", trials=0, density_km2_values=(1.0, 10.0), processing_gains=(1.0, 1e6),
                        rcs_values=(1.0,))
    s = r.one(kind="analysis", processing_gain=1e6, rcs=1.0)
    ref = design.physical_rate(1, f_c=3.5e9, rcs=1.0, processing_gain=1e6, density_km2=[1.0, 10.0], Mt=10, Mr=6,
                               p_s=0.5, beta=4.0)
    # theorem2's grid spans the rho values of one call, so two calls with other rho beside agree
    # to the sum of their stated accuracies (1e-8 relative each), not bit for bit
    np.testing.assert_allclose(s.y, ref, rtol=2e-8)
    paper = r.one(kind="analysis", method="paper's convention, sigma2 = 1, unit 100 m")
    np.testing.assert_allclose(paper.y, sensing.theorem2(1, Mt=10, Mr=6, beta=4.0, p_s=0.5,
                                                            lam=np.array([1.0, 10.0]) * 1e-2, exact=True), rtol=2e-8)
