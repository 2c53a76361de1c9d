"""The Monte Carlo engine: the same numbers on every executor, bounded memory, checkpoints.

Bit identity is checked with ``np.array_equal`` (no tolerance: the engine's rule is that a
result depends on the seed alone).  References are the serial run in this process.  Block
sizes are kept at a few blocks (one block of the coverage kernel is ~10 ms), and one local
Dask cluster serves the module.
"""
import contextlib
import functools
import os
import runpy
import signal
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from coopisac import _engine, cluster
from coopisac import simulation as sim

ROOT = Path(__file__).resolve().parents[1]
B = _engine.BLOCK
N_TRIALS = 2 * B + 17  # two full blocks and a partial one
T = np.array([0.1, 0.5, 1.0, 2.0, 10.0])
COV = dict(L=2, Mt=4, beta=4.0, p_c=0.5, seed=11)
RAD = dict(N=[1, 3], Mt=4, Mr=2, beta=4.0, p_s=[0.5, 0.2], lam=0.3, seed=11)


@pytest.fixture(scope="module")
def dask_ex():
    pytest.importorskip("distributed")
    with cluster.executor(workers=2) as ex:
        yield ex


def _same(a, b):
    return np.array_equal(a.estimate, b.estimate) and np.array_equal(a.stderr, b.stderr)


def _block_index(rng):
    """The block a generator belongs to: its SeedSequence child's spawn key (the engine's rule)."""
    (b,) = rng.bit_generator.seed_seq.spawn_key
    return b


# ---------------------------------------------------------------------------------------
# The same numbers on every executor
# ---------------------------------------------------------------------------------------

def test_serial_two_processes_threads_and_dask_agree(dask_ex):
    ref_c = sim.coverage(T, trials=N_TRIALS, workers=1, **COV)
    ref_r = sim.radar_rate(trials=N_TRIALS, workers=1, **RAD)
    assert ref_c.trials == ref_r.trials == N_TRIALS
    with ThreadPoolExecutor(3) as threads:
        runs = {"workers=2": dict(workers=2), "threads": dict(executor=threads), "dask": dict(executor=dask_ex),
                "dask client": dict(executor=dask_ex._client)}
        for name, kw in runs.items():
            assert _same(sim.coverage(T, trials=N_TRIALS, **COV, **kw), ref_c), name
            assert _same(sim.radar_rate(trials=N_TRIALS, **RAD, **kw), ref_r), name
    # and a different seed does give different numbers (the comparison can fail)
    assert not _same(sim.coverage(T, trials=N_TRIALS, **{**COV, "seed": 12}), ref_c)


def test_other_estimators_on_dask(dask_ex):
    kw = dict(N=3, Mt=3, Mr=3, beta=4.0, p_s=0.7, lam=0.2, r1=0.5, rN=1.5, trials=2 * B + 3, seed=5)
    a, b = sim.sensing_laplace([0.1, 1.0], **kw), sim.sensing_laplace([0.1, 1.0], executor=dask_ex, **kw)
    assert all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("laplace_x", "stderr_x", "laplace_y", "stderr_y"))
    kw = dict(K=10, beta=4.0, Mt=4, T=[0.5, 2.0], trials=2 * B + 3, seed=5)
    a, b = sim.truncation_bias("coverage", **kw), sim.truncation_bias("coverage", executor=dask_ex, **kw)
    assert np.array_equal(a.bias, b.bias) and np.array_equal(a.stderr, b.stderr)
    kw = dict(L=2, Mt=4, beta=4.0, size=2 * B + 3, seed=5)
    for x, y in zip(sim.conjecture1_samples(**kw), sim.conjecture1_samples(executor=dask_ex, **kw)):
        assert np.array_equal(x, y)


def _killing_block(rng, n, *, marker, victim):
    """Moments of normal draws (their merge is order-sensitive in floating point), except that
    the first attempt at block ``victim`` kills the Dask worker process running it (SIGKILL: no
    clean-up, as a crashed machine)."""
    if _block_index(rng) == victim and not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return _engine.Moments(rng.normal(size=(n, 3)))


@pytest.mark.parametrize("per_task", [None, 3])  # one block per task (the default here), or blocks 3-5 in one task
def test_dask_worker_killed_mid_run(dask_ex, tmp_path, per_task):
    client = dask_ex._client
    trials = 8 * B + 5
    marker = tmp_path / "killed"
    block = functools.partial(_killing_block, marker=str(marker), victim=4)
    before = set(client.run(os.getpid).values())
    got = _engine.run_blocks(block, trials, 3, reduce=_engine.merge, executor=dask_ex, blocks_per_task=per_task)
    assert marker.exists()  # block 4's first attempt did kill its worker, mid-run
    ref = _engine.run_blocks(block, trials, 3, reduce=_engine.merge)  # serial (the marker exists now)
    client.wait_for_workers(2, timeout=60)
    assert len(before - set(client.run(os.getpid).values())) == 1  # one worker process was replaced
    assert got.n == ref.n and np.array_equal(got.mean, ref.mean) and np.array_equal(got.m2, ref.m2)


def test_blocks_grouped_into_tasks_give_the_same_numbers(dask_ex, monkeypatch):
    # 40 small blocks, 39 blocks' worth of trials: the default grouping puts 2 in a task on 2
    # workers (the last task partial); coverage counts are summed in each task, radar Moments
    # folded here
    monkeypatch.setattr(_engine, "BLOCK", 64)
    assert _engine.task_blocks(40, 2) == 2
    kw = dict(trials=40 * 64 - 5)
    ref_c, ref_r = sim.coverage(T, **kw, **COV), sim.radar_rate(**kw, **RAD)
    with ThreadPoolExecutor(2) as threads:
        for ex in (dask_ex, threads):
            assert _same(sim.coverage(T, **kw, **COV, executor=ex), ref_c)
            assert _same(sim.radar_rate(**kw, **RAD, executor=ex), ref_r)
    block = functools.partial(_logged_block, shape=(3,))  # Moments: their merge is order-sensitive
    ref = _engine.run_blocks(block, 40 * 64, 4, reduce=_engine.merge)
    for per in (2, 7, 40):
        assert _moments_equal(_engine.run_blocks(block, 40 * 64, 4, reduce=_engine.merge, executor=dask_ex,
                                                 blocks_per_task=per), ref)
    kept = _engine.run_blocks(block, 40 * 64, 4, executor=dask_ex, blocks_per_task=7)  # no reduction: every block
    assert len(kept) == 40 and all(_moments_equal(a, b) for a, b in zip(kept, _engine.run_blocks(block, 40 * 64, 4)))


def test_task_blocks_rule():
    # at least TASKS_PER_WORKER tasks per worker, at most MAX_TASK_BLOCKS blocks, at least 1
    assert _engine.task_blocks(611, 2) == 38  # 1e7 trials on 2 workers: 17 tasks
    assert _engine.task_blocks(10, 2) == 1
    assert _engine.task_blocks(10**6, 2) == _engine.MAX_TASK_BLOCKS
    assert _engine.task_blocks(5, 0) == 1
    for n, p in [(611, 2), (611, 3), (100, 4), (17, 1)]:
        per = _engine.task_blocks(n, p)
        assert -(-n // per) >= min(n, _engine.TASKS_PER_WORKER * p)


def _int_block(rng, n):
    return rng.integers(0, 2**62, size=3)  # large: a sum that wraps in int64 must still agree


def test_task_sums_integer_results_exactly():
    seeds = np.random.SeedSequence(5).spawn(6)
    parts = _engine._run_task(_int_block, seeds, [B] * 6, True)
    assert len(parts) == 1  # summed in the task
    folded = None
    for s in seeds:
        folded = _engine.merge(folded, _engine._one_block(_int_block, s, B))
    assert parts[0].dtype == folded.dtype and np.array_equal(parts[0], folded)
    assert len(_engine._run_task(_int_block, seeds, [B] * 6, False)) == 6  # another reduction: every block
    moments = functools.partial(_logged_block, shape=(1,))
    assert len(_engine._run_task(moments, seeds[:3], [8] * 3, True)) == 3  # floats: folded in order by the caller


def _pid_block(rng, n):
    return os.getpid()


def test_local_pool_is_reused_until_closed():
    def pids():
        return set(_engine.run_blocks(_pid_block, 4 * B, 1, workers=2, blocks_per_task=1))

    seen = pids() | pids() | pids()
    assert os.getpid() not in seen and len(seen) <= 2  # three runs, the same two processes at most
    _engine.close_pools()
    assert pids().isdisjoint(seen)  # closed: a later run starts new ones


def test_spawn_without_main_guard(tmp_path):
    # macOS / Windows start processes with `spawn`; the script has no __main__ guard.  Its
    # coverage call is test_serial_two_processes_threads_and_dask_agree's.
    script = tmp_path / "noguard.py"
    script.write_text(textwrap.dedent(f"""
        import multiprocessing
        import numpy as np
        multiprocessing.set_start_method("spawn")
        from coopisac import simulation as sim
        kw = dict({COV!r}, trials={N_TRIALS})
        a = sim.coverage({T.tolist()!r}, workers=2, **kw)
        b = sim.coverage({T.tolist()!r}, workers=1, **kw)
        same = np.array_equal(a.estimate, b.estimate) and np.array_equal(a.stderr, b.stderr)
        print("IDENTICAL" if same else "DIFFERENT")
    """))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "IDENTICAL"


def test_spawn_block_in_unguarded_main_says_what_to_do(tmp_path):
    # a block function defined in the script itself: the workers must import the script, which
    # then starts a pool of its own; the caller is told to add the guard
    script = tmp_path / "mainfn.py"
    script.write_text(textwrap.dedent(f"""
        from coopisac import _engine
        def block(rng, n):
            return rng.random(2)
        _engine.run_blocks(block, {3 * B}, 1, reduce=_engine.merge, workers=2)
    """))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    # the error that ends the traceback names the fix; the workers' own nested pools may print a
    # resource_tracker warning about leaked semaphores after it (their order on stderr varies)
    errors = [line for line in out.stderr.splitlines() if line.startswith("RuntimeError:")]
    assert errors and 'if __name__ == "__main__":' in errors[-1], out.stderr


# ---------------------------------------------------------------------------------------
# Streamed reduction: a bounded number of block results alive
# ---------------------------------------------------------------------------------------

class _Tracked:
    """A block result that counts how many of its kind are alive at once."""

    lock = threading.Lock()
    live = 0
    peak = 0

    def __init__(self, value):
        self.value = value
        with _Tracked.lock:
            _Tracked.live += 1
            _Tracked.peak = max(_Tracked.peak, _Tracked.live)

    def __del__(self):
        with _Tracked.lock:
            _Tracked.live -= 1


def _tracked_block(rng, n):
    return _Tracked(rng.random())


def _add(total, part):
    return part.value if total is None else total + part.value


@pytest.mark.parametrize("in_flight, per_task", [(1, 1), (3, None), (3, 4)])
def test_streamed_reduction_holds_few_blocks(monkeypatch, in_flight, per_task):
    monkeypatch.setattr(_engine, "BLOCK", 64)
    trials = 40 * 64  # 40 blocks: the bound must not grow with them
    _Tracked.peak = 0
    ref = _engine.run_blocks(_tracked_block, trials, 2, reduce=_add)
    assert _Tracked.peak == 1  # serial: one block result at a time
    _Tracked.peak = 0
    per = per_task or _engine.task_blocks(40, 4)
    with ThreadPoolExecutor(4) as ex:
        got = _engine.run_blocks(_tracked_block, trials, 2, reduce=_add, executor=ex, max_in_flight=in_flight,
                                 blocks_per_task=per_task)
    assert _Tracked.peak <= in_flight * per and _Tracked.live == 0
    assert got == ref  # the same fold order, hence the same float sum
    _Tracked.peak = 0
    kept = _engine.run_blocks(_tracked_block, trials, 2)  # no reduction: every block kept
    assert len(kept) == 40 and _Tracked.peak == 40  # the counter does see every block held


# ---------------------------------------------------------------------------------------
# Checkpoints
# ---------------------------------------------------------------------------------------

CALLS = []  # block indices computed, in this process
FAIL_AT = [None]  # the block at which the next run is interrupted (once)


class _Interrupted(Exception):
    pass


def _logged_block(rng, n, *, shape):
    b = _block_index(rng)
    if b == FAIL_AT[0]:
        FAIL_AT[0] = None
        raise _Interrupted(b)
    CALLS.append(b)
    return _engine.Moments(rng.normal(size=(n, *shape)))


def _moments_equal(a, b):
    return a.n == b.n and np.array_equal(a.mean, b.mean) and np.array_equal(a.m2, b.m2)


def _threads(n):
    return ThreadPoolExecutor(n) if n else contextlib.nullcontext()


@pytest.mark.parametrize("threads", [0, 3])
def test_checkpoint_resume_is_bit_identical(tmp_path, threads):
    block = functools.partial(_logged_block, shape=(2,))
    trials, k = 9 * B + 7, 4  # ten blocks; interrupted at block 4
    run = functools.partial(_engine.run_blocks, block, trials, reduce=_engine.merge)
    ref = run(8)
    with _threads(threads) as ex:
        CALLS.clear()
        FAIL_AT[0] = k
        with pytest.raises(_Interrupted):
            run(8, executor=ex, cache=tmp_path)
    # blocks 0..k-1 were reduced and saved (with threads some later blocks also finished,
    # unreduced: those are not saved)
    assert set(range(k)) <= set(CALLS)
    with _threads(threads) as ex:
        CALLS.clear()
        got = run(8, executor=ex, cache=tmp_path)
    assert sorted(CALLS) == list(range(k, 10))  # the k saved blocks were read back, not recomputed
    assert _moments_equal(got, ref)
    CALLS.clear()
    assert _moments_equal(run(8, cache=tmp_path), ref) and CALLS == []  # a finished run: all read back
    run(9, cache=tmp_path)
    assert sorted(CALLS) == list(range(10))  # another seed is another key


def test_checkpoint_of_grouped_tasks_resumes_in_other_groups(tmp_path):
    # tasks of 3 blocks on threads, interrupted in block 4: the task of blocks 0-2 was saved,
    # block 3 (done, in the failed task) was not; the resumed run groups the rest by 4
    block = functools.partial(_logged_block, shape=(2,))
    run = functools.partial(_engine.run_blocks, block, 9 * B + 7, 8, reduce=_engine.merge, cache=tmp_path)
    ref = _engine.run_blocks(block, 9 * B + 7, 8, reduce=_engine.merge)
    FAIL_AT[0] = 4
    with ThreadPoolExecutor(1) as ex, pytest.raises(_Interrupted):  # (one thread: the tasks finish in order)
        run(executor=ex, blocks_per_task=3)
    CALLS.clear()
    with ThreadPoolExecutor(2) as ex:
        got = run(executor=ex, blocks_per_task=4)
    assert sorted(CALLS) == list(range(3, 10)) and _moments_equal(got, ref)


def test_coverage_cache_resumes(tmp_path, monkeypatch):
    ref = sim.coverage(T, trials=N_TRIALS, **COV)
    real, calls = sim._coverage_block, []

    @functools.wraps(real)  # the same name, hence the same checkpoint key as the real kernel
    def interrupted_at_1(rng, n, **kw):
        calls.append(_block_index(rng))
        if calls == [0, 1]:
            raise _Interrupted
        return real(rng, n, **kw)

    monkeypatch.setattr(sim, "_coverage_block", interrupted_at_1)
    with pytest.raises(_Interrupted):
        sim.coverage(T, trials=N_TRIALS, cache=tmp_path, **COV)
    calls.clear()
    got = sim.coverage(T, trials=N_TRIALS, cache=tmp_path, **COV)
    assert calls == [1, 2] and _same(got, ref)  # block 0 read back; blocks 1 and 2 computed
    other = sim.coverage(2 * T, trials=N_TRIALS, cache=tmp_path, **COV)  # other thresholds: another key
    assert calls == [1, 2, 0, 1, 2] and not _same(other, ref)


def test_unreadable_checkpoint_is_recomputed_with_a_warning(tmp_path):
    block = functools.partial(_logged_block, shape=(1,))
    ref = _engine.run_blocks(block, 2 * B, 1, reduce=_engine.merge, cache=tmp_path)
    (saved,) = tmp_path.glob("run-*.pkl")
    saved.write_bytes(saved.read_bytes()[:20])  # as a disk that filled up mid-write
    CALLS.clear()
    with pytest.warns(UserWarning, match="unreadable checkpoint"):
        got = _engine.run_blocks(block, 2 * B, 1, reduce=_engine.merge, cache=tmp_path)
    assert CALLS == [0, 1] and _moments_equal(got, ref)


def test_cache_refuses_what_it_cannot_key(tmp_path):
    with pytest.raises(ValueError, match="module-level block function"):
        _engine.run_blocks(lambda rng, n: rng.random(), 10, 1, reduce=_engine.merge, cache=tmp_path)
    with pytest.raises(ValueError, match="cannot key a block parameter of type object"):
        _engine.run_blocks(functools.partial(_logged_block, shape=object()), 10, 1, reduce=_engine.merge, cache=tmp_path)
    with pytest.raises(ValueError, match="cache needs a reduction"):
        _engine.run_blocks(functools.partial(_logged_block, shape=(1,)), 10, 1, cache=tmp_path)


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(executor="dask"), "executor must be a concurrent.futures-style executor"),
        (dict(executor=object()), "executor must be"),
        (dict(cache=3), "cache must be a directory path"),
        (dict(cache=""), "cache must be a directory path"),
        (dict(progress="yes"), "progress must be True or False"),
    ],
)
def test_run_keywords_validated(kw, match):
    with pytest.raises(ValueError, match=match):
        sim.coverage(1.0, L=1, Mt=4, beta=4.0, p_c=0.5, trials=10, **kw)
    with pytest.raises(ValueError, match=match):
        sim.truncation_bias("radar", K=4, beta=4.0, Mt=4, rho=1.0, trials=10, **kw)


def test_workers_and_executor_are_exclusive():
    with ThreadPoolExecutor(1) as ex, pytest.raises(ValueError, match="workers must be 1 when an executor is given"):
        sim.radar_rate(N=1, Mt=4, Mr=2, beta=4.0, p_s=0.5, lam=1.0, trials=10, workers=2, executor=ex)


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(workers=0), "workers must be an integer >= 1"),
        (dict(workers=2, scheduler="tcp://127.0.0.1:8786"), "workers or scheduler, not both"),
        (dict(scheduler=""), "scheduler must be a Dask scheduler address"),
    ],
)
def test_cluster_executor_validation(kw, match):
    with pytest.raises(ValueError, match=match):
        with cluster.executor(**kw):
            pass


def test_local_cluster_workers_run_without_the_profiler(dask_ex):
    # cluster.executor turns Dask's 10 ms stack sampler off in its workers, not in this process
    # (run after the killed-worker tests: the worker that replaced the killed one is checked too)
    import dask

    def profiling():
        return dask.config.get("distributed.worker.profile.enabled")

    assert set(dask_ex._client.run(profiling).values()) == {False} and profiling() is True


def test_cluster_executor_serial_default():
    with cluster.executor() as ex:
        assert ex is None


@pytest.mark.slow
def test_dask_sweep_example_matches_a_serial_sweep(dask_ex, tmp_path):
    # The script joins this module's cluster (its --scheduler path, and cluster.executor's):
    # a cluster of its own would cost a start-up, and its --workers path is the same
    # cluster.executor(workers=2) call that dask_ex makes.
    from coopisac import experiments

    example = ROOT / "examples" / "dask_sweep.py"
    client = dask_ex._client
    executed = lambda: sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())
    before = executed()
    out = subprocess.run([sys.executable, str(example), "--scheduler", client.scheduler.address, "--trials", "2000",
                          "--out", str(tmp_path / "dask")], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert executed() > before  # the blocks ran on the cluster, which is still up after the script left it
    # not run as __main__: only the spec is defined, the rest is behind the __main__ guard
    # (which keeps the workers Dask starts with `spawn` from re-running the script)
    script = runpy.run_path(str(example))
    assert "parser" not in script and "table" not in script
    spec = script["SPEC"]
    serial = experiments.sweep({**spec, "trials": 2000}, tmp_path / "serial", progress=False)
    assert (tmp_path / "dask" / "table.csv").read_text() == serial.read_text()
