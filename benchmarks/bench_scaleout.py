"""Scale-out: speed-up of 2 workers over 1, what one task and one block cost each executor,
the start-up of a local pool, and the peak memory of a long coverage run.

Rerun (e.g. on an idle machine) with ``.venv/bin/python benchmarks/run.py --only scaleout``.

Speed-up: wall time of ``simulation.coverage`` (L = 1, Mt = 10, beta = 4, 50 thresholds) at
1e7 trials (611 blocks, 17 tasks of <= 38 blocks on 2 workers) serially; with ``workers=2`` on
the engine's local pool already started by an earlier call ("pool"); with ``workers=2`` right
after ``_engine.close_pools()``, so that the call starts its two ``spawn`` processes ("local",
start-up included: a first call in a process); and on a 2-worker local Dask cluster (one
thread each, started beforehand).  Interleaved rounds; each figure is the median over rounds
of serial / parallel, paired by round.  Wall time, not CPU time: the work happens in other
processes.  On an idle machine with two cores the ceiling is 2; other load takes from it, so
the same rounds also time the machine's ceiling of the moment (two independent half-size
serial runs at once, each in a process of its own, no engine in between) and the efficiency
figures divide by it.  Every note gives the 1-minute load average before and after that case
(medians over rounds), and whether the parallel run's numbers equal the serial run's.  CPU
cost: the CPU seconds of this process and its workers during one parallel call over those of
the serial call (1 = no overhead; on 2 idle cores the speed-up is at most 2 / ratio), a figure
that other load disturbs far less than wall time.

Overheads: a block that does no work (it draws one integer, its 8-byte result),
``OVERHEAD_BLOCKS`` times through an executor already started, minus the same run in this
process, divided by the blocks: with one block per task (the cost of one task) and grouped as
a 1e7-trial run on 2 workers is (38 blocks per task: the cost per block).  Peak memory: the ``tracemalloc`` peak
(numpy reports its arrays to it) of one coverage call at 1e7 trials and 1e5 thresholds (less at
quick size) in a fresh process, with that process's peak RSS in the note.
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

from _timing import figure

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
    return _timed(fn)[0]


def _timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def _rounds(cases: dict, repeats: int) -> tuple[dict, dict, dict]:
    """Wall seconds of each case in each round (every round runs every case once, round r
    starting at the r-th case, so that a drift of the load within a round hits no case
    always), the 1-minute load average before and after each, and each case's last result.
    A case is ``fn`` or ``(setup, fn)``; ``setup`` runs untimed just before."""
    times, results = {name: np.empty(repeats) for name in cases}, {}
    load = {name: np.empty((repeats, 2)) for name in cases}
    names = list(cases)
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            case = cases[name]
            setup, fn = case if isinstance(case, tuple) else (None, case)
            if setup:
                setup()
            load[name][r, 0] = os.getloadavg()[0]
            times[name][r], results[name] = _timed(fn)
            load[name][r, 1] = os.getloadavg()[0]
    return times, load, results


def _load_note(load: np.ndarray) -> str:
    before, after = np.median(load, axis=0)
    return f"load average (1 min) {before:.1f} before, {after:.1f} after"


def _ratio(num: np.ndarray, den: np.ndarray, target: str | None, note: str) -> dict:
    r = np.asarray(num) / np.asarray(den)
    q1, med, q3 = np.percentile(r, [25, 50, 75])
    return figure(med, "x", (q3 - q1) / 2, target, note)


def speedups(sim, trials: int, repeats: int, dask_ex) -> tuple[dict, float]:
    """serial / parallel wall time of one coverage call, paired by round, for ``workers=2`` on
    the kept pool and with its start-up, the Dask cluster, and the machine's own ceiling: two
    independent serial halves at once, each in a process of its own.  Also returns the serial
    median time of one block [ms]."""
    from coopisac import _engine

    cov = functools.partial(sim.coverage, T50, L=1, Mt=10, beta=4.0, p_c=0.5, trials=trials, seed=1)
    half = functools.partial(sim.coverage, T50, L=1, Mt=10, beta=4.0, p_c=0.5, trials=trials // 2)
    warm = functools.partial(cov, trials=8 * _engine.BLOCK)  # starts processes, loads the kernels in them
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as halves_pool:
        for f in [halves_pool.submit(warm, workers=1) for _ in range(4)]:
            f.result()
        warm(workers=2)
        if dask_ex is not None:
            warm(executor=dask_ex)
        cases = {
            "serial": cov,
            "pool": functools.partial(cov, workers=2),
            "local": (_engine.close_pools, functools.partial(cov, workers=2)),  # (leaves the pool started)
            "halves": lambda: [f.result() for f in [halves_pool.submit(half, seed=s) for s in (1, 2)]],
        }
        if dask_ex is not None:
            cases["dask"] = functools.partial(cov, executor=dask_ex)
        cov()  # this process's kernels loaded
        times, load, results = _rounds(cases, repeats)
    serial = times["serial"]

    def same(name):  # the engine's rule: the same numbers on every executor, bit for bit
        a, b = results[name], results["serial"]
        same = np.array_equal(a.estimate, b.estimate) and np.array_equal(a.stderr, b.stderr)
        return f"numbers {'identical to' if same else 'DIFFERENT from'} the serial run's"

    n_blocks = -(-trials // _engine.BLOCK)
    per = _engine.task_blocks(n_blocks, 2)
    base = (f"{trials:.0e} trials ({n_blocks} blocks, {per} per task on 2 workers), serial median "
            f"{np.median(serial):.1f} s ({_load_note(load['serial'])}); {repeats} rounds")
    out = {
        "speedup_2_workers_pool": _ratio(serial, times["pool"], ">= 1.7",
                                         f"{base}; workers=2 on its pool started by an earlier call; {_load_note(load['pool'])}; {same('pool')}"),
        "speedup_2_workers_local": _ratio(serial, times["local"], ">= 1.7",
                                          f"{base}; workers=2 as a first call, starting its 2 spawn processes; "
                                          f"{_load_note(load['local'])}; {same('local')}"),
        "speedup_ceiling_2_halves": _ratio(serial, times["halves"], None,
                                           f"{base}; the machine's ceiling now: two independent half runs at once, "
                                           f"one process each; {_load_note(load['halves'])}"),
        "efficiency_pool": _ratio(times["halves"], times["pool"], None, "pool speed-up / ceiling, paired by round"),
        "efficiency_local": _ratio(times["halves"], times["local"], None,
                                   "workers=2 with start-up: speed-up / ceiling, paired by round"),
    }
    if dask_ex is not None:
        out["speedup_2_workers_dask"] = _ratio(serial, times["dask"], ">= 1.7",
                                               f"{base}; 2-worker LocalCluster (1 thread each) started beforehand; "
                                               f"{_load_note(load['dask'])}; {same('dask')}")
        out["efficiency_dask"] = _ratio(times["halves"], times["dask"], None, "Dask speed-up / ceiling, paired by round")
    return out, float(np.median(serial)) / n_blocks * 1e3


def cpu_costs(sim, trials: int, dask_ex) -> dict:
    """CPU seconds of every process a parallel run uses (this one and its workers) over those of
    the serial run: 1 means no overhead, and on P idle cores the speed-up is at most P / ratio.
    CPU time is far less disturbed by other load than wall time.  One call each."""
    import psutil  # (a dependency of dask.distributed)

    from coopisac import _engine

    cov = functools.partial(sim.coverage, T50, L=1, Mt=10, beta=4.0, p_c=0.5, trials=trials, seed=1)
    me = psutil.Process()

    def cpu_seconds(fn, workers) -> float:
        procs = [me, *workers]
        c0 = sum(sum(p.cpu_times()[:2]) for p in procs)
        fn()
        return sum(sum(p.cpu_times()[:2]) for p in procs) - c0

    _engine.close_pools()
    others = set(me.children())
    cov(workers=2, trials=8 * _engine.BLOCK)  # starts the pool
    pool = [p for p in me.children() if p not in others]
    runs = {"pool": (functools.partial(cov, workers=2), pool)}
    if dask_ex is not None:
        runs["dask"] = (functools.partial(cov, executor=dask_ex),
                        [psutil.Process(pid) for pid in dask_ex._client.run(os.getpid).values()])
    serial = cpu_seconds(cov, [])
    out = {}
    for name, (fn, workers) in runs.items():
        load = os.getloadavg()[0]
        ratio = cpu_seconds(fn, workers) / serial
        out[f"cpu_ratio_{name}"] = figure(
            ratio, "x", None, None,
            f"{trials:.0e} trials: CPU seconds of this process and its {len(workers)} workers over the serial run's "
            f"({serial:.1f} s); at most {2 / ratio:.2f}x on 2 idle cores; load average (1 min) {load:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after")
    return out


def overheads(sim, dask_ex, blocks: int, repeats: int, block_ms: float | None) -> dict:
    """Wall time per task (one block each) and per block (grouped as a 1e7-trial run on 2
    workers), above the same tiny blocks run in this process."""
    from coopisac import _engine

    tiny = np.random.Generator.integers  # tiny(rng, n) = rng.integers(n): one integer, no work
    run = functools.partial(_engine.run_blocks, tiny, blocks * _engine.BLOCK, 1, reduce=lambda total, part: None)
    grouped = _engine.task_blocks(-(-10**7 // _engine.BLOCK), 2)
    executors = {"local": dict(workers=2)}
    if dask_ex is not None:
        executors["dask"] = dict(executor=dask_ex)
    cases = {"serial": run}
    for name, kw in executors.items():
        cases[f"task_{name}"] = functools.partial(run, blocks_per_task=1, **kw)
        cases[f"block_{name}"] = functools.partial(run, blocks_per_task=grouped, **kw)
    for fn in cases.values():  # warm-up: starts the local pool's processes
        fn()
    times, load, _ = _rounds(cases, max(repeats, 1))
    work = f" (one coverage block of the speed-up run: {block_ms:.0f} ms)" if block_ms else ""
    out = {}
    for name in cases.keys() - {"serial"}:
        per = (times[name] - times["serial"]) / blocks * 1e3
        q1, med, q3 = np.percentile(per, [25, 50, 75])
        what, where = name.split("_")
        if what == "task":
            note = f"{blocks} tasks of one empty block, executor already started; {_load_note(load[name])}"
            out[f"task_overhead_{where}"] = figure(med, "ms/task", (q3 - q1) / 2, None, note + work)
        else:
            note = (f"{blocks} empty blocks in tasks of {grouped} (as a 1e7-trial run on 2 workers), "
                    f"executor already started; {_load_note(load[name])}")
            out[f"block_overhead_{where}"] = figure(med, "ms/block", (q3 - q1) / 2, None, note + work)
    if not repeats:
        return out
    two = functools.partial(_engine.run_blocks, tiny, 2 * _engine.BLOCK, 1, reduce=lambda total, part: None)
    start = []
    for _ in range(repeats):
        _engine.close_pools()
        start.append(_wall(functools.partial(two, workers=2)) - _wall(two))
    out["local_pool_startup"] = figure(np.median(start), "s", (np.percentile(start, 75) - np.percentile(start, 25)) / 2,
                                       None, "workers=2 as a first call: starting two spawn processes (later calls "
                                       "reuse them)")
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
        out.update(speedups(sim, 4 * 2**14, 1, None)[0])
        out.update(cpu_costs(sim, 4 * 2**14, None))
        out.update(overheads(sim, None, 8, 0, None))  # (0: without the separate start-up figure)
        out.update(peak_memory(10**5, 10**4))
        return out
    with cluster.executor(workers=2) as dask_ex:
        figures, block_ms = speedups(sim, 10**7, 3, dask_ex)
        out.update(figures)
        out.update(cpu_costs(sim, 10**7, dask_ex))
        out.update(overheads(sim, dask_ex, OVERHEAD_BLOCKS, 3, block_ms))
    out.update(peak_memory(10**7, 10**5))
    return out
