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
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.mlp import Skip, blas_summary, busy_warning, machine, merge, thread_pools, versions

FEATURES, UNITS, STEPS, BATCH = 16, 64, 100, 32
SEED = 0
CONTENDERS = ("nnlib", "torch")
TARGETS = (("nnlib", "torch", 3.0),)  # (numerator, denominator, the most the ratio may be)
RESULTS_DIR = Path(__file__).parent / "results"


def data(seed: int = SEED):
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


def measure(name: str, steps: int, repeat: int) -> dict:
    """Time ``steps`` forward+backward steps ``repeat`` times in this process."""
    x, grad = data()
    try:
        step = SETUPS[name](x, grad)
    except (Skip, ImportError) as reason:
        return {"name": name, "skipped": str(reason)}
    for _ in range(3):  # warm up: load libraries, start threads
        step()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - start) / steps)
    return {
        "name": name,
        "times_s": times,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "final_loss": None,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "thread_pools": thread_pools(),
    }


def measure_in_subprocess(name: str, args) -> dict:
    command = [sys.executable, "-m", "benchmarks.lstm", "--only", name, "--json",
               "--steps", str(args.steps), "--repeat", str(args.repeat)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return {"name": name, "skipped": "failed: " + " | ".join(tail)}
    return json.loads(done.stdout.strip().splitlines()[-1])


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
    for round_ in range(args.rounds):
        for name in args.contenders:
            print(f"round {round_ + 1}/{args.rounds}: {name} ...", file=sys.stderr, flush=True)
            results[name] = merge(results.get(name), measure_in_subprocess(name, args))
    return {
        "benchmark": "lstm",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "config": {
            "features": FEATURES, "units": UNITS, "time_steps": STEPS, "batch_size": BATCH,
            "pass": "forward + backward", "return_sequences": False, "dtype": "float32",
            "steps_per_timing": args.steps, "repeat": args.repeat, "rounds": args.rounds,
            "statistic": "best", "backend": "numpy",
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
    out = [
        f"LSTM {config['features']} -> {config['units']}, {config['time_steps']} steps, batch "
        f"{config['batch_size']}, float32, forward + backward, best of "
        f"{config['repeat'] * config['rounds']} x {config['steps_per_timing']} steps "
        f"on {report['machine']['cpu_count']} x {report['machine']['cpu_model']}",
        "",
        f"{'contender':<10} {'best ms':>8} {'median ms':>10} {'peak RSS MiB':>13}",
    ]
    for name, result in report["results"].items():
        if "skipped" in result:
            out.append(f"{name:<10} skipped: {result['skipped']}")
            continue
        out.append(f"{name:<10} {result['best_s'] * 1e3:>8.2f} {result['median_s'] * 1e3:>10.2f} "
                   f"{result['peak_rss_mib']:>13.0f}")
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

    step = setup_nnlib(*data())
    step()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.steps):
        step()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lstm", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=CONTENDERS, help="run one contender in this process")
    parser.add_argument("--contenders", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument("--steps", type=int, default=10, help="forward+backward steps per timing")
    parser.add_argument("--repeat", type=int, default=5, help="timings per contender and round; the best counts")
    parser.add_argument("--rounds", type=int, default=3, help="alternate the contenders this many times")
    parser.add_argument("--json", action="store_true", help="with --only: print the result as JSON")
    parser.add_argument("--output", type=Path, help="results file (default benchmarks/results/lstm.json)")
    parser.add_argument("--no-save", action="store_true", help="print the table, write no results file")
    parser.add_argument("--profile", action="store_true", help="profile nnlib's steps with cProfile")
    # Accepted so that ``python -m benchmarks`` can pass the MLP's arguments to every benchmark.
    parser.add_argument("--backend", default="numpy", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.profile:
        profile_nnlib(args)
        return 0
    if args.only:
        result = measure(args.only, args.steps, args.repeat)
        print(json.dumps(result) if args.json else json.dumps(result, indent=2))
        return 0
    report = run_all(args)
    print(format_table(report))
    if not args.no_save:
        output = args.output or RESULTS_DIR / "lstm.json"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
