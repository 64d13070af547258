"""Benchmark: an LSTM layer's forward and backward pass, nnlib against PyTorch on the CPU.

One LSTM layer, 16 input features, 64 units, sequences of 100 steps, batch 32, float32,
last hidden state out (``return_sequences=False``). One timed step is a forward pass
and a backward pass (backpropagation through time, input and parameter gradients) for
a fixed upstream gradient; no optimizer. Contenders:

``nnlib``   ``nnlib.layers.LSTM(64)``: ``forward(x)`` then ``backward(grad)``
``torch``   ``torch.nn.LSTM(16, 64, batch_first=True)`` on the CPU with
            ``torch.set_num_threads(os.cpu_count())``: ``out[:, -1]``, then
            ``backward(grad)`` on it (PyTorch's own fused CPU kernels)

Each contender runs in its own subprocess and times ``--steps`` steps ``--repeat``
times; the best time per step counts, in ``--rounds`` alternating rounds because the
machine may be shared. Times are compared only as ratios measured in the same run.

    python -m benchmarks.lstm                 # table + benchmarks/results/lstm.json
    python -m benchmarks.lstm --only nnlib    # one contender, in this process
    python -m benchmarks.lstm --profile       # where nnlib's time goes (cProfile)
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from benchmarks import common
from benchmarks.common import Skip

FEATURES, UNITS, STEPS, BATCH = 16, 64, 100, 32
SEED = 0
CONTENDERS = ("nnlib", "torch")
TARGETS = (("nnlib", "torch", 3.0),)  # (numerator, denominator, the most the ratio may be)
TABLE_HEADER = f"{'contender':<10} {'best ms':>8} {'median ms':>10} {'peak RSS MiB':>13}"


def data(seed: int = SEED):
    """A seeded batch of input sequences and the upstream gradient of the last hidden state."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, STEPS, FEATURES), dtype=np.float32)
    grad = rng.standard_normal((BATCH, UNITS), dtype=np.float32) / BATCH
    return x, grad


# Each runner returns a function doing one forward + backward step, and the gradient norm it gives.


def setup_nnlib(x, grad):
    from nnlib import backend
    from nnlib.layers import LSTM

    layer = LSTM(UNITS)
    layer.build((STEPS, FEATURES), np.random.default_rng(SEED))
    x, grad = backend.asarray(x), backend.asarray(grad)

    def step():
        layer.forward(x, training=True)
        return layer.backward(grad)

    return step


def setup_torch(x, grad):
    try:
        import torch
    except ImportError:
        raise Skip("PyTorch is not installed (pip install 'nn-visually[bench]')") from None
    torch.set_num_threads(os.cpu_count())
    torch.manual_seed(SEED)
    layer = torch.nn.LSTM(FEATURES, UNITS, batch_first=True)
    inputs = torch.from_numpy(x).requires_grad_(True)
    upstream = torch.from_numpy(grad)

    def step():
        inputs.grad = None
        layer.zero_grad(set_to_none=True)
        out, _ = layer(inputs)
        out[:, -1].backward(upstream)
        return inputs.grad

    return step


SETUPS = {"nnlib": setup_nnlib, "torch": setup_torch}


def measure(args) -> dict:
    """Time ``args.steps`` forward+backward steps ``args.repeat`` times in this process."""
    name = args.only
    x, grad = data()
    try:
        step = SETUPS[name](x, grad)
    except (Skip, ImportError) as reason:
        return {"name": name, "skipped": str(reason)}
    for _ in range(3):  # warm up: load libraries, start threads
        step()
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        times.append((time.perf_counter() - start) / args.steps)
    return common.timing_result(name, times, final_loss=None)


def run_all(args) -> dict:
    """Every contender, each in its own subprocess: the report for results/lstm.json."""
    config = {
        "features": FEATURES, "units": UNITS, "time_steps": STEPS, "batch_size": BATCH,
        "pass": "forward + backward", "return_sequences": False, "dtype": "float32",
        "steps_per_timing": args.steps, "repeat": args.repeat, "rounds": args.rounds,
        "statistic": "best", "backend": "numpy",
    }
    options = ["--steps", str(args.steps), "--repeat", str(args.repeat)]
    return common.run_all("lstm", args, config, TARGETS, options)


def format_table(report: dict) -> str:
    """The results table in milliseconds per step, under a line saying what was timed and where."""
    config = report["config"]
    title = (
        f"LSTM {config['features']} -> {config['units']}, {config['time_steps']} steps, batch "
        f"{config['batch_size']}, float32, forward + backward, best of "
        f"{config['repeat'] * config['rounds']} x {config['steps_per_timing']} steps "
        f"on {report['machine']['cpu_count']} x {report['machine']['cpu_model']}"
    )
    return common.format_table(report, title, TABLE_HEADER, milliseconds_columns)


def milliseconds_columns(result: dict) -> str:
    """A contender's columns under ``TABLE_HEADER``: best and median milliseconds per step, memory."""
    return f"{result['best_s'] * 1e3:>8.2f} {result['median_s'] * 1e3:>10.2f} {result['peak_rss_mib']:>13.0f}"


def profile_nnlib(args) -> None:
    """Where ``args.steps`` of nnlib's forward+backward steps spend their time, after one warm-up step."""
    step = setup_nnlib(*data())
    step()

    def steps():
        for _ in range(args.steps):
            step()

    common.print_profile(steps, 20)


def parse_args(argv=None):
    """The shared options, and the LSTM's steps and repeats; others (as ``python -m benchmarks``
    passes the MLP's) are ignored."""
    parser = common.argument_parser("lstm", __doc__, CONTENDERS)
    parser.add_argument("--steps", type=int, default=10, help="forward+backward steps per timing")
    parser.add_argument("--repeat", type=int, default=5, help="timings per contender and round; the best counts")
    parser.add_argument("--rounds", type=int, default=3, help="alternate the contenders this many times")
    common.add_output_arguments(parser, "lstm.json")
    # Accepted so that ``python -m benchmarks`` can pass the MLP's arguments to every benchmark.
    parser.add_argument("--backend", default="numpy", help=argparse.SUPPRESS)
    return parser.parse_known_args(argv)[0]


def main(argv=None) -> int:
    """Profile, time one contender, or time them all and write the results (see the module doc)."""
    return common.main(parse_args(argv), profile=profile_nnlib, measure=measure, run_all=run_all,
                       format_table=format_table)


if __name__ == "__main__":
    sys.exit(main())
