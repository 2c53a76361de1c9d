"""Executors for the Monte Carlo engine: serial, a local Dask cluster, or an existing one.

Every Monte Carlo estimator of ``coopisac.simulation`` takes ``executor=``: any
``concurrent.futures``-style executor.  ``executor`` below makes one from a worker count or
a scheduler address (what the command line's ``--workers N`` / ``--scheduler ADDRESS``
give)::

    from coopisac import cluster, simulation

    if __name__ == "__main__":       # Dask starts its workers with `spawn`: the guard is needed
        with cluster.executor(workers=2) as ex:
            r = simulation.coverage(1.0, L=1, Mt=4, beta=4.0, p_c=1.0, trials=10**7, executor=ex)

The numbers do not depend on the deployment: block ``b`` is seeded by ``(seed, b)`` alone
and the blocks are reduced in block order (``coopisac._engine``), so one process, a local
cluster and a cluster that lost a worker mid-run (its blocks rerun elsewhere) agree bit for
bit.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor

from ._checks import check_int

__all__ = ["executor"]


@contextlib.contextmanager
def executor(workers: int | None = None, scheduler: str | None = None) -> Iterator[Executor | None]:
    """A context manager yielding the executor for ``simulation``'s ``executor=``.

    - ``workers=None, scheduler=None``: yields None (the blocks run serially in this process);
    - ``workers=N``: starts a local Dask cluster of N worker processes with one thread each
      (the blocks are numpy code holding the GIL) and yields its client's executor; the
      cluster is closed on exit;
    - ``scheduler="tcp://host:port"``: joins the running Dask cluster of that scheduler (e.g.
      started with ``dask scheduler`` and ``dask worker tcp://host:port``); on exit only this
      client disconnects.  The workers need ``coopisac`` (the same version) importable.

    A script that starts a local cluster needs the ``if __name__ == "__main__":`` guard (Dask
    starts its workers with the ``spawn`` method, which re-imports the main script).
    """
    if workers is not None and scheduler is not None:
        raise ValueError(f"give workers or scheduler, not both; got workers={workers!r}, scheduler={scheduler!r}")
    if workers is None and scheduler is None:
        yield None
        return
    from dask.distributed import Client, LocalCluster  # imported on demand: Dask is slow to import

    if scheduler is not None:
        if not isinstance(scheduler, str) or not scheduler:
            raise ValueError(f"scheduler must be a Dask scheduler address such as 'tcp://host:8786', got {scheduler!r}")
        with Client(scheduler) as client:
            yield client.get_executor()
        return
    workers = check_int("workers", workers, minimum=1)
    # the scheduler's HTTP server (dashboard, health) on a free port: the usual 8787 may be taken,
    # and Dask would say so on stderr.  Dask's statistical profiler, which samples every worker
    # thread each 10 ms (about half of an idle worker's CPU), is off in the workers (and in any
    # that replaces a lost one): the cores are the blocks'
    no_profiler = {"distributed.worker.profile.enabled": False}
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      config=no_profiler) as local:
        with Client(local) as client:
            yield client.get_executor()
