"""Scale-out: speed-up of 2 workers over 1, the cost of one block on each executor, the
start-up of a local pool, and the peak memory of a long coverage run.

Speed-up: wall time of ``simulation.coverage`` (L = 1, Mt = 10, beta = 4, 50 thresholds) at
1e7 trials serially, with ``workers=2`` (two ``spawn`` processes, start-up included), on a
2-process pool started beforehand, and on a 2-worker local Dask cluster (started beforehand),
in interleaved rounds; each figure is the median over rounds of serial / parallel, paired by
round.  Wall time, not CPU time: the work happens in other processes.  On an idle machine with
two cores the ceiling is 2; other load takes from it, so the same rounds also time the
machine's ceiling of the moment (two independent half-size runs at once on the started pool,
no engine in between) and the efficiency figures divide by it (the load average is in the
notes).

Overhead per block: a block that only draws 2^14 exponentials (~0.1 ms of work), run
``OVERHEAD_BLOCKS`` times through an executor already started, minus the same run in this
process, per block.  Peak memory: the ``tracemalloc`` peak (numpy reports its arrays to it) of
one coverage call at 1e7 trials and 1e5 thresholds (less at quick size) in a fresh process, with
that process's peak RSS in the note.
"""
from __future__ import annotations

import functools
import json
import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from _timing import figure, interleaved

T50 = 10 ** (np.linspace(-10.0, 20.0, 50) / 10)
OVERHEAD_BLOCKS = 400

_MEMORY = r"""
import json, resource, sys, tracemalloc
import numpy as np
from coopisac import simulation as sim
trials, m = int(sys.argv[1]), int(sys.argv[2])
T = np.logspace(-1, 2, m)
tracemalloc.start()
sim.coverage(T, L=1, Mt=4, beta=4.0, p_c=1.0, trials=trials, seed=1)
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"traced_MB": peak / 2**20, "maxrss_MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

def _wall(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _load() -> str:
    return "load average %.1f %.1f %.1f" % os.getloadavg()


def _ratio(num: np.ndarray, den: np.ndarray, target: str | None, note: str) -> dict:
    r = np.asarray(num) / np.asarray(den)
    q1, med, q3 = np.percentile(r, [25, 50, 75])
    return figure(med, "x", (q3 - q1) / 2, target, note)


def speedups(sim, trials: int, repeats: int, dask_ex) -> dict:
    """serial / parallel wall time of one coverage call, paired by round, for ``workers=2``
    (start-up included), a started 2-process pool, the Dask cluster, and the machine's own
    ceiling: two independent serial halves on the started pool."""
    cov = functools.partial(sim.coverage, T50, L=1, Mt=10, beta=4.0, p_c=0.5, trials=trials, seed=1)
    half = functools.partial(sim.coverage, T50, L=1, Mt=10, beta=4.0, p_c=0.5, trials=trials // 2)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        # start both processes and import the package in them (8 blocks: both take some)
        sim.coverage(T50, L=1, Mt=10, beta=4.0, p_c=0.5, trials=8 * 2**14, executor=pool)
        cases = {
            "serial": cov,
            "workers=2": functools.partial(cov, workers=2),
            "pool": functools.partial(cov, executor=pool),
            "halves": lambda: [f.result() for f in [pool.submit(half, seed=s) for s in (1, 2)]],
        }
        if dask_ex is not None:
            cases["dask"] = functools.partial(cov, executor=dask_ex)
        before = _load()
        times = interleaved(cases, repeats, warmup=False, clock=_wall)
    note = f"{trials:.0e} trials, serial median {np.median(times['serial']):.1f} s; {before} before, {_load()} after"
    serial = times["serial"]
    out = {
        "speedup_2_workers_local": _ratio(serial, times["workers=2"], ">= 1.7", note + "; workers=2, process start-up included"),
        "speedup_2_workers_pool": _ratio(serial, times["pool"], ">= 1.7", note + "; a 2-process pool started beforehand"),
        "speedup_ceiling_2_halves": _ratio(serial, times["halves"], None,
                                           note + "; the machine's ceiling now: two independent half runs on that pool"),
        "efficiency_pool": _ratio(times["halves"], times["pool"], None, "pool speed-up / ceiling, paired by round"),
    }
    if dask_ex is not None:
        out["speedup_2_workers_dask"] = _ratio(serial, times["dask"], ">= 1.7", note + "; 2-worker LocalCluster started beforehand")
        out["efficiency_dask"] = _ratio(times["halves"], times["dask"], None, "Dask speed-up / ceiling, paired by round")
    return out


def overheads(sim, dask_ex, blocks: int, repeats: int) -> dict:
    from coopisac import _engine
    from coopisac.geometry import sample_nearest

    tiny = functools.partial(sample_nearest, K=1, lam=1 / np.pi)  # 2^14 exponentials per block
    trials = blocks * _engine.BLOCK
    run = functools.partial(_engine.run_blocks, tiny, trials, 1, reduce=lambda total, part: None)
    one_block = np.median([_wall(functools.partial(sim.coverage, T50, L=1, Mt=10, beta=4.0, p_c=0.5,
                                                   trials=_engine.BLOCK)) for _ in range(3)])
    out = {}
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        cases = {"serial": run, "local": functools.partial(run, executor=pool)}
        if dask_ex is not None:
            cases["dask"] = functools.partial(run, executor=dask_ex)
        times = interleaved(cases, max(repeats, 1), clock=_wall)  # warm-up starts the pool's processes
    for name in cases.keys() - {"serial"}:
        per = (times[name] - times["serial"]) / blocks * 1e3
        q1, med, q3 = np.percentile(per, [25, 50, 75])
        out[f"block_overhead_{name}"] = figure(
            med, "ms/block", (q3 - q1) / 2, None,
            f"{blocks} blocks of 2^14 draws, executor already started; one coverage block "
            f"(50 thresholds, Mt = 10) takes {one_block * 1e3:.0f} ms serially")
    if not repeats:
        return out
    two = functools.partial(_engine.run_blocks, tiny, 2 * _engine.BLOCK, 1, reduce=lambda total, part: None)
    start = [_wall(functools.partial(two, workers=2)) - _wall(two) for _ in range(repeats)]
    out["local_pool_startup"] = figure(np.median(start), "s", (np.percentile(start, 75) - np.percentile(start, 25)) / 2,
                                       None, "workers=2: starting and stopping two spawn processes, per call")
    return out


def peak_memory(trials: int, thresholds: int) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", _MEMORY, str(trials), str(thresholds)], capture_output=True,
                         text=True, check=True, env=env)
    m = json.loads(out.stdout)
    return {"coverage_peak_memory": figure(
        m["traced_MB"], "MB", None, "bounded by a few blocks",
        f"tracemalloc peak of one coverage call at {trials:.0e} trials and {thresholds:.0e} thresholds "
        f"(the process's peak RSS, imports included: {m['maxrss_MB']:.0f} MB)")}


def run(quick: bool = False) -> dict:
    from coopisac import cluster
    from coopisac import simulation as sim

    out = {}
    if quick:  # no Dask cluster at quick size: its start-up alone takes seconds
        out.update(speedups(sim, 4 * 2**14, 1, None))
        out.update(overheads(sim, None, 8, 0))  # (0: without the separate start-up figure)
        out.update(peak_memory(10**5, 10**4))
        return out
    with cluster.executor(workers=2) as dask_ex:
        out.update(speedups(sim, 10**7, 3, dask_ex))
        out.update(overheads(sim, dask_ex, OVERHEAD_BLOCKS, 3))
    out.update(peak_memory(10**7, 10**5))
    return out
