"""The Monte Carlo engine: fixed blocks of trials, one seed per block, ordered reduction.

Reproducibility rule: trial ``t`` belongs to block ``t // BLOCK``, and block ``b`` draws all
its random numbers from ``numpy.random.SeedSequence(seed).spawn(n_blocks)[b]`` (a child
determined by ``(seed, b)`` alone; the last block may be partial).  Per-block results are
reduced in block order.  Hence a result depends on the seed (and the model parameters)
only: not on how many worker processes ran the blocks, nor in which order they finished.

``BLOCK`` trials times the ~30-60 BSs of a trial is ~0.5-1e6 array elements: large enough
that numpy's per-call overhead is negligible, small enough to stay cache-friendly (huge
allocations are several times slower per element).
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from functools import partial

import numpy as np
from tqdm import tqdm

BLOCK = 2**14

__all__ = ["BLOCK", "run_blocks", "Moments"]


def _one_block(block_fn, task):
    seed_seq, size = task
    return block_fn(np.random.Generator(np.random.PCG64(seed_seq)), size)


def run_blocks(block_fn, trials: int, seed: int, *, workers: int = 1, progress: bool = False) -> list:
    """Run ``block_fn(rng, size)`` on every block of ``trials`` and return the results in
    block order.  ``block_fn`` must be picklable when ``workers > 1`` (a module-level
    function or a ``functools.partial`` of one)."""
    n_blocks = -(-trials // BLOCK)
    seeds = np.random.SeedSequence(seed).spawn(n_blocks)
    sizes = [BLOCK] * (n_blocks - 1) + [trials - BLOCK * (n_blocks - 1)]
    tasks = list(zip(seeds, sizes))
    job = partial(_one_block, block_fn)
    bar = dict(total=n_blocks, disable=not progress, unit="block", leave=False)
    if workers == 1 or n_blocks == 1:
        return [job(t) for t in tqdm(tasks, **bar)]
    with ProcessPoolExecutor(max_workers=min(workers, n_blocks)) as pool:
        # map() yields in submission order, whatever order the blocks finish in.
        return list(tqdm(pool.map(job, tasks), **bar))


class Moments:
    """Count, mean and centred sum of squares of a batch of samples (elementwise over the
    trailing shape), merged exactly in a fixed order (Chan et al.'s pairwise update), so
    that block results combine without the cancellation of sum-of-squares formulas."""

    __slots__ = ("n", "mean", "m2")

    def __init__(self, samples: np.ndarray):
        """``samples``: array whose axis 0 runs over trials."""
        self.n = samples.shape[0]
        self.mean = samples.mean(axis=0)
        self.m2 = ((samples - self.mean) ** 2).sum(axis=0)

    def merge(self, other: "Moments") -> "Moments":
        n = self.n + other.n
        delta = other.mean - self.mean
        self.mean = self.mean + delta * (other.n / n)
        self.m2 = self.m2 + other.m2 + delta**2 * (self.n * other.n / n)
        self.n = n
        return self

    @staticmethod
    def combine(parts: list) -> "Moments":
        total = parts[0]
        for p in parts[1:]:
            total.merge(p)
        return total

    def stderr(self) -> np.ndarray:
        """Standard error of the mean (NaN for a single trial)."""
        if self.n < 2:
            return np.full_like(self.mean, np.nan, dtype=float)
        return np.sqrt(self.m2 / (self.n - 1) / self.n)
