"""Benchmark: nnlib's training step from two source trees, timed in the same run.

Answers "is this change slower?" for the networks of :mod:`benchmarks.mlp` and
:mod:`benchmarks.cnn`: one Adam step (forward, loss, backward, update) on one batch of
their data, under the nnlib of an older tree and of a newer one::

    mkdir /tmp/old && git archive 913af28 nnlib | tar -x -C /tmp/old   # the engine to compare with
    python -m benchmarks.engines /tmp/old .                              # old tree, new tree

Each tree runs in its own Python, which imports nnlib from that tree and keeps both
networks ready. The rounds alternate which tree goes first; in each, each tree times
``--steps`` steps and keeps the fastest (what another process's burst of work cannot
lower), and the round gives the ratio new/old of the two. ``--pairs`` fresh pairs of
processes share the rounds: two processes running the same code can differ by several
percent through their memory layout alone (measured: 1.07 for the CNN, same nnlib in both).
The table shows, per network, the median of those ratios, their quartiles and a 95%
confidence interval of the median: under 1 means the new tree is faster. ``--clock cpu`` times the CPU the worker itself used (``time.process_time``) instead of the
wall clock: on a machine shared with other work, time spent waiting for a core then does not
count. (With several BLAS threads it counts each thread's time.)

The table also gives each tree's minor page faults per step. With glibc, a step that frees
several megabytes at the top of the heap hands them back to the system, and the next step
faults them in again, one 4 KB page at a time: a fifth of the CNN's step. How much of that a
tree pays depends on where its arrays happen to fall, which an unrelated change can move
(measured: 658, 756 and 821 faults per CNN step for three trees whose convolutions do the
same arithmetic). ``--steady-heap`` starts both workers with glibc told to keep freed memory
(``MALLOC_TRIM_THRESHOLD_`` and ``MALLOC_MMAP_THRESHOLD_``), which leaves the trees' own work.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

NETWORKS = ("mlp", "cnn")
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
# glibc's tunables for "keep what is freed": no trimming of the heap's top, and no separate
# mapping (faulted in afresh each time) for a large array. 1 GiB is above any array here.
STEADY_HEAP = {"MALLOC_TRIM_THRESHOLD_": str(2**30), "MALLOC_MMAP_THRESHOLD_": str(2**30)}


# ----------------------------------------------------------------------------- one tree (a worker)


def networks():
    """network name -> (model, x, y): the benchmark's model, compiled, and one batch of its data."""
    from benchmarks import cnn, mlp

    ready = {}
    for name, module, batch_size in (("mlp", mlp, 128), ("cnn", cnn, 64)):
        X, Y, _ = module.synthetic_data(batch_size)
        ready[name] = (module.nnlib_model(), X, Y)
    return ready


def minor_faults() -> int:
    """Page faults of this process so far that the kernel served without reading a disk."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def fastest_step(model, x, y, steps: int, clock=time.perf_counter) -> tuple[float, float]:
    """Seconds of the fastest of ``steps`` train steps, read on ``clock``, and the minor page
    faults per step over all of them."""
    times = []
    faults = minor_faults()
    for _ in range(steps):
        start = clock()
        model.train_step(x, y)
        times.append(clock() - start)
    return min(times), (minor_faults() - faults) / steps


def serve(tree: Path) -> None:
    """The worker: import nnlib from ``tree``, then answer each line "NETWORK STEPS CLOCK" on
    stdin with the fastest step's seconds and the page faults per step on stdout."""
    sys.path.insert(0, str(tree))
    import nnlib

    if Path(nnlib.__file__).resolve().parent != tree / "nnlib":
        raise SystemExit(f"nnlib was imported from {nnlib.__file__}, not from {tree}")
    ready = networks()
    for model, x, y in ready.values():
        fastest_step(model, x, y, 3)  # warm-up: the first steps allocate Adam's moments
    print("ready", flush=True)
    for line in sys.stdin:
        name, steps, clock = line.split()
        seconds, faults = fastest_step(*ready[name], int(steps), CLOCKS[clock])
        print(repr(seconds), repr(faults), flush=True)


# ----------------------------------------------------------------------------- both trees (the driver)


class Worker:
    """A Python serving one tree (see :func:`serve`)."""

    def __init__(self, tree: Path, environment: dict[str, str]):
        self.tree = tree
        command = [sys.executable, "-m", "benchmarks.engines", "--serve", str(tree)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        cwd=Path(__file__).parent.parent, env={**os.environ, **environment})
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the worker for {tree} did not start (its error is above)")

    def time(self, name: str, steps: int, clock: str) -> tuple[float, float]:
        """Seconds of the fastest of ``steps`` steps of network ``name``, and page faults per step."""
        self.process.stdin.write(f"{name} {steps} {clock}\n")
        self.process.stdin.flush()
        seconds, faults = self.process.stdout.readline().split()
        return float(seconds), float(faults)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def compare(old: Worker, new: Worker, rounds: int, steps: int, clock: str) -> list[tuple[str, float, float, float]]:
    """One row per round and network: (network, ratio new/old of the fastest of ``steps`` steps
    per tree, the old tree's page faults per step, the new tree's)."""
    rows = []
    for round_ in range(rounds):
        for name in NETWORKS:
            order = (old, new) if round_ % 2 == 0 else (new, old)
            timed = {worker: worker.time(name, steps, clock) for worker in order}
            rows.append((name, timed[new][0] / timed[old][0], timed[old][1], timed[new][1]))
    return rows


def summary(ratios: list[float]) -> str:
    """Median, quartiles and a 95% confidence interval of the median of the per-round ratios.

    The interval is distribution-free: the ratios ranked n/2 ± 1.96 sqrt(n)/2 from the smallest.

    >>> summary([0.9, 1.0, 1.1, 1.2, 1.0, 1.0, 0.95, 1.05])
    '1.000 (quartiles 0.988-1.062; 95% CI of the median 0.900-1.200)'
    """
    ranked = sorted(ratios)
    n = len(ranked)
    low, median, high = statistics.quantiles(ranked, n=4, method="inclusive")
    half = 1.96 * math.sqrt(n) / 2
    first, last = max(math.floor(n / 2 - half), 1), min(math.ceil(n / 2 + half + 1), n)  # ranks from 1
    return (f"{median:.3f} (quartiles {low:.3f}-{high:.3f}; "
            f"95% CI of the median {ranked[first - 1]:.3f}-{ranked[last - 1]:.3f})")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engines", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path, help="the older tree (a folder holding nnlib/)")
    parser.add_argument("new", type=Path, nargs="?", help="the newer tree (a folder holding nnlib/)")
    parser.add_argument("--rounds", type=int, default=40, help="rounds, alternating which tree goes first")
    parser.add_argument("--steps", type=int, default=5, help="steps per tree and round; the fastest counts")
    parser.add_argument("--clock", choices=CLOCKS, default="wall", help="wall time, or this process's CPU time")
    parser.add_argument("--pairs", type=int, default=4,
                        help="fresh pairs of worker processes, taking turns at the rounds")
    parser.add_argument("--steady-heap", action="store_true",
                        help="start both workers with glibc keeping freed memory (see above)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for tree in filter(None, (args.old, args.new)):
        if not (tree / "nnlib" / "__init__.py").is_file():
            parser.error(f"{tree} holds no nnlib package (nnlib/__init__.py)")
    if not args.serve and args.new is None:
        parser.error("give two trees: old and new")
    if args.rounds < 2 or args.steps < 1 or not 1 <= args.pairs <= args.rounds:
        parser.error("--rounds must be at least 2, --steps at least 1, --pairs from 1 to --rounds")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.serve:
        serve(args.old.resolve())
        return 0
    environment = STEADY_HEAP if args.steady_heap else {}
    rows = []
    for pair in range(args.pairs):
        # A process's memory layout alone can make it a few percent faster or slower than another
        # running the very same code, so each tree gets several processes, started in turn first.
        trees = (args.old.resolve(), args.new.resolve())
        started = {tree: Worker(tree, environment) for tree in (trees if pair % 2 == 0 else trees[::-1])}
        try:
            rounds = args.rounds // args.pairs + (pair < args.rounds % args.pairs)
            rows += compare(started[trees[0]], started[trees[1]], rounds, args.steps, args.clock)
        finally:
            for worker in started.values():
                worker.close()
    heap = ", glibc keeping freed memory" if args.steady_heap else ""
    print(f"train step {args.clock} time new/old over {args.rounds} rounds of the fastest of {args.steps} steps "
          f"each, {args.pairs} pairs of processes{heap}\nold {trees[0]}\nnew {trees[1]}")
    for name in NETWORKS:
        print(f"{name:4s} {summary([ratio for network, ratio, _, _ in rows if network == name])}")
    for name in NETWORKS:
        old, new = (statistics.mean(column) for column in zip(*(row[2:] for row in rows if row[0] == name)))
        print(f"{name:4s} page faults per step: old {old:.1f}, new {new:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
