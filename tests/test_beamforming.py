"""ZF beams of eq. (1): their defining equations, and the laws of the gains they produce."""
import numpy as np
import pytest
from scipy import stats

from coopisac import beamforming as bf


def test_zf_beams_null_the_other_channel():
    rng = np.random.default_rng(3)
    h = rng.standard_normal((50, 6)) + 1j * rng.standard_normal((50, 6))
    a, w_s, w_c = bf.zf_beams(h, rng.uniform(0, np.pi, 50))
    inner = lambda x, w: np.einsum("ij,ij->i", x.conj(), w)
    np.testing.assert_allclose(np.abs(inner(h, w_s)), 0, atol=1e-12)  # sensing beam nulls the user
    np.testing.assert_allclose(np.abs(inner(a, w_c)), 0, atol=1e-12)  # communication beam nulls the target
    np.testing.assert_allclose(np.linalg.norm(w_s, axis=1), 1, rtol=1e-12)
    np.testing.assert_allclose(np.abs(a) ** 2, 1, rtol=1e-12)


@pytest.mark.parametrize("Mt", [3, 10])
def test_zf_gain_laws(Mt):
    # K-S at level 1e-4: a correct law fails with probability 1e-4; n = 20000 resolves D ~ 0.015.
    n = 20_000
    g = bf.zf_gains(Mt=Mt, p_c=0.5, size=n, seed=11)
    assert stats.kstest(g.user, stats.gamma(Mt - 1).cdf).pvalue > 1e-4
    assert stats.kstest(g.echo / Mt, stats.beta(Mt - 1, 1).cdf).pvalue > 1e-4
    assert stats.kstest(g.echo, stats.gamma(Mt - 1).cdf).pvalue < 1e-4  # the paper's law is rejected
    assert g.echo.max() <= Mt * (1 + 1e-12)
    # interferer: mean p_t (moment matching holds); 5 standard errors
    assert abs(g.interferer.mean() - 1.0) < 5 * g.interferer.std(ddof=1) / np.sqrt(n)


def test_zf_gains_validation():
    with pytest.raises(ValueError, match="Mt must be an integer >= 2"):
        bf.zf_gains(Mt=1, p_c=0.5, size=10)
    with pytest.raises(ValueError, match="p_c must be"):
        bf.zf_gains(Mt=4, p_c=1.5, size=10)
