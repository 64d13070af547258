"""Benchmark: one epoch of an MLP 784-256-128-10 with Adam, nnlib against its peers.

The same network (ReLU, ReLU, softmax with categorical cross-entropy), the same data
(60,000 seeded synthetic samples of 784 float32 features, labels from a random linear
teacher so there is something to learn), batch 128, Adam with learning rate 1e-3,
float32, no shuffling, trained for one epoch by:

``nnlib``   ``Sequential([...]).compile("adam", "categorical_crossentropy").fit(...)``
``torch``   PyTorch on the CPU with ``torch.set_num_threads(os.cpu_count())``
``sklearn`` ``MLPClassifier(hidden_layer_sizes=(256, 128), batch_size=128, max_iter=1)``
``floor``   only the eight matrix products of each step (three forward, five backward)
            in NumPy, into preallocated outputs: no framework can do less work.
``in-place`` the whole network in NumPy with no temporary arrays: each product, bias,
            ReLU, softmax and Adam update written with ``out=`` into buffers made once
            (nnlib's arithmetic without its temporaries): the fastest this training gets
            in NumPy, one array operation at a time.

Each contender runs in its own subprocess, so its peak resident memory is its own,
and repeats the epoch a few times; the best time counts. Times are only compared as
ratios between contenders measured in the same run, never against a fixed number.

    python -m benchmarks.mlp                  # table + benchmarks/results/mlp.json
    python -m benchmarks.mlp --only torch     # one contender, in this process
    python -m benchmarks.mlp --profile        # where nnlib's time goes (cProfile)
    python -m benchmarks.mlp --backend cupy --batch-size 1024   # on a GPU machine
"""

from __future__ import annotations

import functools
import math
import os
import sys
import time
import warnings

import numpy as np

from benchmarks import common
from benchmarks.common import Skip, batches

SIZES = (784, 256, 128, 10)
LEARNING_RATE = 1e-3
EPSILON = 1e-7  # nnlib's cross-entropy clips probabilities to [EPSILON, 1] before the log
SEED = 0
CONTENDERS = ("nnlib", "torch", "sklearn", "floor", "in-place")
# (numerator, denominator, the most the ratio may be)
TARGETS = (("nnlib", "torch", 1.2), ("nnlib", "sklearn", 0.5), ("nnlib", "floor", 1.5))


# ----------------------------------------------------------------------------- data


def synthetic_data(n_samples: int, seed: int = SEED):
    """Features uniform in [0, 1) like scaled pixels; labels from a random linear teacher."""
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, SIZES[0]), dtype=np.float32)
    teacher = rng.standard_normal((SIZES[0], SIZES[-1])).astype(np.float32)
    teacher -= teacher.mean(axis=0)  # columns sum to 0: the mean pixel favours no class
    y = np.concatenate([np.argmax(X[lo:hi] @ teacher, axis=1) for lo, hi in batches(n_samples, 4096)])
    Y = np.zeros((n_samples, SIZES[-1]), dtype=np.float32)
    Y[np.arange(n_samples), y] = 1.0
    return X, Y, y


# ----------------------------------------------------------------------------- contenders
# Each returns (seconds for one epoch, mean training loss of that epoch or None).


def nnlib_model():
    """The benchmark's network in nnlib, compiled with Adam and categorical cross-entropy."""
    # Imported here, so that the other contenders' processes never load nnlib.
    from nnlib import Sequential
    from nnlib.layers import Dense

    model = Sequential([
        Dense(SIZES[1], activation="relu", input_shape=(SIZES[0],)),
        Dense(SIZES[2], activation="relu"),
        Dense(SIZES[3], activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def run_nnlib(X, Y, y, batch_size, backend):
    import nnlib

    if backend == "cupy":
        try:
            nnlib.set_backend("cupy")
        except (ImportError, RuntimeError) as reason:
            raise Skip(str(reason)) from None
        X, Y = nnlib.backend.asarray(X), nnlib.backend.asarray(Y)
    synchronize = _gpu_synchronizer(backend)
    model = nnlib_model()
    synchronize()
    start = time.perf_counter()
    history = model.fit(X, Y, epochs=1, batch_size=batch_size, shuffle=False, verbose=0)
    synchronize()
    return time.perf_counter() - start, float(history.history["loss"][-1])


def run_torch(X, Y, y, batch_size, backend):
    import torch

    torch.set_num_threads(os.cpu_count())
    device = "cpu"
    if backend == "cupy":
        if not torch.cuda.is_available():
            raise Skip(f"torch {torch.__version__} has no CUDA device here")
        device = "cuda"
    torch.manual_seed(SEED)
    model = torch.nn.Sequential(
        torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(),
        torch.nn.Linear(SIZES[1], SIZES[2]), torch.nn.ReLU(),
        torch.nn.Linear(SIZES[2], SIZES[3]),
    ).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + categorical cross-entropy, fused
    inputs = torch.from_numpy(X).to(device)
    targets = torch.from_numpy(y).to(device)
    synchronize = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    total = torch.zeros((), device=device)
    synchronize()
    start = time.perf_counter()
    for lo, hi in batches(len(X), batch_size):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(inputs[lo:hi]), targets[lo:hi])
        loss.backward()
        optimizer.step()
        total += loss.detach() * (hi - lo)
    synchronize()
    elapsed = time.perf_counter() - start
    return elapsed, float(total) / len(X)


def run_sklearn(X, Y, y, batch_size, backend):
    if backend == "cupy":
        raise Skip("scikit-learn runs on the CPU only")
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(
        hidden_layer_sizes=SIZES[1:-1], activation="relu", solver="adam",
        learning_rate_init=LEARNING_RATE, batch_size=batch_size, max_iter=1,
        shuffle=False, alpha=0.0, random_state=SEED,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(X, y)
        elapsed = time.perf_counter() - start
    return elapsed, float(model.loss_)


def run_floor(X, Y, y, batch_size, backend):
    """The matrix products of one epoch alone: forward X@W1, h1@W2, h2@W3; backward
    dW3 = h2.T@g3, g2 = g3@W3.T, dW2 = h1.T@g2, g1 = g2@W2.T, dW1 = X.T@g1."""
    xp, X = _array_module(backend, X)
    synchronize = _gpu_synchronizer(backend)
    W = _weights(xp)
    dW = [xp.empty_like(w) for w in W]

    def buffers(rows):
        return {
            "h": [xp.empty((rows, n), dtype=xp.float32) for n in SIZES[1:]],
            "g": [xp.full((rows, n), 0.01, dtype=xp.float32) for n in SIZES[1:]],
        }

    by_rows = {}
    synchronize()
    start = time.perf_counter()
    for lo, hi in batches(len(X), batch_size):
        buf = by_rows.get(hi - lo) or by_rows.setdefault(hi - lo, buffers(hi - lo))
        h, g, x = buf["h"], buf["g"], X[lo:hi]
        xp.matmul(x, W[0], out=h[0])
        xp.matmul(h[0], W[1], out=h[1])
        xp.matmul(h[1], W[2], out=h[2])
        xp.matmul(h[1].T, g[2], out=dW[2])
        xp.matmul(g[2], W[2].T, out=g[1])
        xp.matmul(h[0].T, g[1], out=dW[1])
        xp.matmul(g[1], W[1].T, out=g[0])
        xp.matmul(x.T, g[0], out=dW[0])
    synchronize()
    return time.perf_counter() - start, None


def run_in_place(X, Y, y, batch_size, backend):
    """One epoch of :class:`InPlaceMLP`, the network with no temporary arrays."""
    xp, X = _array_module(backend, X)
    Y = xp.asarray(Y)
    synchronize = _gpu_synchronizer(backend)
    network = InPlaceMLP(xp, _weights(xp), [xp.zeros(n, dtype=xp.float32) for n in SIZES[1:]])
    total = xp.zeros((), dtype=xp.float32)
    synchronize()
    start = time.perf_counter()
    for lo, hi in batches(len(X), batch_size):
        total += network.train_step(X[lo:hi], Y[lo:hi])
    synchronize()
    return time.perf_counter() - start, float(total) / len(X)


class InPlaceMLP:
    """The benchmark's network (Dense + ReLU, Dense + ReLU, Dense + softmax with categorical
    cross-entropy, Adam) as NumPy written for speed rather than for reading: every result
    goes with ``out=`` into a buffer made once per batch size, ReLU's 0/1 masks are kept
    from the forward pass, and Adam updates in place. It computes what nnlib's ``fit``
    computes, step for step (``tests/test_benchmarks.py`` checks it), so the distance
    between the two is the cost of nnlib's temporary arrays, and the distance from the
    floor is what NumPy's one-operation-at-a-time passes over memory cost on this machine.
    """

    def __init__(self, xp, weights, biases):
        self.xp, self.W, self.b = xp, list(weights), list(biases)
        self.dW = [xp.empty_like(W) for W in self.W]
        self.db = [xp.empty_like(b) for b in self.b]
        self.adam = InPlaceAdam(xp, [p.shape for p in self.W + self.b])
        self.by_rows = {}

    def buffers(self, rows):
        """Activations a, masks and dL/dz for a batch of ``rows`` samples, made on first use."""
        if rows not in self.by_rows:
            xp, widths = self.xp, [W.shape[1] for W in self.W]
            self.by_rows[rows] = {
                "a": [xp.empty((rows, n), dtype=xp.float32) for n in widths],
                "mask": [xp.empty((rows, n), dtype=xp.float32) for n in widths[:-1]],
                "dz": [xp.empty((rows, n), dtype=xp.float32) for n in widths],
                "row": xp.empty((rows, 1), dtype=xp.float32),
            }
        return self.by_rows[rows]

    def train_step(self, x, y):
        """One Adam step on a batch x with one-hot targets y; returns the batch's summed
        cross-entropy -sum(y log p) as a 0-d array (no device-to-host copy)."""
        xp, rows = self.xp, x.shape[0]
        buf = self.buffers(rows)
        a, mask, dz, row = buf["a"], buf["mask"], buf["dz"], buf["row"]
        inputs = [x, *a[:-1]]
        last = len(self.W) - 1
        for i in range(last + 1):
            xp.matmul(inputs[i], self.W[i], out=a[i])
            a[i] += self.b[i]
            if i < last:
                xp.greater(a[i], 0, out=mask[i])
                a[i] *= mask[i]
        p = a[last]
        # softmax along each row, shifted by the row's maximum so that exp cannot overflow
        xp.max(p, axis=1, keepdims=True, out=row)
        p -= row
        xp.exp(p, out=p)
        xp.sum(p, axis=1, keepdims=True, out=row)
        p /= row
        # the loss is computed in dz's buffer before dz = (p - y) / rows overwrites it
        loss_terms = dz[last]
        xp.maximum(p, EPSILON, out=loss_terms)
        xp.log(loss_terms, out=loss_terms)
        loss_terms *= y
        loss = -xp.sum(loss_terms)
        xp.subtract(p, y, out=dz[last])
        dz[last] *= 1 / rows
        for i in range(last, -1, -1):
            xp.matmul(inputs[i].T, dz[i], out=self.dW[i])
            xp.sum(dz[i], axis=0, out=self.db[i])
            if i > 0:
                xp.matmul(dz[i], self.W[i].T, out=dz[i - 1])
                dz[i - 1] *= mask[i - 1]
        self.adam.step(self.W + self.b, self.dW + self.db)
        return loss


class InPlaceAdam:
    """Adam with nnlib's formula and Keras's defaults, every operation written into a
    preallocated buffer: the optimizer's arithmetic and nothing else."""

    def __init__(self, xp, shapes, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.xp, self.beta_1, self.beta_2, self.epsilon, self.t = xp, beta_1, beta_2, epsilon, 0
        self.m, self.v, self.scratch = ([xp.zeros(shape, dtype=xp.float32) for shape in shapes] for _ in range(3))

    def step(self, weights, gradients):
        xp, b1, b2 = self.xp, self.beta_1, self.beta_2
        self.t += 1
        # A Python float: a NumPy float64 scalar would make every product below float64.
        lr_t = LEARNING_RATE * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for w, grad, m, v, scratch in zip(weights, gradients, self.m, self.v, self.scratch):
            m *= b1
            m += xp.multiply(grad, 1 - b1, out=scratch)
            v *= b2
            v += xp.multiply(xp.multiply(grad, grad, out=scratch), 1 - b2, out=scratch)
            xp.sqrt(v, out=scratch)
            scratch += self.epsilon
            w -= xp.multiply(xp.divide(m, scratch, out=scratch), lr_t, out=scratch)


def _weights(xp):
    """The three seeded weight matrices that the floor and the in-place network start from."""
    rng = np.random.default_rng(SEED)
    return [xp.asarray(rng.standard_normal((m, n), dtype=np.float32) * 0.05) for m, n in zip(SIZES, SIZES[1:])]


def _array_module(backend, X):
    """NumPy, or CuPy with X copied to the GPU."""
    if backend != "cupy":
        return np, X
    cupy = _cupy()
    return cupy, cupy.asarray(X)


RUNNERS = {"nnlib": run_nnlib, "torch": run_torch, "sklearn": run_sklearn, "floor": run_floor,
           "in-place": run_in_place}


def _cupy():
    """The CuPy module, or Skip saying why there is none to use."""
    try:
        import cupy
    except ImportError:
        raise Skip("CuPy is not installed (pip install 'nn-visually[gpu]')") from None
    if not cupy.is_available():
        raise Skip("CuPy is installed but finds no CUDA GPU")
    return cupy


def _gpu_synchronizer(backend):
    """A function that waits for the GPU to finish its queued work (a no-op on the CPU)."""
    if backend != "cupy":
        return lambda: None
    return _cupy().cuda.Device().synchronize


# ----------------------------------------------------------------------------- running


def measure(args) -> dict:
    """Run the contender ``args.only`` ``args.repeat`` times in this process."""
    run_epoch = functools.partial(RUNNERS[args.only], backend=args.backend)
    return common.measure_epochs(args.only, run_epoch, synthetic_data(args.samples), args.batch_size, args.repeat)


def run_all(args) -> dict:
    """Every contender, each in its own subprocess: the report for results/mlp[-BACKEND].json."""
    config = {
        "sizes": list(SIZES), "samples": args.samples, "batch_size": args.batch_size,
        "epochs": 1, "optimizer": "adam", "learning_rate": LEARNING_RATE, "dtype": "float32",
        "repeat": args.repeat, "rounds": args.rounds, "statistic": "best", "backend": args.backend,
    }
    options = ["--samples", str(args.samples), "--batch-size", str(args.batch_size),
               "--repeat", str(args.repeat), "--backend", args.backend]
    return common.run_all("mlp", args, config, TARGETS, options)


def format_table(report: dict) -> str:
    """The results table, under a line saying what was timed and where."""
    config = report["config"]
    title = (
        f"MLP {'-'.join(map(str, SIZES))}, Adam lr {LEARNING_RATE:g}, batch {config['batch_size']}, "
        f"float32, one epoch of {config['samples']:,} samples, best of {config['repeat'] * config['rounds']} "
        f"[{config['backend']}] on {report['machine']['cpu_count']} x {report['machine']['cpu_model']}"
    )
    return common.format_table(report, title, show_environment=True)


def profile_nnlib(args) -> None:
    """Where one nnlib epoch spends its time, after a warm-up of ten batches."""
    X, Y, y = synthetic_data(args.samples)
    warm_up = slice(0, args.batch_size * 10)
    run_nnlib(X[warm_up], Y[warm_up], y[warm_up], args.batch_size, args.backend)
    common.print_profile(lambda: run_nnlib(X, Y, y, args.batch_size, args.backend), 25)


def parse_args(argv=None):
    """The shared options, and the MLP's data size, batch, repeats and backend (unknown ones fail)."""
    parser = common.argument_parser("mlp", __doc__, CONTENDERS)
    parser.add_argument("--samples", type=int, default=60_000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--repeat", type=int, default=3, help="epochs timed per contender; the best counts")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the contenders this many times")
    parser.add_argument("--backend", choices=("numpy", "cupy"), default="numpy")
    common.add_output_arguments(parser, "mlp[-cupy].json")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Profile, time one contender, or time them all and write the results (see the module doc)."""
    return common.main(parse_args(argv), profile=profile_nnlib, measure=measure, run_all=run_all,
                       format_table=format_table)


if __name__ == "__main__":
    sys.exit(main())
