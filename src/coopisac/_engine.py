"""The Monte Carlo engine: fixed blocks of trials, one seed per block, ordered reduction.

Reproducibility rule: trial ``t`` belongs to block ``t // BLOCK``, and block ``b`` draws all
its random numbers from ``numpy.random.SeedSequence(seed).spawn(n_blocks)[b]`` (a child
determined by ``(seed, b)`` alone; the last block may be partial).  Block results are
reduced in block order.  Hence a result depends on the seed (and the model parameters)
only: not on how many worker processes ran the blocks, on which machines, nor in which
order they finished.

Tasks.  An executor is handed tasks, each a contiguous run of blocks that returns their
results in block order (``_run_task``), so that what one task costs an executor (a Dask
task ~1-15 ms, a local process ~1 ms) is paid once for many ~10 ms blocks.  Integer results
(coverage counts) come back already summed: integer addition is exact in any grouping, so
the sum is the block-order fold's, bit for bit; any other result (``Moments``, floats) comes
back block by block and is folded here.  Blocks per task (``task_blocks``): the run's
blocks over ``TASKS_PER_WORKER`` tasks per unit of the executor's parallelism, so that the
tail in which some workers idle is at most one task, about 1/8 of a worker's share; and at
most ``MAX_TASK_BLOCKS`` (about a second of coverage work), which bounds what a lost worker
makes the cluster redo and how far apart checkpoints are.

Streaming.  Tasks go to the executor a bounded number at a time (``max_in_flight``), and
each result is folded into the running total as soon as it and every task before it have
finished; so memory holds a few task results, whatever the number of trials.

Executors.  Serial in this process by default; ``workers=N`` uses N local processes started
with the ``spawn`` method (the same on every platform and safe beside threads), kept for the
next run with the same ``N`` in this process (``close_pools`` ends them; they end with the
interpreter), so that only the first run pays for starting them (each imports numpy and
loads the compiled kernels: a second or more of CPU).  ``executor=``
takes any ``concurrent.futures``-style executor, a ``dask.distributed`` client's
``get_executor()`` included (see ``coopisac.cluster``).

Checkpoints.  With ``cache=DIR`` the running total is written (atomically) after every
task (every block when serial) to one file keyed by the block function and its
parameters, the seed, the number of trials, ``BLOCK``, the package version and a digest of
its source, and numpy's version; a run restarted with the same arguments resumes after the
blocks already reduced (in tasks of its own choosing), and the result is the same bit for
bit: the total after ``k`` blocks does not depend on how they were grouped.

``BLOCK`` trials times the ~30-60 BSs of a trial is ~0.5-1e6 array elements: large enough
that numpy's per-call overhead is negligible, small enough to stay cache-friendly (huge
allocations are several times slower per element).
"""
from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import multiprocessing
import multiprocessing.context
import os
import pathlib
import pickle
import sys
import tempfile
import threading
import types
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np
from tqdm import tqdm

BLOCK = 2**14
#: tasks per unit of an executor's parallelism that a run is cut into (at least)
TASKS_PER_WORKER = 8
#: blocks in one task, at most
MAX_TASK_BLOCKS = 64

__all__ = ["BLOCK", "TASKS_PER_WORKER", "MAX_TASK_BLOCKS", "run_blocks", "merge", "Moments", "task_blocks", "close_pools"]

_CACHE_FORMAT = 1  # bump when the checkpoint file's layout changes


def _one_block(block_fn, seed_seq, size):
    return block_fn(np.random.Generator(np.random.PCG64(seed_seq)), size)


def _run_task(block_fn, seeds, sizes, sum_integers):
    """One task: the blocks of ``seeds``/``sizes`` in order, as a list of parts to fold in
    order.  With ``sum_integers``, consecutive integer results of one dtype and shape are
    summed here (integer addition, wrapping included, is exact in any grouping: the part is
    what folding those blocks one by one would add)."""
    parts = []
    for seed_seq, size in zip(seeds, sizes):
        part = _one_block(block_fn, seed_seq, size)
        if sum_integers and parts and _integer_kind(part) is not None and _integer_kind(part) == _integer_kind(parts[-1]):
            parts[-1] = merge(parts[-1], part)
        else:
            parts.append(part)
        del part
    return parts


def _integer_kind(part):
    """(dtype, shape) of an integer array or scalar, elementwise for a tuple; None otherwise."""
    if isinstance(part, tuple):
        kinds = tuple(_integer_kind(p) for p in part)
        return None if None in kinds else kinds
    if isinstance(part, (np.ndarray, np.integer)) and part.dtype.kind in "iu":
        return part.dtype.str, part.shape
    return None


def task_blocks(n_blocks: int, parallelism: int) -> int:
    """Blocks per task for a run of ``n_blocks`` on an executor running ``parallelism`` tasks
    at once: at least ``TASKS_PER_WORKER`` tasks per unit of parallelism (the tail in which
    some workers idle stays under one task, ~1/8 of a worker's share), at most
    ``MAX_TASK_BLOCKS`` blocks (~1e6 trials: what a lost worker's task costs to redo, and
    how often a checkpoint is written), at least 1.  E.g. 611 blocks (1e7 trials) on 2
    workers: 38 blocks per task, 17 tasks (the last of 3 blocks)."""
    per = n_blocks // (TASKS_PER_WORKER * max(1, parallelism))
    return max(1, min(MAX_TASK_BLOCKS, per))


def merge(total, part):
    """Fold one block result into the running total (``None`` before the first block):
    arrays add, ``Moments`` merge, tuples fold elementwise.  Applied in block order."""
    if total is None:
        return part
    if isinstance(part, tuple):
        return tuple(merge(a, b) for a, b in zip(total, part))
    if isinstance(part, Moments):
        return total.merge(part)
    return total + part


def _append(total, part):
    """The reduction that keeps every block result: a list in block order."""
    if total is None:
        return [part]
    total.append(part)
    return total


def run_blocks(
    block_fn,
    trials: int,
    seed: int,
    *,
    reduce=None,
    workers: int = 1,
    executor=None,
    max_in_flight: int | None = None,
    blocks_per_task: int | None = None,
    progress: bool = False,
    cache=None,
):
    """Run ``block_fn(rng, size)`` on every block of ``trials``.

    ``reduce=None``: return the block results as a list in block order (memory grows with
    ``trials``).  ``reduce(total, part) -> total`` (e.g. ``merge``): fold the results in
    block order as they finish (``total`` is ``None`` before the first) and return the
    total; at most ``max_in_flight`` tasks are submitted and not yet folded at any time
    (default: twice the executor's parallelism), each of ``blocks_per_task`` blocks
    (default: ``task_blocks``; with ``reduce=merge`` integer results are summed in the task).

    ``workers > 1``: a local pool of that many ``spawn``-started processes; ``executor``:
    any object with ``submit(fn, *args) -> Future`` (give one or the other).  Both need
    ``block_fn`` picklable: a module-level function or a ``functools.partial`` of one.
    ``cache``: a directory for the checkpoint (module docstring); it needs ``reduce`` and a
    ``block_fn`` that is a module-level function or a partial of one with plain parameters
    (numbers, strings, arrays, tuples, dicts).  Arguments are validated by the callers.
    """
    n_blocks = -(-trials // BLOCK)
    seeds = np.random.SeedSequence(seed).spawn(n_blocks)
    sizes = [BLOCK] * (n_blocks - 1) + [trials - BLOCK * (n_blocks - 1)]
    if reduce is None:
        if cache is not None:
            raise ValueError("cache needs a reduction (reduce=): a list of every block is not checkpointed")
        reduce = _append
    checkpoint = _Checkpoint(cache, block_fn, seed, trials) if cache is not None else None
    start, total = checkpoint.load() if checkpoint else (0, None)
    bar = tqdm(total=n_blocks, initial=start, disable=not progress, unit="block", leave=False)
    with bar, _pool(workers, executor, n_blocks - start, block_fn) as ex:
        if ex is None:
            tasks = ((b + 1, [_one_block(block_fn, seeds[b], sizes[b])]) for b in range(start, n_blocks))
        else:
            parallelism = _parallelism(ex, workers)
            per = blocks_per_task or task_blocks(n_blocks - start, parallelism)
            bounds = [(a, min(a + per, n_blocks)) for a in range(start, n_blocks, per)]
            tasks = _ordered(ex, block_fn, seeds, sizes, bounds, max_in_flight or 2 * parallelism, reduce is merge)
        done = start
        for end, parts in tasks:  # (not enumerate: its reused result tuple would keep a task alive)
            parts.reverse()
            while parts:  # popped one by one: a folded part is not kept alive by the list
                total = reduce(total, parts.pop())
            del parts
            if checkpoint:
                checkpoint.save(end, total)
            bar.update(end - done)
            done = end
    return total


def _ordered(ex, block_fn, seeds, sizes, bounds, limit, sum_integers):
    """Yield ``(end, parts)`` for the tasks ``bounds`` (``(first, end)`` block ranges) in
    order, with at most ``limit`` tasks submitted and not yet folded (the one being folded
    included)."""
    submit = _submitter(ex)
    pending = collections.deque()
    todo = iter(bounds)

    def send(a, b):
        pending.append((b, submit(_run_task, block_fn, seeds[a:b], sizes[a:b], sum_integers)))

    try:
        for a, b in todo:
            send(a, b)
            if len(pending) == limit:
                break
        while pending:
            end, future = pending.popleft()
            parts = future.result()
            del future
            yield end, parts
            del parts
            for a, b in todo:  # one out, one in
                send(a, b)
                break
    finally:
        for _, f in pending:  # interrupted or failed: nothing more is wanted
            f.cancel()


def _submitter(ex):
    """``ex.submit``; for a Dask client or its executor, the client's own ``submit``.

    The Dask executor's ``concurrent.futures`` futures re-read the task's status after
    fetching its result: when the worker that held the finished block dies in between, the
    status reads "lost" and the future fails with a spurious error (seen here as "too many
    values to unpack").  A Dask future's own ``result()`` waits for the recomputation.
    ``pure=False`` gives every block a fresh task key, so that a run resumed at once after
    an interruption does not meet the cancelled tasks of the first under the same keys."""
    dist = sys.modules.get("distributed")  # loaded whenever a Dask executor exists
    if dist is not None:
        if isinstance(ex, dist.cfexecutor.ClientExecutor):
            return functools.partial(ex._client.submit, **{"pure": False, **ex._kwargs})
        if isinstance(ex, dist.Client):
            return functools.partial(ex.submit, pure=False)
    return ex.submit


def _parallelism(ex, workers):
    """How many blocks ``ex`` runs at once: a local pool's size, a Dask client's threads."""
    client = ex if callable(getattr(ex, "nthreads", None)) else getattr(ex, "_client", None)
    if client is not None:
        with contextlib.suppress(Exception):
            return max(1, sum(client.nthreads().values()))
    return max(1, getattr(ex, "_max_workers", None) or workers, workers)


@contextlib.contextmanager
def _pool(workers, executor, n_todo, block_fn):
    """The executor of one run: ``executor`` as given (not shut down here), the local pool
    of ``workers`` processes (kept for later runs), or None (serial) for one worker or block.
    An interrupted run leaves the pool running: its queued tasks are cancelled, and the
    running ones (a second or so of work each) end in the background."""
    if executor is not None:
        yield executor
        return
    if workers == 1 or n_todo <= 1:
        yield None
        return
    context = _spawn_context(block_fn)
    key = (workers, type(context))
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None or getattr(pool, "_broken", False):
            pool = _POOLS[key] = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        yield pool
    except BrokenProcessPool as err:
        _close(key)
        raise RuntimeError(
            "workers: a worker process died. Under the 'spawn' start method every worker "
            "imports the main script when the block function is defined there; put the "
            "script's calls under `if __name__ == \"__main__\":`, or pass executor=None and "
            "workers=1 (a worker killed for lack of memory ends the same way)"
        ) from err


#: the local pools of ``workers=N``, by (N, start method): started by the first run that
#: needs one, reused by the later ones (a new spawn process costs ~1.5 s of CPU: the imports
#: and loading the compiled kernels), ended by ``close_pools`` or at the interpreter's exit
_POOLS: dict = {}
_POOLS_LOCK = threading.Lock()


def _close(key):
    with _POOLS_LOCK:
        pool = _POOLS.pop(key, None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def close_pools() -> None:
    """End the worker processes that ``workers=N`` runs keep for the next run (e.g. to free
    their memory); a later run starts new ones."""
    for key in list(_POOLS):
        _close(key)


# ---------------------------------------------------------------------------------------
# Local processes under `spawn`, without re-running the caller's script
# ---------------------------------------------------------------------------------------

@contextlib.contextmanager
def _main_hidden():
    """Hide the caller's ``__main__`` while a worker process is launched, so that the
    ``spawn`` bootstrap does not re-run the caller's script in it (the script would start
    its own pool there, or fail: the usual reason for the ``__main__`` guard).  The blocks
    run package functions, which the worker imports by name."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


class _SpawnProcess(multiprocessing.context.SpawnProcess):
    @staticmethod
    def _Popen(process_obj):
        with _main_hidden():
            return multiprocessing.context.SpawnProcess._Popen(process_obj)


class _SpawnContext(multiprocessing.context.SpawnContext):
    Process = _SpawnProcess


def _spawn_context(block_fn):
    """The ``spawn`` context, hiding ``__main__`` unless the block function lives there
    (then the worker must import the script, and the script needs its guard)."""
    fn = block_fn.func if isinstance(block_fn, functools.partial) else block_fn
    if getattr(fn, "__module__", "__main__") == "__main__":
        return multiprocessing.get_context("spawn")
    return _SpawnContext()


# ---------------------------------------------------------------------------------------
# Checkpoints
# ---------------------------------------------------------------------------------------

class _Checkpoint:
    """The running total of one run, after its first ``blocks`` blocks, in one file."""

    def __init__(self, directory, block_fn, seed, trials):
        self.key = {
            "format": _CACHE_FORMAT,
            "block_fn": _fingerprint(block_fn),
            "seed": seed,
            "trials": trials,
            "BLOCK": BLOCK,
            "source": _source_digest(block_fn),
            "numpy": np.__version__,  # numpy does not promise the same streams across versions
        }
        digest = hashlib.sha256(repr(self.key).encode()).hexdigest()[:32]
        self.dir = pathlib.Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / f"run-{digest}.pkl"

    def load(self):
        """(blocks reduced, total) from the file, or (0, None) when there is none."""
        try:
            with open(self.path, "rb") as f:
                saved = pickle.load(f)
        except FileNotFoundError:
            return 0, None
        except Exception as err:  # a truncated or foreign file: start afresh, loudly
            warnings.warn(f"cache: ignoring unreadable checkpoint {self.path} ({err!r})", stacklevel=3)
            return 0, None
        if saved.get("key") != self.key:
            return 0, None
        return saved["blocks"], saved["total"]

    def save(self, blocks, total):
        # write a temporary file beside it, then rename: a reader sees the old or the new file
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-", suffix=".pkl")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump({"key": self.key, "blocks": blocks, "total": total}, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _fingerprint(obj):
    """A canonical, hashable description of a block function and its parameters."""
    if isinstance(obj, functools.partial):
        return ("partial", _fingerprint(obj.func), _fingerprint(obj.args), _fingerprint(obj.keywords))
    if callable(obj):  # a function, or a compiled one (a numba dispatcher): keyed by its name
        name = getattr(obj, "__qualname__", None)
        if not name or "<" in name or not getattr(obj, "__module__", None):  # a lambda, a local function
            raise ValueError(f"cache needs a module-level block function, got {name or obj!r}")
        return ("function", obj.__module__, name)
    if isinstance(obj, np.ndarray):
        a = np.ascontiguousarray(obj)
        return ("array", a.dtype.str, a.shape, hashlib.sha256(a.tobytes()).hexdigest())
    if isinstance(obj, (bool, int, float, complex, str, bytes, type(None), np.generic)):
        return (type(obj).__name__, repr(obj))
    if isinstance(obj, (tuple, list)):
        return (type(obj).__name__, tuple(_fingerprint(v) for v in obj))
    if isinstance(obj, dict):
        return ("dict", tuple(sorted((str(k), _fingerprint(v)) for k, v in obj.items())))
    raise ValueError(f"cache cannot key a block parameter of type {type(obj).__name__}")


def _source_digest(block_fn):
    """Package version and a digest of the package's source and of the block function's
    module: an edited kernel never reads back numbers made by the old one."""
    from . import __version__

    fn = block_fn.func if isinstance(block_fn, functools.partial) else block_fn
    files = sorted(pathlib.Path(__file__).parent.glob("*.py"))
    module_file = getattr(sys.modules.get(getattr(fn, "__module__", None)), "__file__", None)
    if module_file:
        files.append(pathlib.Path(module_file))
    return __version__, _digest_files(tuple(str(f) for f in files))


@functools.lru_cache(maxsize=8)
def _digest_files(files):
    h = hashlib.sha256()
    for f in files:
        h.update(pathlib.Path(f).read_bytes())
    return h.hexdigest()


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
