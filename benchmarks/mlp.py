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

Each contender runs in its own subprocess, so its peak resident memory is its own,
and repeats the epoch a few times; the best time counts. Times are only compared as
ratios between contenders measured in the same run, never against a fixed number.

    python -m benchmarks.mlp                  # table + benchmarks/results/mlp.json
    python -m benchmarks.mlp --only torch     # one contender, in this process
    python -m benchmarks.mlp --profile        # where nnlib's time goes (cProfile)
    python -m benchmarks.mlp --backend cupy --batch-size 1024   # on a GPU machine
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

SIZES = (784, 256, 128, 10)
LEARNING_RATE = 1e-3
SEED = 0
CONTENDERS = ("nnlib", "torch", "sklearn", "floor")
# (numerator, denominator, the most the ratio may be)
TARGETS = (("nnlib", "torch", 1.2), ("nnlib", "sklearn", 0.5), ("nnlib", "floor", 1.5))
RESULTS_DIR = Path(__file__).parent / "results"


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


def batches(n_samples: int, batch_size: int):
    """Consecutive (start, stop) slices, the last one possibly short, as every contender uses."""
    return [(start, min(start + batch_size, n_samples)) for start in range(0, n_samples, batch_size)]


# ----------------------------------------------------------------------------- contenders
# Each returns (seconds for one epoch, mean training loss of that epoch or None).


def run_nnlib(X, Y, y, batch_size, backend):
    import nnlib
    from nnlib import Sequential
    from nnlib.layers import Dense

    if backend == "cupy":
        try:
            nnlib.set_backend("cupy")
        except (ImportError, RuntimeError) as reason:
            raise Skip(str(reason)) from None
        X, Y = nnlib.backend.asarray(X), nnlib.backend.asarray(Y)
    synchronize = _gpu_synchronizer(backend)
    model = Sequential([
        Dense(SIZES[1], activation="relu", input_shape=(SIZES[0],)),
        Dense(SIZES[2], activation="relu"),
        Dense(SIZES[3], activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
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
    xp = np
    synchronize = _gpu_synchronizer(backend)
    if backend == "cupy":
        xp = _cupy()
        X = xp.asarray(X)
    rng = np.random.default_rng(SEED)
    W = [xp.asarray(rng.standard_normal((m, n), dtype=np.float32) * 0.05) for m, n in zip(SIZES, SIZES[1:])]
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


RUNNERS = {"nnlib": run_nnlib, "torch": run_torch, "sklearn": run_sklearn, "floor": run_floor}


class Skip(Exception):
    """A contender that cannot run here (a missing package or device); the message says why."""


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


# ----------------------------------------------------------------------------- one contender


def measure(name: str, n_samples: int, batch_size: int, repeat: int, backend: str) -> dict:
    """Run one contender ``repeat`` times in this process and describe what happened."""
    X, Y, y = synthetic_data(n_samples)
    times, losses = [], []
    warm_up = slice(0, min(n_samples, 20 * batch_size))  # load libraries, start threads: untimed
    try:
        RUNNERS[name](X[warm_up], Y[warm_up], y[warm_up], batch_size, backend)
        for _ in range(repeat):
            seconds, loss = RUNNERS[name](X, Y, y, batch_size, backend)
            times.append(seconds)
            losses.append(loss)
    except (Skip, ImportError) as reason:
        return {"name": name, "skipped": str(reason)}
    return {
        "name": name,
        "times_s": times,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "final_loss": losses[-1],
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "thread_pools": thread_pools(),
    }


def thread_pools() -> list[dict]:
    """The BLAS and OpenMP libraries loaded in this process, with the kernel each uses."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"note": "threadpoolctl is not installed (pip install 'nn-visually[bench]')"}]
    keep = ("user_api", "internal_api", "version", "architecture", "num_threads", "threading_layer", "filepath")
    return [{key: info[key] for key in keep if key in info} for info in threadpool_info()]


def measure_in_subprocess(name: str, args, module: str = "benchmarks.mlp") -> dict:
    """Run one contender in a fresh Python, so its peak memory is its own."""
    command = [
        sys.executable, "-m", module, "--only", name, "--json",
        "--samples", str(args.samples), "--batch-size", str(args.batch_size),
        "--repeat", str(args.repeat), "--backend", args.backend,
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return {"name": name, "skipped": "failed: " + " | ".join(tail)}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- report


def machine() -> dict:
    info = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
    }
    try:
        import cupy

        if cupy.is_available():
            info["gpu"] = cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
    except Exception:  # no CuPy, or no GPU: a CPU machine
        pass
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("numpy", "torch", "scikit-learn", "cupy-cuda12x", "threadpoolctl"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent)
    found["nnlib_commit"] = commit.stdout.strip() if commit.returncode == 0 else None
    return found


def ratios(results: dict) -> list[dict]:
    rows = []
    for top, bottom, target in TARGETS:
        a, b = results.get(top, {}), results.get(bottom, {})
        if "best_s" not in a or "best_s" not in b:
            continue
        ratio = a["best_s"] / b["best_s"]
        rows.append({"ratio": f"{top}/{bottom}", "measured": ratio, "target_at_most": target, "met": ratio <= target})
    return rows


def blas_summary(results: dict) -> list[str]:
    """One line per BLAS library seen, naming the kernel (OpenBLAS's 'architecture')."""
    lines, seen = [], set()
    for result in results.values():
        for pool in result.get("thread_pools", []):
            if pool.get("user_api") != "blas":
                continue
            key = (pool.get("internal_api"), pool.get("version"), pool.get("architecture"), pool.get("filepath"))
            if key in seen:
                continue
            seen.add(key)
            lines.append(
                f"{pool.get('internal_api')} {pool.get('version')}, kernel {pool.get('architecture', '?')}, "
                f"{pool.get('num_threads')} threads ({Path(pool.get('filepath', '?')).name})"
            )
    return lines


def format_table(report: dict) -> str:
    config = report["config"]
    out = [
        f"MLP {'-'.join(map(str, SIZES))}, Adam lr {LEARNING_RATE:g}, batch {config['batch_size']}, "
        f"float32, one epoch of {config['samples']:,} samples, best of {config['repeat'] * config['rounds']} "
        f"[{config['backend']}] on {report['machine']['cpu_count']} x {report['machine']['cpu_model']}",
        "",
        f"{'contender':<10} {'best s':>8} {'median s':>9} {'peak RSS MiB':>13} {'loss':>7}",
    ]
    for name, result in report["results"].items():
        if "skipped" in result:
            out.append(f"{name:<10} skipped: {result['skipped']}")
            continue
        loss = "" if result["final_loss"] is None else f"{result['final_loss']:.3f}"
        out.append(
            f"{name:<10} {result['best_s']:>8.3f} {result['median_s']:>9.3f} "
            f"{result['peak_rss_mib']:>13.0f} {loss:>7}"
        )
    out += ["", f"{'ratio':<16} {'measured':>9} {'target':>9}  met"]
    for row in report["ratios"]:
        out.append(
            f"{row['ratio']:<16} {row['measured']:>8.2f}x {'<= ' + format(row['target_at_most'], '.1f') + 'x':>9}  "
            f"{'yes' if row['met'] else 'NO'}"
        )
    out.append("")
    busy = busy_warning(report)
    if busy:
        out.append(busy)
    env = {k: v for k, v in report["environment"].items() if v is not None}
    out.append("BLAS: " + ("; ".join(report["blas"]) or "no BLAS library reported"))
    if env:
        out.append("set in the environment: " + ", ".join(f"{k}={v}" for k, v in env.items()))
    return "\n".join(out)


def busy_warning(report: dict) -> str | None:
    """A warning when other work shared the CPUs: a 1-minute load above half the cores."""
    cores = report["machine"]["cpu_count"] or 1
    peak = max(report["load_average"]["before"][0], report["load_average"]["after"][0])
    if peak <= cores / 2:
        return None
    return (f"WARNING: the machine was busy (load average up to {peak:.1f} on {cores} cores); "
            f"these times are unreliable, rerun on an idle machine")


def run_all(args) -> dict:
    """Measure every contender, in ``args.rounds`` alternating rounds, so a slow spell on a
    shared machine does not fall on one contender only; the best time over all rounds counts."""
    results = {}
    load_before = os.getloadavg()
    for round_ in range(args.rounds):
        for name in args.contenders:
            print(f"round {round_ + 1}/{args.rounds}: {name} ...", file=sys.stderr, flush=True)
            results[name] = merge(results.get(name), measure_in_subprocess(name, args))
    return {
        "benchmark": "mlp",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "config": {
            "sizes": list(SIZES), "samples": args.samples, "batch_size": args.batch_size,
            "epochs": 1, "optimizer": "adam", "learning_rate": LEARNING_RATE, "dtype": "float32",
            "repeat": args.repeat, "rounds": args.rounds, "statistic": "best", "backend": args.backend,
        },
        "machine": machine(),
        "versions": versions(),
        "environment": {key: os.environ.get(key) for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
        "load_average": {"before": list(load_before), "after": list(os.getloadavg())},
        "blas": blas_summary(results),
        "results": results,
        "ratios": ratios(results),
    }


def merge(earlier: dict | None, later: dict) -> dict:
    """Pool the epochs of two rounds of one contender."""
    if earlier is None or "skipped" in earlier:
        return later
    if "skipped" in later:
        return earlier
    times = earlier["times_s"] + later["times_s"]
    return {
        **later,
        "times_s": times,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "peak_rss_mib": max(earlier["peak_rss_mib"], later["peak_rss_mib"]),
    }


def profile_nnlib(args) -> None:
    import cProfile
    import pstats

    X, Y, y = synthetic_data(args.samples)
    run_nnlib(X[: args.batch_size * 10], Y[: args.batch_size * 10], y, args.batch_size, args.backend)  # warm up
    profiler = cProfile.Profile()
    profiler.enable()
    run_nnlib(X, Y, y, args.batch_size, args.backend)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mlp", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=CONTENDERS, help="run one contender in this process")
    parser.add_argument("--contenders", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument("--samples", type=int, default=60_000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--repeat", type=int, default=3, help="epochs timed per contender; the best counts")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the contenders this many times")
    parser.add_argument("--backend", choices=("numpy", "cupy"), default="numpy")
    parser.add_argument("--json", action="store_true", help="with --only: print the result as JSON")
    parser.add_argument("--output", type=Path, help="results file (default benchmarks/results/mlp[-cupy].json)")
    parser.add_argument("--no-save", action="store_true", help="print the table, write no results file")
    parser.add_argument("--profile", action="store_true", help="profile one nnlib epoch with cProfile")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.profile:
        profile_nnlib(args)
        return 0
    if args.only:
        result = measure(args.only, args.samples, args.batch_size, args.repeat, args.backend)
        print(json.dumps(result) if args.json else json.dumps(result, indent=2))
        return 0
    report = run_all(args)
    print(format_table(report))
    if not args.no_save:
        suffix = "" if args.backend == "numpy" else f"-{args.backend}"
        output = args.output or RESULTS_DIR / f"mlp{suffix}.json"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
