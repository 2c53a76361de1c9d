"""A sweep on a local Dask cluster: Fig. 6 (Proposition 1) at three communication powers.

    python examples/dask_sweep.py                          # 2 local workers, results in ./dask-sweep
    python examples/dask_sweep.py --scheduler tcp://host:8786 --trials 1000000

Every Monte Carlo block of every point runs on the cluster's workers; the table is the same,
bit for bit, as that of a serial run with the same seed (block b of a run is seeded by
(seed, b) alone, and the blocks are reduced in block order).  Interrupted and started again
on the same directory, the sweep reads back the points already finished.
"""
import argparse

from coopisac import cluster, experiments

SPEC = {
    "experiment": "fig6",
    "seed": 1,
    "fixed": {"Mt_values": [2, 10]},
    "grid": {"p_c": [0.3, 0.5, 1.0]},
}

# Dask starts its workers with the `spawn` method, which imports this script in each of them:
# the guard keeps the workers from starting clusters of their own.
if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2, help="local Dask workers (default: 2)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler instead")
    parser.add_argument("--trials", type=int, default=100_000, help="Monte Carlo trials per point")
    parser.add_argument("--out", default="dask-sweep", help="output directory")
    args = parser.parse_args()

    workers = None if args.scheduler else args.workers
    with cluster.executor(workers=workers, scheduler=args.scheduler) as ex:
        table = experiments.sweep({**SPEC, "trials": args.trials}, args.out, mc={"executor": ex}, progress=False)
    print(f"table: {table}")
    print(table.read_text().splitlines()[0])
    print(f"{len(table.read_text().splitlines()) - 1} rows")
