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
counts. The shared machinery (subprocesses, rounds, report, table, command line)
is in :mod:`benchmarks.common`.

    python -m benchmarks.cnn                  # table + benchmarks/results/cnn.json
    python -m benchmarks.cnn --only torch     # one contender, in this process
    python -m benchmarks.cnn --profile        # where nnlib's time goes (cProfile)
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from benchmarks import common
from benchmarks.common import batches

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


def nnlib_model():
    """The benchmark's network in nnlib, compiled with Adam and categorical cross-entropy."""
    # Imported here, so that the torch contender's process never loads nnlib.
    from nnlib import Sequential
    from nnlib.layers import Conv2D, Dense, Flatten, MaxPooling2D

    model = Sequential([
        Conv2D(8, (3, 3), activation="relu", input_shape=IMAGE), MaxPooling2D((2, 2)),
        Conv2D(16, (3, 3), activation="relu"), MaxPooling2D((2, 2)),
        Flatten(), Dense(CLASSES, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def run_nnlib(X, Y, y, batch_size):
    model = nnlib_model()
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


def measure(args) -> dict:
    """Run the contender ``args.only`` ``args.repeat`` times in this process."""
    return common.measure_epochs(args.only, RUNNERS[args.only], synthetic_data(args.samples), args.batch_size,
                                 args.repeat)


def run_all(args) -> dict:
    """Every contender, each in its own subprocess: the report for results/cnn.json."""
    config = {
        "architecture": ARCHITECTURE, "input_shape": list(IMAGE), "samples": args.samples,
        "batch_size": args.batch_size, "epochs": 1, "optimizer": "adam", "learning_rate": LEARNING_RATE,
        "dtype": "float32", "repeat": args.repeat, "rounds": args.rounds, "statistic": "best",
        "backend": "numpy",
    }
    options = ["--samples", str(args.samples), "--batch-size", str(args.batch_size), "--repeat", str(args.repeat)]
    return common.run_all("cnn", args, config, TARGETS, options)


def format_table(report: dict) -> str:
    """The results table, under a line saying what was timed and where."""
    config = report["config"]
    title = (f"CNN {ARCHITECTURE}, Adam lr {LEARNING_RATE:g}, batch {config['batch_size']}, float32, one epoch of "
             f"{config['samples']:,} 28x28x1 images, best of {config['repeat'] * config['rounds']} "
             f"on {report['machine']['cpu_count']} x {report['machine']['cpu_model']}")
    return common.format_table(report, title)


def profile_nnlib(args) -> None:
    """Where one nnlib epoch spends its time, after a warm-up of ten batches."""
    X, Y, y = synthetic_data(args.samples)
    warm_up = slice(0, args.batch_size * 10)
    run_nnlib(X[warm_up], Y[warm_up], y[warm_up], args.batch_size)
    common.print_profile(lambda: run_nnlib(X, Y, y, args.batch_size), 25)


def parse_args(argv=None):
    """The shared options, and the CNN's data size, batch and repeats; others (as ``python -m
    benchmarks`` passes the MLP's) are ignored."""
    parser = common.argument_parser("cnn", __doc__, CONTENDERS)
    parser.add_argument("--samples", type=int, default=60_000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3, help="epochs timed per contender; the best counts")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the contenders this many times")
    parser.add_argument("--backend", choices=("numpy",), default="numpy", help="CPU only")
    common.add_output_arguments(parser, "cnn.json")
    return parser.parse_known_args(argv)[0]


def main(argv=None) -> int:
    """Profile, time one contender, or time them all and write the results (see the module doc)."""
    return common.main(parse_args(argv), profile=profile_nnlib, measure=measure, run_all=run_all,
                       format_table=format_table)


if __name__ == "__main__":
    sys.exit(main())
