"""Zero-forcing beams of eq. (1) and the small-scale gains they produce.

The analysis follows the paper's fading model (serving/echo gains Gamma(Mt-1, 1), interferers
Exp(1)).  This module builds the beams themselves, so that the book can test that model
against what eq. (1) really gives:

* W = H^H (H H^H)^-1 with H = [a^H(theta); h^H], columns normalised (w^s, w^c);
* a(theta)_m = exp(-j pi m cos theta), m = 0..Mt-1 (half-wavelength ULA, |a|^2 = Mt);
* h ~ CN(0, I_Mt).

The user's gain |h^H w^c|^2 is Gamma(Mt-1, 1) exactly; the echo gain |a^H w^s|^2 is
Mt Beta(Mt-1, 1) (mean Mt-1, variance (Mt-1)/(Mt+1), never above Mt), not Gamma(Mt-1, 1);
an interferer's gain p_c |h^H w^c_j|^2 + p_s |h^H w^s_j|^2 has mean p_t but is not Exp(1).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import check_int, check_powers

__all__ = ["ZFGains", "steering", "zf_beams", "zf_gains"]


def steering(cos_theta: ArrayLike, Mt: int) -> np.ndarray:
    """Transmit steering vectors of a half-wavelength ULA (eq. 5): a(theta)_m =
    exp(-j pi m cos theta), m = 0..Mt-1, for every element of ``cos_theta`` (new last axis
    of length Mt; |a|^2 = Mt)."""
    return np.exp(-1j * np.pi * np.multiply.outer(np.asarray(cos_theta, dtype=float), np.arange(Mt)))


def zf_beams(h: ArrayLike, theta: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normalised ZF beams of eq. (1) for channels ``h`` (draws, Mt) and target angles
    ``theta`` (draws,): returns (a, w_s, w_c), each (draws, Mt).  The literal
    pseudo-inverse, kept as the reference for the closed forms of ``coopisac.antenna``."""
    h = np.asarray(h)
    Mt = h.shape[-1]
    a = steering(np.cos(np.asarray(theta, dtype=float)), Mt)
    H = np.stack([a.conj(), h.conj()], axis=1)  # rows a^H and h^H: (draws, 2, Mt)
    HH = H.conj().transpose(0, 2, 1)
    W = HH @ np.linalg.inv(H @ HH)
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    return a, W[:, :, 0], W[:, :, 1]


@dataclass(frozen=True)
class ZFGains:
    """Samples of the three small-scale gains under ZF beams (eqs. 1, 3, 6)."""

    user: np.ndarray  # |h^H w^c|^2 at the served user
    echo: np.ndarray  # |a^H w^s|^2 towards the target
    interferer: np.ndarray  # p_c |h^H w^c_j|^2 + p_s |h^H w^s_j|^2 from another BS


def zf_gains(*, Mt: int, p_c: float, p_t: float = 1.0, size: int, seed: int = 0) -> ZFGains:
    """Draw ``size`` independent channels and target angles (uniform on (0, pi)), build the
    ZF beams of eq. (1) and return the user, echo and interferer gains (p_s = p_t - p_c)."""
    Mt = check_int("Mt", Mt, minimum=2)
    p_c, p_t = check_powers(p_c, p_t, name="p_c")
    size = check_int("size", size, minimum=1)
    rng = np.random.default_rng(seed)

    def cn(*shape):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2.0)

    def gain(x, w):
        return np.abs(np.einsum("ij,ij->i", x.conj(), w)) ** 2

    h = cn(size, Mt)
    a, w_s, w_c = zf_beams(h, rng.uniform(0.0, np.pi, size))
    _, w_s_j, w_c_j = zf_beams(cn(size, Mt), rng.uniform(0.0, np.pi, size))  # another BS's own beams
    h_j = cn(size, Mt)  # the typical user's channel from that BS
    return ZFGains(
        user=gain(h, w_c),
        echo=gain(a, w_s),
        interferer=p_c * gain(h_j, w_c_j) + (p_t - p_c) * gain(h_j, w_s_j),
    )
