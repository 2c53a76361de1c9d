"""Experiments of the system-model chapter: the sampler of the nearest BSs against the mapping
theorem (pi lam r_k^2 ~ Gamma(k, 1), mean k)."""
from __future__ import annotations

import numpy as np

from .. import geometry
from . import Experiment, Param, Series, register

__all__ = ["compute_mapping_theorem"]


def compute_mapping_theorem(p: dict, *, trials: int, seed: int, mc: dict) -> list[Series]:
    """E[pi lam r_k^2] = k (the mapping theorem), and its Monte Carlo mean over ``trials``
    windowless samples of the ``k_max`` nearest BSs (``geometry.sample_nearest``)."""
    k = np.arange(1, p["k_max"] + 1)
    out = [Series("analysis", k, k.astype(float), method="mapping theorem, E[Gamma(k, 1)] = k")]
    if trials:
        x = np.pi * p["lam"] * geometry.sample_nearest(np.random.default_rng(seed), trials, k.size, p["lam"])
        out.append(Series("monte_carlo", k, x.mean(axis=0), stderr=x.std(axis=0, ddof=1) / np.sqrt(trials)))
    return out


register(Experiment(
    name="mapping_theorem", title="The sampler of the nearest BSs against the mapping theorem", chapter="system_model",
    params={"k_max": Param(5, "nearest BSs sampled", kind="int"),
            "lam": Param(0.3, "BS density [BSs per unit area] (the law of pi lam r_k^2 does not depend on it)")},
    compute=compute_mapping_theorem, x=("index $k$ of the nearest BS", "k"),
    y=(r"$E[\pi\lambda r_k^2]$", "mean_x_k"), seed=100,
))
