"""Benchmark: one epoch of a small CNN with Adam, nnlib against PyTorch on the CPU.

The same network in both: 3x3 conv, 8 filters, ReLU -> 2x2 max-pool -> 3x3 conv,
16 filters, ReLU -> 2x2 max-pool -> flatten -> dense 10, softmax with categorical
cross-entropy; the same data (60,000 seeded synthetic 28x28x1 images in [0, 1),
labels from a random linear teacher), batch 64, Adam with learning rate 1e-3,
float32, no shuffling, one epoch:

``nnlib``   ``Sequential([Conv2D, MaxPooling2D, Conv2D, MaxPooling2D, Flatten, Dense]).fit(...)``
``torch``   PyTorch on the CPU, channels-first (its native layout), with
            ``torch.set_num_threads(OMP_NUM_THREADS or os.cpu_count())``; set OMP_NUM_THREADS and
            OPENBLAS_NUM_THREADS together to give both contenders the same threads.

Each contender runs in its own subprocess and repeats the epoch; the best time
counts. The shared machinery (machine description, BLAS report, merging rounds)
is :mod:`benchmarks.mlp`'s.

    python -m benchmarks.cnn                  # table + benchmarks/results/cnn.json
    python -m benchmarks.cnn --only torch     # one contender, in this process
    python -m benchmarks.cnn --profile        # where nnlib's time goes (cProfile)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.mlp import (RESULTS_DIR, Skip, batches, blas_summary, busy_warning, machine, measure_in_subprocess,
                            merge, thread_pools, versions)

IMAGE = (28, 28, 1)
CLASSES = 10
LEARNING_RATE = 1e-3
SEED = 0
CONTENDERS = ("nnlib", "torch")
TARGETS = (("nnlib", "torch", 2.0),)  # (numerator, denominator, the most the ratio may be)
ARCHITECTURE = "conv3x3x8-relu, maxpool2, conv3x3x16-relu, maxpool2, flatten, dense10-softmax"


def synthetic_data(n_samples: int, seed: int = SEED):
    """Pixels uniform in [0, 1); labels from a random linear teacher on the flattened image."""
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples,) + IMAGE, dtype=np.float32)
    teacher = rng.standard_normal((int(np.prod(IMAGE)), CLASSES)).astype(np.float32)
    teacher -= teacher.mean(axis=0)
    flat = X.reshape(n_samples, -1)
    y = np.concatenate([np.argmax(flat[lo:hi] @ teacher, axis=1) for lo, hi in batches(n_samples, 4096)])
    Y = np.zeros((n_samples, CLASSES), dtype=np.float32)
    Y[np.arange(n_samples), y] = 1.0
    return X, Y, y


def run_nnlib(X, Y, y, batch_size):
    from nnlib import Sequential
    from nnlib.layers import Conv2D, Dense, Flatten, MaxPooling2D

    model = Sequential([
        Conv2D(8, (3, 3), activation="relu", input_shape=IMAGE), MaxPooling2D((2, 2)),
        Conv2D(16, (3, 3), activation="relu"), MaxPooling2D((2, 2)),
        Flatten(), Dense(CLASSES, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    start = time.perf_counter()
    history = model.fit(X, Y, epochs=1, batch_size=batch_size, shuffle=False, verbose=0)
    return time.perf_counter() - start, float(history.history["loss"][-1])


def run_torch(X, Y, y, batch_size):
    import torch

    # The same number of threads as nnlib's BLAS: OMP_NUM_THREADS if set, else every core.
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count()))
    torch.manual_seed(SEED)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16 * 5 * 5, CLASSES),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.CrossEntropyLoss()
    inputs = torch.from_numpy(np.ascontiguousarray(X.transpose(0, 3, 1, 2)))
    targets = torch.from_numpy(y)
    total = torch.zeros(())
    start = time.perf_counter()
    for lo, hi in batches(len(X), batch_size):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(inputs[lo:hi]), targets[lo:hi])
        loss.backward()
        optimizer.step()
        total += loss.detach() * (hi - lo)
    return time.perf_counter() - start, float(total) / len(X)


RUNNERS = {"nnlib": run_nnlib, "torch": run_torch}


def measure(name: str, n_samples: int, batch_size: int, repeat: int) -> dict:
    """Run one contender ``repeat`` times in this process (after an untimed warm-up)."""
    X, Y, y = synthetic_data(n_samples)
    warm_up = slice(0, min(n_samples, 20 * batch_size))
    times, losses = [], []
    try:
        RUNNERS[name](X[warm_up], Y[warm_up], y[warm_up], batch_size)
        for _ in range(repeat):
            seconds, loss = RUNNERS[name](X, Y, y, batch_size)
            times.append(seconds)
            losses.append(loss)
    except (Skip, ImportError) as reason:
        return {"name": name, "skipped": str(reason)}
    return {"name": name, "times_s": times, "best_s": min(times), "median_s": statistics.median(times),
            "final_loss": losses[-1], "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "thread_pools": thread_pools()}


def ratios(results: dict) -> list[dict]:
    rows = []
    for top, bottom, target in TARGETS:
        a, b = results.get(top, {}), results.get(bottom, {})
        if "best_s" in a and "best_s" in b:
            ratio = a["best_s"] / b["best_s"]
            rows.append({"ratio": f"{top}/{bottom}", "measured": ratio, "target_at_most": target,
                         "met": ratio <= target})
    return rows


def run_all(args) -> dict:
    results = {}
    load_before = os.getloadavg()
    args.backend = "numpy"  # measure_in_subprocess passes it on; this benchmark is CPU only
    for round_ in range(args.rounds):
        for name in args.contenders:
            print(f"round {round_ + 1}/{args.rounds}: {name} ...", file=sys.stderr, flush=True)
            results[name] = merge(results.get(name), measure_in_subprocess(name, args, module="benchmarks.cnn"))
    return {
        "benchmark": "cnn",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "config": {
            "architecture": ARCHITECTURE, "input_shape": list(IMAGE), "samples": args.samples,
            "batch_size": args.batch_size, "epochs": 1, "optimizer": "adam", "learning_rate": LEARNING_RATE,
            "dtype": "float32", "repeat": args.repeat, "rounds": args.rounds, "statistic": "best",
            "backend": "numpy",
        },
        "machine": machine(),
        "versions": versions(),
        "environment": {key: os.environ.get(key) for key in
                        ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
        "load_average": {"before": list(load_before), "after": list(os.getloadavg())},
        "blas": blas_summary(results),
        "results": results,
        "ratios": ratios(results),
    }


def format_table(report: dict) -> str:
    config = report["config"]
    out = [f"CNN {ARCHITECTURE}, Adam lr {LEARNING_RATE:g}, batch {config['batch_size']}, float32, one epoch of "
           f"{config['samples']:,} 28x28x1 images, best of {config['repeat'] * config['rounds']} "
           f"on {report['machine']['cpu_count']} x {report['machine']['cpu_model']}", "",
           f"{'contender':<10} {'best s':>8} {'median s':>9} {'peak RSS MiB':>13} {'loss':>7}"]
    for name, result in report["results"].items():
        if "skipped" in result:
            out.append(f"{name:<10} skipped: {result['skipped']}")
            continue
        out.append(f"{name:<10} {result['best_s']:>8.3f} {result['median_s']:>9.3f} "
                   f"{result['peak_rss_mib']:>13.0f} {result['final_loss']:>7.3f}")
    out += ["", f"{'ratio':<16} {'measured':>9} {'target':>9}  met"]
    for row in report["ratios"]:
        out.append(f"{row['ratio']:<16} {row['measured']:>8.2f}x {'<= ' + format(row['target_at_most'], '.1f') + 'x':>9}"
                   f"  {'yes' if row['met'] else 'NO'}")
    busy = busy_warning(report)
    if busy:
        out += ["", busy]
    out.append("BLAS: " + ("; ".join(report["blas"]) or "no BLAS library reported"))
    return "\n".join(out)


def profile_nnlib(args) -> None:
    import cProfile
    import pstats

    X, Y, y = synthetic_data(args.samples)
    run_nnlib(X[: args.batch_size * 10], Y[: args.batch_size * 10], y, args.batch_size)  # warm up
    profiler = cProfile.Profile()
    profiler.enable()
    run_nnlib(X, Y, y, args.batch_size)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cnn", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=CONTENDERS, help="run one contender in this process")
    parser.add_argument("--contenders", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument("--samples", type=int, default=60_000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3, help="epochs timed per contender; the best counts")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the contenders this many times")
    parser.add_argument("--backend", choices=("numpy",), default="numpy", help="CPU only")
    parser.add_argument("--json", action="store_true", help="with --only: print the result as JSON")
    parser.add_argument("--output", type=Path, help="results file (default benchmarks/results/cnn.json)")
    parser.add_argument("--no-save", action="store_true", help="print the table, write no results file")
    parser.add_argument("--profile", action="store_true", help="profile one nnlib epoch with cProfile")
    return parser.parse_known_args(argv)[0]


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.profile:
        profile_nnlib(args)
        return 0
    if args.only:
        result = measure(args.only, args.samples, args.batch_size, args.repeat)
        print(json.dumps(result) if args.json else json.dumps(result, indent=2))
        return 0
    report = run_all(args)
    print(format_table(report))
    if not args.no_save:
        output = args.output or RESULTS_DIR / "cnn.json"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
