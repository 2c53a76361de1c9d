"""Timing helpers of the benchmark modules.

``interleaved`` times several cases round-robin (a slow drift of the machine's load then hits
every case alike); ``draw_floor`` builds the random-number floor of a Monte Carlo, the time
numpy's Generator takes just to draw the numbers its trials need, block by block as the engine
does; ``ratio_figure`` turns paired timings into the median ratio with its spread.
"""
from __future__ import annotations

import time
from typing import Callable, Sequence

import numpy as np

#: trials per block of the Monte Carlo engine (coopisac._engine.BLOCK); the floor draws in
#: blocks of the same size so that both see the same array sizes and cache behaviour
BLOCK = 2**14


def figure(value, unit: str, spread=None, target: str | None = None, note: str | None = None) -> dict:
    """One benchmark figure in the schema of benchmarks/run.py."""
    return {"value": float(value), "unit": unit, "spread": None if spread is None else float(spread),
            "target": target, "note": note}


def cpu_seconds(fn: Callable[[], object]) -> float:
    """CPU time of this process for one call of ``fn`` (less disturbed by other load than wall time)."""
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def interleaved(cases: dict[str, Callable[[], object]], repeats: int, *, warmup: bool = True,
                clock: Callable[[Callable[[], object]], float] = cpu_seconds) -> dict[str, np.ndarray]:
    """Seconds of each case in each of ``repeats`` rounds, every round running every case once.

    ``warmup`` runs every case once untimed first (compilation, caches, first-touch pages)."""
    if warmup:
        for fn in cases.values():
            fn()
    times = {name: np.empty(repeats) for name in cases}
    for r in range(repeats):
        for name, fn in cases.items():
            times[name][r] = clock(fn)
    return times


def draw_floor(draws: Sequence[tuple], trials: int, *, seed: int = 0, block: int = BLOCK) -> Callable[[], None]:
    """A callable that only draws the random numbers of ``trials`` Monte Carlo trials.

    ``draws``: the draws of one trial, each ``(method, count, *args)`` naming a
    ``numpy.random.Generator`` method, how many numbers one trial takes and the method's
    positional arguments, e.g. ``("standard_exponential", 29)``, ``("standard_gamma", 1, 9.0)``,
    ``("uniform", 29, 0.0, 2 * np.pi)``, ``("standard_normal", 2 * Mt * N)``.  The trials run in
    blocks of ``block`` like the engine: one Generator per block (from a SeedSequence child), every
    draw of a block one array of shape (block size, count), fresh as numpy returns it."""
    draws = [(getattr(np.random.Generator, d[0]), int(d[1]), tuple(d[2:])) for d in draws]
    n_blocks = -(-trials // block)
    sizes = [block] * (n_blocks - 1) + [trials - block * (n_blocks - 1)]

    def run():
        for seq, n in zip(np.random.SeedSequence(seed).spawn(n_blocks), sizes):
            rng = np.random.Generator(np.random.PCG64(seq))
            for method, count, args in draws:
                if count:
                    method(rng, *args, size=(n, count))

    return run


def ratio_figure(times: np.ndarray, floor: np.ndarray, *, target: str | None = None, note: str | None = None) -> dict:
    """Median over rounds of time / floor (paired: the same round), spread = half the
    interquartile range of those per-round ratios."""
    ratios = np.asarray(times) / np.asarray(floor)
    q1, med, q3 = np.percentile(ratios, [25, 50, 75])
    return figure(med, "x floor", (q3 - q1) / 2, target, note)
